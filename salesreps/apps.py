from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesrepsConfig(AppConfig):
    name = "salesreps"
    verbose_name = _("Sales reps")
