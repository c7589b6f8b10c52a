"""The inbox: tabs (membership and counts), search, keyset paging, visibility, query budget."""

import re

import pytest

from communications.models import Conversation, ConversationType, Message
from communications.selectors import inbox_page, tab_counts, visible_conversations
from communications.services.comments import comment_add
from communications.services.conversations import reseller_reply, staff_reply
from communications.services.marks import conversation_mark_done, message_set_emoji
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.communications.conftest import start
from tests.resellers.factories import PartnershipFactory

TAB_KINDS = {
    "qualification": ConversationType.QUALIFICATION,
    "inventory": ConversationType.INVENTORY,
    "opportunity": ConversationType.OPPORTUNITY,
    "products": ConversationType.PRODUCTS,
    "shopify": ConversationType.SHOPIFY,
}


def card_ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="conversation-(\d+)"', response.content.decode())}


def tab_count(response, key: str) -> int:
    match = re.search(
        rf'data-tab="{key}".*?<span class="badge[^"]*tab-count">(\d+)</span>',
        response.content.decode(),
        re.S,
    )
    assert match, f"tab {key} not rendered"
    return int(match.group(1))


@pytest.fixture
def one_of_each(inbox):
    """An unmarked conversation of each type, plus one marked of each type."""
    unmarked, marked = {}, {}
    for kind in ConversationType.values:
        unmarked[kind] = start(inbox.partnership, kind=kind, body=f"new {kind}")
        marked[kind] = start(inbox.partnership, kind=kind, body=f"done {kind}")
        conversation_mark_done(conversation=marked[kind])
    return unmarked, marked


def test_every_tab_shows_its_members_and_counts(inbox, client_for, one_of_each):
    unmarked, marked = one_of_each
    client = client_for(inbox.manager)

    response = client.get(inbox.url("inbox"))
    assert response.status_code == 200
    assert card_ids(response) == {c.pk for c in unmarked.values()}
    assert tab_count(response, "new") == len(ConversationType.values)
    assert tab_count(response, "marked") == len(ConversationType.values)
    for key in TAB_KINDS:
        assert tab_count(response, key) == 1

    for key, kind in TAB_KINDS.items():
        response = client.get(inbox.url("inbox"), {"tab": key})
        assert card_ids(response) == {unmarked[kind].pk}, key

    response = client.get(inbox.url("inbox"), {"tab": "marked"})
    assert card_ids(response) == {c.pk for c in marked.values()}


def test_counts_come_from_one_query(inbox, one_of_each, django_assert_num_queries):
    rows = visible_conversations(membership=inbox.manager.manufacturer_memberships.get())
    with django_assert_num_queries(1):
        counts = tab_counts(rows)
    assert counts == {
        "new": 6, "qualification": 1, "inventory": 1, "opportunity": 1,
        "products": 1, "shopify": 1, "marked": 6,
    }  # fmt: skip


def test_marking_moves_a_conversation_from_new_leads_to_marked(inbox, client_for):
    conversation = start(inbox.partnership, kind=ConversationType.INVENTORY)
    client = client_for(inbox.manager)
    assert conversation.pk in card_ids(client.get(inbox.url("inbox")))

    client.post(inbox.url("mark_done", conversation_id=conversation.pk))

    assert conversation.pk not in card_ids(client.get(inbox.url("inbox")))
    assert conversation.pk not in card_ids(client.get(inbox.url("inbox"), {"tab": "inventory"}))
    assert conversation.pk in card_ids(client.get(inbox.url("inbox"), {"tab": "marked"}))


def test_a_reseller_reply_brings_a_marked_conversation_back(inbox):
    conversation = start(inbox.partnership)
    conversation_mark_done(conversation=conversation)
    reseller_reply(conversation=conversation, author=inbox.reseller_user, body="And?")
    conversation.refresh_from_db()
    assert conversation.mark == ""


def test_an_emoji_on_any_message_marks_the_conversation(inbox):
    conversation = start(inbox.partnership)
    message = conversation.messages.get()
    message_set_emoji(message=message, emoji="🔥")
    conversation.refresh_from_db()
    assert conversation.mark == "🔥"
    message_set_emoji(message=message, emoji="")
    conversation.refresh_from_db()
    assert conversation.mark == ""


def test_search_by_reseller_and_message_text(inbox, client_for):
    other = PartnershipFactory(manufacturer=inbox.tenant, reseller=ResellerFactory(name="Zed AV"))
    mine = start(inbox.partnership, body="Need spare cables")
    theirs = start(other, body="Shopify sync is broken")
    client = client_for(inbox.manager)

    assert card_ids(client.get(inbox.url("inbox"), {"q": "Soundhouse"})) == {mine.pk}
    assert card_ids(client.get(inbox.url("inbox"), {"q": "shopify sync"})) == {theirs.pk}
    response = client.get(inbox.url("inbox"), {"q": "zed"})
    assert tab_count(response, "new") == 1
    assert card_ids(client.get(inbox.url("inbox"), {"q": "nothing like this"})) == set()


def test_keyset_paging_walks_every_conversation_once_newest_first(inbox, client_for):
    created = [start(inbox.partnership, body=f"message {n}") for n in range(7)]
    rows = visible_conversations(membership=inbox.manager.manufacturer_memberships.get())

    seen, cursor = [], None
    while True:
        page = inbox_page(rows, after=cursor, page_size=3)
        seen += [c.pk for c in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in reversed(created)]

    second = inbox_page(rows, after=inbox_page(rows, page_size=3).next_cursor, page_size=3)
    back = inbox_page(rows, before=second.previous_cursor, page_size=3)
    assert [c.pk for c in back.rows] == [c.pk for c in reversed(created)][:3]

    client = client_for(inbox.manager)
    response = client.get(inbox.url("inbox"), {"after": "junk"})
    assert response.status_code == 200


def test_the_inbox_has_a_query_budget_independent_of_its_size(
    inbox, client_for, django_assert_max_num_queries
):
    from qualifications.services import qualification_grant
    from tests.qualifications.factories import QualificationFactory

    qualification_grant(
        partnership=inbox.partnership,
        qualification=QualificationFactory(manufacturer=inbox.tenant),
        granted_by=None,
    )
    for n in range(30):
        partnership = PartnershipFactory(manufacturer=inbox.tenant)
        conversation = start(partnership, body=f"hello {n}")
        staff_reply(conversation=conversation, author=inbox.manager, body="hi")
        comment_add(conversation=conversation, author=inbox.manager, body="note")
    client = client_for(inbox.manager)
    client.get(inbox.url("inbox"))  # warm caches (content types, sessions)

    # session, user, membership, savepoints, counts, page, messages, grants, nav…
    with django_assert_max_num_queries(14):
        response = client.get(inbox.url("inbox"))
    assert len(card_ids(response)) == 25


def test_a_seller_sees_only_the_conversations_of_their_portfolio(inbox, client_for):
    mine = start(inbox.partnership)
    not_mine = start(PartnershipFactory(manufacturer=inbox.tenant))
    portfolio_assign(
        manufacturer=inbox.tenant, partnership=inbox.partnership, rep=inbox.seller, by=inbox.owner
    )
    client = client_for(inbox.seller)

    response = client.get(inbox.url("inbox"))
    assert card_ids(response) == {mine.pk}
    assert tab_count(response, "new") == 1
    assert client.get(inbox.url("detail", conversation_id=not_mine.pk)).status_code == 404
    assert client.get(inbox.url("detail", conversation_id=mine.pk)).status_code == 200
    response = client.post(inbox.url("mark_done", conversation_id=not_mine.pk))
    assert response.status_code == 404
    not_mine.refresh_from_db()
    assert not_mine.mark == ""


def test_another_tenant_and_outsiders_get_nothing(inbox, client_for, client):
    conversation = start(inbox.partnership)
    foreign = start(inbox.foreign_partnership)
    manager = client_for(inbox.manager)

    assert manager.get(inbox.url("detail", conversation_id=foreign.pk)).status_code == 404
    assert manager.get(inbox.url("detail", conversation_id=999999)).status_code == 404
    assert manager.get(inbox.url("inbox", tenant=inbox.other)).status_code == 404
    other = client_for(inbox.other_manager)
    assert other.get(inbox.url("detail", conversation_id=conversation.pk)).status_code == 404
    assert conversation.pk not in card_ids(other.get(inbox.url("inbox", tenant=inbox.other)))
    assert client_for(inbox.reseller_user).get(inbox.url("inbox")).status_code == 404
    response = client.get(inbox.url("inbox"))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_the_card_shows_the_resellers_context(inbox, client_for):
    start(inbox.partnership)
    response = client_for(inbox.manager).get(inbox.url("inbox"))
    html = response.content.decode()
    assert "Soundhouse GmbH" in html
    assert "hello@soundhouse.example" in html
    assert 'data-copy="hello@soundhouse.example"' in html
    assert "https://soundhouse.example" in html
    assert "Retailer" in html


def test_the_card_counts_open_orders_and_the_last_invoice_of_this_manufacturer_only(
    inbox, client_for
):
    from django.utils.timezone import localtime

    from core.formatting import local_date
    from qualifications.services import qualification_grant
    from tests.qualifications.factories import QualificationFactory
    from tests.resellers.sales_helpers import S, at, make_catalog, sale

    conversation = start(inbox.partnership)
    speaker = make_catalog(inbox.tenant)["A"]
    for status in (S.PLACED, S.ACCEPTED, S.CANCELLED):
        sale(inbox.partnership, [(speaker, 1)], when=at(2025, 5, 1), status=status)
    sale(inbox.partnership, [(speaker, 1)], when=at(2025, 3, 4), status=S.COMPLETED)
    sale(inbox.partnership, [(speaker, 1)], when=at(2025, 1, 9), status=S.FULFILLED)
    # the same reseller buys from the other manufacturer too: none of it belongs here
    lamp = make_catalog(inbox.other)["A"]
    sale(inbox.foreign_partnership, [(lamp, 1)], when=at(2025, 6, 30), status=S.COMPLETED)
    sale(inbox.foreign_partnership, [(lamp, 1)], when=at(2025, 6, 30), status=S.PLACED)
    for partnership, code in ((inbox.partnership, "PRO-AV"), (inbox.foreign_partnership, "LAMPS")):
        qualification_grant(
            partnership=partnership,
            qualification=QualificationFactory(manufacturer=partnership.manufacturer, code=code),
            granted_by=None,
        )

    response = client_for(inbox.manager).get(inbox.url("inbox"), {"tab": "all"})

    card = next(row for row in response.context["page"].rows if row.pk == conversation.pk)
    assert card.open_order_count == 3  # placed, accepted, fulfilled; not cancelled or completed
    assert card.last_invoice_at == at(2025, 3, 4)
    html = response.content.decode()
    assert "PRO-AV" in html and "LAMPS" not in html
    assert local_date(localtime(at(2025, 3, 4)), "medium") in html


def test_htmx_tab_switch_renders_only_the_body(inbox, client_for):
    start(inbox.partnership)
    response = client_for(inbox.manager).get(
        inbox.url("inbox"), {"tab": "marked"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="inbox-body"' in html
    assert "<html" not in html


def test_qualified_reseller_gets_the_blue_check_and_border(inbox, client_for):
    from qualifications.services import qualifying_status_set

    conversation = start(inbox.partnership)
    client = client_for(inbox.manager)
    assert "qualified-border" not in client.get(inbox.url("inbox")).content.decode()
    qualifying_status_set(partnership=inbox.partnership, status="qualified", changed_by=None)
    html = client.get(inbox.url("inbox")).content.decode()
    assert f'qualified-border" id="conversation-{conversation.pk}"' in html
    assert "qualified-check" in html


def test_message_model_counts(inbox):
    conversation = start(inbox.partnership)
    assert Message.objects.filter(conversation=conversation).count() == 1
    assert Conversation.objects.count() == 1
