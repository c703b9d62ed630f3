from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "gendan.crm"
    verbose_name = _("Shop CRM")

    def ready(self) -> None:
        # Closed orders flow in through the step effects declared in gendan/orders/effects.py.
        post_migrate.connect(figures_state_ensure, sender=self, dispatch_uid="gendan-crm-state")


def figures_state_ensure(**kwargs: object) -> None:
    """The RFM period's state row exists from the first migration on (and after a flush), so
    recording events never has to look for it (PostgreSQL's trigger reads it)."""
    from gendan.crm.keeping import period_roll
    from gendan.crm.models import FiguresState

    if not FiguresState.objects.filter(pk=1).exists():
        period_roll()
