"""What the domains' hooks turn into webhook events (connected in ApiConfig.ready)."""

from datetime import date
from decimal import Decimal
from typing import Any

from api.models import WebhookEvent
from api.webhooks import webhook_event_record


def _order(order: Any) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "reseller": order.reseller.public_id,
        "currency": order.currency,
        "total": str(order.total),
        "created_at": order.created_at.isoformat(),
    }


def on_order_created(*, order: Any) -> None:
    webhook_event_record(
        manufacturer=order.manufacturer,
        event_type=WebhookEvent.ORDER_CREATED,
        data={"order": _order(order)},
    )


def on_order_status_changed(
    *, order: Any, from_status: str, to_status: str, changed_by: Any = None
) -> None:
    webhook_event_record(
        manufacturer=order.manufacturer,
        event_type=WebhookEvent.ORDER_STATUS_CHANGED,
        data={"order": _order(order), "from_status": from_status, "to_status": to_status},
    )


def _grant(grant: Any) -> dict[str, Any]:
    return {
        "reseller": grant.partnership.reseller.public_id,
        "qualification": grant.qualification.code,
    }


def on_qualification_granted(*, grant: Any, granted_by: Any = None) -> None:
    webhook_event_record(
        manufacturer=grant.partnership.manufacturer,
        event_type=WebhookEvent.QUALIFICATION_GRANTED,
        data=_grant(grant),
    )


def on_qualification_revoked(*, grant: Any, revoked_by: Any = None) -> None:
    webhook_event_record(
        manufacturer=grant.partnership.manufacturer,
        event_type=WebhookEvent.QUALIFICATION_REVOKED,
        data=_grant(grant),
    )


def on_message_received(*, conversation: Any, message: Any, started: bool) -> None:
    webhook_event_record(
        manufacturer=conversation.partnership.manufacturer,
        event_type=WebhookEvent.CONVERSATION_RECEIVED,
        data={
            "conversation": {
                "id": conversation.pk,
                "kind": conversation.kind,
                "subject": conversation.subject,
                "reseller": conversation.partnership.reseller.public_id,
            },
            "message": {
                "id": message.pk,
                "body": message.body,
                "created_at": message.created_at.isoformat(),
            },
            "started": started,
        },
    )


def on_commission_payable(
    *, partnership: Any, amount: Decimal, currency: str, entries: int, day: date
) -> None:
    webhook_event_record(
        manufacturer=partnership.manufacturer,
        event_type=WebhookEvent.COMMISSION_PAYABLE,
        data={
            "reseller": partnership.reseller.public_id,
            "amount": str(amount),
            "currency": currency,
            "entries": entries,
            "date": day.isoformat(),
        },
    )


def on_payout_paid(*, payout_request: Any, batch: Any) -> None:
    webhook_event_record(
        manufacturer=payout_request.partnership.manufacturer,
        event_type=WebhookEvent.PAYOUT_PAID,
        data={
            "payout": {
                "id": payout_request.pk,
                "reseller": payout_request.partnership.reseller.public_id,
                "amount": str(payout_request.amount),
                "currency": payout_request.currency,
                "batch": batch.pk,
                "reference": batch.reference,
                "paid_at": batch.paid_at.isoformat() if batch.paid_at else None,
            }
        },
    )
