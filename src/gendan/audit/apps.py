from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gendan.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Every app's declared actions (audit/actions.py), so their labels are known.
        autodiscover_modules("audit_events")
        from gendan.audit.audit_events import admin_actions_declare

        admin_actions_declare()
