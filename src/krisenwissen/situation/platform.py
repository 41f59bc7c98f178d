"""The platform data role: who keeps the area data that several municipalities read.

District, state and federal series (RKI, DIVI) are shared: every municipality's rule status
and comparisons are computed from them. They are imported and corrected only by holders of
the platform permission ``situation.import_shared_data`` — superusers and the members of the
group "Plattform-Daten" (or people given the permission directly in the Django admin). A
municipality's Redaktion keeps only its own indicators.
"""

from __future__ import annotations

PLATFORM_DATA_GROUP = "Plattform-Daten"
SHARED_DATA_PERMISSION = "situation.import_shared_data"
PERMISSION_NAME = "Gemeinsam genutzte Gebietsdaten (Kreise, Länder, Bund) importieren und korrigieren"


def install_platform_data_group(Group, Permission, ContentType):  # noqa: N803 - model classes (also historical)
    """Create the permission and the group holding it (idempotent; used by the migration and tests)."""
    content_type, _ = ContentType.objects.get_or_create(app_label="situation", model="area")
    permission, _ = Permission.objects.get_or_create(content_type=content_type, codename="import_shared_data",
                                                     defaults={"name": PERMISSION_NAME})
    group, _ = Group.objects.get_or_create(name=PLATFORM_DATA_GROUP)
    group.permissions.add(permission)
    return group
