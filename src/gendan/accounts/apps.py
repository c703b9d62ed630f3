from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gendan.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from gendan.accounts.services import role_groups_sync_after_migrate

        # Permissions exist only after every app has migrated, so roles are synced then.
        post_migrate.connect(role_groups_sync_after_migrate, dispatch_uid="gendan-role-groups")
