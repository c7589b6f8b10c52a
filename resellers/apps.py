from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResellersConfig(AppConfig):
    name = "resellers"
    verbose_name = _("Resellers")

    def ready(self) -> None:
        # Registers this domain's CSV exports (core.exports) for the background job.
        from resellers import exports  # noqa: F401
