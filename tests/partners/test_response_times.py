"""A partner's response time to the manufacturer's messages: hand-computed, stored on the
monthly scorecard, shown on the scorecard and the leaderboard, and an automatic incident
when it crosses the manufacturer's threshold."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from communications.models import Message, MessageKind
from communications.services.conversations import conversation_start
from partners.metrics import compute_figures, day_start
from partners.models import Incident, IncidentKind, Scorecard
from partners.services.incidents import (
    incident_thresholds_of,
    incident_thresholds_save,
    incidents_raise_automatic,
)
from partners.services.scorecards import scorecards_compute
from tests.accounts.factories import ResellerFactory, UserFactory
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

D = Decimal


def at(day: int, hour: int, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def thread(partnership, *messages):
    """A conversation whose messages are (kind, when[, emoji]), the first the reseller's."""
    first_kind, first_at = messages[0][:2]
    conversation = conversation_start(
        partnership=partnership, kind="general", subject="", body="Hello", author=UserFactory()
    )
    Message.objects.filter(conversation=conversation).update(created_at=first_at)
    for kind, when, *emoji in messages[1:]:
        Message.objects.create(
            manufacturer_id=partnership.manufacturer_id,
            conversation=conversation,
            kind=kind,
            body="…",
            emoji=emoji[0] if emoji else "",
            created_at=when,
        )
    assert first_kind == MessageKind.RESELLER
    return conversation


R, S = MessageKind.RESELLER, MessageKind.STAFF


@pytest.fixture
def replies(manufacturer, partnership):
    """Partnership A answers twice in May: 5 h after the first of two staff messages
    (10:00, 11:00 → 15:00) and 2 h after the next (16:00 → 18:00): 3.5 h on average. A
    staff emoji mark (not a message it could read) is no question. In April it answered once,
    after 30 h. Partnership B never answered; it only wrote first."""
    thread(
        partnership,
        (R, at(4, 9)),
        (S, at(4, 10)),
        (S, at(4, 11)),
        (R, at(4, 15)),
        (S, at(4, 16)),
        (R, at(4, 18)),
        (S, at(5, 9), "👍"),
        (R, at(5, 10)),  # after only a mark: not a response
    )
    thread(partnership, (R, at(1, 8, month=4)), (S, at(1, 9, month=4)), (R, at(2, 15, month=4)))
    quiet = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Quiet"))
    thread(quiet, (R, at(6, 9)))
    return partnership, quiet


def test_the_response_time_is_hand_computed_per_month_and_period(manufacturer, replies):
    answering, quiet = replies

    monthly = compute_figures(
        manufacturer=manufacturer,
        start=day_start(date(2026, 4, 1)),
        end=day_start(date(2026, 6, 1)),
        by_month=True,
    )
    may, april = (
        monthly[(answering.pk, date(2026, 5, 1))],
        monthly[(answering.pk, date(2026, 4, 1))],
    )
    assert (may.responses, may.response_hours) == (2, D("3.5"))
    assert (april.responses, april.response_hours) == (1, D("30.0"))
    assert (quiet.pk, date(2026, 5, 1)) not in monthly  # wrote first, answered nothing

    period = compute_figures(
        manufacturer=manufacturer,
        start=day_start(date(2026, 4, 1)),
        end=day_start(date(2026, 6, 1)),
        by_month=False,
    )
    # (5 + 2 + 30) / 3 = 12.33… h
    assert (
        period[(answering.pk, None)].responses,
        period[(answering.pk, None)].response_hours,
    ) == (
        3,
        D("12.3"),
    )


def test_another_tenants_messages_never_count(manufacturer, other_manufacturer, replies):
    answering, _quiet = replies
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=answering.reseller)
    thread(foreign, (R, at(4, 9)), (S, at(4, 10)), (R, at(7, 10)))

    mine = compute_figures(
        manufacturer=manufacturer,
        start=day_start(date(2026, 5, 1)),
        end=day_start(date(2026, 6, 1)),
        by_month=False,
    )
    theirs = compute_figures(
        manufacturer=other_manufacturer,
        start=day_start(date(2026, 5, 1)),
        end=day_start(date(2026, 6, 1)),
        by_month=False,
    )
    assert mine[(answering.pk, None)].response_hours == D("3.5")
    assert set(theirs) == {(foreign.pk, None)}
    assert theirs[(foreign.pk, None)].response_hours == D("72.0")


def test_the_scorecard_stores_and_shows_it(client_for, manufacturer, manager, replies):
    answering, quiet = replies

    scorecards_compute(
        manufacturer=manufacturer, first_month=date(2026, 4, 1), last_month=date(2026, 5, 1)
    )

    card = Scorecard.objects.get(partnership=answering, month=date(2026, 5, 1))
    assert (card.responses, card.response_hours) == (2, D("3.5"))
    page = client_for(manager).get(
        f"/m/{manufacturer.slug}/partners/{answering.reseller.public_id}/",
        {"from": "2026-05-01", "to": "2026-05-31"},
    )
    assert page.status_code == 200
    assert 'data-figure="response-time">3.5 h<' in page.content.decode()
    quiet_page = client_for(manager).get(
        f"/m/{manufacturer.slug}/partners/{quiet.reseller.public_id}/",
        {"from": "2026-05-01", "to": "2026-05-31"},
    )
    assert 'data-figure="response-time">—<' in quiet_page.content.decode()


def test_slow_responses_raise_an_incident_at_the_manufacturers_threshold(
    manufacturer, manager, replies
):
    answering, _quiet = replies
    scorecards_compute(
        manufacturer=manufacturer, first_month=date(2026, 5, 1), last_month=date(2026, 5, 1)
    )
    today = date(2026, 6, 3)

    # The default (48 h over at least 3 replies) finds nothing in May's 3.5 h over 2.
    assert incidents_raise_automatic(manufacturer=manufacturer, today=today) == 0
    values = {
        name: getattr(incident_thresholds_of(manufacturer), name)
        for name in (
            "max_cancellation_rate",
            "min_address_accuracy",
            "min_satisfaction",
            "min_orders",
            "min_ratings",
        )
    }
    incident_thresholds_save(
        manufacturer=manufacturer,
        values={**values, "max_response_hours": 4, "min_responses": 2},
        by=manager,
    )
    assert incidents_raise_automatic(manufacturer=manufacturer, today=today) == 0  # 3.5 ≤ 4
    incident_thresholds_save(
        manufacturer=manufacturer,
        values={**values, "max_response_hours": 3, "min_responses": 2},
        by=manager,
    )
    assert incidents_raise_automatic(manufacturer=manufacturer, today=today) == 1
    [incident] = Incident.objects.filter(partnership=answering)
    assert incident.kind == IncidentKind.SLOW_RESPONSES and incident.raised_automatically
    assert "4 hours" in incident.summary  # 3.5 rounds half to even → shown as "4"
    # Run again: still one open incident.
    assert incidents_raise_automatic(manufacturer=manufacturer, today=today) == 0


def test_the_response_time_is_unknown_without_a_reply_even_after_staff_wrote(
    manufacturer, partnership
):
    thread(partnership, (R, at(4, 9)), (S, at(4, 10)))
    figures = compute_figures(
        manufacturer=manufacturer,
        start=day_start(date(2026, 5, 1)),
        end=day_start(date(2026, 5, 1) + timedelta(days=31)),
        by_month=False,
    )
    assert (partnership.pk, None) not in figures
