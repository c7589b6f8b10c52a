from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "qualifications"
    verbose_name = _("Qualifications")

    def ready(self) -> None:
        # The catalog gate asks this app who holds what (catalog sits below and cannot import it).
        from catalog.gate import register_qualification_policy
        from qualifications.selectors import held_qualification_ids

        register_qualification_policy(held_qualification_ids)
