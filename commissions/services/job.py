"""The daily commission job: what became payable, what reaches its pay-by date.

Long waits are data (ARCHITECTURE.md rule 6): each entry carries its `eligible_from` and
`pay_by` days and this job, run once a day by Celery beat, scans them by date. Per tenant
and in one transaction it

1. tells each reseller what became payable since the last run (one notification each);
2. puts every payable entry of a partnership that has an accrual due within
   `DEADLINE_LEAD` days into a payout request by itself (origin "deadline"), or into the
   partnership's request still awaiting approval, and tells the owners and managers, so
   nothing is paid late without someone having been told.

Everything is set-based: a handful of statements per tenant, whatever the number of
entries (the benchmark runs it over 1,000,000). Two copies at once cannot pay anything
twice: the tenant's `CommissionSettings` row is locked first (the second copy waits, then
finds the day's `CommissionJobRun` and stops), the run's (tenant, day) key is unique, and
`PayoutItem.entry` is unique.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.models import Manufacturer, ResellerMembership, User
from channel.models import Partnership
from commissions import hooks
from commissions.models import (
    CommissionEntry,
    CommissionJobRun,
    CommissionSettings,
    PayoutItem,
    PayoutOrigin,
    PayoutRequest,
    PayoutRequestStatus,
    WindowExtension,
)
from commissions.services.payouts import (
    approvals_url,
    money,
    reseller_commissions_url,
    staff_users,
)
from notifications.models import NotificationKind
from notifications.services import notify

# An accrual due within this many days goes into a request now, so that approving and
# paying it in the week ahead still meets its pay-by date.
DEADLINE_LEAD = timedelta(days=7)


@dataclass(frozen=True)
class RunResult:
    ran: bool
    became_payable: int = 0
    batched: int = 0


def _tables() -> dict[str, str]:
    return {
        "entry": CommissionEntry._meta.db_table,
        "item": PayoutItem._meta.db_table,
        "request": PayoutRequest._meta.db_table,
        "extension": WindowExtension._meta.db_table,
    }


NEWLY_PAYABLE_SQL = """
SELECT e.partnership_id, SUM(e.credit - e.debit), COUNT(*)
FROM {entry} e
WHERE e.manufacturer_id = %(tenant)s
  AND e.eligible_from > %(since)s AND e.eligible_from <= %(today)s
  AND e.kind <> 'payout'
  AND NOT EXISTS (SELECT 1 FROM {item} i WHERE i.entry_id = e.id)
GROUP BY e.partnership_id
HAVING SUM(e.credit - e.debit) > 0
"""

DUE_PARTNERSHIPS_SQL = """
SELECT DISTINCT e.partnership_id
FROM {entry} e
WHERE e.manufacturer_id = %(tenant)s
  AND e.kind = 'accrual'
  AND e.pay_by <= %(horizon)s
  AND e.eligible_from <= %(today)s
  AND NOT EXISTS (SELECT 1 FROM {item} i WHERE i.entry_id = e.id)
  AND NOT EXISTS (
      SELECT 1 FROM {extension} x WHERE x.entry_id = e.id AND x.pay_by > %(horizon)s
  )
"""

ALLOCATE_SQL = """
INSERT INTO {item} (manufacturer_id, request_id, entry_id)
SELECT e.manufacturer_id, r.id, e.id
FROM {entry} e JOIN {request} r ON r.partnership_id = e.partnership_id
WHERE r.id = ANY(%(requests)s)
  AND e.manufacturer_id = %(tenant)s
  AND e.eligible_from <= %(today)s
  AND e.kind <> 'payout'
  AND NOT EXISTS (SELECT 1 FROM {item} i WHERE i.entry_id = e.id)
ON CONFLICT (entry_id) DO NOTHING
"""

REQUEST_TOTALS_SQL = """
SELECT i.request_id, SUM(e.credit - e.debit)
FROM {item} i JOIN {entry} e ON e.id = i.entry_id
WHERE i.request_id = ANY(%(requests)s)
GROUP BY i.request_id
"""


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), params)
        return list(cursor.fetchall())


def _request_totals(request_ids: list[int]) -> dict[int, Decimal]:
    return {
        int(str(request_id)): Decimal(str(total))
        for request_id, total in _fetch(REQUEST_TOTALS_SQL, {"requests": request_ids})
    }


@transaction.atomic
def commission_daily_run(*, manufacturer: Manufacturer, today: date | None = None) -> RunResult:
    """One tenant's daily run; a second run the same day does nothing."""
    today = today or timezone.localdate()
    settings, _created = CommissionSettings.objects.get_or_create(manufacturer=manufacturer)
    CommissionSettings.objects.select_for_update().filter(pk=settings.pk).first()
    if CommissionJobRun.objects.filter(manufacturer=manufacturer, run_date=today).exists():
        return RunResult(ran=False)
    last = (
        CommissionJobRun.objects.filter(manufacturer=manufacturer, run_date__lt=today)
        .order_by("-run_date")
        .values_list("run_date", flat=True)
        .first()
    )
    since = last or today - timedelta(days=1)
    params: dict[str, Any] = {
        "tenant": manufacturer.pk,
        "today": today,
        "since": since,
        "horizon": today + DEADLINE_LEAD,
    }
    newly = _fetch(NEWLY_PAYABLE_SQL, params)
    due_ids = [row[0] for row in _fetch(DUE_PARTNERSHIPS_SQL, params)]
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(
            manufacturer=manufacturer, pk__in={row[0] for row in newly} | set(due_ids)
        )
        .select_related("reseller", "manufacturer")
        .prefetch_related(
            Prefetch(
                "reseller__memberships",
                queryset=ResellerMembership.objects.filter(user__is_active=True).select_related(
                    "user"
                ),
                to_attr="active_memberships",
            )
        )
    }
    batched = _batch_due(
        manufacturer=manufacturer, partnerships=partnerships, due_ids=due_ids, params=params
    )
    for partnership_id, amount, _count in newly:
        partnership = partnerships[int(str(partnership_id))]

        def title(amount: object = amount) -> str:
            return _("%(amount)s of commission from %(manufacturer)s is now payable") % {
                "amount": money(Decimal(str(amount)), manufacturer.currency),
                "manufacturer": manufacturer.name,
            }

        notify(
            users=_reseller_users(partnership),
            manufacturer=manufacturer,
            kind=NotificationKind.PAYOUT,
            title=title,
            url=reseller_commissions_url(partnership),
        )
        hooks.commission_payable.send(
            partnership=partnership,
            amount=Decimal(str(amount)),
            currency=manufacturer.currency,
            entries=int(str(_count)),
            day=today,
        )
    CommissionJobRun.objects.create(
        manufacturer=manufacturer,
        run_date=today,
        became_payable=sum(int(str(row[2])) for row in newly),
        batched=batched,
    )
    return RunResult(ran=True, became_payable=len(newly), batched=batched)


def _reseller_users(partnership: Partnership) -> list[User]:
    """The prefetched users of the partnership's reseller (no query per partnership)."""
    return [m.user for m in getattr(partnership.reseller, "active_memberships", [])]


def _batch_due(
    *,
    manufacturer: Manufacturer,
    partnerships: Mapping[int, Partnership],
    due_ids: list[int],
    params: dict[str, Any],
) -> int:
    """Put what is due into requests; returns how many requests took entries."""
    if not due_ids:
        return 0
    # Requests decided here and by the reseller's own request or a return wait for each other.
    list(Partnership.objects.select_for_update().filter(pk__in=due_ids).values_list("pk"))
    open_requests = {
        request.partnership_id: request
        for request in PayoutRequest.objects.filter(
            manufacturer=manufacturer,
            partnership_id__in=due_ids,
            status__in=[PayoutRequestStatus.REQUESTED, PayoutRequestStatus.APPROVED],
        )
    }
    now = timezone.now()
    created = PayoutRequest.objects.bulk_create(
        PayoutRequest(
            manufacturer=manufacturer,
            partnership_id=partnership_id,
            amount=0,
            currency=manufacturer.currency,
            origin=PayoutOrigin.DEADLINE,
            created_at=now,
        )
        for partnership_id in due_ids
        if partnership_id not in open_requests
    )
    # An approved request is on its way to the bank; what is due waits for the next one.
    joined = [r for r in open_requests.values() if r.status == PayoutRequestStatus.REQUESTED]
    targets = [r.pk for r in created] + [r.pk for r in joined]
    if not targets:
        return 0
    high_water = PayoutItem.objects.aggregate(last=Max("pk"))["last"] or 0
    with connection.cursor() as cursor:
        cursor.execute(ALLOCATE_SQL.format(**_tables()), {**params, "requests": targets})
    totals = _request_totals(targets)
    # What a clawback outweighs is no payout: the new request goes, its entries stay payable.
    empty = [r.pk for r in created if totals.get(r.pk, Decimal(0)) <= 0]
    if empty:
        PayoutItem.objects.filter(request_id__in=empty).delete()
        PayoutRequest.objects.filter(pk__in=empty).delete()
    # A waiting request the clawback would outweigh keeps what it had: a payout is never
    # negative, so what it took now would leave the ledger uncounted once paid.
    outweighed = [r.pk for r in joined if totals.get(r.pk, Decimal(0)) <= 0]
    if outweighed:
        PayoutItem.objects.filter(request_id__in=outweighed, pk__gt=high_water).delete()
        totals.update(_request_totals(outweighed))
    requests = [r for r in [*created, *joined] if r.pk not in empty]
    for request in requests:
        request.amount = max(totals.get(request.pk, Decimal(0)), Decimal(0))
    PayoutRequest.objects.bulk_update(requests, ["amount"])
    if requests:
        total = sum((r.amount for r in requests), Decimal(0))
        notify(
            users=staff_users(manufacturer),
            manufacturer=manufacturer,
            kind=NotificationKind.PAYOUT,
            title=lambda: (
                ngettext(
                    "%(count)s payout (%(total)s) reaches its pay-by date: approve it this week",
                    "%(count)s payouts (%(total)s) reach their pay-by date: approve them this week",
                    len(requests),
                )
                % {"count": len(requests), "total": money(total, manufacturer.currency)}
            ),
            url=approvals_url(manufacturer),
        )
        for request in requests:
            if request.origin == PayoutOrigin.DEADLINE:

                def title(request: PayoutRequest = request) -> str:
                    return _("A payout of %(amount)s was requested for you: it is due") % {
                        "amount": money(request.amount, request.currency)
                    }

                notify(
                    users=_reseller_users(partnerships[request.partnership_id]),
                    manufacturer=manufacturer,
                    kind=NotificationKind.PAYOUT,
                    title=title,
                    url=reseller_commissions_url(partnerships[request.partnership_id]),
                )
    return len(requests)


def commission_daily_run_all(*, today: date | None = None) -> int:
    """Every tenant with a ledger, each in its own scope and transaction (the beat job)."""
    with scope(manufacturer=[]):
        ids = list(
            CommissionEntry.objects.with_scopes_disabled()
            .values_list("manufacturer_id", flat=True)
            .order_by()
            .distinct()
        )
    ran = 0
    for manufacturer in Manufacturer.objects.filter(pk__in=ids).order_by("pk"):
        with scope(manufacturer=manufacturer):
            ran += commission_daily_run(manufacturer=manufacturer, today=today).ran
    return ran
