"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
application = get_wsgi_application()

from corredor.core.checks import refuse_development_secret_key  # noqa: E402 (needs the settings loaded)

refuse_development_secret_key()
