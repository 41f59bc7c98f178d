"""Values every page template needs."""

from django.conf import settings


def platform(request):
    return {"PLATFORM_NAME": "krisenwissen", "DEBUG": settings.DEBUG}
