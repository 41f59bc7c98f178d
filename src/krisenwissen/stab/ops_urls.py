"""URLs of the crisis staff: Meldungen and Aufträge (the msg part; included by ``urls``)."""

from django.urls import path

from . import msg_views as views

urlpatterns = [
    path("<int:pk>/meldungen/", views.message_list, name="msg_list"),
    path("<int:pk>/meldungen/neu/", views.message_create, name="msg_create"),
    path("<int:pk>/meldungen/vordruck.pdf", views.message_blank_form, name="msg_blank_form"),
    path("<int:pk>/meldungen/einstellungen/", views.message_settings, name="msg_settings"),
    path("meldungen/<int:pk>/", views.message_detail, name="msg_detail"),
    path("meldungen/<int:pk>/verteilen/", views.message_route, name="msg_route"),
    path("meldungen/<int:pk>/kenntnisnahme/", views.message_acknowledge, name="msg_acknowledge"),
    path("meldungen/<int:pk>/erledigen/", views.message_complete, name="msg_complete"),
    path("<int:pk>/auftraege/", views.task_list, name="msg_task_list"),
    path("<int:pk>/auftraege/neu/", views.task_create, name="msg_task_create"),
    path("auftraege/<int:pk>/", views.task_detail, name="msg_task_detail"),
    path("auftraege/<int:pk>/<slug:step>/", views.task_step, name="msg_task_step"),
]
