"""The seam through which a partner tier can give a partnership its commission rate.

Commissions (layer 8) apply "the partnership's own rate if it has one, else the tier's, else
the manufacturer's default". Tiers live in `partners`, a sibling of commissions that it may
not import, so the question goes through this lower layer: partners registers one provider
in its AppConfig.ready() with `register_tier_rate_provider`, and commissions asks
`tier_rate()`. With no provider registered (tiers not built, or switched off) every
partnership has no tier rate and the default applies.

A provider is `provider(partnership=Partnership, on=date) -> Decimal | None`: the rate in %
that the partnership's tier gives on that day, or None when its tier sets no rate.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from channel.models import Partnership

TierRateProvider = Callable[..., Decimal | None]

_providers: list[TierRateProvider] = []


def register_tier_rate_provider(provider: TierRateProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_tier_rate_provider(provider: TierRateProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def tier_rate(*, partnership: Partnership, on: date) -> Decimal | None:
    """The first rate a registered provider gives, or None."""
    for provider in _providers:
        rate = provider(partnership=partnership, on=on)
        if rate is not None:
            return Decimal(rate)
    return None
