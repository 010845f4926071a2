"""WSGI entry point: ``gunicorn oretrace.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
application = get_wsgi_application()
