from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # Registers this domain's CSV exports (core.exports) for the background job.
        from orders import exports  # noqa: F401
