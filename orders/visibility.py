"""Which orders a manufacturer member may see: the one rule every order read uses.

Owners and managers see the whole tenant. A seller sees the orders of the customers in their
portfolio (channel.visibility) and, whoever the customer's rep is now, the manual orders they
placed themselves: a rep keeps their own work when a customer moves to a colleague. Never
another rep's orders.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import ManufacturerMembership
from channel.models import PartnershipUserObjectPermission
from channel.visibility import VIEW_PARTNERSHIP, require_viewer


def order_visibility_q(membership: ManufacturerMembership, *, prefix: str = "") -> Q:
    """A filter for a queryset whose rows reach an order through `prefix`.

    `prefix=""` for Order itself, `"order__"` for returns, and so on. The portfolio test is
    an EXISTS, not a join: OR-ed with the own-orders test, a join on the permission table
    would repeat an order once per permission row of its partnership.
    """
    require_viewer(membership)
    if membership.is_staff_role:
        return Q()
    in_portfolio = Exists(
        PartnershipUserObjectPermission.objects.filter(
            content_object_id=OuterRef(f"{prefix}partnership_id"),
            user_id=membership.user_id,
            permission__codename=VIEW_PARTNERSHIP,
        )
    )
    placed_by_them = Q(**{f"{prefix}is_manual": True, f"{prefix}created_by_id": membership.user_id})
    return Q(in_portfolio) | placed_by_them


def tally_visibility_q(membership: ManufacturerMembership) -> Q:
    """`order_visibility_q` for order tallies (orders.summaries): everyone's rows of the
    portfolio, and the rows of a seller's own manual orders outside it (counted apart, on
    rows with `placed_by`, so nothing counts twice)."""
    require_viewer(membership)
    everyone = Q(placed_by__isnull=True)
    if membership.is_staff_role:
        return everyone
    in_portfolio = Exists(
        PartnershipUserObjectPermission.objects.filter(
            content_object_id=OuterRef("partnership_id"),
            user_id=membership.user_id,
            permission__codename=VIEW_PARTNERSHIP,
        )
    )
    return (everyone & Q(in_portfolio)) | (Q(placed_by_id=membership.user_id) & ~Q(in_portfolio))
