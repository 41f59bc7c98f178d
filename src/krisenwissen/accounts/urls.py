from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("dienstkonto/", views.OIDCStartView.as_view(), name="oidc_start"),
    path("dienstkonto/rueckkehr/", views.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("verwaltung/", views.admin_home, name="admin_home"),
    path("verwaltung/kommune/<str:ags>/", views.members, name="members"),
    path("verwaltung/mitgliedschaft/<int:pk>/entfernen/", views.membership_remove, name="membership_remove"),
    path("verwaltung/protokoll/", views.audit_log, name="audit_log"),
]
