"""The benchmark tenant of `benchmark_pages --scale N` (demo/scale.py): what it builds is
consistent, a second run adds nothing, a larger N tops it up. Functional, never timed."""

from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db.models import F, Max, Min
from django.utils import timezone

from accounts.models import ManufacturerMembership, Role
from channel.models import Partnership, PartnershipUserObjectPermission
from communications.models import DONE_EMOJI, Conversation, Message, MessageKind
from demo.scale import SLUG, build_scale_channel
from notifications.models import OutboxEmail, OutboxStatus
from orders.models import Order, OrderLine
from salesreps.models import PortfolioAssignment
from tests.notifications.factories import OutboxEmailFactory


def test_scale_tenant_is_consistent_and_idempotent(db):
    report = build_scale_channel(size=300)

    tenant = report.manufacturer
    assert tenant.slug == SLUG
    assert report.created["conversations"] == 300
    assert Conversation.objects.filter(manufacturer=tenant).count() == 300
    assert Order.objects.filter(manufacturer=tenant).count() == 300
    partnerships = Partnership.objects.filter(manufacturer=tenant)
    assert partnerships.count() == 3
    roles = set(
        ManufacturerMembership.objects.filter(manufacturer=tenant).values_list("role", flat=True)
    )
    assert roles == {Role.MANAGER, Role.SELLER}

    # Every second customer is in the rep's portfolio, with guardian's permissions.
    rep = ManufacturerMembership.objects.get(manufacturer=tenant, role=Role.SELLER).user
    assigned = PortfolioAssignment.objects.filter(manufacturer=tenant, ended_at__isnull=True)
    assert assigned.count() == 2
    assert PartnershipUserObjectPermission.objects.filter(user=rep).count() == 4

    # Threads: two or three messages, the last one stamps the conversation; a mark as done
    # sits on a reseller's message, as conversation_mark_done puts it.
    threads = Conversation.objects.filter(manufacturer=tenant).annotate(
        last=Max("messages__created_at"), first=Min("messages__created_at")
    )
    assert not threads.exclude(last=F("last_message_at")).exists()
    assert not threads.exclude(created_at=F("first")).exists()
    for conversation in Conversation.objects.filter(manufacturer=tenant, mark=DONE_EMOJI)[:20]:
        marked = Message.objects.get(conversation=conversation, emoji=DONE_EMOJI)
        assert marked.kind == MessageKind.RESELLER
    counts = {c.messages.count() for c in Conversation.objects.filter(manufacturer=tenant)}
    assert counts <= {2, 3}

    # Totals as orders.services computes them; numbers continue where the tenant is.
    for order in Order.objects.filter(manufacturer=tenant)[:50]:
        lines = OrderLine.objects.filter(order=order)
        assert order.total == sum((line.line_total for line in lines), Decimal("0.00"))
        assert all(line.line_total == line.unit_price * line.quantity for line in lines)
        assert order.subtotal - order.discount_total == order.total
    numbers = set(Order.objects.filter(manufacturer=tenant).values_list("number", flat=True))
    assert numbers == {f"SCA-{n:06d}" for n in range(1, 301)}

    again = build_scale_channel(size=300)
    assert again.created == {}

    more = build_scale_channel(size=400)
    assert more.created["conversations"] == 100
    assert more.created["orders"] == 100
    assert more.created["partnerships"] == 1
    assert Order.objects.filter(manufacturer=tenant, number="SCA-000400").exists()


def test_benchmark_command_builds_and_measures_the_scale_tenant(db):
    out = StringIO()

    call_command("benchmark_pages", scale=200, repeat=1, stdout=out)

    text = out.getvalue()
    assert "Built in" in text
    assert "Scale Test: 2 resellers, 200 orders, 200 conversations" in text
    assert "communications_manufacturer:inbox" in text
    rows = [
        line.split()
        for line in text.splitlines()
        if line.startswith("communications_manufacturer:inbox")
    ]
    assert rows and all(row[-6] == "200" for row in rows)
    api_rows = [line.split() for line in text.splitlines() if line.startswith("api_v1:m-order")]
    assert api_rows and all(row[-6] == "200" and float(row[-1]) > 0 for row in api_rows)


def test_benchmark_command_measures_the_outbox_and_leaves_no_row(db):
    waiting = OutboxEmailFactory(next_attempt_at=timezone.now())
    out = StringIO()

    call_command("benchmark_pages", outbox=1200, stdout=out)

    text = out.getvalue()
    assert "Outbox: 1201 of 1200 emails sent" in text, "the waiting email was swept along"
    assert "emails/minute" in text
    assert list(OutboxEmail.objects.all()) == [waiting]
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.PENDING, "rolled back: still to be sent for real"
    assert mail.outbox == []
