"""RFM (E-8): a default template and one per category, labels, the grid and its people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.crm.models import RfmTemplate, Tag, TagMember
from gendan.crm.rfm import SCORES, rfm_grid, rfm_people, template_for
from gendan.crm.services.events import EventInput, events_record
from gendan.crm.services.segments import rfm_template_save
from gendan.orders.tests.helpers import staff
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db


def bought(who: str, *purchases: tuple[int, str], category: str = "flooring") -> None:
    """Purchases of ``who``, each (days ago, amount)."""
    now = timezone.now()
    events_record(rows=[
        EventInput(kind="order_paid", at=now - dt.timedelta(days=days), platform="tmall",
                   platform_id=who, amount=Decimal(amount), category=category)
        for days, amount in purchases
    ])  # fmt: skip


def names(rows) -> set[str]:
    return set(rows.values_list("customer__platform_id", flat=True))


@pytest.fixture
def shop():
    bought("fresh", (1, "50"))  # R5, F1, M1
    bought("loyal", *[(d, "400") for d in (3, 20, 40, 60, 80, 100, 120, 140, 160, 170)])  # R5 F5
    bought("drifting", (200, "3500"), (250, "100"))  # R2, F2, M5, sleeping
    bought("gone", (500, "80"))  # R1, out of the period: F1 with nothing, lost
    bought("cleaner", (5, "30"), (6, "30"), (7, "30"), category="insect_powder")
    events_record(rows=[EventInput(kind="qr_scan", at=timezone.now(), platform_id="looker",
                                   platform="tmall")])  # fmt: skip


def test_e8_default_template_scores_and_labels_by_hand(shop):
    """E-8: R from the last purchase, F and M from the period; active, sleeping, lost."""
    template = template_for("")
    grid = rfm_grid(template)

    assert grid.total.count == 5  # the looker never bought: not in RFM
    assert grid.cells[5, 1].count == 1 and grid.cells[5, 1].amount == Decimal("50")
    assert grid.cells[5, 5].count == 1 and grid.cells[5, 5].amount == Decimal("4000")
    assert grid.cells[2, 2].count == 1 and grid.cells[1, 1].count == 1
    assert grid.cells[5, 3].count == 1  # the cleaner: 3 purchases
    assert grid.monetary[5].count == 2  # loyal (4000) and drifting (3600)
    assert {k: v.count for k, v in grid.labels.items()} == {"active": 3, "sleeping": 1, "lost": 1}
    assert names(rfm_people(template, label="sleeping")) == {"drifting"}
    assert names(rfm_people(template, label="lost")) == {"gone"}
    assert names(rfm_people(template, r=5, f=5)) == {"loyal"}


def test_e8_every_cell_opens_exactly_its_people(shop):
    """E-8: each of the 25 cells, 5 M scores and 3 labels lists as many people as it counts."""
    for category in ("", "flooring"):
        template = template_for(category)
        grid = rfm_grid(template)
        for r in SCORES:
            for f in SCORES:
                assert rfm_people(template, r=r, f=f).count() == grid.cells[r, f].count
        for m in SCORES:
            assert rfm_people(template, m=m).count() == grid.monetary[m].count
        for label, cell in grid.labels.items():
            assert rfm_people(template, label=label).count() == cell.count


def test_e8_a_category_template_scores_only_that_categorys_purchases(shop, roles):
    """E-8: custom ranges per category: frequent cheap purchases are judged apart from floors."""
    ranges = {"recency": [7, 14, 30, 60], "frequency": [2, 3, 6, 12],
              "monetary": ["20", "50", "90", "200"]}  # fmt: skip
    rfm_template_save(actor=staff(Role.GENERAL_MANAGER), category="insect_powder", fields=ranges)

    powder = rfm_grid(template_for("insect_powder"))
    floors = rfm_grid(template_for("flooring"))

    assert powder.total.count == 1 and powder.cells[5, 3].count == 1  # 3 purchases: F3
    assert powder.monetary[4].count == 1  # 90 CNY: M4
    assert floors.total.count == 4 and names(rfm_people(template_for("flooring"), r=5)) == {
        "fresh",
        "loyal",
    }


def test_e8_a_template_change_relabels_everyone_and_is_signed(shop, roles):
    """E-8: saving new label days relabels every customer at once; the change is in the log."""
    actor = staff(Role.GENERAL_MANAGER)
    before = rfm_grid(template_for(""))

    template = rfm_template_save(actor=actor, category="", fields={"active_days": 2})
    after = rfm_grid(template_for(""))

    assert before.labels["active"].count == 3 and after.labels["active"].count == 1
    assert after.labels["sleeping"].count == 3
    assert AuditEvent.objects.filter(action="rfm.template", target_id=str(template.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"recency": [30, 20, 180, 365]}, "recency"),
        ({"frequency": [2, 3, 5]}, "frequency"),
        ({"monetary": ["0", "1", "2", "3"]}, "monetary"),
        ({"active_days": 400, "lost_days": 365}, "lost_days"),
    ],
)
def test_bad_ranges_are_refused_and_nothing_is_saved(roles, fields, field):
    with pytest.raises(ValidationError) as refused:
        rfm_template_save(actor=staff(Role.GENERAL_MANAGER), category="", fields=fields)

    assert field in refused.value.message_dict
    assert not RfmTemplate.objects.exists()


def form_data(**changes: object) -> dict[str, object]:
    data = {f"recency_{n}": v for n, v in enumerate([30, 90, 180, 365], start=1)}
    data |= {f"frequency_{n}": v for n, v in enumerate([2, 3, 5, 10], start=1)}
    data |= {f"monetary_{n}": v for n, v in enumerate([200, 500, 1000, 3000], start=1)}
    return data | {"active_days": 180, "lost_days": 365, "category": ""} | changes


def test_the_page_previews_before_saving_and_each_cell_opens_its_people(shop, client, roles):
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get(reverse("crm-rfm")).content.decode()
    preview = client.post(reverse("crm-rfm-preview"), form_data(frequency_1=11, frequency_2=12,
                          frequency_3=13, frequency_4=14)).content.decode()  # fmt: skip
    wrong = client.post(reverse("crm-rfm-preview"), form_data(recency_2=10)).content.decode()
    people = client.get(reverse("crm-rfm-people"), {"r": 5, "f": 5}).content.decode()

    assert f"{reverse('crm-rfm-people')}?category=&amp;r=5&amp;f=5" in page
    assert "预览" in preview or "Preview" in preview
    assert not RfmTemplate.objects.exists()
    assert "errors" in wrong and not RfmTemplate.objects.exists()
    assert Customer.objects.get(platform_id="loyal").nickname in people or "loyal" in people


def test_saving_in_the_page_needs_the_permission(shop, client, roles):
    client.force_login(staff(Role.FINANCE))
    assert client.get(reverse("crm-rfm")).status_code == 403
    client.force_login(staff(Role.GENERAL_MANAGER))

    saved = client.post(reverse("crm-rfm") + "?category=clip", form_data(category="clip"))

    assert saved.status_code == 302
    assert RfmTemplate.objects.get(category="clip").frequency == [2, 3, 5, 10]


def test_e8_a_label_is_targeted_by_tagging_its_people(shop, client, roles):
    """E-8: each label can be targeted: the sleeping buyers get a tag in one click."""
    client.force_login(staff(Role.GENERAL_MANAGER))
    tag = Tag.objects.create(name="唤醒")

    client.post(reverse("crm-people-act"), {"target_tag": tag.pk, "rfm": "", "label": "sleeping"})

    assert set(TagMember.objects.values_list("customer__platform_id", flat=True)) == {"drifting"}
