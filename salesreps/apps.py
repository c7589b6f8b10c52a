from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesrepsConfig(AppConfig):
    name = "salesreps"
    verbose_name = _("Sales reps")

    def ready(self) -> None:
        from orders import hooks
        from salesreps.services import order_created_notify_rep

        # A new order from a customer emails the customer's current rep (not its author).
        hooks.order_created.connect(order_created_notify_rep)
