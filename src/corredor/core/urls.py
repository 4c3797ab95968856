from django.contrib.auth import views as auth_views
from django.urls import path

from corredor.core import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", accounts.password_change, name="password-change"),
    path("account/two-factor/", accounts.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/enrol/", accounts.two_factor_enrol, name="two-factor-enrol"),
    path("account/two-factor/recovery-codes/", accounts.recovery_codes_renew, name="recovery-codes-renew"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/status/", views.audit_status, name="audit-status"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
]
