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

        # Partner metrics (a sibling) read partners' response times through channel.
        from channel.responses import register_partner_responses_provider
        from communications.selectors import partner_responses

        register_partner_responses_provider(partner_responses)
