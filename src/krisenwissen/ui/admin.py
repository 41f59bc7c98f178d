from django.contrib import admin

from .models import AccessibilityFeedback, SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """Read-only here: edits go through the page's own form (audit row): /seiten/<key>/bearbeiten/."""

    list_display = ("key", "updated_at", "updated_by")
    readonly_fields = ("key", "body", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return False


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "page_url", "email")
    readonly_fields = ("message", "page_url", "name", "email", "created_at")

    def has_add_permission(self, request):
        return False
