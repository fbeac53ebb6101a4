from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "padu.ingest"
    label = "ingest"
    verbose_name = _("Impor data")

    def ready(self) -> None:
        from padu.ingest import kinds  # noqa: F401  (registers the registry intake kind)
