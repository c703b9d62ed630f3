"""Drops waiting for their driver, and signatures as the phone's canvas draws them, for the
driver's tests and the driver's page benchmark."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from gendan.documents.tests.helpers import walked_to
from gendan.logistics.models import Drop, TruckRoute
from gendan.logistics.tests.factories import DropFactory
from gendan.orders.models import Order, PaymentTerms
from gendan.orders.routes import DELIVER
from gendan.orders.tests.helpers import scenario
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.picking import boxes

CHANNEL_TERMS = {"supermarket": PaymentTerms.CONTRACT}


def order_at_deliver(channel: str = "retail", terms: str = "", **fields: object) -> Order:
    """An order of the channel, shipped: waiting for the driver at its deliver step."""
    terms = terms or CHANNEL_TERMS.get(channel, PaymentTerms.PREPAY)
    return walked_to(scenario(channel, terms=terms, **fields), DELIVER.code)


def drop_at_deliver(channel: str = "retail", route: TruckRoute | None = None, **fields) -> Drop:
    """A stop of a published route (a new one unless given) for an order shipped to it."""
    order = order_at_deliver(channel, **fields)
    return DropFactory(order=order, **({"route": route} if route else {}))


def signature_png(strokes: int = 3, size: tuple[int, int] = (300, 120)) -> bytes:
    """A signature as signature_pad draws it: dark strokes on a transparent canvas."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for stroke in range(strokes):
        top = 20 + stroke * 25
        draw.line([(20, top), (140, top + 40), (280, top)], fill=(0, 0, 0, 255), width=3)
    return png_bytes(image)


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def blank_png(size: tuple[int, int] = (300, 120)) -> bytes:
    """The canvas as it is before anyone signs: transparent, nothing drawn."""
    return png_bytes(Image.new("RGBA", size, (0, 0, 0, 0)))


def photo_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def picked_order_at_deliver(batch_number: str = "B-1", quantity: str = "8") -> Order:
    """A dealer's order of a stocked product, its labelled boxes of one batch picked and
    shipped (the walk prepares it as the warehouse would): waiting for the driver."""
    product = stocked_product()
    batch = batch_received(product, batch_number, "12")
    boxes(batch, 3, "4")
    return order_at_deliver("dealer", product=product, quantity=quantity)
