"""Priority support: the conversations of partners whose tier gives it come first in the
manufacturer's inbox, marked, on every page and in every sort."""

import re

import pytest

from communications.selectors import inbox_page, visible_conversations
from partners.services.tiers import partner_tier_set
from tests.accounts.factories import ResellerFactory
from tests.communications.conftest import start
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def card_order(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="conversation-(\d+)"', response.content.decode())]


def marked_priority(response) -> set[int]:
    """The cards that carry the priority marker."""
    text = response.content.decode()
    marked = set()
    for pk in card_order(response):
        card = text[text.index(f'id="conversation-{pk}"') :]
        following = re.search(r'id="conversation-\d+"', card[20:])
        card = card[: following.start() + 20] if following else card
        if 'data-testid="priority"' in card:
            marked.add(pk)
    return marked


@pytest.fixture
def silver_partner(inbox):
    partnership = PartnershipFactory(
        manufacturer=inbox.tenant, reseller=ResellerFactory(name="Priority Sound")
    )
    partner_tier_set(
        partnership=partnership,
        tier=tier_named(inbox.tenant, "Silver"),
        by=inbox.manager,
        reason="Three strong months",
    )
    return partnership


def test_a_priority_partners_conversation_comes_first_and_is_marked(
    inbox, client_for, silver_partner
):
    older_priority = start(silver_partner, body="Urgent: the amplifier is dead")
    newer = start(inbox.partnership, body="Any news on the catalogue?")

    response = client_for(inbox.manager).get(inbox.url("inbox"))

    assert card_order(response) == [older_priority.pk, newer.pk]
    assert marked_priority(response) == {older_priority.pk}
    # The oldest-first and waiting-longest sorts keep priority first too.
    for sort in ("oldest", "waiting"):
        sorted_page = client_for(inbox.manager).get(inbox.url("inbox"), {"sort": sort})
        assert card_order(sorted_page)[0] == older_priority.pk


def test_a_demoted_partner_loses_its_place(inbox, client_for, silver_partner):
    older = start(silver_partner, body="Urgent")
    newer = start(inbox.partnership, body="Question")
    partner_tier_set(
        partnership=silver_partner,
        tier=tier_named(inbox.tenant, "Bronze"),
        by=inbox.manager,
        reason="Cancellations",
    )

    response = client_for(inbox.manager).get(inbox.url("inbox"))

    assert card_order(response) == [newer.pk, older.pk]
    assert marked_priority(response) == set()


def test_keyset_paging_walks_priority_first_then_the_rest_once_each_way(inbox, silver_partner):
    from channel.benefits import priority_partnership_ids

    plain = [start(inbox.partnership, body=f"plain {n}") for n in range(4)]
    urgent = [start(silver_partner, body=f"urgent {n}") for n in range(3)]
    rows = visible_conversations(membership=inbox.manager.manufacturer_memberships.get())
    ids = priority_partnership_ids(inbox.tenant.pk)
    expected = [c.pk for c in reversed(urgent)] + [c.pk for c in reversed(plain)]

    pages, cursor = [], None
    while True:
        page = inbox_page(rows, after=cursor, page_size=2, priority_ids=ids)
        pages.append(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [c.pk for page in pages for c in page.rows] == expected
    # Back from the page that straddles priority and the rest.
    back = inbox_page(rows, before=pages[2].previous_cursor, page_size=2, priority_ids=ids)
    assert [c.pk for c in back.rows] == [c.pk for c in pages[1].rows]


def test_priority_is_per_tenant_and_shows_nothing_outside_a_reps_portfolio(
    inbox, client_for, silver_partner
):
    """Another manufacturer's Silver partner, the same reseller company, gains nothing here;
    a rep without these customers sees neither conversation."""
    foreign_reseller = inbox.foreign_partnership
    partner_tier_set(
        partnership=foreign_reseller,
        tier=tier_named(inbox.other, "Silver"),
        by=inbox.other_manager,
        reason="Grew",
    )
    mine = start(inbox.partnership, body="Newest, but this tenant's Bronze partner")
    urgent = start(silver_partner, body="Urgent")
    theirs = start(foreign_reseller, body="Another tenant's")

    staff = client_for(inbox.manager).get(inbox.url("inbox"))
    assert card_order(staff) == [urgent.pk, mine.pk]
    assert theirs.pk not in card_order(staff)
    other_staff = client_for(inbox.other_manager).get(inbox.url("inbox", tenant=inbox.other))
    assert card_order(other_staff) == [theirs.pk]
    assert marked_priority(other_staff) == {theirs.pk}
    assert card_order(client_for(inbox.seller).get(inbox.url("inbox"))) == []
    assert client_for(inbox.reseller_user).get(inbox.url("inbox")).status_code == 404
