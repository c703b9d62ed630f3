"""The shop CRM's values on the pages, by name."""

from __future__ import annotations

from django import template

from gendan.crm.sources import source_label as label_of

register = template.Library()


@register.filter
def source_label(code: str | None) -> str:
    """``{{ figures.source|source_label }}``: 天猫, 微信群; not tmall, wechat_group."""
    return label_of(code)
