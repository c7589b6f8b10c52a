"""The demo channel: complete on the first run, untouched on the second."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    Role,
)
from catalog.models import Category
from channel.models import Partnership, QualifyingStatus
from commissions.models import (
    CommissionEntry,
    EntryKind,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutRequest,
    PayoutRequestStatus,
)
from demo.channel import DEMO_PASSWORD, FLAGSHIP_RESELLER_ID, NAME_STEMS
from orders.models import Order, OrderReturn, OrderStatus
from partners.metrics import add_months, month_start
from partners.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    Audience,
    Exclusive,
    Incident,
    Offer,
    PartnerBlock,
    PartnerTier,
    Scorecard,
    Step,
    TierProposal,
    Visibility,
)
from partners.selectors.exclusives import exclusive_compliance
from partners.selectors.tiers import tier_criteria_q
from partners.services.announcements import audience_of
from qualifications.models import QualificationRequest, RequestStatus


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def run_demo() -> str:
    out = StringIO()
    call_command("demo_channel", stdout=out)
    return out.getvalue()


def test_demo_channel_is_complete_and_idempotent(client, db):
    first_output = run_demo()
    after_first = row_counts()
    second_output = run_demo()
    after_second = row_counts()

    assert after_second == after_first
    assert "nothing changed" in second_output

    manufacturers = list(Manufacturer.objects.all())
    assert len(manufacturers) == 2
    for manufacturer in manufacturers:
        assert Partnership.objects.filter(manufacturer=manufacturer).count() >= 30
        roles = list(
            ManufacturerMembership.objects.filter(manufacturer=manufacturer).values_list(
                "role", flat=True
            )
        )
        assert roles.count(Role.OWNER) >= 1
        assert roles.count(Role.MANAGER) >= 1
        assert roles.count(Role.SELLER) == 2
        partnerships = Partnership.objects.filter(manufacturer=manufacturer)
        # A qualified reseller holds the default code; a channel has some of each status.
        qualified = partnerships.filter(qualifying_status=QualifyingStatus.QUALIFIED)
        assert qualified.count() >= 5
        assert partnerships.filter(qualifying_status=QualifyingStatus.NOT_QUALIFIED).exists()
        for partnership in qualified:
            assert partnership.qualification_grants.filter(
                qualification__is_default=True, revoked_at__isnull=True
            ).exists()
        assert QualificationRequest.objects.filter(
            manufacturer=manufacturer, status=RequestStatus.OPEN
        ).exists()
        # A catalog with open and restricted categories, and a year of orders in every status.
        categories = Category.objects.filter(manufacturer=manufacturer)
        assert categories.filter(required_qualification__isnull=True).exists()
        assert categories.filter(required_qualification__isnull=False).exists()
        orders = Order.objects.filter(manufacturer=manufacturer)
        assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
        assert orders.filter(created_at__lt=timezone.now() - timedelta(days=300)).exists()
        assert OrderReturn.objects.filter(order__manufacturer=manufacturer).exists()
        for order in orders.filter(status=OrderStatus.AWAITING_PAYMENT):
            assert order.payment_links.exists()
        # A year of commissions: accruals, orders voided by returns, a clawback after
        # payout, paid batches, an open request, an entry past its holding period.
        ledger = CommissionEntry.objects.filter(manufacturer=manufacturer)
        for kind in (EntryKind.ACCRUAL, EntryKind.REVERSAL, EntryKind.CLAWBACK, EntryKind.PAYOUT):
            assert ledger.filter(kind=kind).exists(), kind
        assert (
            PayoutBatch.objects.filter(
                manufacturer=manufacturer, status=PayoutBatchStatus.PAID
            ).count()
            >= 3
        )
        assert PayoutRequest.objects.filter(
            manufacturer=manufacturer, status=PayoutRequestStatus.REQUESTED
        ).exists()
        assert ledger.filter(
            kind=EntryKind.ACCRUAL, eligible_from__lte=timezone.localdate(), payout_item=None
        ).exists()
        # Partners of long standing: none joined after its first demo order.
        year_ago = timezone.now() - timedelta(days=365)
        assert not partnerships.filter(created_at__gt=year_ago).exists()
        # Partners: all three tiers, a promotion and a demotion waiting, offers of each
        # visibility, an incident at its second step, a blocked partner, two exclusives.
        assert set(
            PartnerTier.objects.filter(manufacturer=manufacturer).values_list(
                "tier__name", flat=True
            )
        ) == {"Silver", "Gold"}
        assert partnerships.exclude(partner_tier__isnull=False).exists()  # Bronze
        proposals = TierProposal.objects.filter(manufacturer=manufacturer, status="pending")
        assert sorted(
            (p.from_tier.rank < p.to_tier.rank)
            for p in proposals.select_related("from_tier", "to_tier")
        ) == [False, True]
        # The pending promotion's figures really meet the criteria its reasons quote.
        promotion = next(p for p in proposals if p.to_tier.rank > p.from_tier.rank)
        last = add_months(month_start(timezone.localdate()), -1)
        window = add_months(last, -(promotion.to_tier.months_held - 1))
        assert (
            Scorecard.objects.filter(
                tier_criteria_q(promotion.to_tier),
                partnership=promotion.partnership,
                month__gte=window,
                month__lte=last,
            ).count()
            == promotion.to_tier.months_held
        )
        # Announcements: planned downtime told to every active partner, a promotion to
        # Silver and above, news for named partners, and a draft nobody was told of.
        announcements = Announcement.objects.filter(manufacturer=manufacturer)
        published = announcements.filter(status=AnnouncementStatus.PUBLISHED)
        assert set(published.values_list("audience", flat=True)) == set(Audience.values)
        for announcement in published.select_related("manufacturer", "min_tier"):
            told = set(announcement.deliveries.values_list("partnership_id", flat=True))
            assert told == set(audience_of(announcement).values_list("pk", flat=True))
            assert told
        assert published.filter(kind=AnnouncementKind.DOWNTIME, starts_at__isnull=False).exists()
        assert announcements.filter(status=AnnouncementStatus.DRAFT, deliveries=None).exists()
        assert set(
            Offer.objects.filter(manufacturer=manufacturer, is_published=True).values_list(
                "visibility", flat=True
            )
        ) == set(Visibility.values)
        assert Incident.objects.filter(
            manufacturer=manufacturer, is_open=True, step=Step.FORMAL_CONVERSATION
        ).exists()
        assert PartnerBlock.objects.filter(
            manufacturer=manufacturer, offer__isnull=True, lifted_at__isnull=True
        ).exists()
        standing = {
            c.in_breach
            for c in exclusive_compliance(list(Exclusive.objects.filter(manufacturer=manufacturer)))
        }
        assert standing == {True, False}
        assert Scorecard.objects.filter(manufacturer=manufacturer, orders__gt=0).exists()
    assert ResellerMembership.objects.exists()
    assert Partnership.objects.filter(reseller__public_id=FLAGSHIP_RESELLER_ID).count() == 2

    for output in (first_output, second_output):
        assert DEMO_PASSWORD in output
        assert "olivia.owner@northwind.example" in output
        assert "grace.group@channel.example" in output

    # The printed logins work (one demo run for both checks: the demo is not small).
    response = client.post(
        "/login/", {"username": "olivia.owner@northwind.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    # An owner's first login sets up two-factor login before anything else.
    assert client.get("/")["Location"].startswith("/account/two-factor/?next=")
    manager = Client()
    manager.post(
        "/login/", {"username": "marco.manager@northwind.example", "password": DEMO_PASSWORD}
    )
    assert manager.get("/")["Location"] == "/m/northwind/"


@pytest.mark.django_db(transaction=True)
def test_two_demo_loads_started_at_once_on_an_empty_database_both_succeed():
    """Two `manage.py demo_channel` processes against the same empty PostgreSQL database."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent loads need PostgreSQL")
    assert not Manufacturer.objects.exists()
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    manage = Path(settings.BASE_DIR) / "manage.py"

    loads = [
        subprocess.Popen(  # noqa: S603 - our own manage.py with a fixed argument list
            [sys.executable, str(manage), "demo_channel"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [load.communicate(timeout=600) for load in loads]

    for load, (_out, err) in zip(loads, results, strict=True):
        assert load.returncode == 0, err
        assert "Traceback" not in err
    # One load built the channel; the other waited for it and found it complete.
    outputs = [out for out, _ in results]
    assert sum("Demo channel loaded" in out for out in outputs) == 1
    assert sum("nothing changed" in out for out in outputs) == 1
    assert Manufacturer.objects.count() == 2
    assert Reseller.objects.count() == len(NAME_STEMS)
    assert Partnership.objects.filter(reseller__public_id=FLAGSHIP_RESELLER_ID).count() == 2
