from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.accounts import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/tokens/", views.api_token_page, name="api-token-list"),
    path(
        "account/tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api-token-revoke",
    ),
]
