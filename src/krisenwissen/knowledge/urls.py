from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("beobachtungen/<int:pk>/", views.observation_detail, name="observation_detail"),
    path("erkenntnisse/", views.lesson_list, name="lesson_list"),
    path("erkenntnisse/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("empfehlungen/", views.recommendation_list, name="recommendation_list"),
    path("empfehlungen/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("gute-praxis/", views.goodpractice_list, name="goodpractice_list"),
    path("gute-praxis/<int:pk>/", views.goodpractice_detail, name="goodpractice_detail"),
    path("vergleich/", views.compare, name="compare"),
    path("neu/<slug:kind>/", views.item_create, name="item_create"),
    path("bearbeiten/<slug:kind>/<int:pk>/", views.item_edit, name="item_edit"),
    path("sichtbarkeit/<slug:kind>/<int:pk>/", views.request_publication, name="request_publication"),
    path("codebuch/", views.taxonomy, name="taxonomy"),
    path("freigaben/", views.review_list, name="review_list"),
    path("freigaben/<int:pk>/", views.review_detail, name="review_detail"),
]
