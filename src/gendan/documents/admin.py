"""Documents are issued by their service only; the admin reads them."""

from django.contrib import admin

from gendan.audit.admin import ReadOnlyAdmin
from gendan.documents.models import Document, DocumentFile


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "kind", "order", "issued_by", "issued_at", "superseded_at"]
    list_filter = ["kind"]
    search_fields = ["number", "order__number"]


@admin.register(DocumentFile)
class DocumentFileAdmin(ReadOnlyAdmin):
    list_display = ["document", "paper", "sha256", "printed_at"]
    list_filter = ["paper"]
    search_fields = ["document__number"]
    exclude = ["pdf"]
