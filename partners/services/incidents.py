"""Problem partners: incidents, the guide's progressive response, blocks and partner notes.

The response goes forward one or more steps at a time (a friendly contact, a formal
conversation, removal from the preferred list, a block from specific offers, a block from all
offers); each step is recorded with its notes and who took it. A block takes effect at once:
`partners.selectors.offers.offers_open_to` reads the active blocks on every request. Lifting a
block is a recorded step too.

`incidents_raise_automatic` (nightly, after the scorecards) raises an incident from last
month's scorecard when a figure crosses its threshold; at most one open automatic incident
per partner and kind, however often it runs.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, User
from channel.models import Partnership
from core.bounds import MAX_TEXT_LENGTH
from partners.metrics import add_months, month_start
from partners.models import (
    STEP_ORDER,
    Incident,
    IncidentKind,
    IncidentStep,
    Offer,
    PartnerBlock,
    PartnerNote,
    Scorecard,
    Step,
)
from partners.services import PartnerRefused

# Thresholds on last month's scorecard, and the least activity for a figure to count.
CANCELLATION_THRESHOLD = 20  # % of orders
ADDRESS_THRESHOLD = 80  # % of checked addresses that were right
SATISFACTION_THRESHOLD = 2.5  # average of the ratings
MIN_ORDERS_FOR_RATES = 5
MIN_RATINGS = 3


def _text(value: str, *, what: str) -> str:
    value = value.strip()
    if not value:
        raise PartnerRefused(_("Write the %(what)s.") % {"what": what})
    if len(value) > MAX_TEXT_LENGTH:
        raise PartnerRefused(_("The %(what)s is too long.") % {"what": what})
    return value


@transaction.atomic
def incident_raise(
    *,
    partnership: Partnership,
    kind: str,
    summary: str,
    by: User | None,
    automatic: bool = False,
) -> Incident:
    if kind not in IncidentKind.values:
        raise PartnerRefused(_("Unknown kind of incident."))
    summary = _text(summary, what=_("summary"))[:300]
    return Incident.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        kind=kind,
        summary=summary,
        raised_automatically=automatic,
        raised_by=by,
        created_at=timezone.now(),
    )


@transaction.atomic
def incident_step_take(
    *, incident: Incident, step: str, notes: str, by: User | None, offer: Offer | None = None
) -> IncidentStep:
    """Take the next step of the response (or a later one); never back, never twice."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_open:
        raise PartnerRefused(_("This incident is resolved."))
    if step not in STEP_ORDER:
        raise PartnerRefused(_("Unknown step."))
    notes = _text(notes, what=_("notes"))
    if locked.step and STEP_ORDER.index(Step(step)) <= STEP_ORDER.index(Step(locked.step)):
        raise PartnerRefused(
            _("The response is already at “%(step)s”: take a later step.")
            % {"step": Step(locked.step).label}
        )
    now = timezone.now()
    if step == Step.BLOCKED_OFFERS:
        if offer is None or offer.manufacturer_id != locked.manufacturer_id:
            raise PartnerRefused(_("Choose the offer to block."))
        PartnerBlock.objects.create(
            manufacturer_id=locked.manufacturer_id,
            partnership_id=locked.partnership_id,
            offer=offer,
            incident=locked,
            reason=notes,
            created_by=by,
            created_at=now,
        )
    elif step == Step.BLOCKED_ALL:
        PartnerBlock.objects.create(
            manufacturer_id=locked.manufacturer_id,
            partnership_id=locked.partnership_id,
            offer=None,
            incident=locked,
            reason=notes,
            created_by=by,
            created_at=now,
        )
    locked.step = step
    locked.save(update_fields=["step"])
    incident.step = step
    return IncidentStep.objects.create(
        manufacturer_id=locked.manufacturer_id,
        incident=locked,
        step=step,
        notes=notes,
        taken_by=by,
        created_at=now,
    )


@transaction.atomic
def block_lift(*, block: PartnerBlock, by: User, reason: str) -> PartnerBlock:
    reason = _text(reason, what=_("reason"))
    locked = PartnerBlock.objects.select_for_update().get(pk=block.pk)
    if locked.lifted_at is not None:
        raise PartnerRefused(_("This block was already lifted."))
    locked.lifted_at, locked.lifted_by, locked.lift_reason = timezone.now(), by, reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    if locked.incident_id is not None:
        IncidentStep.objects.create(
            manufacturer_id=locked.manufacturer_id,
            incident_id=locked.incident_id,
            step=Step.LIFTED,
            notes=reason,
            taken_by=by,
            created_at=locked.lifted_at,
        )
    return locked


@transaction.atomic
def incident_resolve(*, incident: Incident, by: User, notes: str) -> Incident:
    notes = _text(notes, what=_("notes"))
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_open:
        raise PartnerRefused(_("This incident is resolved."))
    if PartnerBlock.objects.filter(incident=locked, lifted_at__isnull=True).exists():
        raise PartnerRefused(_("Lift this incident's blocks first: they would stay in force."))
    locked.is_open = False
    locked.save(update_fields=["is_open"])
    IncidentStep.objects.create(
        manufacturer_id=locked.manufacturer_id,
        incident=locked,
        step=Step.RESOLVED,
        notes=notes,
        taken_by=by,
        created_at=timezone.now(),
    )
    return locked


@transaction.atomic
def partner_note_add(*, partnership: Partnership, body: str, by: User) -> PartnerNote:
    return PartnerNote.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        body=_text(body, what=_("note")),
        author=by,
    )


def _breaches(card: Scorecard) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if (
        card.orders >= MIN_ORDERS_FOR_RATES
        and card.cancellation_rate is not None
        and card.cancellation_rate > CANCELLATION_THRESHOLD
    ):
        found.append(
            (
                IncidentKind.HIGH_CANCELLATIONS,
                _("%(rate)s%% of %(month)s's orders were cancelled.")
                % {"rate": f"{card.cancellation_rate:.0f}", "month": card.month.strftime("%B %Y")},
            )
        )
    if (
        card.address_checked >= MIN_ORDERS_FOR_RATES
        and card.address_accuracy is not None
        and card.address_accuracy < ADDRESS_THRESHOLD
    ):
        found.append(
            (
                IncidentKind.POOR_ADDRESSES,
                _("Only %(rate)s%% of the addresses checked in %(month)s were right.")
                % {"rate": f"{card.address_accuracy:.0f}", "month": card.month.strftime("%B %Y")},
            )
        )
    if (
        card.rated_orders >= MIN_RATINGS
        and card.satisfaction is not None
        and card.satisfaction < SATISFACTION_THRESHOLD
    ):
        found.append(
            (
                IncidentKind.COMPLAINTS,
                _("Customers rated %(month)s's orders %(value)s of 5 on average.")
                % {"value": f"{card.satisfaction:.1f}", "month": card.month.strftime("%B %Y")},
            )
        )
    return found


@transaction.atomic
def incidents_raise_automatic(*, manufacturer: Manufacturer, today: date | None = None) -> int:
    """Raise incidents from last month's scorecards; returns how many were new."""
    month = add_months(month_start(today or timezone.localdate()), -1)
    now = timezone.now()
    rows = [
        Incident(
            manufacturer=manufacturer,
            partnership_id=card.partnership_id,
            kind=kind,
            summary=summary,
            raised_automatically=True,
            created_at=now,
        )
        for card in Scorecard.objects.filter(manufacturer=manufacturer, month=month)
        for kind, summary in _breaches(card)
    ]
    open_now = set(
        Incident.objects.filter(
            manufacturer=manufacturer, is_open=True, raised_automatically=True
        ).values_list("partnership_id", "kind")
    )
    fresh = [row for row in rows if (row.partnership_id, row.kind) not in open_now]
    Incident.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def incidents_raise_automatic_all(*, today: date | None = None) -> int:
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer):
            total += incidents_raise_automatic(manufacturer=manufacturer, today=today)
    return total
