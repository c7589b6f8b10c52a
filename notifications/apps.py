from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts.hooks import security_changed
        from notifications.receivers import on_security_changed

        security_changed.connect(on_security_changed)
