from django.urls import path

from krisenwissen.core.policy import permission_required

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("dienstkonto/", views.OIDCStartView.as_view(), name="oidc_start"),
    path("dienstkonto/rueckkehr/", views.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("sicherheit/", views.security, name="security"),
    path("passwort/aendern/", permission_required("accounts.manage_own_credentials")(views.PasswordChangeView.as_view()),
         name="password_change"),
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort/vergessen/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("passwort/gesetzt/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("einladung/<uidb64>/<token>/", views.InvitationConfirmView.as_view(), name="invitation_confirm"),
    path("zwei-faktor/", views.otp_setup, name="otp_setup"),
    path("zwei-faktor/pruefen/", views.otp_verify, name="otp_verify"),
    path("verwaltung/", views.admin_home, name="admin_home"),
    path("verwaltung/kommune/<str:ags>/", views.members, name="members"),
    path("verwaltung/mitgliedschaft/<int:pk>/entfernen/", views.membership_remove, name="membership_remove"),
    path("verwaltung/mitgliedschaft/<int:pk>/einladung/", views.invitation_resend, name="invitation_resend"),
    path("verwaltung/mitgliedschaft/<int:pk>/zwei-faktor-zuruecksetzen/", views.otp_reset, name="otp_reset"),
    path("verwaltung/mitgliedschaft/<int:pk>/person-loeschen/", views.person_erase, name="person_erase"),
    path("verwaltung/mitgliedschaft/<int:pk>/datenauskunft/", views.person_data_export, name="person_data_export"),
    path("sicherheit/datenauskunft/", views.own_data_export, name="own_data_export"),
    path("verwaltung/protokoll/", views.audit_log, name="audit_log"),
]
