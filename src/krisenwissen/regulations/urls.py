from django.urls import path

from . import views

app_name = "regulations"

urlpatterns = [
    path("", views.legal_text_list, name="list"),
    path("neu/", views.legal_text_create, name="create"),
    path("stichworte/", views.keyword_rules, name="keywords"),
    path("stichworte/<int:pk>/", views.keyword_rule_edit, name="keyword_edit"),
    path("stichworte/<int:pk>/loeschen/", views.keyword_rule_delete, name="keyword_delete"),
    path("<slug:slug>/", views.legal_text_detail, name="detail"),
    path("<slug:slug>/abonnieren/", views.subscribe, name="subscribe"),
    path("<slug:slug>/fassungen/neu/", views.version_add, name="version_add"),
    path("<slug:slug>/aenderungsverordnung/", views.amend, name="amend"),
    path("<slug:slug>/fassungen/<int:pk>/", views.version_detail, name="version"),
    path("<slug:slug>/fassungen/<int:pk>/angaben/", views.version_edit, name="version_edit"),
    path("<slug:slug>/synopse/", views.synopse, name="synopse"),
    path("<slug:slug>/synopse/export.<str:fmt>", views.synopse_export, name="synopse_export"),
]
