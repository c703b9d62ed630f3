from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom app: page and API helpers, the layout and static files; it knows no domain."""

    name = "gendan.core"
    verbose_name = _("Core")
