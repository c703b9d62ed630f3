from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from gendan.api import api
from gendan.web.views import language_switch

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    path("api/", api.urls),
    *i18n_patterns(
        path("", include("gendan.web.urls")),
        path("", include("gendan.accounts.urls")),
        path("audit/", include("gendan.audit.urls")),
        path("catalog/", include("gendan.catalog.urls")),
        path("customers/", include("gendan.parties.urls")),
        path("orders/", include("gendan.orders.urls")),
        path("notifications/", include("gendan.notifications.urls")),
        path("crm/", include("gendan.crm.urls")),
        path("documents/", include("gendan.documents.urls")),
        path("warehouse/", include("gendan.warehouse.urls")),
        path("logistics/", include("gendan.logistics.urls")),
        path("admin/", admin.site.urls),
        prefix_default_language=False,
    ),
]
# Uploads (original documents, photos) are served by views that check who may see them,
# never as public files.
