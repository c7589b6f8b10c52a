from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Commissions")

    def ready(self) -> None:
        from commissions.receivers import on_order_returned, on_order_status_changed
        from orders import hooks

        hooks.order_status_changed.connect(on_order_status_changed)
        hooks.order_returned.connect(on_order_returned)
