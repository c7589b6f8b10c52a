"""A manager's day, clicked through in Chromium: directory, profile, qualifications, inbox,
an order's workflow and a customer moved to another rep."""

import pytest
from playwright.sync_api import expect

from communications.models import Message
from orders.models import OrderStatus
from qualifications.models import QualificationGrant
from salesreps.models import PortfolioAssignment
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def accept_dialogs(visitor) -> None:
    visitor.page.on("dialog", lambda dialog: dialog.accept())


def test_manager_grants_and_revokes_a_qualification_and_moves_the_customer(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    accept_dialogs(visitor)
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.click(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Resellers")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resellers")
    expect(page.get_by_text("Klangwerk KG")).to_be_visible()
    visitor.click(page.get_by_role("link", name=world.reseller.name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.reseller.name)

    section = page.locator("#qualifications-section")
    section.get_by_placeholder("Qualification ID, e.g. PRO-AV-CERTIFIED").fill("ACME-PRO")
    visitor.click(section.get_by_role("button", name="Add"))
    section = page.locator("#qualifications-section")
    expect(section.get_by_role("button", name="Revoke")).to_be_visible()
    assert QualificationGrant.objects.filter(
        partnership=world.partnership, revoked_at__isnull=True
    ).exists()

    visitor.click(section.get_by_role("button", name="Revoke"))
    expect(page.locator("#qualifications-section")).to_contain_text(
        "This reseller holds no qualifications yet."
    )
    assert not QualificationGrant.objects.filter(
        partnership=world.partnership, revoked_at__isnull=True
    ).exists()

    panel = page.locator(f"#rep-assignment-panel-{world.partnership.pk}")
    panel.get_by_label("Sales rep").select_option(str(journeys.other_seller.pk))
    visitor.click(panel.get_by_role("button", name="Assign", exact=True))
    expect(page.locator(f"#rep-assignment-panel-{world.partnership.pk}")).to_contain_text(
        journeys.other_seller.display_name
    )
    current = PortfolioAssignment.objects.get(partnership=world.partnership, ended_at__isnull=True)
    assert current.rep == journeys.other_seller


def test_manager_triages_the_inbox_and_replies(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.click(
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Communications"
        )
    )
    card = page.locator(f"#conversation-{world.conversation.pk}")
    expect(card).to_be_visible()
    visitor.click(card.get_by_role("link", name="Open and reply"))
    page.get_by_label("Reply").fill("Yes, twelve in stock.")
    visitor.submit("Send")
    expect(page.get_by_text("Yes, twelve in stock.")).to_be_visible()
    assert Message.objects.filter(
        conversation=world.conversation, body="Yes, twelve in stock."
    ).exists()

    visitor.click(page.get_by_role("link", name="Communications").first)
    card = page.locator(f"#conversation-{world.conversation.pk}")
    menu = card.locator("details.menu").first
    visitor.click(menu.locator("summary"))
    visitor.click(menu.get_by_role("button", name="👍"))
    world.conversation.refresh_from_db()
    assert world.conversation.mark == "👍"


def test_manager_accepts_fulfils_and_completes_an_order(visit):
    journeys = build_journeys()
    order = journeys.placed_order
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.click(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Orders")
    )
    visitor.click(page.get_by_role("link", name=order.number, exact=True))
    for action, status in (
        ("Accept", "Accepted"),
        ("Mark as fulfilled", "Fulfilled"),
        ("Complete", "Completed"),
    ):
        visitor.click(page.locator("#status-panel").get_by_role("button", name=action, exact=True))
        expect(page.locator("#status-panel")).to_contain_text(status)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
