from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        # Lower layers ask for tier benefits through channel.benefits, and every new
        # manufacturer gets the guide's tiers through accounts.hooks: neither imports partners.
        from accounts.hooks import manufacturer_created
        from channel.benefits import register_benefits_provider
        from partners.selectors.tiers import (
            benefits_of,
            priority_partnership_ids,
            tier_commission_rates,
        )
        from partners.services.tiers import on_manufacturer_created

        register_benefits_provider(benefits_of, priority_partnership_ids, tier_commission_rates)
        manufacturer_created.connect(on_manufacturer_created)
