"""Files as users send them, good and bad, for the upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# What a dealer could send as "scan.pdf": a page whose script would run in the clerk's session.
HTML_ATTACK = (
    b"<!doctype html><html><head><title>scan</title></head><body>"
    b"<script>document.title = 'pwned'; document.cookie = 'pwned=1; path=/';</script>"
    b"</body></html>"
)
SVG_ATTACK = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=\'pwned\'">'
    b"<script>document.title = 'pwned';</script></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(pillow_format: str, size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, pillow_format)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """A file as a browser sends it: the name and type are whatever the sender says."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "订货单.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


def photo(name: str = "签收单.jpg", pillow_format: str = "JPEG") -> SimpleUploadedFile:
    return upload(name, image_bytes(pillow_format), f"image/{pillow_format.lower()}")
