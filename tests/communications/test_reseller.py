"""The reseller's side: their conversations only, start one, reply, and the visibility rule."""

import pytest

from communications.models import Conversation, ConversationType, MessageKind
from communications.services.comments import comment_add
from communications.services.conversations import staff_reply
from communications.services.marks import conversation_mark_done, message_set_emoji
from tests.accounts.factories import ResellerUserFactory
from tests.communications.conftest import start
from tests.resellers.factories import PartnershipFactory


def test_start_a_conversation_of_any_type(inbox, client_for):
    client = client_for(inbox.reseller_user)
    assert client.get(inbox.reseller_url("new")).status_code == 200
    for kind in ConversationType.values:
        response = client.post(
            inbox.reseller_url("new"), {"kind": kind, "subject": "Hi", "body": f"About {kind}"}
        )
        assert response.status_code == 302
    rows = Conversation.objects.filter(partnership=inbox.partnership)
    assert sorted(rows.values_list("kind", flat=True)) == sorted(ConversationType.values)
    message = rows.first().messages.get()
    assert message.kind == MessageKind.RESELLER
    assert message.author == inbox.reseller_user


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"kind": "general", "body": ""}, "empty"),
        ({"kind": "general", "body": "y" * 5001}, "too long"),
        ({"kind": "gossip", "body": "hello"}, "gossip"),
    ],
)
def test_bad_new_messages_are_refused(inbox, client_for, data, reason):
    response = client_for(inbox.reseller_user).post(inbox.reseller_url("new"), data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Conversation.objects.exists()


def test_double_submission_starts_one_conversation(inbox, client_for):
    client = client_for(inbox.reseller_user)
    data = {
        "kind": "general",
        "body": "Once",
        "submission_key": "7d3c2b5e-1b0a-4f5e-9c61-1d9f7a1e2b3c",
    }
    client.post(inbox.reseller_url("new"), data)
    response = client.post(inbox.reseller_url("new"), data, follow=True)
    assert "already sent" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_reply_makes_it_a_new_lead_again(inbox, client_for):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    conversation_mark_done(conversation=conversation)
    client = client_for(inbox.reseller_user)
    url = inbox.reseller_url("detail", conversation_id=conversation.pk)
    response = client.post(url, {"body": "Any news?"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.mark == ""
    assert client.post(url, {"body": ""}).status_code == 400
    assert conversation.messages.count() == 2


def test_the_reseller_never_sees_comments_marks_or_marked_staff_messages(inbox, client_for):
    conversation = start(inbox.partnership, body="Question from the reseller")
    staff_reply(conversation=conversation, author=inbox.manager, body="VISIBLE ANSWER")
    staff_reply(
        conversation=conversation, author=inbox.manager, body="INTERNAL DONE NOTE", emoji="👍"
    )
    comment_add(conversation=conversation, author=inbox.manager, body="SECRET COMMENT")
    message_set_emoji(message=conversation.messages.first(), emoji="🔥")

    client = client_for(inbox.reseller_user)
    html = client.get(
        inbox.reseller_url("detail", conversation_id=conversation.pk)
    ).content.decode()
    assert "Question from the reseller" in html
    assert "VISIBLE ANSWER" in html
    assert "INTERNAL DONE NOTE" not in html
    assert "SECRET COMMENT" not in html
    assert "🔥" not in html and "👍" not in html

    listing = client.get(inbox.reseller_url("list")).content.decode()
    assert "VISIBLE ANSWER" in listing
    assert "INTERNAL DONE NOTE" not in listing

    # removing the emoji sends it after all
    staff = conversation.messages.get(body="INTERNAL DONE NOTE")
    message_set_emoji(message=staff, emoji="")
    html = client.get(
        inbox.reseller_url("detail", conversation_id=conversation.pk)
    ).content.decode()
    assert "INTERNAL DONE NOTE" in html


def test_the_staff_ui_states_the_rule(inbox, client_for):
    conversation = start(inbox.partnership)
    html = client_for(inbox.manager).get(inbox.url("detail", conversation_id=conversation.pk))
    assert "To reach the reseller, reply without an emoji" in html.content.decode()


def test_a_reseller_sees_only_their_own_conversations(inbox, client_for):
    mine = start(inbox.partnership, body="MINE")
    other_partnership = PartnershipFactory(manufacturer=inbox.tenant)
    theirs = start(other_partnership, body="THEIRS")
    foreign = start(inbox.foreign_partnership, body="WITH ANOTHER MANUFACTURER")
    client = client_for(inbox.reseller_user)

    listing = client.get(inbox.reseller_url("list")).content.decode()
    assert "MINE" in listing and "THEIRS" not in listing and "ANOTHER" not in listing
    assert client.get(inbox.reseller_url("detail", conversation_id=theirs.pk)).status_code == 404
    assert client.get(inbox.reseller_url("detail", conversation_id=foreign.pk)).status_code == 404
    assert (
        client.post(
            inbox.reseller_url("detail", conversation_id=theirs.pk), {"body": "hi"}
        ).status_code
        == 404
    )
    # another reseller's user cannot open this reseller's pages at all
    stranger = ResellerUserFactory(reseller=other_partnership.reseller).user
    assert client_for(stranger).get(inbox.reseller_url("list")).status_code == 404
    assert client_for(inbox.manager).get(inbox.reseller_url("list")).status_code == 404
    assert client.get(inbox.reseller_url("detail", conversation_id=mine.pk)).status_code == 200


def test_list_query_budget(inbox, client_for, django_assert_max_num_queries):
    for n in range(15):
        conversation = start(inbox.partnership, body=f"n{n}")
        staff_reply(conversation=conversation, author=inbox.manager, body="a")
    client = client_for(inbox.reseller_user)
    client.get(inbox.reseller_url("list"))
    with django_assert_max_num_queries(12):
        assert client.get(inbox.reseller_url("list")).status_code == 200
