"""A certificate prints the photo and signature it was issued with, never a later upload (which nobody reviewed:
found by an adversarial review, a holder could print someone else's face on a verifiable certificate); the purge of
replaced files keeps those while the certificate is current."""

from __future__ import annotations

from typing import Any

from db.models import Attachment, AttachmentKind, CertificateDownload
from domain.accounts import purge_replaced_attachment_files
from domain.certificates.documents import document
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import noisy_image, uploaded
from tests.graph.certificates.helpers import holder
from tests.helpers import Api

META = RequestMeta("127.0.0.1", "pytest")


async def stored_bytes(attachment: Attachment) -> bytes:
    return (get_settings().storage_path / "attachments" / attachment.storage_name).read_bytes()


async def test_a_later_photo_is_not_printed_and_the_issued_one_is_kept(api: Api, app: Any) -> None:
    person, certificate = await holder(api)
    issued = await Attachment.get(id=certificate.snapshot["photo_attachment_id"])
    assert issued.kind is AttachmentKind.PHOTO
    for seed in (2, 3, 4):  # three newer photos: the issued one is past the kept history of replaced files
        clock.advance(2)
        await uploaded(api, "PHOTO", noisy_image(600, 900, seed=seed))
    # replaced: the issued photo and seeds 2 and 3; beyond the two kept is the issued one, which the certificate prints
    assert await purge_replaced_attachment_files(app.state.deps) == 0
    await issued.refresh_from_db()
    assert issued.current is False and issued.file_deleted_at is None  # kept: the certificate prints it
    download = await CertificateDownload.create(
        certificate_id=certificate.id,
        person_id=person.id,
        file_format="PDF",
        created_at=clock.now(),
        usable_until=clock.business_date(),
    )
    holder_actor = Actor(ActorKind.PERSON, person.id, 0)
    printed = await document(app.state.deps, holder_actor, certificate, download, META)
    assert printed.photo == await stored_bytes(issued)
    newest = await Attachment.get(person_id=person.id, kind=AttachmentKind.PHOTO, current=True)
    assert printed.photo != await stored_bytes(newest)
