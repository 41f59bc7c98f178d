from django.urls import path, re_path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("neu/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.workshop_edit, name="edit"),
    path("<int:pk>/leitfragen/", views.question_add, name="question_add"),
    path("<int:pk>/phasen/<int:phase_pk>/zeitrahmen/", views.phase_timebox, name="phase_timebox"),
    path("<int:pk>/leitfragen/<int:question_pk>/entfernen/", views.question_remove, name="question_remove"),
    path("<int:pk>/qr.svg", views.join_qr, name="qr"),
    path("<int:pk>/board/", views.facilitator_board, name="board"),
    path("<int:pk>/praesentation/", views.presenter, name="presenter"),
    path("<int:pk>/board/aktion/", views.board_action, name="board_action"),
    path("<int:pk>/board/ereignisse/", views.facilitator_events, name="events"),
    path("<int:pk>/fotos/", views.facilitator_photo, name="photo_upload"),
    re_path(r"^(?P<pk>[0-9]+)/fotos/(?P<photo_pk>[0-9]+)/(?P<size>original|vorschau)\.jpg$", views.photo_file, name="photo"),
    re_path(r"^(?P<pk>[0-9]+)/protokoll\.(?P<fmt>pdf|docx)$", views.protocol, name="protocol"),
    path("<int:pk>/synthese/", views.synthesis_edit, name="synthesis"),
    path("<int:pk>/wissen/", views.knowledge_transfer, name="knowledge"),
    path("mitmachen/<str:token>/", views.join, name="join"),
    path("mitmachen/<str:token>/board/", views.participant_board, name="participant_board"),
    path("mitmachen/<str:token>/karten/", views.participant_card, name="participant_card"),
    path("mitmachen/<str:token>/punkte/", views.participant_vote, name="participant_vote"),
    path("mitmachen/<str:token>/fotos/", views.participant_photo, name="participant_photo"),
    path("mitmachen/<str:token>/ereignisse/", views.participant_events, name="participant_events"),
]
