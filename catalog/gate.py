"""The seam through which restricted categories are hidden from resellers who lack access.

Catalog sits below qualifications, so it cannot ask who holds what. Instead, the
qualifications app registers a policy at start-up (QualificationsConfig.ready). Without a
policy the gate fails closed: restricted categories are hidden from every reseller.
Both the reseller's catalog page and the order service go through `orderable_products`.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from accounts.models import Manufacturer, Reseller
from catalog.models import Category, Product

# (manufacturer, reseller) -> ids of the qualifications the reseller holds with them
HeldQualifications = Callable[[Manufacturer, Reseller], set[int]]

_held_qualifications: HeldQualifications | None = None


def register_qualification_policy(policy: HeldQualifications) -> None:
    global _held_qualifications  # set once, at app start-up
    _held_qualifications = policy


def held_qualification_ids(*, manufacturer: Manufacturer, reseller: Reseller) -> set[int]:
    if _held_qualifications is None:
        return set()
    return _held_qualifications(manufacturer, reseller)


def visible_categories(*, manufacturer: Manufacturer, reseller: Reseller) -> QuerySet[Category]:
    held = held_qualification_ids(manufacturer=manufacturer, reseller=reseller)
    return Category.objects.filter(manufacturer=manufacturer).filter(_open_or_held(held))


def orderable_products(*, manufacturer: Manufacturer, reseller: Reseller) -> QuerySet[Product]:
    """Active products of categories the reseller may see: the catalog page and the order
    service both use this, so a hidden product cannot be ordered either."""
    held = held_qualification_ids(manufacturer=manufacturer, reseller=reseller)
    return Product.objects.filter(manufacturer=manufacturer, is_active=True).filter(
        _open_or_held(held, prefix="category__")
    )


def _open_or_held(held: set[int], prefix: str = "") -> Q:
    open_categories = Q(**{f"{prefix}required_qualification__isnull": True})
    if not held:
        return open_categories
    return open_categories | Q(**{f"{prefix}required_qualification_id__in": held})
