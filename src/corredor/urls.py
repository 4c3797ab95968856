"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

from corredor.api import api

admin.site.site_header = "Corredor"
admin.site.site_title = "Corredor"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("corredor.core.urls")),
    path("", include("corredor.border.urls")),
    path("", include("corredor.screening.urls")),
    path("", include("corredor.manifests.urls")),
    path("", include("corredor.statistics.urls")),
]
