"""Announcements: a manufacturer tells exactly its chosen partners of new services, service
areas, promotions and planned downtime; each reseller sees what it was told, until it is
withdrawn; nobody else reaches any of it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from channel.models import Partnership, PartnershipStatus
from notifications.models import Notification, NotificationKind, NotificationPreference
from partners.models import Announcement, AnnouncementDelivery, AnnouncementStatus, Audience
from partners.services import PartnerRefused
from partners.services.announcements import (
    AnnouncementValues,
    announcement_delete,
    announcement_publish,
    announcement_save,
    announcement_withdraw,
    audience_of,
)
from partners.services.tiers import partner_tier_set
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def url(manufacturer, rest=""):
    return f"/m/{manufacturer.slug}/partners/announcements/{rest}"


def reseller_url(partnership):
    return f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/announcements/"


@pytest.fixture
def ladder(manufacturer, manager):
    """Four partners of one tenant: Bronze (no tier row), Silver, Gold, and a suspended
    Gold; each reseller with one user."""
    partners = {}
    for name in ("Bronze", "Silver", "Gold", "Suspended"):
        partnership = PartnershipFactory(
            manufacturer=manufacturer, reseller=ResellerFactory(name=f"{name} Audio")
        )
        ResellerUserFactory(reseller=partnership.reseller)
        partners[name] = partnership
    for name, tier in (("Silver", "Silver"), ("Gold", "Gold"), ("Suspended", "Gold")):
        partner_tier_set(
            partnership=partners[name], tier=tier_named(manufacturer, tier), by=manager, reason="x"
        )
    Partnership.objects.filter(pk=partners["Suspended"].pk).update(
        status=PartnershipStatus.SUSPENDED
    )
    return partners


def write(manufacturer, by, **fields):
    values = {"kind": "new_service", "title": "Installation service", "body": "We install."}
    values.update(fields)
    return announcement_save(
        manufacturer=manufacturer, announcement=None, values=AnnouncementValues(**values), by=by
    )


def names(queryset):
    return sorted(p.reseller.name for p in queryset.select_related("reseller"))


def test_the_audience_is_every_active_partner_a_tier_and_above_or_named_ones(
    manufacturer, manager, ladder
):
    everyone = write(manufacturer, manager)
    assert names(audience_of(everyone)) == ["Bronze Audio", "Gold Audio", "Silver Audio"]

    silver_up = write(
        manufacturer,
        manager,
        audience=Audience.MIN_TIER,
        min_tier=tier_named(manufacturer, "Silver"),
    )
    assert names(audience_of(silver_up)) == ["Gold Audio", "Silver Audio"]
    gold = write(
        manufacturer, manager, audience=Audience.MIN_TIER, min_tier=tier_named(manufacturer, "Gold")
    )
    assert names(audience_of(gold)) == ["Gold Audio"]
    # The entry tier holds the partners without a tier row.
    bronze_up = write(
        manufacturer,
        manager,
        audience=Audience.MIN_TIER,
        min_tier=tier_named(manufacturer, "Bronze"),
    )
    assert names(audience_of(bronze_up)) == ["Bronze Audio", "Gold Audio", "Silver Audio"]

    named = write(
        manufacturer,
        manager,
        audience=Audience.NAMED,
        recipient_ids=[ladder["Bronze"].pk, ladder["Suspended"].pk],
    )
    assert names(audience_of(named)) == ["Bronze Audio"]  # a suspended partner hears nothing


def test_publishing_tells_each_partner_once_as_each_user_chose(manufacturer, manager, ladder):
    muted = ResellerUserFactory(reseller=ladder["Gold"].reseller).user
    NotificationPreference.objects.create(
        user=muted, manufacturer=manufacturer, kind=NotificationKind.PARTNER_ANNOUNCEMENT,
        channel="off",
    )  # fmt: skip
    downtime = write(
        manufacturer,
        manager,
        kind="downtime",
        title="Ordering offline",
        body="Maintenance of the ordering system.",
        audience=Audience.MIN_TIER,
        min_tier=tier_named(manufacturer, "Silver"),
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=3),
    )

    assert announcement_publish(announcement=downtime, by=manager) == 2
    told = Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT)
    assert sorted(n.user.reseller_memberships.get().reseller.name for n in told) == [
        "Gold Audio",
        "Silver Audio",
    ]
    assert muted not in [n.user for n in told]
    assert all("Planned downtime" in n.title and "Ordering offline" in n.title for n in told)
    assert all(f"#announcement-{downtime.pk}" in n.url for n in told)
    assert set(AnnouncementDelivery.objects.values_list("partnership_id", flat=True)) == {
        ladder["Silver"].pk,
        ladder["Gold"].pk,
    }
    with pytest.raises(PartnerRefused, match="already published"):
        announcement_publish(announcement=downtime, by=manager)
    assert told.count() == 2
    with pytest.raises(PartnerRefused, match="cannot be changed"):
        announcement_save(
            manufacturer=manufacturer,
            announcement=downtime,
            values=AnnouncementValues(kind="other", title="Changed", body="x"),
            by=manager,
        )
    assert Announcement.objects.get(pk=downtime.pk).title == "Ordering offline"


def test_withdrawing_takes_it_off_the_partner_page_with_its_notifications(
    client_for, manufacturer, manager, ladder
):
    news = write(manufacturer, manager, title="We now serve Austria", kind="service_area")
    announcement_publish(announcement=news, by=manager)
    silver_user = ladder["Silver"].reseller.memberships.get().user
    page = client_for(silver_user).get(reseller_url(ladder["Silver"])).content.decode()
    assert "We now serve Austria" in page and "Service area" in page

    announcement_withdraw(announcement=news)
    page = client_for(silver_user).get(reseller_url(ladder["Silver"])).content.decode()
    assert "We now serve Austria" not in page and "No announcements from" in page
    assert not Notification.objects.filter(topic=f"announcement:{news.pk}").exists()
    with pytest.raises(PartnerRefused, match="Only a published"):
        announcement_withdraw(announcement=news)


def test_a_partner_sees_only_what_it_was_told_and_a_later_partner_not_the_old_news(
    client_for, manufacturer, manager, ladder
):
    gold_only = write(
        manufacturer,
        manager,
        title="Gold co-marketing fund",
        kind="promotion",
        audience=Audience.NAMED,
        recipient_ids=[ladder["Gold"].pk],
    )
    announcement_publish(announcement=gold_only, by=manager)
    gold_user = ladder["Gold"].reseller.memberships.get().user
    bronze_user = ladder["Bronze"].reseller.memberships.get().user
    assert (
        "Gold co-marketing fund"
        in client_for(gold_user).get(reseller_url(ladder["Gold"])).content.decode()
    )
    assert (
        "Gold co-marketing fund"
        not in client_for(bronze_user).get(reseller_url(ladder["Bronze"])).content.decode()
    )
    # Another reseller's page is not theirs to open.
    assert client_for(bronze_user).get(reseller_url(ladder["Gold"])).status_code == 404

    newcomer = PartnershipFactory(manufacturer=manufacturer)
    newcomer_user = ResellerUserFactory(reseller=newcomer.reseller).user
    page = client_for(newcomer_user).get(reseller_url(newcomer)).content.decode()
    assert "Gold co-marketing fund" not in page


def test_impossible_announcements_are_refused_and_nothing_is_written(
    manufacturer, other_manufacturer, manager, ladder
):
    stranger = PartnershipFactory(manufacturer=other_manufacturer)
    cases = [
        ({"title": "  "}, "needs a title"),
        ({"body": ""}, "Write what"),
        ({"kind": "downtime"}, "needs the time it starts and ends"),
        (
            {"starts_at": timezone.now(), "ends_at": timezone.now() - timedelta(hours=1)},
            "not after the start",
        ),
        ({"audience": Audience.MIN_TIER}, "minimum tier"),
        (
            {"audience": Audience.MIN_TIER, "min_tier": tier_named(other_manufacturer, "Gold")},
            "minimum tier",
        ),
        ({"audience": Audience.NAMED}, "at least one partner"),
        ({"audience": Audience.NAMED, "recipient_ids": [stranger.pk]}, "not your partners"),
        ({"recipient_ids": [ladder["Gold"].pk]}, "Only an announcement for named partners"),
        ({"kind": "rumour"}, "Unknown kind"),
    ]
    for fields, message in cases:
        with pytest.raises(PartnerRefused, match=message):
            write(manufacturer, manager, **fields)
    assert not Announcement.objects.exists()

    ended = write(
        manufacturer,
        manager,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(PartnerRefused, match="already ended"):
        announcement_publish(announcement=ended, by=manager)
    nobody = write(
        manufacturer, manager, audience=Audience.NAMED, recipient_ids=[ladder["Suspended"].pk]
    )
    with pytest.raises(PartnerRefused, match="nobody would be told"):
        announcement_publish(announcement=nobody, by=manager)
    assert not Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT).exists()
    assert Announcement.objects.filter(status=AnnouncementStatus.DRAFT).count() == 2


def test_only_a_draft_can_be_deleted(manufacturer, manager, ladder):
    draft, published = write(manufacturer, manager), write(manufacturer, manager)
    announcement_publish(announcement=published, by=manager)
    announcement_delete(announcement=draft)
    with pytest.raises(PartnerRefused, match="Only a draft"):
        announcement_delete(announcement=published)
    assert list(Announcement.objects.values_list("pk", flat=True)) == [published.pk]


def test_a_manager_writes_publishes_and_withdraws_through_the_pages(
    client_for, manufacturer, manager, ladder
):
    client = client_for(manager)
    assert client.get(url(manufacturer)).status_code == 200
    bad = client.post(
        url(manufacturer, "new/"),
        {"kind": "downtime", "title": "Maintenance", "body": "Offline", "audience": "all"},
    )
    assert bad.status_code == 400
    assert "Planned downtime needs the time it starts and ends." in bad.content.decode()
    assert not Announcement.objects.exists()

    response = client.post(
        url(manufacturer, "new/"),
        {
            "kind": "promotion",
            "title": "Spring promotion",
            "body": "Ten percent off installation kits.",
            "audience": "min_tier",
            "min_tier": tier_named(manufacturer, "Silver").pk,
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        manufacturer, f"{announcement.pk}/"
    )
    detail = client.get(url(manufacturer, f"{announcement.pk}/")).content.decode()
    assert "2 active partners are in this audience today." in detail

    assert client.post(url(manufacturer, f"{announcement.pk}/publish/")).status_code == 302
    page = client.get(url(manufacturer, f"{announcement.pk}/")).content.decode()
    assert "Told 2 partners" in page and "Silver Audio" in page and "Bronze Audio" not in page
    # A published announcement's edit page leads back to it; nothing changes.
    assert client.post(
        url(manufacturer, f"{announcement.pk}/edit/"),
        {"kind": "other", "title": "Changed", "body": "x", "audience": "all"},
    )["Location"] == url(manufacturer, f"{announcement.pk}/")
    assert Announcement.objects.get().title == "Spring promotion"

    listing = client.get(url(manufacturer, "?status=published&q=spring")).content.decode()
    assert "Spring promotion" in listing
    assert "Spring promotion" not in client.get(url(manufacturer, "?status=draft")).content.decode()
    csv = b"".join(client.get(url(manufacturer, "?format=csv")).streaming_content)
    lines = csv.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "Spring promotion" in lines[1] and lines[1].endswith(",2")

    assert client.post(url(manufacturer, f"{announcement.pk}/withdraw/")).status_code == 302
    assert Announcement.objects.get().status == AnnouncementStatus.WITHDRAWN


def test_reps_other_tenants_resellers_and_anonymous_reach_none_of_it(
    client, client_for, manufacturer, other_manufacturer, manager, seller, make_member, ladder
):
    draft = write(manufacturer, manager, title="Secret plans")
    stranger = make_member(other_manufacturer, Role.MANAGER)
    reseller_user = ladder["Gold"].reseller.memberships.get().user
    pages = ["", "new/", f"{draft.pk}/", f"{draft.pk}/edit/"]
    actions = [f"{draft.pk}/publish/", f"{draft.pk}/delete/", f"{draft.pk}/withdraw/"]
    for rest in pages:
        assert client_for(seller).get(url(manufacturer, rest)).status_code == 403
        assert client_for(stranger).get(url(manufacturer, rest)).status_code == 404
        assert client_for(reseller_user).get(url(manufacturer, rest)).status_code == 404
        assert client.get(url(manufacturer, rest)).status_code == 302
    # A foreign id under the stranger's own tenant is unknown there.
    assert client_for(stranger).get(url(other_manufacturer, f"{draft.pk}/")).status_code == 404
    for rest in actions:
        assert client_for(seller).post(url(manufacturer, rest)).status_code == 403
        assert client_for(stranger).post(url(other_manufacturer, rest)).status_code == 404
    assert Announcement.objects.get().status == AnnouncementStatus.DRAFT
    assert not Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT).exists()


def test_the_partner_page_keeps_its_query_budget_as_news_piles_up(
    client_for, manufacturer, manager, ladder, django_assert_max_num_queries
):
    for n in range(30):
        announcement_publish(
            announcement=write(manufacturer, manager, title=f"News {n}"), by=manager
        )
    gold_user = ladder["Gold"].reseller.memberships.get().user
    client = client_for(gold_user)
    client.get(reseller_url(ladder["Gold"]))
    with django_assert_max_num_queries(16):
        page = client.get(reseller_url(ladder["Gold"])).content.decode()
    assert page.count('class="card mb-3" id="announcement-') == 25  # one page


def test_a_published_announcement_is_masculine_in_spanish_and_italian(
    client_for, manufacturer, manager, ladder
):
    announcement_publish(announcement=write(manufacturer, manager), by=manager)
    for language, word, wrong in (
        ("es", "Publicado", "Publicada"),
        ("it", "Pubblicato", "Pubblicata"),
    ):
        User.objects.filter(pk=manager.pk).update(language=language)
        page = client_for(manager).get(url(manufacturer)).content.decode()
        assert f">{word}<" in page and f">{wrong}<" not in page
