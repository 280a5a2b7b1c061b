"""A plug-in whose module reads the settings while it is imported (as a carrier gateway reading its credentials
might): loading it must not happen while the settings themselves are being read."""

from domain.kernel.settings import get_settings

TIMEOUT_S = get_settings().alipay_timeout_s


class Gateway:
    """Sends nothing; only its loading is tested."""

    async def send(self, mobile: str, text: str, *, idempotency_key: str) -> None:
        """Accept the message."""
