from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "corredor.border"
    label = "border"
    verbose_name = _("Border crossings")
