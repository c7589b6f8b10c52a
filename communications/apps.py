from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        # Qualifications sit below communications: they announce changes through their hooks.
        from communications import receivers
        from qualifications import hooks

        hooks.qualification_requested.connect(receivers.on_qualification_requested)
        hooks.qualification_granted.connect(receivers.on_qualification_granted)
        hooks.qualification_revoked.connect(receivers.on_qualification_revoked)
        hooks.qualifying_status_changed.connect(receivers.on_qualifying_status_changed)
