from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and tenants")

    def ready(self) -> None:
        # Signal receivers: session clocks at login, per-address login failure counts, audit,
        # the language of a first login.
        from accounts import audit, i18n, sessions, throttling  # noqa: F401
