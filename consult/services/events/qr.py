"""QR images of check-in links, made with segno (SVG or PNG)."""

from __future__ import annotations

import io

import segno


def qr_image(text: str, kind: str, title: str = "") -> bytes:
    """The QR code of `text` as "svg" or "png" bytes."""
    code = segno.make(text, error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=6, border=2, xmldecl=False, title=title or None)
    else:
        code.save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
