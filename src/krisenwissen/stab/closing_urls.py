"""URLs of the crisis staff: closing part (included by ``urls``)."""

from django.urls import path

from . import closing_views as views

urlpatterns = [
    path("<int:pk>/rueckfuehrung/", views.closing, name="closing"),
    path("<int:pk>/rueckfuehrung/schritt/", views.closing_step, name="closing_step"),
    path("<int:pk>/rueckfuehrung/deaktivieren/", views.closing_deactivate, name="closing_deactivate"),
    path("<int:pk>/rueckfuehrung/reaktivieren/", views.closing_reactivate, name="closing_reactivate"),
    path("<int:pk>/rueckfuehrung/funktionen/<int:fpk>/deaktivieren/", views.closing_function_deactivate, name="closing_function_deactivate"),
]
