from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetingConfig(AppConfig):
    name = "padu.targeting"
    label = "targeting"
    verbose_name = _("Penargetan")
