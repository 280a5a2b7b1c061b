"""SECURITY check 19, the request guard in front of /graphql: multipart part count, the body cap (declared or
streamed), the preflight header; nothing large left on disk."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from db.models import Attachment
from domain.kernel.settings import get_settings
from tests.graph.policy.helpers import assert_no_leak
from tests.helpers import UPLOAD, Api, image_bytes


def _open_temp_files() -> set[str]:
    """Paths of files this process holds open (deleted spool files show up as '… (deleted)')."""
    paths = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return paths


def _written_bytes() -> int:
    """Bytes this process has passed to write() so far (/proc/self/io wchar)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/self/io")


def _large_new_temp_files(since: float) -> list[Path]:
    """Files over 1 MiB that appeared at the top of the temp directory after `since`."""
    found = []
    for entry in os.scandir(tempfile.gettempdir()):
        try:
            stat = entry.stat(follow_symlinks=False)
            if entry.is_file(follow_symlinks=False) and stat.st_mtime >= since and stat.st_size > 1024 * 1024:
                found.append(Path(entry.path))
        except OSError:
            continue
    return found


class DiskWatch:
    """What a request left behind or wrote: open temp files, large temp files, bytes written."""

    def __init__(self) -> None:
        self.start = time.time()
        self.fds = _open_temp_files()
        self.written = _written_bytes()

    def check(self, max_written: int) -> None:
        leaked = {p for p in _open_temp_files() - self.fds if "(deleted)" in p or p.startswith(tempfile.gettempdir())}
        assert not leaked, leaked
        assert _large_new_temp_files(self.start) == []
        written = _written_bytes() - self.written
        assert written <= max_written, f"{written} bytes written"


def _operations() -> dict[str, str]:
    operations = {"query": UPLOAD, "variables": {"input": {"kind": "PHOTO", "file": None}}}
    return {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})}


async def test_multipart_with_two_thousand_parts_is_refused(api: Api) -> None:
    await api.signed_up()
    headers = {"Authorization": f"Bearer {api.token}", "x-requested-with": "XMLHttpRequest"}
    watch = DiskWatch()

    many_files = {str(i): (f"f{i}.jpg", b"\xff\xd8\xff" + b"x" * 100, "image/jpeg") for i in range(2000)}
    files_response = await api.client.post("/graphql", data=_operations(), files=many_files, headers=headers)
    many_fields = {**_operations(), **{f"field{i}": "v" for i in range(2000)}}
    photo = image_bytes(600, 800)
    fields_response = await api.client.post(
        "/graphql", data=many_fields, files={"0": ("p.jpg", photo, "image/jpeg")}, headers=headers
    )

    for response in (files_response, fields_response):
        assert response.status_code == 400, response.text
        assert_no_leak(response.text)
    watch.check(max_written=512 * 1024)
    assert await Attachment.all().count() == 0


async def test_a_body_over_the_cap_is_refused_with_413(api: Api) -> None:
    await api.signed_up()
    cap = get_settings().request_max_bytes
    assert cap == 13 * 1024 * 1024  # a 12 MB phone photo plus the multipart envelope
    headers = {"Authorization": f"Bearer {api.token}", "x-requested-with": "XMLHttpRequest"}
    big = b"\xff\xd8\xff" + b"\0" * cap
    watch = DiskWatch()

    response = await api.client.post(
        "/graphql", data=_operations(), files={"0": ("big.jpg", big, "image/jpeg")}, headers=headers
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    watch.check(max_written=512 * 1024)  # refused on Content-Length: nothing was parsed or spooled
    huge_json = await api.client.post("/graphql", content=b'{"query": "' + b" " * cap + b'"}', headers=headers)
    assert huge_json.status_code == 413
    assert await Attachment.all().count() == 0


async def test_a_streamed_body_without_length_is_cut_at_the_cap(api: Api) -> None:
    await api.signed_up()
    cap = get_settings().request_max_bytes
    operations = _operations()

    async def body() -> AsyncIterator[bytes]:
        for name in ("operations", "map"):
            yield f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{operations[name]}\r\n'.encode()
        yield b'--b\r\nContent-Disposition: form-data; name="0"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        for _ in range(40):  # 40 MiB offered; the guard stops reading at 6 MiB
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    headers = {
        "Authorization": f"Bearer {api.token}",
        "x-requested-with": "XMLHttpRequest",
        "content-type": "multipart/form-data; boundary=b",
    }
    watch = DiskWatch()

    response = await api.client.post("/graphql", content=body(), headers=headers)

    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    watch.check(max_written=cap + 512 * 1024)  # at most the capped part was ever spooled, and it is gone
    assert await Attachment.all().count() == 0


async def test_multipart_without_a_preflight_header_is_refused(api: Api) -> None:
    await api.signed_up()

    response = await api.upload("PHOTO", image_bytes(600, 800), preflight=False)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert await Attachment.all().count() == 0
    accepted = await api.upload("PHOTO", image_bytes(600, 800))
    assert accepted.status_code == 200 and accepted.json()["data"]["uploadAttachment"]["errors"] == []
