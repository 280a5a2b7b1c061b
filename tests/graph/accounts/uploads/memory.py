"""Peak memory of image processing, measured in a fresh child Python process (SECURITY.md check 28)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from domain.kernel.settings import PROJECT_ROOT

# Runs in the child: import everything and read the files first, reset the kernel's peak-RSS mark (clear_refs 5),
# then process the files concurrently through the decode pool; the growth is the peak (VmHWM) minus the resident
# size (VmRSS) before.
_CHILD = """
import asyncio, json, sys
from domain.accounts import images
from domain.kernel.errors import DomainError
kind, paths = sys.argv[1], sys.argv[2:]
blobs = [open(p, "rb").read() for p in paths]

def status_kib(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

before = status_kib("VmRSS")
with open("/proc/self/clear_refs", "w") as clear_refs:
    clear_refs.write("5")
assert status_kib("VmHWM") <= before + 1024, "the peak mark was not reset"

async def one(data):
    try:
        done = await images.process_bounded(kind, data)
        return ["ok", done.width, done.height]
    except DomainError as exc:
        return [exc.code.value, exc.message]

async def main():
    return await asyncio.gather(*(one(data) for data in blobs))

outcomes = asyncio.run(main())
growth_kib = status_kib("VmHWM") - before
print(json.dumps({"growth_mib": growth_kib / 1024, "outcomes": outcomes}))
"""


def peak_growth_mib(kind: str, files: list[Path], decode_workers: int = 0) -> tuple[float, list[list[object]]]:
    """Process the files concurrently in a child process; its peak RSS growth in MiB and each outcome."""
    env = {**os.environ, "IMAGE_DECODE_WORKERS": str(decode_workers), "PYTHONPATH": str(PROJECT_ROOT)}
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
    )
    report = json.loads(completed.stdout)
    return float(report["growth_mib"]), list(report["outcomes"])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_bomb_png(width: int = 6300, height: int = 6300) -> bytes:
    """A valid 8-bit RGBA PNG of one flat colour: about 150 KB that decode to width×height×4 bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\0" + b"\x0a\x14\x1e\xff" * width
    body = b"".join(compressor.compress(row * 100) for _ in range(height // 100))
    body += compressor.compress(row * (height % 100)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")
