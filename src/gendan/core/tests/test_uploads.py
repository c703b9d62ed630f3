"""Uploads are told from their content, kept under a name of ours and served so they run nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gendan.core.tests.files import HTML_ATTACK, PDF, SVG_ATTACK, image_bytes, photo, upload
from gendan.core.uploads import (
    IMAGE_TYPES,
    UploadField,
    upload_check,
    upload_checked,
    upload_response,
)


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("scan.pdf", HTML_ATTACK, "application/pdf"),
        ("scan.pdf", SVG_ATTACK, "application/pdf"),
        ("scan.jpg", SVG_ATTACK, "image/jpeg"),
        ("scan.gif", image_bytes("GIF"), "image/gif"),
        ("scan.bmp", image_bytes("BMP"), "image/bmp"),
        ("scan.tif", image_bytes("TIFF"), "image/tiff"),
        ("notes.txt", b"just some words", "text/plain"),
        ("empty.pdf", b"", "application/pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_jpeg_png_or_webp_is_refused_whatever_its_name(
    name, content, declared
):
    # given a file whose name and declared type say PDF or image
    file = upload(name, content, declared)

    # when it is checked / then it is refused with the code of a wrong type
    with pytest.raises(ValidationError) as refused:
        upload_check(file)
    assert refused.value.code == "type"


@pytest.mark.parametrize("pillow_format", ["JPEG", "PNG", "WEBP"])
def test_an_image_that_claims_a_type_by_its_first_bytes_but_is_broken_is_refused(pillow_format):
    # given the first bytes of a real image, then an HTML page
    head = image_bytes(pillow_format)[:16]
    file = upload(f"photo.{pillow_format.lower()}", head + HTML_ATTACK, "image/jpeg")

    # when / then
    with pytest.raises(ValidationError):
        upload_check(file)


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (PDF, "pdf"),
        (image_bytes("JPEG"), "jpg"),
        (image_bytes("PNG"), "png"),
        (image_bytes("WEBP"), "webp"),
    ],
)
def test_a_pdf_jpeg_png_or_webp_is_kept_under_a_generated_name_with_its_checked_extension(
    content, extension
):
    # given a good file whose sender named it anything, path and all
    file = upload("../../王先生的<订单>.exe", content, "application/octet-stream")

    # when it is checked for storing
    kept = upload_checked(file)

    # then it is renamed: a random hex name and the extension its content shows
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", kept.name)
    assert kept.read() == content


def test_two_uploads_of_the_same_name_get_different_names():
    assert upload_checked(photo()).name != upload_checked(photo()).name


def test_a_pdf_is_not_a_photo():
    with pytest.raises(ValidationError):
        upload_check(upload("note.pdf", PDF), IMAGE_TYPES)


def test_a_file_over_the_limit_is_refused_and_the_message_names_the_limit(settings):
    # given a limit of 1 MB and a PDF a byte larger
    settings.GENDAN_UPLOAD_MAX_BYTES = 1024 * 1024
    file = upload("big.pdf", PDF + b"0" * (1024 * 1024 + 1 - len(PDF)))

    # when / then
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        upload_check(file)
    assert refused.value.code == "too_large"
    with translation.override("en"):
        assert refused.value.messages == ["This file is larger than 1 MB, the limit for an upload."]


def test_the_limit_is_20_mb_unless_set():
    from gendan.config import base

    assert base.GENDAN_UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_the_refusal_names_the_types_in_the_users_language():
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("scan.pdf", HTML_ATTACK))

    with translation.override("zh-hans"):
        chinese = refused.value.messages[0]
    with translation.override("en"):
        english = refused.value.messages[0]
    assert "PDF, JPEG, PNG, WebP" in chinese and "仅接受" in chinese
    assert english.startswith("Only PDF, JPEG, PNG, WebP files are accepted")


def test_the_field_says_the_types_and_the_limit_before_the_upload(settings):
    settings.GENDAN_UPLOAD_MAX_BYTES = 5 * 1024 * 1024

    field = UploadField(types=IMAGE_TYPES)

    with translation.override("en"):
        assert str(field.help_text) == "JPEG, PNG, WebP, at most 5 MB."
    assert field.widget.attrs["accept"].split(",")[:3] == ["image/jpeg", "image/png", "image/webp"]


def test_the_field_refuses_what_the_check_refuses():
    field = UploadField()

    with pytest.raises(ValidationError):
        field.clean(upload("scan.pdf", HTML_ATTACK))
    assert field.clean(upload("scan.pdf", PDF)).name == "scan.pdf"  # renamed when stored


@pytest.mark.parametrize(
    ("content", "served_as"),
    [(PDF, "application/pdf"), (image_bytes("PNG"), "image/png")],
)
def test_a_stored_file_is_served_as_its_checked_type_and_sandboxed(content, served_as):
    # when a good stored file is served
    response = upload_response(io.BytesIO(content), filename="20261202-001.pdf")

    # then with its type, and neither sniffed nor allowed to run anything; an image is shown
    # in the page, a PDF downloaded (no browser shows a PDF in a sandboxed page)
    assert response["Content-Type"] == served_as
    shown = "attachment" if served_as == "application/pdf" else "inline"
    assert response["Content-Disposition"].startswith(shown)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("content", [HTML_ATTACK, SVG_ATTACK, b"GIF89a..."])
def test_a_file_stored_before_the_check_is_served_only_as_a_download_of_unknown_type(content):
    # when a file that got stored before the check is served
    response = upload_response(io.BytesIO(content), filename="20261202-001.pdf")

    # then never inline, never as the HTML or SVG it is
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
