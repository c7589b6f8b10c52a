"""Webhooks: endpoints the manufacturer registers, and deliveries through their own outbox.

An event (api/apps.py connects the domains' hooks) writes one `WebhookDelivery` per
subscribed endpoint inside the transaction of the change, so a rolled-back change sends
nothing and a committed one is never lost; a task tries it after commit and the periodic
sweep (`webhook-deliveries-flush`) retries with backoff (1, 2, 4 … minutes, at most 2 hours
apart) for a day. A worker claims a delivery for a lease in a short transaction and sends
outside it; only a pending delivery is sent, so one that succeeded is never sent again
unless someone asks ("send again", with the same event id the receiver deduplicates by).

Each request carries `Portal-Event-Id`, `Portal-Event-Type` and
`Portal-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's
secret>`; a receiver recomputes it and refuses a timestamp older than a few minutes.

A URL is checked against server-side request forgery (api.ssrf) when it is saved and again
at every delivery, after DNS resolution, and the request goes to the address checked.
"""

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, User
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.ssrf import AddressRefused, resolve_public, url_refusal
from core.enqueue import enqueue_after_commit
from core.exceptions import DomainRefused

RETRY_FOR = timedelta(days=1)
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=2)
LEASE = timedelta(minutes=2)
TIMEOUT = urllib3.Timeout(connect=5.0, read=10.0)
RESPONSE_KEPT = 2000
FLUSH_BATCH = 100
SIGNATURE_HEADER = "Portal-Signature"


class WebhookRefused(DomainRefused):
    pass


# --- endpoints ------------------------------------------------------------------------------


def webhook_endpoints(*, manufacturer: Manufacturer) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(manufacturer=manufacturer).order_by("-created_at", "-pk")


def access_webhook_endpoint(*, manufacturer: Manufacturer, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoints(manufacturer=manufacturer).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404(_("No such webhook endpoint."))
    return endpoint


def endpoint_deliveries(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(
        manufacturer_id=endpoint.manufacturer_id, endpoint=endpoint
    ).order_by("-created_at", "-pk")


def access_delivery(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    delivery = endpoint_deliveries(endpoint=endpoint).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404(_("No such delivery."))
    return delivery


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as error:
        raise WebhookRefused(_("Enter a valid URL.")) from error
    if not url.startswith("https://") and not settings.WEBHOOK_ALLOW_HTTP:
        raise WebhookRefused(_("A webhook URL must use HTTPS."))
    refusal = url_refusal(url)
    if refusal:
        raise WebhookRefused(refusal)
    return url


@transaction.atomic
def webhook_endpoint_create(
    *,
    manufacturer: Manufacturer,
    created_by: User,
    url: str,
    events: list[str],
    description: str = "",
) -> WebhookEndpoint:
    url = _check_url(url)
    chosen = [event for event in WebhookEvent.values if event in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise WebhookRefused(_("Choose at least one event."))
    return WebhookEndpoint.objects.create(
        manufacturer=manufacturer,
        created_by=created_by,
        url=url,
        events=chosen,
        description=description.strip(),
        secret=f"whsec_{secrets.token_urlsafe(32)}",
    )


@transaction.atomic
def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- events ---------------------------------------------------------------------------------


def webhook_event_record(
    *, manufacturer: Manufacturer, event_type: str, data: Mapping[str, Any]
) -> list[WebhookDelivery]:
    """Queue `event_type` for every active endpoint of the tenant that chose it, in the
    caller's transaction; each is tried once it commits."""
    with scope(manufacturer=manufacturer):
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.objects.filter(
                manufacturer=manufacturer, is_active=True
            )
            if event_type in endpoint.events
        ]
        if not endpoints:
            return []
        now = timezone.now()
        deliveries = []
        for endpoint in endpoints:
            event_id = uuid.uuid4()
            body = json.dumps(
                {
                    "id": str(event_id),
                    "type": event_type,
                    "created_at": now.isoformat(),
                    "manufacturer": manufacturer.slug,
                    "data": data,
                },
                default=str,
                sort_keys=True,
            )
            deliveries.append(
                WebhookDelivery(
                    manufacturer=manufacturer,
                    endpoint=endpoint,
                    event_id=event_id,
                    event_type=event_type,
                    body=body,
                    next_attempt_at=now,
                    retry_until=now + RETRY_FOR,
                )
            )
        created = WebhookDelivery.objects.bulk_create(deliveries)
    from api.tasks import webhook_deliver_task

    for delivery in created:
        enqueue_after_commit(webhook_deliver_task, delivery.pk)
    return created


def webhook_signature(*, secret: str, timestamp: int, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def webhook_signature_valid(
    *, secret: str, header: str, body: str, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and its timestamp is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = webhook_signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, header)


# --- delivery -------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    delay: timedelta = RETRY_BASE * 2 ** min(max(attempts - 1, 0), 16)
    return min(delay, RETRY_CAP)


def _claim(due: Q, *, limit: int) -> list[WebhookDelivery]:
    """Claim due deliveries for LEASE in a short transaction of their own. Deliveries are
    found by id across tenants: the worker sends what is due, whoever it belongs to."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            WebhookDelivery.objects.with_scopes_disabled()
            .select_for_update(skip_locked=True)
            .filter(due, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for row in rows:
            row.claimed_until = now + LEASE
        WebhookDelivery.objects.with_scopes_disabled().bulk_update(rows, ["claimed_until"])
    return rows


def _post(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> tuple[int | None, str, str]:
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ChannelPortal-Webhooks/1",
        "Portal-Event-Id": str(delivery.event_id),
        "Portal-Event-Type": delivery.event_type,
        SIGNATURE_HEADER: webhook_signature(
            secret=endpoint.secret, timestamp=timestamp, body=delivery.body
        ),
    }
    try:
        pool, path = _pinned_pool(endpoint.url, headers)
        response = pool.urlopen(
            "POST",
            path,
            body=delivery.body.encode(),
            headers=headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
    except AddressRefused as refused:
        return None, "", str(refused)[:500]
    except urllib3.exceptions.HTTPError as error:
        return None, "", str(error)[:500]
    try:
        text = response.read(RESPONSE_KEPT, decode_content=True).decode("utf-8", "replace")
    except urllib3.exceptions.HTTPError:
        text = ""
    finally:
        response.release_conn()
        pool.close()
    return response.status, text, ""


def _pinned_pool(url: str, headers: dict[str, str]) -> tuple[urllib3.HTTPConnectionPool, str]:
    """A connection to the address the SSRF check approved (api.ssrf), not to whatever the
    name resolves to a moment later; TLS still checks the certificate against the name."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not settings.WEBHOOK_ALLOW_HTTP:
        raise AddressRefused(_("A webhook URL must use HTTPS."))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = str(resolve_public(host, port))
    headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    if parts.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, timeout=TIMEOUT, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host,
        ), path  # fmt: skip
    return urllib3.HTTPConnectionPool(
        address, port, timeout=TIMEOUT, retries=False, maxsize=1
    ), path


def _send(delivery: WebhookDelivery) -> bool:
    endpoint = WebhookEndpoint.objects.with_scopes_disabled().get(pk=delivery.endpoint_id)
    status, text, error = _post(delivery, endpoint)
    now = timezone.now()
    ok = status is not None and 200 <= status < 300
    attempts = delivery.attempts + 1
    fields: dict[str, Any] = {
        "attempts": attempts,
        "last_attempt_at": now,
        "claimed_until": None,
        "response_status": status,
        "response_body": text.replace("\x00", ""),
        "last_error": error or ("" if ok else _("The endpoint answered %(status)s.") % {
            "status": status
        }),
    }  # fmt: skip
    if ok:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    elif now + retry_delay(attempts) > delivery.retry_until:
        fields.update(status=DeliveryStatus.FAILED)
    else:
        fields.update(next_attempt_at=now + retry_delay(attempts))
    WebhookDelivery.objects.with_scopes_disabled().filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING
    ).update(**fields)
    return ok


def webhook_deliver(*, delivery_id: int) -> bool:
    """Try one delivery now if it is due and nobody else holds it; True if delivered."""
    rows = _claim(Q(pk=delivery_id), limit=1)
    return bool(rows) and _send(rows[0])


def webhook_deliveries_flush(*, batch_size: int = FLUSH_BATCH) -> int:
    """Periodic: send what is due (a lost task, a retry); returns how many got through."""
    return sum(1 for row in _claim(Q(), limit=batch_size) if _send(row))


@transaction.atomic
def webhook_delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event again (same event id, so the receiver can tell), now and with a
    new day of retries."""
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, retry_until=now + RETRY_FOR,
        claimed_until=None,
    )  # fmt: skip
    from api.tasks import webhook_deliver_task

    enqueue_after_commit(webhook_deliver_task, delivery.pk)
    delivery.refresh_from_db()
    return delivery
