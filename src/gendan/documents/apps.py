from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gendan.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from gendan.documents.services import documents_refresh
        from gendan.orders.services.verification import ORDER_CHANGED

        # O-7: a change to the order after issue makes new versions of the papers it changes.
        ORDER_CHANGED.append(documents_refresh)
