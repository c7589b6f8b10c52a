"""Payout details, payout requests, batches and marking them paid.

A request takes every payable entry of its partnership (credits and debits alike, so a
clawback is netted) into `PayoutItem` rows; `PayoutItem.entry` is unique, so an entry is
in one request at most, and a request is paid once (`payout:<request id>` is the payout
entry's business key). Rows are locked (`select_for_update`) before they are read to
decide, so two clicks or two workers wait for each other instead of both deciding.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from accounts.audit import audit_record
from accounts.models import STAFF_ROLES, AuditAction, Manufacturer, ManufacturerMembership, User
from channel.models import Partnership
from commissions import hooks
from commissions.models import (
    OPEN_REQUEST_STATUSES,
    ZERO,
    CommissionEntry,
    EntryKind,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutDetails,
    PayoutItem,
    PayoutOrigin,
    PayoutRequest,
    PayoutRequestStatus,
)
from commissions.services.ledger import CommissionRefused, commission_settings_for
from core import formatting
from notifications.models import NotificationKind
from notifications.services import notify


def money(amount: Decimal, currency: str) -> str:
    return formatting.money(amount, currency)


def staff_users(manufacturer: Manufacturer) -> list[User]:
    return [
        membership.user
        for membership in ManufacturerMembership.objects.filter(
            manufacturer=manufacturer, role__in=STAFF_ROLES, user__is_active=True
        ).select_related("user")
    ]


def reseller_users(partnership: Partnership) -> list[User]:
    return [
        membership.user
        for membership in partnership.reseller.memberships.filter(
            user__is_active=True
        ).select_related("user")
    ]


def reseller_commissions_url(partnership: Partnership) -> str:
    return reverse(
        "commissions_reseller:overview",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": partnership.manufacturer.slug,
        },
    )


def approvals_url(manufacturer: Manufacturer) -> str:
    return reverse(
        "commissions_manufacturer:approvals", kwargs={"manufacturer_slug": manufacturer.slug}
    )


# --- payout details -----------------------------------------------------------------------


@transaction.atomic
def payout_details_save(
    *,
    partnership: Partnership,
    account_holder: str,
    iban: str = "",
    bic: str = "",
    account_number: str = "",
    bank_code: str = "",
    updated_by: User | None,
) -> PayoutDetails:
    """Where the payouts go: an IBAN (checked by its check digits) or an account number."""
    account_holder = " ".join(account_holder.split())
    if not account_holder:
        raise CommissionRefused(_("Enter the account holder's name."))
    iban = stdnum_iban.compact(iban)
    bic = stdnum_bic.compact(bic) if bic.strip() else ""
    account_number = "".join(account_number.split())
    if not iban and not account_number:
        raise CommissionRefused(_("Enter an IBAN or an account number."))
    if iban:
        try:
            iban = stdnum_iban.validate(iban)
        except StdnumValidationError as error:
            raise CommissionRefused(
                _("This IBAN is not valid; check it against your bank statement.")
            ) from error
    if bic:
        try:
            bic = stdnum_bic.validate(bic)
        except StdnumValidationError as error:
            raise CommissionRefused(_("This BIC is not valid (8 or 11 characters).")) from error
    if account_number and not (account_number.isalnum() and 4 <= len(account_number) <= 34):
        raise CommissionRefused(_("An account number is 4 to 34 letters and digits."))
    details, _created = PayoutDetails.objects.update_or_create(
        partnership=partnership,
        defaults={
            "manufacturer_id": partnership.manufacturer_id,
            "account_holder": account_holder[:140],
            "iban": iban,
            "bic": bic,
            "account_number": "" if iban else account_number,
            "bank_code": "" if iban else bank_code.strip()[:20],
            "updated_by": updated_by,
        },
    )
    return details


# --- requests -----------------------------------------------------------------------------


def payable_entries(partnership: Partnership, *, today: date) -> QuerySet[CommissionEntry]:
    """Entries past their holding period in no request: what a request would take."""
    return CommissionEntry.objects.filter(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        eligible_from__lte=today,
        payout_item__isnull=True,
    ).exclude(kind=EntryKind.PAYOUT)


def _net(entries: QuerySet[CommissionEntry]) -> Decimal:
    total: Decimal | None = entries.aggregate(net=Sum(F("credit") - F("debit")))["net"]
    return total if total is not None else ZERO


def _lock_partnership(partnership: Partnership) -> None:
    """One payout decision per partnership at a time (a request, a job run, a return)."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()


def open_request(partnership: Partnership) -> PayoutRequest | None:
    return PayoutRequest.objects.filter(
        partnership=partnership, status__in=OPEN_REQUEST_STATUSES
    ).first()


def _allocate(request: PayoutRequest, entry_ids: Iterable[int]) -> None:
    PayoutItem.objects.bulk_create(
        PayoutItem(manufacturer_id=request.manufacturer_id, request=request, entry_id=entry_id)
        for entry_id in entry_ids
    )


@transaction.atomic
def payout_request_create(
    *,
    partnership: Partnership,
    amount: Decimal,
    requested_by: User | None,
    today: date | None = None,
    at: datetime | None = None,
) -> PayoutRequest:
    """The reseller asks for its payable balance (`amount` is what it was shown).

    Refused: a request already open, no payout details, an amount that is not the payable
    balance, a balance below the manufacturer's minimum.
    """
    today = today or timezone.localdate(at)
    _lock_partnership(partnership)
    manufacturer = partnership.manufacturer
    if open_request(partnership) is not None:
        raise CommissionRefused(
            _("A payout request is already open; you can request again once it is paid.")
        )
    if not PayoutDetails.objects.filter(partnership=partnership).exists():
        raise CommissionRefused(_("Add your payout details first, so we know where to pay."))
    entries = payable_entries(partnership, today=today)
    payable = _net(entries)
    currency = manufacturer.currency
    if amount > payable:
        raise CommissionRefused(
            _("You can request at most your payable balance of %(payable)s.")
            % {"payable": money(max(payable, ZERO), currency)}
        )
    if amount < payable:
        raise CommissionRefused(
            _("A payout request covers your whole payable balance of %(payable)s.")
            % {"payable": money(payable, currency)}
        )
    minimum = commission_settings_for(manufacturer).minimum_payout
    if payable < minimum or payable <= 0:
        raise CommissionRefused(
            _("The minimum payout is %(minimum)s; your payable balance is %(payable)s.")
            % {"minimum": money(minimum, currency), "payable": money(max(payable, ZERO), currency)}
        )
    request = PayoutRequest.objects.create(
        manufacturer=manufacturer,
        partnership=partnership,
        amount=payable,
        currency=currency,
        origin=PayoutOrigin.RESELLER,
        requested_by=requested_by,
        created_at=at or timezone.now(),
    )
    _allocate(request, entries.values_list("pk", flat=True))
    notify(
        users=staff_users(manufacturer),
        manufacturer=manufacturer,
        kind=NotificationKind.PAYOUT,
        title=lambda: (
            _("%(reseller)s requests a payout of %(amount)s")
            % {"reseller": partnership.reseller.name, "amount": money(payable, currency)}
        ),
        url=approvals_url(manufacturer),
    )
    return request


# --- batches ------------------------------------------------------------------------------


@transaction.atomic
def payout_batch_approve(
    *,
    manufacturer: Manufacturer,
    request_ids: Iterable[int],
    approved_by: User,
    at: datetime | None = None,
) -> PayoutBatch:
    """Approve these requests into a new batch. Requests that reached their pay-by date by
    themselves (origin "deadline") always go in, so none waits for someone to tick it."""
    wanted = set(request_ids)
    requests = list(
        PayoutRequest.objects.select_for_update()
        .filter(manufacturer=manufacturer, status=PayoutRequestStatus.REQUESTED)
        .filter(Q(pk__in=wanted) | Q(origin=PayoutOrigin.DEADLINE))
        .select_related("partnership__reseller")
        .order_by("pk")
    )
    found = {request.pk for request in requests}
    if not wanted <= found:
        raise CommissionRefused(
            _("One or more requests were approved meanwhile or do not exist. Reload the page.")
        )
    if not requests:
        raise CommissionRefused(_("Choose at least one payout request to approve."))
    now = at or timezone.now()
    batch = PayoutBatch.objects.create(
        manufacturer=manufacturer,
        currency=manufacturer.currency,
        approved_by=approved_by,
        approved_at=now,
    )
    PayoutRequest.objects.filter(pk__in=found).update(
        status=PayoutRequestStatus.APPROVED, batch=batch
    )
    audit_record(
        action=AuditAction.PAYOUT_APPROVED,
        actor=approved_by,
        manufacturer=manufacturer,
        target=f"batch {batch.pk} ({len(requests)})",
    )
    for request in requests:

        def title(request: PayoutRequest = request) -> str:
            return _("%(manufacturer)s approved your payout of %(amount)s") % {
                "manufacturer": manufacturer.name,
                "amount": money(request.amount, request.currency),
            }

        notify(
            users=reseller_users(request.partnership),
            manufacturer=manufacturer,
            kind=NotificationKind.PAYOUT,
            title=title,
            url=reseller_commissions_url(request.partnership),
        )
    return batch


@transaction.atomic
def payout_batch_mark_paid(
    *, batch: PayoutBatch, reference: str, paid_by: User, at: datetime | None = None
) -> PayoutBatch:
    """The bank paid the batch: one payout entry per request, once."""
    reference = reference.strip()
    if not reference:
        raise CommissionRefused(_("Enter the bank's payment reference."))
    locked = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status == PayoutBatchStatus.PAID:
        raise CommissionRefused(_("This batch is already marked paid."))
    now = at or timezone.now()
    requests = list(
        PayoutRequest.objects.select_for_update()
        .filter(batch=locked)
        .select_related("partnership__reseller", "partnership__manufacturer")
        .order_by("pk")
    )
    CommissionEntry.objects.bulk_create(
        CommissionEntry(
            manufacturer_id=locked.manufacturer_id,
            partnership_id=request.partnership_id,
            kind=EntryKind.PAYOUT,
            debit=request.amount,
            currency=request.currency,
            payout_request=request,
            eligible_from=timezone.localdate(now),
            reason=_("Paid, reference %(reference)s") % {"reference": reference[:120]},
            business_key=f"payout:{request.pk}",
            created_by=paid_by,
            created_at=now,
        )
        for request in requests
        if request.amount > 0
    )
    PayoutRequest.objects.filter(batch=locked).update(status=PayoutRequestStatus.PAID)
    locked.status = PayoutBatchStatus.PAID
    locked.reference = reference[:120]
    locked.paid_at = now
    locked.paid_by = paid_by
    locked.save(update_fields=["status", "reference", "paid_at", "paid_by"])
    for request in requests:

        def title(request: PayoutRequest = request) -> str:
            return _("Your payout of %(amount)s is paid (reference %(reference)s)") % {
                "amount": money(request.amount, request.currency),
                "reference": reference[:120],
            }

        notify(
            users=reseller_users(request.partnership),
            manufacturer=request.partnership.manufacturer,
            kind=NotificationKind.PAYOUT,
            title=title,
            url=reseller_commissions_url(request.partnership),
        )
        hooks.payout_paid.send(payout_request=request, batch=locked)
    return locked
