"""Reads for qualifications. Every function takes the tenant (and, where people are listed,
the member, so a sales rep sees only holders in their portfolio)."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller
from catalog.models import Qualification
from channel.models import Partnership, QualifyingStatus
from channel.visibility import partnership_visibility_q, require_viewer
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

QUALIFICATION_SORTS = {"code": "code", "name": "name", "holders": "holder_count"}
HOLDER_PREVIEW = 5


class HolderCounts(TypedDict):
    holder_count: int
    category_count: int


class HeldOrRequested(TypedDict):
    is_held: bool
    is_requested: bool


# --- the gate policy (registered in QualificationsConfig.ready) -----------------------------


def held_qualification_ids(manufacturer: Manufacturer, reseller: Reseller) -> set[int]:
    """Ids of the qualifications the reseller holds with the manufacturer now: one query.
    A partnership whose qualifying status is "Not qualified" holds none: its restricted
    categories close at once, whatever was granted."""
    return set(
        QualificationGrant.objects.filter(
            manufacturer=manufacturer, partnership__reseller=reseller, revoked_at__isnull=True
        )
        .exclude(partnership__qualifying_status=QualifyingStatus.NOT_QUALIFIED)
        .values_list("qualification_id", flat=True)
    )


# --- access helpers: the object, or one Http404 for missing, foreign and forbidden ----------


def default_qualification(*, manufacturer: Manufacturer) -> Qualification | None:
    """The qualification marked as the manufacturer's qualifying code, if one is."""
    return Qualification.objects.filter(manufacturer=manufacturer, is_default=True).first()


def access_qualification(*, manufacturer: Manufacturer, qualification_id: int) -> Qualification:
    qualification = Qualification.objects.filter(
        manufacturer=manufacturer, pk=qualification_id
    ).first()
    if qualification is None:
        raise Http404(_("No such qualification."))
    return qualification


def access_request(*, manufacturer: Manufacturer, request_id: int) -> QualificationRequest:
    request = (
        QualificationRequest.objects.filter(manufacturer=manufacturer, pk=request_id)
        .select_related("partnership__reseller", "partnership__manufacturer", "qualification")
        .first()
    )
    if request is None:
        raise Http404(_("No such request."))
    return request


def qualification_by_code(*, manufacturer: Manufacturer, code: str) -> Qualification | None:
    return Qualification.objects.filter(
        manufacturer=manufacturer, code=(code or "").strip().upper()
    ).first()


# --- the manufacturer's list and detail -----------------------------------------------------


def _active_visible_grants(*, membership: ManufacturerMembership) -> QuerySet[QualificationGrant]:
    require_viewer(membership)
    return (
        QualificationGrant.objects.filter(
            manufacturer_id=membership.manufacturer_id, revoked_at__isnull=True
        )
        # a rep holds one view permission per partnership, so the join adds no duplicates
        .filter(partnership_visibility_q(membership, prefix="partnership__"))
    )


def qualification_list(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, query: str = ""
) -> "QuerySet[WithAnnotations[Qualification, HolderCounts]]":
    """Definitions with their holder count (holders the member may see), the number of
    categories each unlocks, and the first few holders. Three queries for any number of rows
    and holders (rows, holder preview, categories) plus the page count."""
    require_viewer(membership)
    holder_count = (
        _active_visible_grants(membership=membership)
        .filter(qualification=OuterRef("pk"))
        .order_by()
        .values("qualification")
        .annotate(n=Count("pk"))
        .values("n")
    )
    preview = (
        _active_visible_grants(membership=membership)
        .select_related("partnership__reseller")
        .order_by("partnership__reseller__name", "pk")
    )
    rows = (
        Qualification.objects.filter(manufacturer=manufacturer)
        .annotate(
            holder_count=Coalesce(Subquery(holder_count, output_field=IntegerField()), 0),
            category_count=Count("restricted_categories", distinct=True),
        )
        .prefetch_related(
            Prefetch("grants", queryset=preview[:HOLDER_PREVIEW], to_attr="holder_preview"),
            Prefetch("restricted_categories"),
        )
    )
    if query:
        rows = rows.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(description__icontains=query)
        )
    return rows


def qualification_holders(
    *, qualification: Qualification, membership: ManufacturerMembership, query: str = ""
) -> QuerySet[QualificationGrant]:
    require_viewer(membership)
    rows = (
        _active_visible_grants(membership=membership)
        .filter(qualification=qualification)
        .select_related("partnership__reseller", "granted_by")
        .order_by("partnership__reseller__name", "pk")
    )
    if query:
        rows = rows.filter(
            Q(partnership__reseller__name__icontains=query)
            | Q(partnership__reseller__public_id__iexact=query)
        )
    return rows


def qualification_history(
    *, qualification: Qualification, membership: ManufacturerMembership
) -> QuerySet[QualificationGrant]:
    """Every grant, active or revoked, newest first."""
    require_viewer(membership)
    return (
        QualificationGrant.objects.filter(
            manufacturer_id=membership.manufacturer_id, qualification=qualification
        )
        .filter(partnership_visibility_q(membership, prefix="partnership__"))
        .select_related("partnership__reseller", "granted_by", "revoked_by")
        .order_by("-granted_at", "-pk")
    )


# --- one partnership (the profile section and its history page) ----------------------------


def partnership_active_grants(*, partnership: Partnership) -> QuerySet[QualificationGrant]:
    return (
        QualificationGrant.objects.filter(
            manufacturer_id=partnership.manufacturer_id,
            partnership=partnership,
            revoked_at__isnull=True,
        )
        .select_related("qualification", "granted_by")
        .order_by("qualification__code")
    )


def partnership_grant_history(*, partnership: Partnership) -> QuerySet[QualificationGrant]:
    return (
        QualificationGrant.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .select_related("qualification", "granted_by", "revoked_by")
        .order_by("-granted_at", "-pk")
    )


def partnership_status_history(*, partnership: Partnership) -> QuerySet[QualifyingStatusChange]:
    return (
        QualifyingStatusChange.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )


def partnership_open_request_count(*, partnership: Partnership) -> int:
    return QualificationRequest.objects.filter(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        status=RequestStatus.OPEN,
    ).count()


def qualification_codes(*, manufacturer: Manufacturer) -> QuerySet[Qualification]:
    """For the profile section's ID suggestions."""
    return Qualification.objects.filter(manufacturer=manufacturer).only("code", "name")


# --- requests -------------------------------------------------------------------------------


def request_list(
    *, manufacturer: Manufacturer, status: str = RequestStatus.OPEN, query: str = ""
) -> QuerySet[QualificationRequest]:
    rows = QualificationRequest.objects.filter(manufacturer=manufacturer).select_related(
        "partnership__reseller", "qualification", "requested_by", "decided_by"
    )
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(
            Q(partnership__reseller__name__icontains=query)
            | Q(partnership__reseller__public_id__iexact=query)
            | Q(qualification__code__icontains=query)
        )
    order = "created_at" if status == RequestStatus.OPEN else "-created_at"
    return rows.order_by(order, "pk")


def open_request_count(*, manufacturer: Manufacturer) -> int:
    return QualificationRequest.objects.filter(
        manufacturer=manufacturer, status=RequestStatus.OPEN
    ).count()


# --- the reseller's side --------------------------------------------------------------------


def reseller_qualification_catalogue(
    *, partnership: Partnership
) -> "QuerySet[WithAnnotations[Qualification, HeldOrRequested]]":
    """The manufacturer's qualifications with what each unlocks, whether this partnership
    holds it and whether a request is open. Two queries."""
    active = QualificationGrant.objects.filter(
        partnership=partnership, qualification=OuterRef("pk"), revoked_at__isnull=True
    )
    open_requests = QualificationRequest.objects.filter(
        partnership=partnership, qualification=OuterRef("pk"), status=RequestStatus.OPEN
    )
    return (
        Qualification.objects.filter(manufacturer_id=partnership.manufacturer_id)
        .annotate(is_held=Exists(active), is_requested=Exists(open_requests))
        .prefetch_related("restricted_categories")
        .order_by("code")
    )


def reseller_requests(*, partnership: Partnership) -> QuerySet[QualificationRequest]:
    return (
        QualificationRequest.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .select_related("qualification")
        .order_by("-created_at", "-pk")
    )


def requestable_qualifications(*, partnership: Partnership) -> QuerySet[Qualification]:
    """What the reseller may still request: not held, no open request."""
    return (
        reseller_qualification_catalogue(partnership=partnership)
        .filter(is_held=False, is_requested=False)
        .prefetch_related(None)
    )
