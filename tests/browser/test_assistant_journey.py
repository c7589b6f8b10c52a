"""The command bar in Chromium: Ctrl-K opens it on any staff page, a request is typed and
answered in place, and a grant happens only when the manager confirms it."""

import pytest
from playwright.sync_api import expect

from qualifications.models import QualificationGrant
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_asks_with_ctrl_k_and_confirms_a_grant(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto("/m/acme/orders/")

    page.keyboard.press("Control+k")
    dialog = page.get_by_role("dialog", name="Ask the portal")
    expect(dialog).to_be_visible()
    box = dialog.get_by_role("searchbox", name="Your request")
    expect(box).to_be_focused()

    box.fill(f"stats for reseller ID {world.reseller.public_id} for the last 30 days")
    box.press("Enter")
    expect(dialog.locator("#assistant-answer-title")).to_contain_text("Sales statistics of")
    expect(dialog.locator("canvas[data-chart]")).to_be_visible()
    visitor.check()

    box.fill(f"grant {world.reseller.public_id} the qualification ACME-PRO")
    box.press("Enter")
    expect(dialog.locator("#assistant-answer-title")).to_contain_text("Grant ACME-PRO to")
    confirm = dialog.get_by_role("button", name="Confirm")
    expect(confirm).to_be_focused()  # keyboard users land on the decision
    grants = QualificationGrant.objects.filter(
        partnership=world.partnership, qualification__code="ACME-PRO", revoked_at__isnull=True
    )
    assert not grants.exists()
    visitor.check()

    page.keyboard.press("Enter")
    expect(dialog.locator("#assistant-answer-title")).to_contain_text("ACME-PRO granted to")
    assert grants.get().granted_by == journeys.manager

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_without_javascript_the_button_opens_the_assistant_page(visit):
    journeys = build_journeys()
    visitor = visit(javascript=False)
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto("/m/acme/resellers/")
    visitor.click(page.get_by_role("link", name="Ask"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the portal")
    page.get_by_role("searchbox", name="Your request").fill("resellers without a rep")
    visitor.submit("Ask")
    expect(page.locator("#assistant-answer-title")).to_have_text("Resellers without a sales rep")
