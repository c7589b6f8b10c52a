from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the key scheme with drf-spectacular.
        from api import (
            authentication,  # noqa: F401
            exports,  # noqa: F401  (registers the CSV exports, core.exports)
            receivers,
        )
        from commissions import hooks as commission_hooks
        from communications import hooks as communication_hooks
        from orders import hooks as order_hooks
        from qualifications import hooks as qualification_hooks

        order_hooks.order_created.connect(receivers.on_order_created)
        order_hooks.order_status_changed.connect(receivers.on_order_status_changed)
        qualification_hooks.qualification_granted.connect(receivers.on_qualification_granted)
        qualification_hooks.qualification_revoked.connect(receivers.on_qualification_revoked)
        communication_hooks.message_received.connect(receivers.on_message_received)
        commission_hooks.commission_payable.connect(receivers.on_commission_payable)
        commission_hooks.payout_paid.connect(receivers.on_payout_paid)
