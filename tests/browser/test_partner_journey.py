"""A manager finds a partner on the leaderboard, reads its scorecard and approves the tier
promotion the evaluation proposed, in Chromium with axe on every page."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from partners.models import PartnerTier, ProposalStatus, TierProposal
from partners.services.incidents import incident_thresholds_of
from partners.services.scorecards import scorecards_refresh
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_goes_from_the_leaderboard_to_the_scorecard_and_approves_a_promotion(visit):
    journeys = build_journeys()
    world = journeys.a
    with scope(manufacturer=world.manufacturer):
        scorecards_refresh(manufacturer=world.manufacturer)
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.click(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Partners")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partner leaderboard")
    visitor.click(page.get_by_role("link", name=world.reseller.name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.reseller.name)
    expect(page.locator("#tier-panel")).to_contain_text("Bronze")

    visitor.click(page.get_by_role("link", name="Partners", exact=True).first)
    visitor.click(page.get_by_role("link", name="Tier proposals", exact=True).first)
    proposal = TierProposal.objects.get(partnership=world.partnership)
    card = page.locator(f"#proposal-{proposal.pk}")
    expect(card).to_contain_text("Bronze → Silver")
    visitor.click(card.get_by_role("button", name="Approve: move to Silver"))

    expect(page.get_by_text("is now in Silver")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert PartnerTier.objects.get(partnership=world.partnership).tier.name == "Silver"

    # Problem partners: the manager tightens the response-time threshold of the nightly check.
    visitor.click(page.get_by_role("link", name="Incidents", exact=True).first)
    visitor.click(page.get_by_role("link", name="Thresholds"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incident thresholds")
    page.get_by_label("raise above this average response time (hours)", exact=False).fill("0")
    visitor.click(page.get_by_role("button", name="Save"))
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    page.get_by_label("raise above this average response time (hours)", exact=False).fill("24")
    visitor.click(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Thresholds saved")).to_be_visible()
    with scope(manufacturer=world.manufacturer):
        assert incident_thresholds_of(world.manufacturer).max_response_hours == 24
