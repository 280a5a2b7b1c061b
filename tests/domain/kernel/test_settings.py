"""Settings in pydantic's types: plug-in class paths checked when read and imported on first use, delay lists."""

from __future__ import annotations

import sys

import pytest
from pydantic import ValidationError

from domain.kernel.settings import Settings, load_class

PLUGIN = "tests.domain.kernel.reading_plugin"


def test_a_plugin_is_imported_on_first_use_not_while_the_settings_are_read() -> None:
    sys.modules.pop(PLUGIN, None)
    settings = Settings(sms_gateway=f"{PLUGIN}:Gateway", identity_provider=f"{PLUGIN}:Gateway")
    assert PLUGIN not in sys.modules
    assert load_class(str(settings.sms_gateway)).__name__ == "Gateway"
    assert PLUGIN in sys.modules


@pytest.mark.parametrize("path", ["Gateway", "module.Gateway", "module:", "../x:Y", "a b:C"])
def test_a_malformed_class_path_is_refused_when_the_settings_are_read(path: str) -> None:
    with pytest.raises(ValidationError):
        Settings(sms_gateway=path)


def test_provider_names_and_delays() -> None:
    assert Settings(sms_gateway="").sms_gateway is None
    assert Settings(identity_provider="alipay").identity_provider == "alipay"
    assert Settings(sandbox_notice_delays_s="2, 5,10").sandbox_notice_delays_s == [2, 5, 10]  # type: ignore[arg-type]
    assert Settings().sandbox_notice_delays_s == [2, 5, 10, 30, 60, 120, 300]
