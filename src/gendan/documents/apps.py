from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gendan.documents"
    verbose_name = _("Documents")
    # O-7: a change to the order after issue makes new versions of the papers it changes,
    # through the reaction declared in gendan/orders/effects.py.
