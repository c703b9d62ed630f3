"""Orders walked to a step, and PDFs read back as text and images (poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.orders.models import Order
from gendan.orders.routes import CLOSED
from gendan.orders.simulate import order_walk
from gendan.orders.tests.helpers import staff

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)


def signers_for(order: Order) -> dict:
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    signers[Role.DEALER] = staff(Role.DEALER, partner=order.partner) if order.partner else None
    return signers


def walked_to(order: Order, step: str) -> Order:
    """Sign the order's steps, as their roles would, until ``step`` is the current one."""
    signers = signers_for(order)
    while order.step not in (step, CLOSED):
        before = order.step
        order = order_walk(order, signers, steps=1)
        assert order.step != before, f"the order is held at {before}"
    assert order.step == step
    return order


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (layout kept, so columns stay on their line)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
        check=True,
    )  # fmt: skip
    return result.stdout.decode()


def pdf_pages(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def pdf_png(pdf: bytes, page: int = 1, dpi: int = 60) -> bytes:
    """One page of the PDF as a PNG image (pdftoppm)."""
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
             "-singlefile", str(source), str(Path(directory) / "page")],
            check=True,
        )  # fmt: skip
        return (Path(directory) / "page.png").read_bytes()
