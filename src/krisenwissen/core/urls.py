from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("gelesen/", views.notifications_mark_read, name="notifications_read"),
]
