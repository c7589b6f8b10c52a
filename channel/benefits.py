"""The seam through which a partnership's tier benefits reach the layers below partners.

Partners (a higher layer) owns tiers; the prices a reseller sees (catalog, orders), the
commission a sale earns (commissions) and the order of the support inbox (communications)
must follow them without importing it. Partners registers one provider at start-up
(`PartnersConfig.ready`); everyone else asks here:

- `partnership_benefits(partnership)`: the tier's name, extra discount, commission rate,
  priority-support flag, early-access days and account manager (cached on the instance);
- `effective_discount_percent(partnership)`: the partnership's own discount combined with the
  tier's ("5 % better pricing" takes 5 % off the price the partnership already gets);
  `Partnership.effective_discount_percent` answers the same for callers that may not import
  this module (catalog);
- `tier_commission_rates(partnerships=..., on=...)`: the commission rate in % that each
  partnership's tier gave on that day, for those whose tier sets one (absent: the
  manufacturer's default applies), in one query for any number of partnerships (the
  reseller dashboard asks for all its manufacturers at once); commissions freeze the rate
  on the entry; `partnership_commission_rate(partnership)` asks the same for one, today;
- `priority_partnership_ids(manufacturer_id)`: the partnerships whose conversations sort first.

Without a provider every partnership has no benefits: its own conditions only.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from channel.models import Partnership

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PartnerBenefits:
    tier_name: str = ""
    discount_percent: Decimal = Decimal("0.00")
    commission_rate: Decimal | None = None
    priority_support: bool = False
    early_access_days: int = 0
    account_manager: Any = None  # an accounts.User, or None


NO_BENEFITS = PartnerBenefits()

BenefitsProvider = Callable[["Partnership"], PartnerBenefits]
PriorityProvider = Callable[[int], set[int]]
TierRatesProvider = Callable[[Sequence["Partnership"], date], dict[int, Decimal]]

_providers: dict[str, Any] = {}
_CACHE_ATTRIBUTE = "_partner_benefits"


def register_benefits_provider(
    benefits: BenefitsProvider,
    priority: PriorityProvider | None = None,
    tier_rates: TierRatesProvider | None = None,
) -> None:
    """Set once, at app start-up (partners)."""
    _providers["benefits"] = benefits
    _providers["priority"] = priority
    _providers["tier_rates"] = tier_rates


def partnership_benefits(partnership: "Partnership") -> PartnerBenefits:
    cached = getattr(partnership, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, PartnerBenefits):
        return cached
    provider = _providers.get("benefits")
    benefits = provider(partnership) if provider is not None else NO_BENEFITS
    setattr(partnership, _CACHE_ATTRIBUTE, benefits)
    return benefits


def forget_benefits(partnership: "Partnership") -> None:
    """After a tier change: the next read asks the provider again."""
    if hasattr(partnership, _CACHE_ATTRIBUTE):
        delattr(partnership, _CACHE_ATTRIBUTE)


def combine_discounts(own: Decimal, tier: Decimal) -> Decimal:
    """One discount equal to taking `own` % off, then `tier` % off what is left."""
    if not tier:
        return own
    left = (HUNDRED - own) * (HUNDRED - tier) / HUNDRED
    return (HUNDRED - left).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def effective_discount_percent(partnership: "Partnership") -> Decimal:
    return combine_discounts(
        partnership.discount_percent, partnership_benefits(partnership).discount_percent
    )


def tier_commission_rates(*, partnerships: Sequence["Partnership"], on: date) -> dict[int, Decimal]:
    provider = _providers.get("tier_rates")
    if provider is None or not partnerships:
        return {}
    return provider(partnerships, on)


def partnership_commission_rate(
    partnership: "Partnership", on: date | None = None
) -> Decimal | None:
    day = on or timezone.localdate()
    return tier_commission_rates(partnerships=[partnership], on=day).get(partnership.pk)


def priority_partnership_ids(manufacturer_id: int) -> set[int]:
    provider = _providers.get("priority")
    return provider(manufacturer_id) if provider is not None else set()
