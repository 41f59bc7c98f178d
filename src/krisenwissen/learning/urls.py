from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("beobachtungen/eingereicht/", views.observation_queue, name="observation_queue"),
    path("beobachtungen/<int:pk>/einreichen/", views.observation_submit, name="observation_submit"),
    path("beobachtungen/<int:pk>/pruefen/", views.observation_review, name="observation_review"),
    path("beobachtungen/<int:pk>/erkenntnis/", views.lesson_from_observation, name="lesson_from_observation"),
    path("erkenntnisse/<int:pk>/status/<slug:step>/", views.lesson_transition, name="lesson_transition"),
    path("wiederkehrend/", views.recurring, name="recurring"),
    path("massnahmen/", views.action_list, name="action_list"),
    path("massnahmen/neu/", views.action_create, name="action_create"),
    path("massnahmen/<int:pk>/", views.action_detail, name="action_detail"),
    path("massnahmen/<int:pk>/bearbeiten/", views.action_edit, name="action_edit"),
    path("massnahmen/<int:pk>/status/", views.action_status, name="action_status"),
    path("massnahmen/<int:pk>/vermerk/", views.action_note, name="action_note"),
    path("uebersicht/", views.overview_index, name="overview_index"),
    path("uebersicht/<int:municipality>/", views.overview, name="overview"),
    path("krisen/neu/", views.crisis_create, name="crisis_create"),
    path("krisen/<int:pk>/briefing/", views.crisis_briefing, name="crisis_briefing"),
    path("empfehlungen/heft/", views.booklet, name="booklet"),
    path("selbstbewertung/", views.assessment_list, name="assessment_list"),
    path("selbstbewertung/neu/<int:framework>/", views.assessment_create, name="assessment_create"),
    path("selbstbewertung/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("selbstbewertung/<int:pk>/massnahme/<int:score>/", views.assessment_propose, name="assessment_propose"),
    path("fortbildung/", views.module_list, name="module_list"),
    path("fortbildung/<int:pk>/", views.module_detail, name="module_detail"),
    path("fortbildung/<int:pk>/handout/", views.module_handout, name="module_handout"),
    path("fortbildung/neu/", views.module_edit, name="module_create"),
    path("fortbildung/<int:pk>/bearbeiten/", views.module_edit, name="module_edit"),
    path("uebungen/", views.exercise_list, name="exercise_list"),
    path("uebungen/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("uebungen/<int:pk>/starten/", views.exercise_start, name="exercise_start"),
    path("uebungen/neu/", views.exercise_edit, name="exercise_create"),
    path("uebungen/<int:pk>/bearbeiten/", views.exercise_edit, name="exercise_edit"),
    path("uebungen/durchlauf/<int:pk>/", views.run_detail, name="run_detail"),
    path("uebungen/durchlauf/<int:pk>/weiter/", views.run_advance, name="run_advance"),
    path("uebungen/durchlauf/<int:pk>/befund/", views.run_finding, name="run_finding"),
    path("uebungen/durchlauf/<int:pk>/beenden/", views.run_finish, name="run_finish"),
]
