"""A reseller requests its payout in Chromium; a manager approves it into a batch and marks
the batch paid with the bank's reference (with two-factor login, as approving requires)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commissions.models import CommissionEntry, EntryKind, PayoutRequest, PayoutRequestStatus
from commissions.services.ledger import commission_adjust
from commissions.services.payouts import payout_batch_mark_paid
from tests.accounts.two_factor_helpers import code_of, enrol
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reseller_requests_a_payout_and_a_manager_pays_it(visit):
    journeys = build_journeys()
    world = journeys.a
    # The world's earlier payout is paid; a bonus of 80.00 is payable now.
    payout_batch_mark_paid(batch=world.batch, reference="SEPA-EARLIER", paid_by=world.owner)
    commission_adjust(
        partnership=world.partnership,
        amount=Decimal("80.00"),
        reason="Trade fair bonus",
        created_by=world.owner,
    )
    slug = world.manufacturer.slug

    reseller = visit()
    page = reseller.page
    reseller.login(world.reseller_user.email)
    sidebar = page.get_by_role("navigation", name="Main navigation")
    reseller.click(sidebar.get_by_role("link", name="Commissions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissions")
    expect(
        page.get_by_role("main").get_by_role("link", name=world.manufacturer.name)
    ).to_be_visible()
    reseller.click(sidebar.get_by_role("link", name="Dashboard"))
    reseller.click(page.get_by_role("main").get_by_role("link", name="Commissions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissions")
    expect(page.locator('[data-figure="payable"]')).to_contain_text("80.00")
    expect(page.get_by_text("Adjustment: Trade fair bonus")).to_be_visible()
    reseller.submit("Request payout")
    expect(page.locator("#messages")).to_contain_text("Your payout request of €80.00")
    request = PayoutRequest.objects.get(status=PayoutRequestStatus.REQUESTED)
    assert request.amount == Decimal("80.00")

    # Approving payouts needs two-factor login: the manager has an authenticator.
    device = enrol(journeys.manager)
    manager = visit()
    page = manager.page
    manager.login(journeys.manager.email)
    page.get_by_label("Authentication code").fill(code_of(device))
    manager.submit("Log in")
    nav = page.get_by_role("navigation", name="Main navigation")
    manager.click(nav.get_by_role("link", name="Commissions"))
    manager.click(page.get_by_role("link", name="Payout approvals"))
    expect(page.get_by_label(world.reseller.name)).to_be_checked()
    manager.submit("Approve into a batch")
    expect(page.locator("#messages")).to_contain_text("approved")
    page.get_by_label("Bank payment reference").fill("SEPA-2026-12-001")
    manager.submit("Mark the batch paid")
    expect(page.locator("#messages")).to_contain_text("marked paid")

    request.refresh_from_db()
    assert request.status == PayoutRequestStatus.PAID
    payout = CommissionEntry.objects.get(kind=EntryKind.PAYOUT, payout_request=request)
    assert payout.debit == Decimal("80.00")
    assert f"/m/{slug}/commissions/batches/" in page.url

    reseller.goto(f"/r/{world.reseller.public_id}/m/{slug}/commissions/")
    expect(reseller.page.locator('[data-figure="paid"]')).to_contain_text("140.00")
