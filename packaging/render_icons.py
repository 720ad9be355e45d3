#!/usr/bin/env python3
"""Render resources/icons/playground.svg to the PNG, ICO (and ICNS) files next to it.

Usage (from anywhere):  python packaging/render_icons.py

Needs only PySide6 (QtSvg is part of PySide6-Essentials). Runs headless: it sets
QT_QPA_PLATFORM=offscreen unless a platform is already chosen. Writes:

    resources/icons/playground-<N>.png   N in 16 24 32 48 64 128 256 512
    resources/icons/playground.ico       Windows: 16 24 32 48 64 128 256 (PNG-compressed entries)
    resources/icons/playground.icns      macOS: 32 64 128 256 512 1024 px (PNG entries, the
                                         same OSType set that Pillow and iconutil write)

The .ico and .icns containers are written by hand (both are simple: a header,
a directory and embedded PNG files), so no Pillow or iconutil is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "playground.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entries as (OSType, pixel size); all of these types hold PNG data.
# ic11/ic12/ic13/ic14/ic10 are the @2x variants of 16/32/128/256/512 pt.
ICNS_TYPES = (
    (b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256),
    (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024),
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Paint the SVG into a transparent size x size ARGB image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buf.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRYs + PNG images (PNG entries: Windows Vista and later)."""
    sizes = sorted(pngs)
    out = [struct.pack("<HHH", 0, 1, len(sizes))]
    offset = 6 + 16 * len(sizes)
    for s in sizes:
        dim = 0 if s >= 256 else s  # 0 means 256
        out.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(pngs[s]), offset))
        offset += len(pngs[s])
    out.extend(pngs[s] for s in sizes)
    return b"".join(out)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """'icns' header + one (type, length, PNG) element per entry of ICNS_TYPES."""
    body = b"".join(
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for ostype, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"error: cannot parse {SVG}", file=sys.stderr)
        return 1
    pngs: dict[int, bytes] = {}
    for size in PNG_SIZES:
        pngs[size] = png_bytes(render(renderer, size))
        out = ICON_DIR / f"playground-{size}.png"
        out.write_bytes(pngs[size])
        print(f"wrote {out.relative_to(ICON_DIR.parent.parent)} ({len(pngs[size])} bytes)")
    pngs[1024] = png_bytes(render(renderer, 1024))  # only inside the .icns
    for name, data in (
        ("playground.ico", ico_bytes({s: pngs[s] for s in ICO_SIZES})),
        ("playground.icns", icns_bytes(pngs)),
    ):
        (ICON_DIR / name).write_bytes(data)
        print(f"wrote resources/icons/{name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
