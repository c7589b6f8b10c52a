"""Reads of check-ins and business reviews. A sales rep sees the meetings of the partners in
their portfolio (`channel.visibility`); staff see the whole tenant."""

from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership
from channel.models import Partnership
from channel.visibility import partnership_visibility_q, require_viewer
from partners.models import FollowUp, Meeting
from partners.services.meetings import DUE_SOON_DAYS

HELD, OVERDUE, DUE, SCHEDULED = "held", "overdue", "due", "scheduled"
STATUSES = (OVERDUE, DUE, SCHEDULED, HELD)


def _status(today: date) -> Case:
    return Case(
        When(held_at__isnull=False, then=Value(HELD)),
        When(due_on__lt=today, then=Value(OVERDUE)),
        When(due_on__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value(DUE)),
        default=Value(SCHEDULED),
        output_field=CharField(),
    )


def meetings_visible_to(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, today: date | None = None
) -> QuerySet[Meeting]:
    """The tenant's meetings this member may see, each with its `status`."""
    require_viewer(membership)
    return (
        Meeting.objects.filter(manufacturer=manufacturer)
        .filter(partnership_visibility_q(membership, prefix="partnership__"))
        .annotate(status=_status(today or timezone.localdate()))
        .select_related("partnership__reseller", "held_by")
    )


def meeting_list(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    status: str = "",
    kind: str = "",
    query: str = "",
) -> QuerySet[Meeting]:
    """The list page: open meetings unless `status` asks for one status (or "all")."""
    today = timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = meetings_visible_to(manufacturer=manufacturer, membership=membership, today=today)
    by_status = {
        HELD: Q(held_at__isnull=False),
        OVERDUE: Q(held_at__isnull=True, due_on__lt=today),
        DUE: Q(held_at__isnull=True, due_on__gte=today, due_on__lte=soon),
        SCHEDULED: Q(held_at__isnull=True, due_on__gt=soon),
    }
    if status in by_status:
        rows = rows.filter(by_status[status])
    elif status != "all":
        rows = rows.filter(held_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(
            Q(partnership__reseller__name__icontains=query)
            | Q(partnership__reseller__public_id__iexact=query)
        )
    return rows.annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__is_done=False)))


def meeting_counts(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> dict[str, int]:
    """How many open meetings are due soon and how many are overdue (one query)."""
    today = timezone.localdate()
    counts = (
        meetings_visible_to(manufacturer=manufacturer, membership=membership, today=today)
        .filter(held_at__isnull=True, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due=Count("pk", filter=Q(due_on__gte=today)),
        )
    )
    return {"due": counts["due"] or 0, "overdue": counts["overdue"] or 0}


def access_meeting(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, meeting_id: int
) -> Meeting:
    """The meeting, or one Http404 (missing, another tenant's, outside a rep's portfolio)."""
    meeting = (
        meetings_visible_to(manufacturer=manufacturer, membership=membership)
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


def access_follow_up(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, follow_up_id: int
) -> FollowUp:
    require_viewer(membership)
    follow_up = (
        FollowUp.objects.filter(manufacturer=manufacturer, pk=follow_up_id)
        .filter(partnership_visibility_q(membership, prefix="meeting__partnership__"))
        .select_related("meeting")
        .first()
    )
    if follow_up is None:
        raise Http404(_("No such follow-up."))
    return follow_up


def meetings_of_partner(partnership: Partnership, *, limit: int = 10) -> list[Meeting]:
    """The partner's open meeting and the last ones held (the scorecard's panel)."""
    return list(
        Meeting.objects.filter(partnership=partnership)
        .annotate(status=_status(timezone.localdate()))
        .select_related("held_by")
        .order_by("-due_on", "-pk")[:limit]
    )


def next_meeting(partnership: Partnership) -> Meeting | None:
    """The partner's next check-in or review (its reseller sees the date)."""
    return Meeting.objects.filter(partnership=partnership, held_at__isnull=True).first()


def follow_ups_of(meeting: Meeting) -> list[FollowUp]:
    return list(meeting.follow_ups.select_related("owner"))
