from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FakepayConfig(AppConfig):
    name = "fakepay"
    verbose_name = _("Fake payment provider (tests and demo)")
