"""Documents in the order page and through the API: print, print again, versions, who sees."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.models import Document, DocumentKind
from gendan.documents.tests.helpers import needs_poppler, pdf_text, walked_to
from gendan.orders.models import GoodsReturn, PaymentTerms
from gendan.orders.tests.helpers import scenario, staff
from gendan.parties.tests.factories import DealerFactory

pytestmark = [pytest.mark.django_db, needs_poppler]
NOTE = DocumentKind.DELIVERY_NOTE


@pytest.fixture
def order(roles):
    return walked_to(scenario("dealer"), "receive_payment")


def test_the_order_page_lists_the_papers_of_its_route_and_prints_them(client, order):
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert "销售（订货）单" in page and "打印销售送货单" in page
    # the clerk prints the delivery note on the continuous form
    response = client.post(reverse("document-issue", args=[order.pk, NOTE]), {"paper": "form"})
    document = Document.objects.get()
    assert response.url == reverse("document-pdf", args=[document.pk, "form"])
    pdf = client.get(response.url)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{document.number}-v1-form.pdf"'
    assert "销售送货单" in pdf_text(pdf.content)
    # printing again: the same version, the same bytes
    client.post(reverse("document-issue", args=[order.pk, NOTE]))
    assert client.get(response.url).content == pdf.content and Document.objects.count() == 1
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert f"{document.number} · 第1版" in page


def test_a_paper_not_made_yet_is_refused_in_the_page(client, roles):
    order = walked_to(scenario("dealer"), "verify")
    client.force_login(staff(Role.CLERK))
    response = client.post(reverse("document-issue", args=[order.pk, NOTE]), follow=True)
    assert "订单尚未到达该环节" in response.content.decode()
    assert not Document.objects.exists()


def test_a_dealer_reads_its_own_orders_papers_and_no_one_elses(client, roles):
    order = walked_to(scenario("dealer"), "receive_payment")
    client.force_login(staff(Role.CLERK))
    response = client.post(reverse("document-issue", args=[order.pk, NOTE]))
    own = staff(Role.DEALER, "own-dealer", partner=order.partner)
    other = staff(Role.DEALER, "other-dealer", partner=DealerFactory())
    client.force_login(own)
    assert client.get(response.url).status_code == 200
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert response.url in page and "打印销售送货单" not in page  # reads; the clerk issues
    client.force_login(other)
    assert client.get(response.url).status_code == 404
    assert client.post(reverse("document-issue", args=[order.pk, NOTE])).status_code == 404


def basic(user) -> dict:
    user.set_password("pw-secret-1")
    user.save()
    token = base64.b64encode(f"{user.username}:pw-secret-1".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_lists_issues_and_serves_the_papers(client, order):
    auth = basic(staff(Role.CLERK))
    listed = client.get(f"/api/documents/orders/{order.pk}", **auth).json()
    assert [paper["kind"] for paper in listed] == ["order_form", "delivery_note"]
    assert all(paper["ready"] for paper in listed)
    issued = client.post(f"/api/documents/orders/{order.pk}/{NOTE}", **auth).json()
    assert (issued["version"], [f["paper"] for f in issued["files"]]) == (1, ["a4", "form"])
    pdf = client.get(issued["files"][0]["url"], **auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = client.post(f"/api/documents/orders/{order.pk}/profit_note", **auth)
    assert refused.status_code == 422
    driver = basic(staff(Role.DRIVER))
    assert client.post(f"/api/documents/orders/{order.pk}/{NOTE}", **driver).status_code == 403


def test_a_return_goes_from_record_to_return_note_in_the_page(client, roles):
    """O-62 in the pages: service records the leftovers, the warehouse books them in, the
    clerk makes and prints the return note."""
    order = walked_to(
        scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT), "acceptance"
    )
    line = order.lines.get()
    client.force_login(staff(Role.SERVICE))
    client.post(reverse("return-record", args=[order.pk]),
                {"kind": "leftover", "reason": "剩余", f"quantity-{line.pk}": "1.5"})  # fmt: skip
    goods_return = GoodsReturn.objects.get()
    assert goods_return.lines.get().quantity == Decimal("1.5")
    client.force_login(staff(Role.WAREHOUSE))
    client.post(reverse("return-action", args=[goods_return.pk, "receive"]), {"inspection": "完好"})
    client.force_login(staff(Role.CLERK))
    client.post(reverse("return-action", args=[goods_return.pk, "note"]))
    response = client.post(reverse("return-document-issue", args=[goods_return.pk, "return_note"]))
    text = pdf_text(client.get(response.url).content)
    assert "销售退货单" in text and "150.00" in text and "壹佰伍拾元整" in text


def test_a_bad_quantity_in_the_return_form_is_named_and_nothing_recorded(client, roles):
    order = walked_to(
        scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT), "acceptance"
    )
    line = order.lines.get()
    client.force_login(staff(Role.SERVICE))
    response = client.post(
        reverse("return-record", args=[order.pk]),
        {"kind": "leftover", "reason": "剩余", f"quantity-{line.pk}": "一点五"}, follow=True,
    )  # fmt: skip
    assert "第1行：请用数字填写数量。" in response.content.decode()
    assert not GoodsReturn.objects.exists()


def test_a_paper_size_a_paper_does_not_have_prints_on_a4(client, order):
    client.force_login(staff(Role.CLERK))
    response = client.post(reverse("document-issue", args=[order.pk, "order_form"]),
                           {"paper": "form"})  # fmt: skip
    document = Document.objects.get()
    assert response.url == reverse("document-pdf", args=[document.pk, "a4"])
    response = client.post(reverse("document-issue", args=[order.pk, NOTE]), {"paper": "a5/x"})
    assert response.url.endswith("/a4.pdf")


def test_a_return_has_no_paper_of_another_kind(client, roles):
    order = walked_to(
        scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT), "acceptance"
    )
    client.force_login(staff(Role.SERVICE))
    returned = {"kind": "leftover", "reason": "剩余", f"quantity-{order.lines.get().pk}": "1"}
    client.post(reverse("return-record", args=[order.pk]), returned)
    goods_return = GoodsReturn.objects.get()
    client.force_login(staff(Role.CLERK))
    for kind in ("bogus", "delivery_note"):
        response = client.post(reverse("return-document-issue", args=[goods_return.pk, kind]),
                               follow=True)  # fmt: skip
        assert "退货只有入库单和退货单。" in response.content.decode()
    assert not Document.objects.exists()
