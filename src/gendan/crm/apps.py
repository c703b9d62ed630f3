from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "gendan.crm"
    verbose_name = _("Shop CRM")

    def ready(self) -> None:
        from gendan.crm.services import order_closed_record
        from gendan.orders.services import STEP_EFFECTS

        # Orders of the order process flow into the CRM once finance closes them (paid).
        STEP_EFFECTS.setdefault("close", []).append(order_closed_record)
