"""A manager announces planned downtime from the Partners tabs: the form refuses downtime
without its times, the draft says who will be told, publishing asks first; the partner's
user reads it from the menu and the bell, and a partner outside the audience never sees it.
Chromium, axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from channel.models import Partnership, PartnershipStatus
from partners.models import Announcement, AnnouncementStatus
from partners.services.tiers import partner_tier_set
from tests.browser.world import build_journeys
from tests.partners.factories import tier_named

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_announces_downtime_to_silver_partners_and_the_partner_reads_it(visit):
    journeys = build_journeys()
    world = journeys.a
    with scope(manufacturer=world.manufacturer):
        partner_tier_set(
            partnership=world.partnership,
            tier=tier_named(world.manufacturer, "Silver"),
            by=world.owner,
            reason="x",
        )
        # Every Silver-or-better partner of the tenant hears of it (ours is one of them).
        silver_up = Partnership.objects.filter(
            manufacturer=world.manufacturer,
            status=PartnershipStatus.ACTIVE,
            partner_tier__tier__rank__gte=1,
        ).count()
    n = silver_up
    partners = "1 partner" if n == 1 else f"{n} partners"
    starts = timezone.localtime() + timedelta(days=3)

    manager = visit()
    page = manager.page
    manager.login(journeys.manager.email)
    manager.goto(f"/m/{world.manufacturer.slug}/partners/")
    manager.click(page.get_by_role("link", name="Announcements"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Announcements")
    manager.click(page.get_by_role("link", name="New announcement"))

    page.get_by_label("Kind").select_option(label="Planned downtime")
    page.get_by_label("Title").fill("Ordering offline on Saturday night")
    page.get_by_label("Message").fill("We upgrade the ordering system.")
    page.get_by_label("Audience").select_option(label="Partners from a minimum tier")
    page.get_by_label("Minimum tier (for partners from a tier)").select_option(label="Silver")
    manager.submit("Save")  # no times: refused, nothing written
    expect(
        page.get_by_text("Planned downtime needs the time it starts and ends.").first
    ).to_be_visible()
    with scope(manufacturer=world.manufacturer):
        assert not Announcement.objects.filter(title="Ordering offline on Saturday night").exists()

    page.get_by_label("From", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Until", exact=True).fill(
        (starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    )
    manager.submit("Save")
    in_audience = (
        "1 active partner is in this audience today."
        if n == 1
        else f"{n} active partners are in this audience today."
    )
    expect(page.get_by_text(in_audience)).to_be_visible()

    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    manager.submit("Publish")
    told = "1 partner was told" if n == 1 else f"{n} partners were told"
    expect(page.get_by_text(f"Published; {told}.")).to_be_visible()
    assert questions == [f"Publish and tell {partners} now?"]
    expect(page.get_by_role("heading", name=f"Told {partners}")).to_be_visible()
    expect(page.get_by_text(world.reseller.name)).to_be_visible()

    partner = visit()
    partner.login(world.reseller_user.email)
    partner.goto(f"/r/{world.reseller.public_id}/m/{world.manufacturer.slug}/offers/")
    partner.click(
        partner.page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Announcements"
        )
    )
    card = partner.page.locator("article").first
    expect(card).to_contain_text("Ordering offline on Saturday night")
    expect(card).to_contain_text("Planned downtime")
    partner.goto("/notifications/")
    expect(partner.page.get_by_text("Planned downtime at").first).to_be_visible()

    outsider = journeys.other_partnership
    with scope(manufacturer=world.manufacturer):
        announcement = Announcement.objects.get(title="Ordering offline on Saturday night")
        assert announcement.status == AnnouncementStatus.PUBLISHED
        assert not announcement.deliveries.filter(partnership=outsider).exists()
