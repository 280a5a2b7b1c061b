"""SECURITY check 28, storage: replaced files are not kept forever. The cron deletes the files of replaced
attachments beyond the kept history; the rows stay as metadata; idempotent; nothing current is ever deleted."""

from __future__ import annotations

from pathlib import Path

from db.models import Attachment
from domain import accounts
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import fetch, noisy_image, uploaded
from tests.helpers import Api
from workers.attachments import purge_attachment_files


def stored(name: str) -> Path:
    return get_settings().storage_path / "attachments" / name


async def _five_photos_and_a_signature(api: Api) -> list[dict[str, object]]:
    await api.signed_up()
    photos = [await uploaded(api, "PHOTO", noisy_image(600, 900, seed=seed)) for seed in range(5)]
    await uploaded(api, "ID_CARD_FRONT", noisy_image(1000, 630))
    return photos


async def test_files_beyond_the_kept_history_are_deleted_rows_stay(api: Api) -> None:
    photos = await _five_photos_and_a_signature(api)
    assert get_settings().attachment_history_files == 2
    rows = await Attachment.filter(kind="PHOTO").order_by("id")
    assert all(stored(row.storage_name).exists() for row in rows)

    assert await purge_attachment_files({"deps": api.app.state.deps}) == 2

    rows = await Attachment.filter(kind="PHOTO").order_by("id")
    assert len(rows) == 5  # history kept as metadata
    assert [row.file_deleted_at is not None for row in rows] == [True, True, False, False, False]
    assert [stored(row.storage_name).exists() for row in rows] == [False, False, True, True, True]
    assert rows[-1].current and await Attachment.filter(kind="ID_CARD_FRONT", file_deleted_at=None).count() == 1
    assert (await fetch(api, str(photos[0]["url"]), api.token)).status_code == 404
    assert (await fetch(api, str(photos[-1]["url"]), api.token)).status_code == 200


async def test_the_cleanup_is_idempotent_and_survives_a_file_already_gone(api: Api) -> None:
    await _five_photos_and_a_signature(api)
    oldest = await Attachment.filter(kind="PHOTO").order_by("id").first()
    assert oldest is not None
    stored(oldest.storage_name).unlink()  # a crash after the unlink, before the row was marked

    assert await purge_attachment_files({"deps": api.app.state.deps}) == 2
    assert await purge_attachment_files({"deps": api.app.state.deps}) == 0
    assert await Attachment.filter(file_deleted_at__isnull=False).count() == 2


async def test_keeping_no_history_never_touches_current_files(api: Api) -> None:
    await _five_photos_and_a_signature(api)

    assert await accounts.purge_replaced_attachment_files(api.app.state.deps, keep=0) == 4

    for row in await Attachment.filter(current=True):
        assert row.file_deleted_at is None and stored(row.storage_name).exists()
    assert await Attachment.filter(current=False, file_deleted_at=None).count() == 0
