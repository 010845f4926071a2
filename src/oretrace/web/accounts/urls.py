"""Logging in and out, one's own account, password reset, single sign-on, and the users' pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from oretrace.web.accounts import login, password_reset, users, views
from oretrace.web.accounts.oidc import SingleSignOnCallback, SingleSignOnStart

urlpatterns = [
    path("login/", login.PasswordLogin.as_view(), name="login"),
    path("login/code/", login.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("account/two-factor/", views.two_factor_page, name="two_factor"),
    path("password/reset/", password_reset.ResetRequest.as_view(), name="password_reset"),
    path("password/reset/sent/", password_reset.ResetSent.as_view(), name="password_reset_sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.ResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", password_reset.ResetDone.as_view(), name="password_reset_done"),
    # The names mozilla-django-oidc reverses.
    path("sso/start/", SingleSignOnStart.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", SingleSignOnCallback.as_view(), name="oidc_authentication_callback"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password-reset/", users.user_password_reset, name="user_password_reset"),
    path(
        "users/<int:pk>/remove-authenticator/",
        users.user_remove_authenticator,
        name="user_remove_authenticator",
    ),
]
