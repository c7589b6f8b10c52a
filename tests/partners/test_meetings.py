"""Check-ins (Silver) and business reviews (Gold): scheduled from the tier, held with a frozen
snapshot of the period's figures, notes and follow-ups; due and overdue ones listed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from notifications.models import Notification, NotificationKind
from partners.models import FollowUp, Meeting, MeetingKind
from partners.services import PartnerRefused
from partners.services.meetings import (
    FollowUpValues,
    meeting_hold,
    meeting_period,
    meetings_schedule_all,
    shift_months,
)
from partners.services.tiers import partner_account_manager_set, partner_tier_set
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.orders.factories import make_order
from tests.partners.conftest import at
from tests.partners.factories import MeetingFactory, tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def url(manufacturer, rest=""):
    return f"/m/{manufacturer.slug}/partners/{rest}"


def place(partnership, name, by):
    partner_tier_set(
        partnership=partnership, tier=tier_named(partnership.manufacturer, name), by=by, reason="x"
    )


def open_meeting(partnership):
    return Meeting.objects.get(partnership=partnership, held_at__isnull=True)


def test_the_tier_schedules_a_monthly_check_in_or_a_quarterly_review(manufacturer, manager):
    silver, gold = (
        PartnershipFactory(manufacturer=manufacturer),
        PartnershipFactory(manufacturer=manufacturer),
    )
    bronze = PartnershipFactory(manufacturer=manufacturer)
    today = timezone.localdate()

    place(silver, "Silver", manager)
    place(gold, "Gold", manager)

    check_in, review = open_meeting(silver), open_meeting(gold)
    assert (check_in.kind, check_in.due_on) == (MeetingKind.CHECK_IN, shift_months(today, 1))
    assert (review.kind, review.due_on) == (MeetingKind.REVIEW, shift_months(today, 3))
    assert not Meeting.objects.filter(partnership=bronze).exists()
    # The review looks back on the three complete months before it is due.
    assert (review.period_end - review.period_start).days in range(88, 93)

    place(gold, "Silver", manager)  # demoted: the review gives way to a monthly check-in
    assert open_meeting(gold).kind == MeetingKind.CHECK_IN
    assert Meeting.objects.filter(partnership=gold).count() == 1
    place(silver, "Bronze", manager)
    assert not Meeting.objects.filter(partnership=silver).exists()


def test_month_arithmetic_keeps_the_day_or_the_month_end():
    from datetime import date

    assert shift_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert shift_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert meeting_period(due_on=date(2026, 3, 10), months=3) == (
        date(2025, 12, 1),
        date(2026, 2, 28),
    )


def test_holding_freezes_the_period_figures_and_schedules_the_next(
    manufacturer, manager, april_may, products
):
    partnership = april_may.a
    meeting = MeetingFactory(
        partnership=partnership,
        due_on=at(5, 10).date(),
        period_start=at(4, 1).date(),
        period_end=at(4, 30).date(),
    )
    held = meeting_hold(
        meeting=meeting,
        by=manager,
        notes="Went through April.",
        follow_ups=[FollowUpValues(description="Send the price sheet", owner=manager)],
    )
    # April by hand (tests/partners/conftest.py): o1-o4 count, o5 awaits payment.
    assert held.snapshot["orders"] == 4
    assert held.snapshot["completion_rate"] == "25.00"
    assert held.snapshot["cancellation_rate"] == "25.00"

    make_order(partnership, [products[0]], created_at=at(4, 20))  # a late April order
    held.refresh_from_db()
    assert held.snapshot["orders"] == 4  # frozen, not recomputed

    assert FollowUp.objects.get(meeting=held).owner == manager
    # Bronze by default: no next one. As Silver it gets its next check-in a month on.
    assert not Meeting.objects.filter(partnership=partnership, held_at__isnull=True).exists()


def test_a_meeting_is_held_once_and_needs_notes(manufacturer, manager, partnership, make_member):
    meeting = MeetingFactory(partnership=partnership)
    with pytest.raises(PartnerRefused):
        meeting_hold(meeting=meeting, by=manager, notes="   ", follow_ups=[])
    from tests.accounts.factories import ManufacturerFactory

    stranger = make_member(ManufacturerFactory(slug="elsewhere"), Role.MANAGER)
    with pytest.raises(PartnerRefused):
        meeting_hold(
            meeting=meeting,
            by=manager,
            notes="ok",
            follow_ups=[FollowUpValues(description="Call back", owner=stranger)],
        )
    meeting.refresh_from_db()
    assert meeting.held_at is None and not FollowUp.objects.exists()

    meeting_hold(meeting=meeting, by=manager, notes="ok", follow_ups=[])
    with pytest.raises(PartnerRefused):
        meeting_hold(meeting=meeting, by=manager, notes="again", follow_ups=[])


def test_held_meeting_schedules_the_next_from_the_held_day(manufacturer, manager):
    partnership = PartnershipFactory(manufacturer=manufacturer)
    place(partnership, "Silver", manager)
    first = open_meeting(partnership)
    meeting_hold(meeting=first, by=manager, notes="Fine.", follow_ups=[])
    nxt = open_meeting(partnership)
    assert nxt.pk != first.pk
    assert nxt.due_on == shift_months(timezone.localdate(), 1)


def test_the_account_manager_hears_once_when_a_meeting_is_due_else_the_rep(
    manufacturer, manager, owner, seller
):
    gold = PartnershipFactory(manufacturer=manufacturer)
    silver = PartnershipFactory(manufacturer=manufacturer)
    later = PartnershipFactory(manufacturer=manufacturer)
    for partnership, name in ((gold, "Gold"), (silver, "Silver"), (later, "Silver")):
        place(partnership, name, owner)
    partner_account_manager_set(partnership=gold, user=manager, by=owner)
    portfolio_assign(manufacturer=manufacturer, partnership=silver, rep=seller, by=owner)
    portfolio_assign(manufacturer=manufacturer, partnership=later, rep=seller, by=owner)
    today = timezone.localdate()
    Meeting.objects.filter(partnership__in=[gold, silver]).update(due_on=today + timedelta(days=3))

    meetings_schedule_all()
    meetings_schedule_all()  # idempotent: nobody hears twice

    def told(user):
        return Notification.objects.filter(user=user, kind=NotificationKind.MEETING_DUE)

    assert told(manager).count() == 1
    assert gold.reseller.name in told(manager).get().title
    assert told(seller).count() == 1  # silver has no account manager; `later` is not due
    assert silver.reseller.name in told(seller).get().title
    assert not told(owner).exists()


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def world(manufacturer, manager, owner, seller, make_member):
    today = timezone.localdate()
    mine = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Alpha"))
    theirs = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Beta"))
    portfolio_assign(manufacturer=manufacturer, partnership=mine, rep=seller, by=owner)
    other_rep = make_member(manufacturer, Role.SELLER)
    portfolio_assign(manufacturer=manufacturer, partnership=theirs, rep=other_rep, by=owner)
    overdue = MeetingFactory(partnership=mine, due_on=today - timedelta(days=4))
    due = MeetingFactory(partnership=theirs, kind=MeetingKind.REVIEW, due_on=today + timedelta(2))
    return {"mine": mine, "theirs": theirs, "overdue": overdue, "due": due, "today": today}


def test_managers_see_due_and_overdue_meetings_with_filters_and_csv(
    client_for, manager, manufacturer, world
):
    client = client_for(manager)
    page = client.get(url(manufacturer, "meetings/")).content.decode()
    assert "Alpha" in page and "Beta" in page
    assert "1 overdue" in page and "1 due this week" in page

    overdue_only = client.get(url(manufacturer, "meetings/?status=overdue")).content.decode()
    assert "Alpha" in overdue_only and "Beta" not in overdue_only
    reviews = client.get(url(manufacturer, "meetings/?kind=quarterly")).content.decode()
    assert "Beta" in reviews and "Alpha" not in reviews
    by_partner = client.get(url(manufacturer, "meetings/?sort=-partner")).content.decode()
    assert by_partner.index("Beta") < by_partner.index("Alpha")
    held_only = client.get(url(manufacturer, "meetings/?status=held")).content.decode()
    assert "No check-ins or reviews match" in held_only

    csv = b"".join(client.get(url(manufacturer, "meetings/?format=csv")).streaming_content)
    lines = csv.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3 and "Overdue" in lines[1] and "Alpha" in lines[1]

    board = client.get(url(manufacturer)).content.decode()
    assert "1 check-in overdue" in board


def test_a_rep_sees_only_the_meetings_of_their_portfolio(client_for, seller, manufacturer, world):
    client = client_for(seller)
    page = client.get(url(manufacturer, "meetings/")).content.decode()
    assert "Alpha" in page and "Beta" not in page
    assert client.get(url(manufacturer, f"meetings/{world['overdue'].pk}/")).status_code == 200
    assert client.get(url(manufacturer, f"meetings/{world['due'].pk}/")).status_code == 404
    response = client.post(
        url(manufacturer, f"meetings/{world['due'].pk}/hold/"), {"notes": "Sneaky"}
    )
    assert response.status_code == 404
    assert Meeting.objects.get(pk=world["due"].pk).held_at is None


def test_other_tenants_resellers_and_anonymous_reach_nothing(
    client, client_for, manufacturer, other_manufacturer, make_member, world
):
    stranger = make_member(other_manufacturer, Role.MANAGER)
    meeting = world["overdue"]
    c = client_for(stranger)
    assert c.get(f"/m/{other_manufacturer.slug}/partners/meetings/{meeting.pk}/").status_code == 404
    assert c.get(url(manufacturer, "meetings/")).status_code == 404
    reseller_user = ResellerUserFactory(reseller=world["mine"].reseller).user
    assert client_for(reseller_user).get(url(manufacturer, "meetings/")).status_code == 404
    response = client.get(url(manufacturer, "meetings/"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert (
        c.post(
            f"/m/{other_manufacturer.slug}/partners/meetings/{meeting.pk}/hold/", {"notes": "x"}
        ).status_code
        == 404
    )


def test_holding_through_the_page_and_following_up(
    client_for, seller, manager, manufacturer, world
):
    client = client_for(seller)
    meeting = world["overdue"]
    bad = client.post(url(manufacturer, f"meetings/{meeting.pk}/hold/"), {"notes": ""})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).held_at is None

    response = client.post(
        url(manufacturer, f"meetings/{meeting.pk}/hold/"),
        {"notes": "Reviewed the quarter.", "description": "Send samples", "owner": manager.pk},
    )
    assert response.status_code == 302
    page = client.get(url(manufacturer, f"meetings/{meeting.pk}/")).content.decode()
    assert "Reviewed the quarter." in page and "Send samples" in page
    follow_up = FollowUp.objects.get(meeting=meeting)
    client.post(url(manufacturer, f"follow-ups/{follow_up.pk}/done/"), {"done": "1"})
    follow_up.refresh_from_db()
    assert follow_up.is_done and follow_up.done_at is not None

    # Another rep cannot tick it.
    other_follow_up = FollowUp.objects.create(
        manufacturer=manufacturer, meeting=world["due"], description="Theirs"
    )
    assert (
        client.post(
            url(manufacturer, f"follow-ups/{other_follow_up.pk}/done/"), {"done": "1"}
        ).status_code
        == 404
    )
    assert (
        client.post(url(manufacturer, "follow-ups/999999/done/"), {"done": "1"}).status_code == 404
    )


def test_the_scorecard_shows_the_partner_meetings_and_the_reseller_its_next_date(
    client_for, manager, manufacturer, world
):
    reseller = world["mine"].reseller
    page = client_for(manager).get(url(manufacturer, f"{reseller.public_id}/")).content.decode()
    assert "Check-ins and reviews" in page and "Overdue" in page
    user = ResellerUserFactory(reseller=reseller).user
    tier_page = client_for(user).get(f"/r/{reseller.public_id}/m/{manufacturer.slug}/partner/")
    assert "Your next Monthly check-in" in tier_page.content.decode()


def test_the_meeting_list_has_a_query_budget(
    client_for, manager, manufacturer, django_assert_max_num_queries
):
    for _n in range(25):
        MeetingFactory(partnership=PartnershipFactory(manufacturer=manufacturer))
    client = client_for(manager)
    client.get(url(manufacturer, "meetings/"))
    # session, user, membership, tenant, 2FA device, counts, page count, page rows,
    # messages/notifications badge and the layout's own reads
    with django_assert_max_num_queries(14):
        response = client.get(url(manufacturer, "meetings/"))
    assert response.content.decode().count("/partners/meetings/") >= 25
