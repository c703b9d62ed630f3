"""Uploaded files: what they are, told from their content; the size limit; a name of our own;
and an answer that cannot run what is inside.

A file's name and declared type are the sender's word, so neither is read: an HTML page named
``scan.pdf`` and sent as ``application/pdf`` is refused. The first bytes name the type, and an
image must also open and verify in Pillow. Serving reads the first bytes again (a file stored
before this check may be anything) and answers with ``nosniff`` and ``sandbox``, so that even a
file that slipped through runs no script in the session of whoever opens it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image


@dataclass(frozen=True)
class UploadType:
    label: str  # as users know it: "PDF", "JPEG"
    content_type: str
    extension: str  # the one a stored file gets, whatever its sender called it
    magic: tuple[bytes, ...]  # what the file starts with
    pillow: str = ""  # Pillow's format name for an image; empty for a document

    def starts(self, head: bytes) -> bool:
        if self.pillow == "WEBP":  # RIFF, the size, then WEBP
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return head.startswith(self.magic)


PDF = UploadType("PDF", "application/pdf", "pdf", (b"%PDF-",))
JPEG = UploadType("JPEG", "image/jpeg", "jpg", (b"\xff\xd8\xff",), "JPEG")
PNG = UploadType("PNG", "image/png", "png", (b"\x89PNG\r\n\x1a\n",), "PNG")
WEBP = UploadType("WebP", "image/webp", "webp", (b"RIFF",), "WEBP")
DOCUMENT_TYPES = (PDF, JPEG, PNG, WEBP)  # a scan or a photo of a paper
IMAGE_TYPES = (JPEG, PNG, WEBP)
OCTET_STREAM = "application/octet-stream"
HEAD_BYTES = 16

UPLOAD_TYPE_REFUSED = _(
    "Only %(types)s files are accepted (told from the content, not the name); "
    "this file was not kept."
)
UPLOAD_TOO_LARGE = _("This file is larger than %(limit)s, the limit for an upload.")
UPLOAD_HELP = _("%(types)s, at most %(limit)s.")


def upload_limit() -> int:
    return settings.GENDAN_UPLOAD_MAX_BYTES


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def type_labels(types: tuple[UploadType, ...]) -> str:
    return ", ".join(kind.label for kind in types)


def upload_help(types: tuple[UploadType, ...] = DOCUMENT_TYPES) -> str:
    return UPLOAD_HELP % {"types": type_labels(types), "limit": megabytes(upload_limit())}


upload_help_lazy = lazy(upload_help, str)


def file_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def type_by_magic(file: IO[bytes], types: tuple[UploadType, ...]) -> UploadType | None:
    head = file_head(file)
    return next((kind for kind in types if kind.starts(head)), None)


def image_verified(file: IO[bytes], kind: UploadType) -> bool:
    """Pillow opens the image as the type its first bytes claim, and finds it whole."""
    try:
        with Image.open(file) as image:
            opened = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds (and DecompressionBombError) on bad images
        return False
    finally:
        file.seek(0)
    return opened == kind.pillow


def upload_check(file: Any, types: tuple[UploadType, ...] = DOCUMENT_TYPES) -> UploadType:
    """The checked type of an uploaded file, or a ValidationError that names types and limit."""
    if file.size > upload_limit():
        raise ValidationError(
            UPLOAD_TOO_LARGE, code="too_large", params={"limit": megabytes(upload_limit())}
        )
    kind = type_by_magic(file, types)
    if kind is None or (kind.pillow and not image_verified(file, kind)):
        raise ValidationError(
            UPLOAD_TYPE_REFUSED, code="type", params={"types": type_labels(types)}
        )
    return kind


def upload_name(kind: UploadType) -> str:
    """A name of our own: nothing the sender chose reaches the disk or a URL."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def upload_checked(file: Any, types: tuple[UploadType, ...] = DOCUMENT_TYPES) -> Any:
    """The upload, checked and renamed for storing; a caller that wants the sender's name
    reads it before."""
    kind = upload_check(file, types)
    file.name = upload_name(kind)
    return file


def upload_response(file: IO[bytes], *, filename: str) -> FileResponse:
    """The stored file, inline only as the type its content shows; anything else (stored before
    the check) as a download of unknown type. A browser neither guesses a type (nosniff) nor
    runs a script or plugin in it with the site's rights (sandbox). A PDF goes as a download of
    its type: browsers show no PDF in a sandboxed page (their viewer is a plugin), and the
    downloaded file opens in the reader outside the site."""
    kind = type_by_magic(file, DOCUMENT_TYPES)
    response = FileResponse(
        file,
        as_attachment=kind is None or kind is PDF,
        filename=filename,
        content_type=kind.content_type if kind else OCTET_STREAM,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


class UploadField(forms.FileField):
    """A file field that accepts only the given types, and says which before the upload."""

    def __init__(self, *, types: tuple[UploadType, ...] = DOCUMENT_TYPES, **options: Any) -> None:
        self.types = types
        # A model field passes its own help text, empty; the limit and language are read late.
        options["help_text"] = options.get("help_text") or upload_help_lazy(types)
        super().__init__(**options)
        accept = [kind.content_type for kind in types] + [f".{kind.extension}" for kind in types]
        if JPEG in types:
            accept.append(".jpeg")
        self.widget.attrs["accept"] = ",".join(accept)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and hasattr(value, "size"):  # a new upload, not the file already kept
            upload_check(value, self.types)
