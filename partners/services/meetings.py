"""Check-ins and business reviews: scheduled from the partner's tier, held with a frozen
snapshot of the period's figures, notes and follow-ups.

A partner whose tier has a cadence (`Tier.check_ins`) always has one open meeting of that
kind. `meetings_schedule` keeps it so for a whole tenant (or some partnerships) in a handful
of set-based queries: it drops open meetings of a kind the tier no longer has and creates
the next one, due a cadence after the last one was held or the partner entered its tier.
The nightly `meetings_schedule_all` runs it for every tenant and tells the account manager
(or, without one, the partner's rep) once when a meeting becomes due.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, ManufacturerMembership, User
from channel.models import PartnershipStatus
from channel.selectors import dangerously_all_partnerships, partnership_reps
from notifications.models import NotificationKind
from notifications.services import notify
from partners.metrics import Figures, add_months, compute_figures, day_start
from partners.models import (
    MAX_FOLLOW_UP_LENGTH,
    Cadence,
    FollowUp,
    Meeting,
    PartnerTier,
    Tier,
)
from partners.services import PartnerRefused

CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}
# A meeting is "due" this many days before its date, and "overdue" after it.
DUE_SOON_DAYS = 7
MAX_FOLLOW_UPS = 20


def shift_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    first = add_months(day, months)
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day.day, last_day))


def meeting_period(*, due_on: date, months: int) -> tuple[date, date]:
    """The complete months before the due date that the meeting looks back on."""
    end = add_months(due_on, 0) - timedelta(days=1)
    return add_months(due_on, -months), end


def _cadences(manufacturer: Manufacturer, ids: list[int] | None) -> dict[int, tuple[str, date]]:
    """{partnership id: (cadence, date it entered its tier)} of active partnerships."""
    entry = Tier.objects.filter(manufacturer=manufacturer).order_by("rank").first()
    partnerships = dangerously_all_partnerships(manufacturer=manufacturer).filter(
        status=PartnershipStatus.ACTIVE
    )
    if ids is not None:
        partnerships = partnerships.filter(pk__in=ids)
    rows = partnerships.values_list(
        "pk", "partner_tier__tier__check_ins", "partner_tier__since", "created_at"
    )
    found: dict[int, tuple[str, date]] = {}
    for pk, cadence, since, created in rows:
        if cadence is None:  # no tier row: the entry tier, since the partnership began
            cadence = entry.check_ins if entry is not None else Cadence.NONE
            since = created
        found[pk] = (cadence, timezone.localdate(since))
    return found


def meetings_schedule(
    *, manufacturer: Manufacturer, partnership_ids: list[int] | None = None
) -> int:
    """Bring the open meetings in line with the tiers; returns how many were created."""
    ids = None if partnership_ids is None else list(partnership_ids)
    cadences = _cadences(manufacturer, ids)
    open_meetings = Meeting.objects.filter(manufacturer=manufacturer, held_at__isnull=True)
    if ids is not None:
        open_meetings = open_meetings.filter(partnership_id__in=ids)
    stale, kept = [], set()
    for pk, partnership_id, kind in open_meetings.values_list("pk", "partnership_id", "kind"):
        cadence = cadences.get(partnership_id, (Cadence.NONE, None))[0]
        if cadence == kind:
            kept.add(partnership_id)
        else:
            stale.append(pk)
    if stale:
        Meeting.objects.filter(pk__in=stale).delete()
    wanted = [
        pk for pk, (cadence, _since) in cadences.items() if cadence in CADENCE_MONTHS
        if pk not in kept
    ]  # fmt: skip
    if not wanted:
        return 0
    last_held = dict(
        Meeting.objects.filter(partnership_id__in=wanted, held_at__isnull=False)
        .values("partnership_id")
        .annotate(last=Max("held_at"))
        .values_list("partnership_id", "last")
    )
    created = []
    for pk in wanted:
        cadence, since = cadences[pk]
        months = CADENCE_MONTHS[Cadence(cadence)]
        held = last_held.get(pk)
        base = max(since, timezone.localdate(held)) if held is not None else since
        due_on = shift_months(base, months)
        start, end = meeting_period(due_on=due_on, months=months)
        created.append(
            Meeting(
                manufacturer=manufacturer,
                partnership_id=pk,
                kind=cadence,
                due_on=due_on,
                period_start=start,
                period_end=end,
            )
        )
    Meeting.objects.bulk_create(created)
    return len(created)


def _due_title(values: dict[str, str]) -> Callable[[], str]:
    return lambda: _("%(kind)s with %(name)s due on %(day)s") % values


def _notify_due(*, manufacturer: Manufacturer, today: date) -> int:
    """Tell the account manager (else the partner's rep) of each meeting that became due."""
    due = list(
        Meeting.objects.filter(
            manufacturer=manufacturer,
            held_at__isnull=True,
            due_notified_at__isnull=True,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("partnership__reseller", "partnership__manufacturer")
        .select_for_update(of=("self",))
    )
    if not due:
        return 0
    managers = dict(
        PartnerTier.objects.filter(
            partnership_id__in=[m.partnership_id for m in due],
            account_manager__is_active=True,
        ).values_list("partnership_id", "account_manager_id")
    )
    users = User.objects.in_bulk(set(managers.values()))
    for meeting in due:
        manager = users.get(managers.get(meeting.partnership_id, 0))
        recipients = [manager] if manager else partnership_reps(meeting.partnership)
        values = {
            "kind": meeting.get_kind_display(),
            "name": meeting.partnership.reseller.name,
            "day": meeting.due_on.isoformat(),
        }
        notify(
            users=recipients,
            manufacturer=manufacturer,
            kind=NotificationKind.MEETING_DUE,
            title=_due_title(values),
            body=lambda: _(
                "Hold it with the figures of its period, then record the notes and follow-ups."
            ),
            url=f"/m/{manufacturer.slug}/partners/meetings/{meeting.pk}/",
            topic=f"meeting:{meeting.pk}",
        )
    Meeting.objects.filter(pk__in=[m.pk for m in due]).update(due_notified_at=timezone.now())
    return len(due)


def meetings_schedule_all(*, today: date | None = None) -> int:
    """Nightly: schedule every tenant's next meetings and announce the ones now due."""
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer), transaction.atomic():
            total += meetings_schedule(manufacturer=manufacturer)
            _notify_due(manufacturer=manufacturer, today=today or timezone.localdate())
    return total


def snapshot_of(figures: Figures) -> dict[str, Any]:
    """The figures as JSON (Decimals as strings, so nothing is rounded by a float)."""

    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "orders": figures.orders,
        "accepted": figures.accepted,
        "completed": figures.completed,
        "cancelled": figures.cancelled,
        "rejected": figures.rejected,
        "revenue": str(figures.revenue),
        "average_order_value": str(figures.average_order_value),
        "acceptance_rate": text(figures.acceptance_rate),
        "completion_rate": text(figures.completion_rate),
        "cancellation_rate": text(figures.cancellation_rate),
        "satisfaction": text(figures.satisfaction),
        "rated_orders": figures.rated_orders,
        "address_accuracy": text(figures.address_accuracy),
        "new_customers": figures.new_customers,
        "repeat_customers": figures.repeat_customers,
        "response_hours": text(figures.response_hours),
    }


@dataclass
class FollowUpValues:
    description: str
    owner: User | None = None


def _clean_follow_up(manufacturer_id: int, values: FollowUpValues) -> str:
    description = values.description.strip()
    if not description:
        raise PartnerRefused(_("Say what is to be done."))
    if len(description) > MAX_FOLLOW_UP_LENGTH:
        raise PartnerRefused(
            _("A follow-up is at most %(max)d characters.") % {"max": MAX_FOLLOW_UP_LENGTH}
        )
    if (
        values.owner is not None
        and not ManufacturerMembership.objects.filter(
            manufacturer_id=manufacturer_id, user=values.owner, user__is_active=True
        ).exists()
    ):
        raise PartnerRefused(_("The owner of a follow-up must be a member of your team."))
    return description


@transaction.atomic
def meeting_hold(
    *, meeting: Meeting, by: User, notes: str, follow_ups: list[FollowUpValues]
) -> Meeting:
    """Record the meeting as held now: freeze its period's figures, keep the notes and
    follow-ups, and schedule the next one. Refused, with nothing written, when it was
    already held."""
    locked = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk, held_at__isnull=True)
        .select_related("partnership__manufacturer")
        .first()
    )
    if locked is None:
        raise PartnerRefused(_("This meeting was already held."))
    if len(follow_ups) > MAX_FOLLOW_UPS:
        raise PartnerRefused(_("At most %(max)d follow-ups at once.") % {"max": MAX_FOLLOW_UPS})
    cleaned = [(_clean_follow_up(locked.manufacturer_id, f), f.owner) for f in follow_ups]
    notes = notes.strip()
    if not notes:
        raise PartnerRefused(_("Write down what was discussed."))
    manufacturer = locked.partnership.manufacturer
    figures = compute_figures(
        manufacturer=manufacturer,
        start=day_start(locked.period_start),
        end=day_start(locked.period_end + timedelta(days=1)),
        by_month=False,
        partnership_ids=[locked.partnership_id],
    ).get((locked.partnership_id, None), Figures())
    locked.snapshot = snapshot_of(figures)
    locked.held_at, locked.held_by, locked.notes = timezone.now(), by, notes
    locked.save(update_fields=["snapshot", "held_at", "held_by", "notes"])
    FollowUp.objects.bulk_create(
        FollowUp(manufacturer=manufacturer, meeting=locked, description=text, owner=owner)
        for text, owner in cleaned
    )
    meetings_schedule(manufacturer=manufacturer, partnership_ids=[locked.partnership_id])
    return locked


@transaction.atomic
def follow_up_add(*, meeting: Meeting, values: FollowUpValues) -> FollowUp:
    description = _clean_follow_up(meeting.manufacturer_id, values)
    return FollowUp.objects.create(
        manufacturer_id=meeting.manufacturer_id,
        meeting=meeting,
        description=description,
        owner=values.owner,
    )


@transaction.atomic
def follow_up_set_done(*, follow_up: FollowUp, done: bool) -> FollowUp:
    FollowUp.objects.filter(pk=follow_up.pk).update(
        is_done=done, done_at=timezone.now() if done else None
    )
    follow_up.refresh_from_db()
    return follow_up
