"""Reads of partnerships. A list a sales rep may see takes the member and narrows to their
portfolio through `channel.visibility`; a missing, foreign or hidden partnership is one 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import (
    STAFF_ROLES,
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    Role,
    User,
)
from channel.models import EndCustomer, Partnership, PartnershipStatus
from channel.visibility import VIEW_PARTNERSHIP, partnership_visibility_q


def partnerships_visible_to(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[Partnership]:
    """The tenant's partnerships this member may see: all for staff, a seller's portfolio."""
    return Partnership.objects.filter(manufacturer=manufacturer).filter(
        partnership_visibility_q(membership)
    )


def dangerously_all_partnerships(*, manufacturer: Manufacturer) -> QuerySet[Partnership]:
    """Every partnership of the tenant, whoever is looking.

    Only for callers that are not a member's view of the data: staff-only reports whose view
    is restricted to owners and managers, services, tasks and the demo. A page a sales rep
    can open uses `partnerships_visible_to`.
    """
    return Partnership.objects.filter(manufacturer=manufacturer)


def access_partnership(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, public_id: str
) -> Partnership:
    """The partnership with the reseller `public_id`, or one Http404 for a reseller that
    does not exist, is not partnered with this tenant, or is outside a seller's portfolio."""
    partnership = (
        partnerships_visible_to(manufacturer=manufacturer, membership=membership)
        .filter(reseller__public_id=public_id.upper())
        .select_related("reseller", "manufacturer", "price_list")
        .first()
    )
    if partnership is None:
        raise Http404(_("No such reseller."))
    return partnership


def access_partnership_by_id(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, partnership_id: int
) -> Partnership:
    """A customer this member may see by its id, or one Http404 (missing, foreign, not theirs)."""
    partnership = (
        partnerships_visible_to(manufacturer=manufacturer, membership=membership)
        .select_related("reseller", "manufacturer")
        .filter(pk=partnership_id)
        .first()
    )
    if partnership is None:
        raise Http404(_("No such customer."))
    return partnership


def active_partnerships(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[Partnership]:
    """The active partnerships the member may see (whom a manual order can be for)."""
    return (
        partnerships_visible_to(manufacturer=manufacturer, membership=membership)
        .filter(status=PartnershipStatus.ACTIVE)
        .select_related("reseller", "price_list")
        .order_by("reseller__name")
    )


def access_active_partnership(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, pk: int
) -> Partnership:
    found = active_partnerships(manufacturer=manufacturer, membership=membership).filter(pk=pk)
    partnership = found.first()
    if partnership is None:
        raise Http404(_("No such reseller."))
    return partnership


def resellers_visible_to(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[Reseller]:
    """Resellers partnered with the tenant that the member may see (one filter() call, so
    both conditions hit the same partnership)."""
    return Reseller.objects.filter(
        Q(partnerships__manufacturer=manufacturer)
        & partnership_visibility_q(membership, prefix="partnerships__")
    ).order_by("name")


def public_id_partnered(*, manufacturer: Manufacturer, public_id: str) -> bool:
    return Partnership.objects.filter(
        manufacturer=manufacturer, reseller__public_id=public_id
    ).exists()


def end_customers_of(reseller: Reseller) -> QuerySet[EndCustomer]:
    """The reseller's own end customers, explicitly scoped to that reseller so it also works
    inside a manufacturer's scope."""
    # `with_scope` is typed Any (see [tool.mypy]); the annotation restores the type.
    customers: QuerySet[EndCustomer] = (
        EndCustomer.objects.with_scope(reseller=reseller).filter(reseller=reseller).order_by("name")
    )
    return customers


def partnership_staff(partnership: Partnership) -> list[User]:
    """Who hears about what a reseller does: the tenant's owners and managers, and the sales
    rep whose portfolio holds this customer (active users only)."""
    members = Q(manufacturer_memberships__manufacturer_id=partnership.manufacturer_id)
    return list(
        User.objects.filter(
            members & Q(manufacturer_memberships__role__in=STAFF_ROLES)
            | members
            & Q(
                partnershipuserobjectpermission__content_object_id=partnership.pk,
                partnershipuserobjectpermission__permission__codename=VIEW_PARTNERSHIP,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def partnership_reps(partnership: Partnership) -> list[User]:
    """The sales reps whose portfolio holds this customer (active sellers only)."""
    return list(
        User.objects.filter(
            manufacturer_memberships__manufacturer_id=partnership.manufacturer_id,
            manufacturer_memberships__role__in=[
                role for role in Role.values if role not in STAFF_ROLES
            ],
            partnershipuserobjectpermission__content_object_id=partnership.pk,
            partnershipuserobjectpermission__permission__codename=VIEW_PARTNERSHIP,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
