"""Real image bytes for the wxacode APIs: a small PNG with a QR-like pattern, made without
dependencies (zlib and struct), different for each scene/path so tests can tell them apart."""

from __future__ import annotations

import hashlib
import struct
import zlib

MODULES = 21
SCALE = 4


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _finder(x: int, y: int) -> bool | None:
    """The three corner squares of a QR code (None outside them)."""
    for ox, oy in ((0, 0), (MODULES - 7, 0), (0, MODULES - 7)):
        dx, dy = x - ox, y - oy
        if 0 <= dx < 7 and 0 <= dy < 7:
            ring = max(abs(dx - 3), abs(dy - 3))
            return ring != 2
    return None


def code_png(seed: str) -> bytes:
    """A grayscale PNG of a QR-like code for ``seed``."""
    bits = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest() * 2, "big")
    size = (MODULES + 2) * SCALE  # one white module of quiet zone each side
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter: none
        for px in range(size):
            x, y = px // SCALE - 1, py // SCALE - 1
            dark = False
            if 0 <= x < MODULES and 0 <= y < MODULES:
                corner = _finder(x, y)
                dark = corner if corner is not None else bool(bits >> ((y * MODULES + x) % 512) & 1)
            rows.append(0 if dark else 255)
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )
