import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.production")
application = get_wsgi_application()

# Each worker imports this module once: load the search model and vocabulary now, in the
# background, instead of in the first visitor's request (KRISENWISSEN_WARM_UP=0 turns it off).
if os.environ.get("KRISENWISSEN_WARM_UP", "1") != "0":
    from krisenwissen.search.warmup import warm_up

    warm_up()
