"""Technical administration for platform administrators (Django admin at /verwaltung/django/).

Day-to-day work with people and roles happens in the platform's own administration area,
which writes audit rows; this is for setting passwords and repairing master data.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import Department, Membership, Municipality, Network, User

# The admin login goes through the same throttle as every login (accounts.throttle); its form
# only adds the German "please wait" message.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(User)
class KrisenwissenUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = [*UserAdmin.list_display, "account_source"]
    list_filter = [*UserAdmin.list_filter, "account_source"]
    fieldsets = [*UserAdmin.fieldsets, (_("Verzeichnis"), {"fields": ["account_source", "external_id"]})]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "state", "kind", "is_participating", "publication_four_eyes"]
    list_filter = ["is_participating", "publication_four_eyes", "kind", "state"]
    search_fields = ["name", "ags"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    filter_horizontal = ["members"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "function"]
    list_filter = ["function"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]
