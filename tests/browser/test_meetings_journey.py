"""A sales rep finds an overdue check-in through the menu, holds it with a follow-up, and a
manager then sees it held; the other rep's partner never shows. Chromium, axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from partners.models import FollowUp, Meeting
from partners.services.tiers import partner_tier_set
from tests.browser.world import build_journeys
from tests.partners.factories import tier_named

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_holds_an_overdue_check_in_of_their_partner_and_the_manager_sees_it_held(visit):
    journeys = build_journeys()
    world = journeys.a
    with scope(manufacturer=world.manufacturer):
        silver = tier_named(world.manufacturer, "Silver")
        for partnership in (world.partnership, journeys.other_partnership):
            partner_tier_set(partnership=partnership, tier=silver, by=world.owner, reason="x")
        overdue = Meeting.objects.get(partnership=world.partnership, held_at__isnull=True)
        Meeting.objects.filter(pk=overdue.pk).update(
            due_on=timezone.localdate() - timedelta(days=3)
        )

    rep = visit()
    page = rep.page
    rep.login(world.seller.email)
    rep.click(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Check-ins")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check-ins and reviews")
    expect(page.locator("#meeting-counts")).to_contain_text("1 overdue")
    table = page.locator("#meeting-table")
    expect(table).to_contain_text(world.reseller.name)
    expect(table).not_to_contain_text(journeys.other_partnership.reseller.name)

    rep.click(table.locator("tbody a").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.reseller.name)
    expect(page.get_by_text("Overdue").first).to_be_visible()
    page.get_by_label("Notes").fill("   ")  # blank notes: the form says so and nothing is held
    rep.submit("Record as held")
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    overdue.refresh_from_db()
    assert overdue.held_at is None

    page.get_by_label("Notes").fill("Went through the autumn orders.")
    page.get_by_label("Follow-up (optional)").fill("Send the winter price sheet")
    rep.submit("Record as held")
    expect(page.get_by_text("Recorded as held")).to_be_visible()
    expect(page.locator("#meeting-notes")).to_contain_text("autumn orders")
    expect(page.locator("#follow-ups")).to_contain_text("Send the winter price sheet")

    rep.click(page.locator("#follow-ups").get_by_role("button", name="Mark done"))
    expect(page.get_by_text("Follow-up marked done.")).to_be_visible()
    with scope(manufacturer=world.manufacturer):
        assert FollowUp.objects.get(meeting=overdue).is_done

    manager = visit()
    manager.login(journeys.manager.email)
    manager.goto(f"/m/{world.manufacturer.slug}/partners/meetings/?status=held")
    held = manager.page.locator("#meeting-table")
    expect(held).to_contain_text(world.reseller.name)
    expect(held).not_to_contain_text(journeys.other_partnership.reseller.name)
