"""Writing the ledger: accruals on completion, reversals and clawbacks on returns, rates,
commission-free products, holding terms, manual adjustments and window extensions.

Every function runs in the caller's transaction (or its own) and only ever adds entries;
the business key of each entry makes a second write of the same fact fail instead of
paying it twice.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ResellerMembership, User
from catalog.models import Category, Product, ProductKind
from channel.benefits import tier_commission_rates
from channel.models import Partnership
from commissions.models import (
    ZERO,
    CommissionEntry,
    CommissionFree,
    CommissionRate,
    CommissionSettings,
    EntryKind,
    PartnershipPayoutTerms,
    PayoutItem,
    PayoutRequest,
    PayoutRequestStatus,
    RateRule,
    RateScope,
    WindowExtension,
)
from commissions.rules import commission_of, payout_window, quantize_money, self_referral_reason
from core import formatting
from core.bounds import MAX_AMOUNT, MAX_PERCENT, MAX_WEEKS
from core.exceptions import DomainRefused
from orders.models import (
    NoteSide,
    Order,
    OrderLine,
    OrderReturn,
    OrderReturnLine,
    OrderStatus,
    OrderStatusChange,
)
from orders.services.orders import order_note_add


class CommissionRefused(DomainRefused):
    """A commission change breaks a rule; the message says which, and nothing was written."""


def commission_settings_for(manufacturer: Manufacturer) -> CommissionSettings:
    settings, _created = CommissionSettings.objects.get_or_create(manufacturer=manufacturer)
    return settings


def holding_weeks_for(partnership: Partnership) -> int:
    terms = PartnershipPayoutTerms.objects.filter(partnership=partnership).first()
    if terms is not None:
        return terms.holding_weeks
    return partnership.manufacturer.commission_holding_weeks


def _latest_rate(**filters: object) -> CommissionRate | None:
    return CommissionRate.objects.filter(**filters).order_by("-effective_from", "-pk").first()


def default_rate_on(*, manufacturer: Manufacturer, on: date) -> Decimal:
    """The manufacturer's default on that day: its dated rates, else the settings page's."""
    row = _latest_rate(
        manufacturer=manufacturer, scope=RateScope.MANUFACTURER, effective_from__lte=on
    )
    return row.rate if row is not None else manufacturer.default_commission_rate


def partnership_rate_on(*, partnership: Partnership, on: date) -> tuple[Decimal, str]:
    """The rate of a line outside any rated category, and the rule that gave it."""
    own = _latest_rate(
        manufacturer_id=partnership.manufacturer_id,
        scope=RateScope.PARTNERSHIP,
        partnership=partnership,
        effective_from__lte=on,
    )
    if own is not None:
        return own.rate, RateRule.PARTNERSHIP
    tier = tier_commission_rates(partnerships=[partnership], on=on).get(partnership.pk)
    if tier is not None:
        return tier, RateRule.TIER
    return default_rate_on(manufacturer=partnership.manufacturer, on=on), RateRule.DEFAULT


def partnership_rates_on(
    *, partnerships: list[Partnership], on: date
) -> dict[int, tuple[Decimal, str]]:
    """`partnership_rate_on` for many partnerships in two queries (the dashboard's): the
    dated rates, and the tiers' rates of them all."""
    ids = [p.pk for p in partnerships]
    rows = CommissionRate.objects.filter(
        Q(scope=RateScope.PARTNERSHIP, partnership_id__in=ids)
        | Q(
            scope=RateScope.MANUFACTURER,
            manufacturer_id__in={p.manufacturer_id for p in partnerships},
        ),
        effective_from__lte=on,
    ).order_by("-effective_from", "-pk")
    own: dict[int, Decimal] = {}
    defaults: dict[int, Decimal] = {}
    for row in rows:
        if row.scope == RateScope.PARTNERSHIP and row.partnership_id is not None:
            own.setdefault(row.partnership_id, row.rate)
        elif row.scope == RateScope.MANUFACTURER:
            defaults.setdefault(row.manufacturer_id, row.rate)
    tiers = tier_commission_rates(partnerships=[p for p in partnerships if p.pk not in own], on=on)
    rates: dict[int, tuple[Decimal, str]] = {}
    for partnership in partnerships:
        if partnership.pk in own:
            rates[partnership.pk] = (own[partnership.pk], RateRule.PARTNERSHIP)
            continue
        tier = tiers.get(partnership.pk)
        if tier is not None:
            rates[partnership.pk] = (tier, RateRule.TIER)
            continue
        rates[partnership.pk] = (
            defaults.get(
                partnership.manufacturer_id, partnership.manufacturer.default_commission_rate
            ),
            RateRule.DEFAULT,
        )
    return rates


def category_rates_on(
    *, manufacturer: Manufacturer, category_ids: set[int], on: date
) -> dict[int, Decimal]:
    rates: dict[int, Decimal] = {}
    rows = CommissionRate.objects.filter(
        manufacturer=manufacturer,
        scope=RateScope.CATEGORY,
        category_id__in=category_ids,
        effective_from__lte=on,
    ).order_by("category_id", "-effective_from", "-pk")
    for row in rows:
        if row.category_id is not None:
            rates.setdefault(row.category_id, row.rate)
    return rates


def completed_at_of(order: Order) -> datetime:
    change = (
        OrderStatusChange.objects.filter(
            manufacturer_id=order.manufacturer_id, order=order, to_status=OrderStatus.COMPLETED
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return change.created_at if change is not None else timezone.now()


def voiding_return_lines(order: Order, *, service_returns_void: bool) -> list[OrderReturnLine]:
    """Returned lines that void the order's commission (physical goods, and services when
    the manufacturer says so)."""
    kinds = [ProductKind.PHYSICAL] + ([ProductKind.SERVICE] if service_returns_void else [])
    return list(
        OrderReturnLine.objects.filter(
            manufacturer_id=order.manufacturer_id,
            order_return__order=order,
            order_line__product__kind__in=kinds,
        ).select_related("order_line")
    )


def _no_commission_note(order: Order, why: str) -> None:
    order_note_add(
        order=order,
        author=None,
        side=NoteSide.MANUFACTURER,
        body=_("No commission on this order: %(why)s.") % {"why": why},
        is_internal=False,
    )


@transaction.atomic
def commission_accrue(*, order: Order) -> list[CommissionEntry]:
    """The reseller's commission on a completed order, one entry per rate that applies.

    Nothing for own use, a self-referral or an order with a returned physical product (the
    order gets a note saying why); nothing for a commission-free line.
    """
    if order.status != OrderStatus.COMPLETED or order.own_use or order.end_customer is None:
        return []
    partnership = order.partnership
    manufacturer = order.manufacturer
    reseller_emails = list(
        ResellerMembership.objects.filter(reseller_id=order.reseller_id).values_list(
            "user__email", flat=True
        )
    )
    why = self_referral_reason(
        end_customer=order.end_customer,
        reseller=order.reseller,
        reseller_emails=reseller_emails,
    )
    if why:
        _no_commission_note(order, _("it is a self-referral: %(why)s") % {"why": why})
        return []
    settings = commission_settings_for(manufacturer)
    if voiding_return_lines(order, service_returns_void=settings.service_returns_void):
        _no_commission_note(order, _("an item was returned"))
        return []

    completed_at = completed_at_of(order)
    completed_on = timezone.localdate(completed_at)
    lines = list(
        OrderLine.objects.filter(manufacturer_id=manufacturer.pk, order=order).select_related(
            "product__category"
        )
    )
    free = CommissionFree.objects.filter(manufacturer=manufacturer)
    free_products = set(free.exclude(product=None).values_list("product_id", flat=True))
    free_categories = set(free.exclude(category=None).values_list("category_id", flat=True))
    earning = [
        line
        for line in lines
        if line.product_id not in free_products and line.product.category_id not in free_categories
    ]
    if not earning:
        return []
    category_rates = category_rates_on(
        manufacturer=manufacturer,
        category_ids={line.product.category_id for line in earning},
        on=completed_on,
    )
    own_rate, own_rule = partnership_rate_on(partnership=partnership, on=completed_on)

    # (rule, category id or 0) -> the base of its lines; (rate, detail) of each group
    bases: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    rates: dict[tuple[str, int], tuple[Decimal, str]] = {}
    for line in earning:
        base = line.retail_line_total if line.retail_line_total is not None else line.line_total
        category = line.product.category
        if category.pk in category_rates:
            key = (str(RateRule.CATEGORY), category.pk)
            rates[key] = (category_rates[category.pk], category.name)
        else:
            key = (str(own_rule), 0)
            rates[key] = (own_rate, "")
        bases[key] += base

    window = payout_window(
        completed_on=completed_on,
        holding_weeks=holding_weeks_for(partnership),
        deadline_weeks=manufacturer.payout_deadline_weeks,
    )
    entries = []
    for (rule, category_id), base in sorted(bases.items()):
        rate, detail = rates[(rule, category_id)]
        amount = commission_of(base, rate)
        if amount <= 0:
            continue
        entries.append(
            CommissionEntry(
                manufacturer=manufacturer,
                partnership=partnership,
                kind=EntryKind.ACCRUAL,
                credit=amount,
                currency=manufacturer.currency,
                order=order,
                base=quantize_money(base),
                rate=rate,
                rule=rule,
                rule_detail=detail,
                eligible_from=window.eligible_from,
                pay_by=window.pay_by,
                business_key=f"accrual:{order.pk}:{rule}:{category_id}",
                created_at=completed_at,
            )
        )
    return CommissionEntry.objects.bulk_create(entries)


@transaction.atomic
def commission_void_for_return(*, order_return: OrderReturn) -> list[CommissionEntry]:
    """A returned physical product (or service, by setting) voids the order's commission.

    Before payout each accrual gets a reversal on the same days, so it never becomes payable
    (an accrual already in a payout request still awaiting approval takes its reversal
    with it, so the request shrinks). After payout (the request approved or paid) a
    clawback, payable at once, is netted against the next payout: never a negative payment.
    """
    order = order_return.order
    settings = commission_settings_for(order.manufacturer)
    voiding = [
        line
        for line in OrderReturnLine.objects.filter(
            manufacturer_id=order.manufacturer_id, order_return=order_return
        ).select_related("order_line__product")
        if line.order_line.product.kind == ProductKind.PHYSICAL or settings.service_returns_void
    ]
    if not voiding:
        return []
    accruals = list(
        CommissionEntry.objects.select_for_update(of=("self",))
        .filter(
            manufacturer_id=order.manufacturer_id,
            order=order,
            kind=EntryKind.ACCRUAL,
            reversed_by__isnull=True,
        )
        .order_by("pk")
    )
    # The day the goods came back, so a history recorded later keeps its dates.
    now = order_return.returned_at
    today = timezone.localdate(now)
    written = []
    for accrual in accruals:
        item = (
            PayoutItem.objects.select_related("request")
            .filter(entry=accrual)
            .select_for_update(of=("request",))
            .first()
        )
        request = item.request if item is not None else None
        after_payout = request is not None and request.status != PayoutRequestStatus.REQUESTED
        entry = CommissionEntry.objects.create(
            manufacturer_id=accrual.manufacturer_id,
            partnership_id=accrual.partnership_id,
            kind=EntryKind.CLAWBACK if after_payout else EntryKind.REVERSAL,
            debit=accrual.credit,
            currency=accrual.currency,
            order=order,
            order_return=order_return,
            reverses=accrual,
            rate=accrual.rate,
            base=accrual.base,
            rule=accrual.rule,
            rule_detail=accrual.rule_detail,
            eligible_from=today if request is not None else accrual.eligible_from,
            reason=_("voided: an item was returned"),
            business_key=f"void:{accrual.pk}",
            created_by=order_return.created_by,
            created_at=now,
        )
        if request is not None and not after_payout:
            PayoutItem.objects.create(
                manufacturer_id=accrual.manufacturer_id, request=request, entry=entry
            )
            request.amount = request_amount(request)
            request.save(update_fields=["amount"])
        written.append(entry)
    return written


def request_amount(request: PayoutRequest) -> Decimal:
    """What the request pays: its entries' credits less their debits, never below zero."""
    totals = CommissionEntry.objects.filter(
        manufacturer_id=request.manufacturer_id, payout_item__request=request
    ).aggregate(credit=Sum("credit"), debit=Sum("debit"))
    return max((totals["credit"] or ZERO) - (totals["debit"] or ZERO), ZERO)


# --- what owners set ----------------------------------------------------------------------


def _check_rate(rate: Decimal) -> None:
    if not ZERO <= rate <= MAX_PERCENT:
        raise CommissionRefused(_("A rate is between 0 and 100%."))


@transaction.atomic
def commission_rate_set(
    *,
    manufacturer: Manufacturer,
    rate: Decimal,
    effective_from: date,
    created_by: User | None,
    partnership: Partnership | None = None,
    category: Category | None = None,
    note: str = "",
) -> CommissionRate:
    """A rate from `effective_from` on (the default, one partnership's or one category's).
    Entries accrued before keep theirs: the rate is frozen on each entry."""
    _check_rate(rate)
    if partnership is not None and category is not None:
        raise CommissionRefused(_("A rate is for one partnership or one category, not both."))
    scope = (
        RateScope.PARTNERSHIP
        if partnership is not None
        else RateScope.CATEGORY
        if category is not None
        else RateScope.MANUFACTURER
    )
    rate_row, _created = CommissionRate.objects.update_or_create(
        manufacturer=manufacturer,
        scope=scope,
        partnership=partnership,
        category=category,
        effective_from=effective_from,
        defaults={"rate": rate, "note": note.strip()[:300], "created_by": created_by},
    )
    return rate_row


@transaction.atomic
def commission_free_set(
    *,
    manufacturer: Manufacturer,
    free: bool,
    created_by: User | None,
    product: Product | None = None,
    category: Category | None = None,
) -> None:
    """Mark a product or a category commission-free (or earning again)."""
    if (product is None) == (category is None):
        raise CommissionRefused(_("Choose one product or one category."))
    target: dict[str, Product | Category | None] = (
        {"product": product} if product is not None else {"category": category}
    )
    if free:
        CommissionFree.objects.get_or_create(
            manufacturer=manufacturer, **target, defaults={"created_by": created_by}
        )
    else:
        CommissionFree.objects.filter(manufacturer=manufacturer, **target).delete()


@transaction.atomic
def partnership_holding_set(
    *, partnership: Partnership, holding_weeks: int | None, reason: str, updated_by: User | None
) -> PartnershipPayoutTerms | None:
    """A trusted partnership's own holding period (None: back to the manufacturer's).
    Applies to commissions accrued from now on; those accrued keep their dates."""
    if holding_weeks is None:
        PartnershipPayoutTerms.objects.filter(partnership=partnership).delete()
        return None
    if not 0 <= holding_weeks <= MAX_WEEKS:
        raise CommissionRefused(
            _("A holding period is between 0 and %(max)s weeks.") % {"max": MAX_WEEKS}
        )
    if not reason.strip():
        raise CommissionRefused(_("Give a reason for this partnership's own holding period."))
    terms, _created = PartnershipPayoutTerms.objects.update_or_create(
        partnership=partnership,
        defaults={
            "manufacturer_id": partnership.manufacturer_id,
            "holding_weeks": holding_weeks,
            "reason": reason.strip()[:300],
            "updated_by": updated_by,
        },
    )
    return terms


@transaction.atomic
def commission_adjust(
    *,
    partnership: Partnership,
    amount: Decimal,
    reason: str,
    created_by: User,
    at: datetime | None = None,
) -> CommissionEntry:
    """An owner's manual adjustment: a credit (positive) or a debit (negative), payable now
    (`at`: when it was made, for the demo's history)."""
    reason = reason.strip()
    if not reason:
        raise CommissionRefused(_("An adjustment needs a reason: the reseller reads it."))
    if amount == 0 or abs(amount) > MAX_AMOUNT:
        raise CommissionRefused(
            _("An adjustment is not zero and at most %(max)s either way.")
            % {"max": number_format(MAX_AMOUNT, decimal_pos=2, force_grouping=True)}
        )
    amount = quantize_money(amount)
    return CommissionEntry.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        kind=EntryKind.ADJUSTMENT,
        credit=amount if amount > 0 else ZERO,
        debit=-amount if amount < 0 else ZERO,
        currency=partnership.manufacturer.currency,
        eligible_from=timezone.localdate(at),
        reason=reason,
        business_key=f"adjustment:{uuid.uuid4().hex}",
        created_by=created_by,
        created_at=at or timezone.now(),
    )


def effective_pay_by(entry: CommissionEntry) -> date | None:
    extension = entry.window_extensions.order_by("-created_at", "-pk").first()
    return extension.pay_by if extension is not None else entry.pay_by


@transaction.atomic
def commission_window_extend(
    *, entry: CommissionEntry, pay_by: date, reason: str, created_by: User
) -> WindowExtension:
    """Move one unpaid accrual's pay-by date later, for a reason the reseller reads."""
    reason = reason.strip()
    if entry.kind != EntryKind.ACCRUAL:
        raise CommissionRefused(_("Only an earned commission has a payout window."))
    if PayoutItem.objects.filter(entry=entry).exists():
        raise CommissionRefused(_("This commission is already in a payout."))
    if not reason:
        raise CommissionRefused(_("Give a reason for the extension: the reseller reads it."))
    current = effective_pay_by(entry)
    if pay_by <= timezone.localdate() or (current is not None and pay_by <= current):
        raise CommissionRefused(
            _("The new pay-by date must be in the future and after %(date)s.")
            % {"date": formatting.local_date(current or timezone.localdate())}
        )
    return WindowExtension.objects.create(
        manufacturer_id=entry.manufacturer_id,
        entry=entry,
        pay_by=pay_by,
        reason=reason[:300],
        created_by=created_by,
    )
