"""Root URLs."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from corredor.api import api

admin.site.site_header = "Corredor"
admin.site.site_title = "Corredor"

# Each app's pages; an app that this mode does not install (see CORREDOR_MODE) has none.
APPS_WITH_PAGES = [
    "corredor.core",
    "corredor.border",
    "corredor.screening",
    "corredor.manifests",
    "corredor.statistics",
    "corredor.sync",
    "corredor.protection",
    "corredor.displacement",
    "corredor.infohub",
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path("", include(f"{app}.urls")) for app in APPS_WITH_PAGES if apps.is_installed(app)),
]
