"""Double clicks and deletes racing replies, run concurrently on PostgreSQL: one conversation
and one notification per click, and a reply to a deleted conversation is a 404."""

import threading
import uuid

import pytest
from django.db import connection, transaction
from django_scopes import scope

from communications.models import Conversation, Message
from communications.services.conversations import (
    ConversationGone,
    DuplicateSubmission,
    conversation_start,
    reseller_reply,
    staff_reply,
)
from communications.services.deletion import conversation_delete
from notifications.models import Notification, OutboxEmail
from tests.communications.conftest import start
from tests.concurrency import run_at_once, wait_until_a_lock_is_awaited


def assert_nobody_heard_twice() -> None:
    users = list(Notification.objects.values_list("user_id", flat=True))
    recipients = list(OutboxEmail.objects.values_list("recipient", flat=True))
    assert users, "the staff were notified"
    assert len(users) == len(set(users))
    assert len(recipients) == len(set(recipients))


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_new_conversation_starts_one(inbox):
    key = uuid.uuid4()

    def submit():
        try:
            with scope(manufacturer=inbox.tenant):  # as the reseller's view would
                return conversation_start(
                    partnership=inbox.partnership,
                    kind="general",
                    subject="Stock",
                    body="Do you have the AX-200?",
                    author=inbox.reseller_user,
                    submission_key=key,
                )
        except DuplicateSubmission:
            return "duplicate"

    results, errors = run_at_once([submit, submit])

    assert errors == []
    assert results.count("duplicate") == 1
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 1
    assert_nobody_heard_twice()


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_new_conversation_form_redirects_both_times(inbox, client_for):
    data = {"kind": "general", "subject": "Stock", "body": "Twice?", "submission_key": uuid.uuid4()}
    clients = [client_for(inbox.reseller_user) for _ in range(2)]

    results, errors = run_at_once(
        [lambda c=c: c.post(inbox.reseller_url("new"), data).status_code for c in clients]
    )

    assert errors == []
    assert results == [302, 302]
    assert Conversation.objects.count() == 1
    assert_nobody_heard_twice()


def test_the_same_key_in_another_tenant_is_another_conversation(inbox):
    key = uuid.uuid4()
    for partnership in (inbox.partnership, inbox.foreign_partnership):
        conversation_start(
            partnership=partnership,
            kind="general",
            subject="",
            body="Hello",
            author=inbox.reseller_user,
            submission_key=key,
        )
    assert Conversation.objects.count() == 2


# --- a reply racing a delete -------------------------------------------------------------


def test_a_reply_to_a_conversation_deleted_after_the_page_read_it_is_gone(inbox):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    stale = Conversation.objects.get(pk=conversation.pk)
    conversation_delete(conversation=conversation)

    for reply in (reseller_reply, staff_reply):
        author = inbox.reseller_user if reply is reseller_reply else inbox.manager
        with pytest.raises(ConversationGone):
            reply(conversation=stale, author=author, body="Still there?")
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("side", ["reseller", "staff"])
def test_a_reply_racing_a_delete_is_a_404(inbox, client_for, side):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    if side == "reseller":
        client = client_for(inbox.reseller_user)
        url = inbox.reseller_url("detail", conversation_id=conversation.pk)
    else:
        client = client_for(inbox.manager)
        url = inbox.url("reply", conversation_id=conversation.pk)
    answers: list[int] = []

    def reply():
        try:
            answers.append(client.post(url, {"body": "Are you there?"}).status_code)
        finally:
            connection.close()

    replier = threading.Thread(target=reply)
    with transaction.atomic():
        conversation_delete(conversation=conversation)  # holds the row lock until commit
        replier.start()
        wait_until_a_lock_is_awaited()  # the reply read the page and waits for the row
    replier.join(timeout=60)

    assert answers == [404]
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
