from django.contrib import admin

from .models import CompetenceArea


@admin.register(CompetenceArea)
class CompetenceAreaAdmin(admin.ModelAdmin):
    """The competence vocabulary (shipped by migration 0002) is kept by the platform operator.
    Entries in use cannot be deleted (PROTECT); switch them off with „Aktiv“ instead."""

    list_display = ("label", "code", "kind", "active", "order")
    list_filter = ("kind", "active")
    search_fields = ("label", "code")
