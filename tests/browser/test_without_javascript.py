"""With JavaScript off, pages read and their navigation, account menu and actions still work."""

import pytest
from playwright.sync_api import expect

from channel.models import PartnershipStatus
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_javascript_a_phone_reaches_navigation_password_change_and_logout(visit):
    journeys = build_journeys()
    visitor = visit(width=390, javascript=False)
    page = visitor.page
    visitor.login(journeys.manager.email)

    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav).to_be_hidden()
    page.locator("label[for=nav-toggle]").click()  # a checkbox: no request, no script
    expect(nav).to_be_visible()
    visitor.click(nav.get_by_role("link", name="Orders"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Orders")

    page.locator("summary.account-menu").click()
    visitor.click(page.get_by_role("link", name="Change password"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("password")

    page.locator("summary.account-menu").click()
    visitor.click(page.get_by_role("button", name="Log out"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_without_javascript_emoji_triage_and_the_status_menu_are_plain_forms(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit(javascript=False)
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.goto(f"/m/{world.manufacturer.slug}/communications/")
    card = page.locator(f"#conversation-{world.conversation.pk}")
    card.locator("summary[title='Assign an emoji']").click()
    visitor.click(card.get_by_role("button", name="⭐"))
    world.conversation.refresh_from_db()
    assert world.conversation.mark == "⭐"

    visitor.goto(f"/m/{world.manufacturer.slug}/resellers/{world.reseller.public_id}/")
    page.locator("summary", has_text="Status").click()
    visitor.click(page.get_by_role("button", name="Suspend"))
    world.partnership.refresh_from_db()
    assert world.partnership.status == PartnershipStatus.SUSPENDED
