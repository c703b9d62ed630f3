"""Where a shop customer came from, by name: the platforms (天猫, 京东, ...), our own orders,
and the campaigns and groups the shop runs. Sources are stored as codes (an import may bring
any code); a code we do not know is shown as it was written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.parties.models import Platform

SOURCE_LABELS = {
    **dict(Platform.choices),
    "orders": _("our orders"),
    "wechat_group": _("WeChat group"),
    "weibo_campaign": _("Weibo campaign"),
    "xiaohongshu": _("Xiaohongshu"),
    "kuaishou": _("Kuaishou"),
    "store": _("a shop visit"),
}


def source_label(code: str | None) -> str:
    if not code:
        return ""
    label = SOURCE_LABELS.get(code)
    return str(label) if label is not None else code
