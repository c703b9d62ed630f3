from django.urls import path

from gendan.documents import views

urlpatterns = [
    path("orders/<int:pk>/<slug:kind>/", views.document_issue_view, name="document-issue"),
    path(
        "returns/<int:pk>/<slug:kind>/",
        views.return_document_issue_view,
        name="return-document-issue",
    ),
    path("<int:pk>/<slug:paper>.pdf", views.document_pdf_view, name="document-pdf"),
]
