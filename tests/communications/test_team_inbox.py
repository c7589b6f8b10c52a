"""The team inbox: staff start conversations (inbox and profile), the profile's history,
assignment (the assignee is told), unread per user, bulk actions under the rep's visibility,
sort, the compact list, filters, saved views, attachments and the SLA figure."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.models import QualifyingStatus
from communications.models import Attachment, Conversation, Message, MessageKind, SavedView
from communications.selectors import response_times
from communications.services.conversations import reseller_reply, staff_reply
from communications.services.team import conversation_assign
from notifications.models import Notification, NotificationKind
from salesreps.services import portfolio_assign
from tests.accounts.factories import MembershipFactory, ResellerUserFactory, UserFactory
from tests.communications.conftest import start
from tests.resellers.factories import PartnershipFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(inbox):
    """The seller looks after inbox.partnership; another rep looks after a second customer."""
    portfolio_assign(
        manufacturer=inbox.tenant, partnership=inbox.partnership, rep=inbox.seller, by=inbox.owner
    )
    other_rep = MembershipFactory(
        manufacturer=inbox.tenant, role=Role.SELLER, user=UserFactory()
    ).user
    theirs = PartnershipFactory(manufacturer=inbox.tenant)
    portfolio_assign(manufacturer=inbox.tenant, partnership=theirs, rep=other_rep, by=inbox.owner)
    return {"other_rep": other_rep, "theirs": theirs}


def card_ids(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


# --- starting a conversation -------------------------------------------------------------


def test_staff_start_a_conversation_and_the_reseller_is_told(inbox, client_for):
    response = client_for(inbox.manager).post(
        inbox.url("new"),
        {
            "reseller": inbox.partnership.reseller.public_id,
            "kind": "opportunity",
            "subject": "Spring promotion",
            "body": "Would you stock the AX-300?",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(subject="Spring promotion")
    assert conversation.partnership == inbox.partnership
    assert conversation.assignee == inbox.manager
    message = conversation.messages.get()
    assert (message.kind, message.delivered_at is not None) == (MessageKind.STAFF, True)
    assert Notification.objects.filter(
        user=inbox.reseller_user, kind=NotificationKind.STAFF_REPLIED
    ).exists()
    # The reseller reads it in their own thread.
    page = client_for(inbox.reseller_user).get(
        inbox.reseller_url("detail", conversation_id=conversation.pk)
    )
    assert "Would you stock the AX-300?" in page.content.decode()


def test_a_rep_cannot_start_one_with_a_reseller_outside_their_portfolio(inbox, team, client_for):
    client = client_for(inbox.seller)
    for public_id in (
        team["theirs"].reseller.public_id,
        "ZZZZZZZ",
        PartnershipFactory(manufacturer=inbox.other).reseller.public_id,
    ):
        response = client.post(
            inbox.url("new"), {"reseller": public_id, "kind": "general", "body": "Hi"}
        )
        assert response.status_code == 400
        assert "No reseller with this ID" in response.content.decode()
    assert not Conversation.objects.exists()
    assert (
        client.post(
            inbox.url("new"),
            {"reseller": inbox.partnership.reseller.public_id, "kind": "general", "body": ""},
        ).status_code
        == 400
    )
    assert not Conversation.objects.exists()


def test_the_profile_shows_the_history_and_starts_a_conversation(inbox, client_for):
    conversation = start(inbox.partnership, body="About the demo units", author=inbox.reseller_user)
    start(inbox.foreign_partnership, body="Foreign tenant's talk")
    profile = reverse(
        "resellers_manufacturer:profile",
        kwargs={
            "manufacturer_slug": inbox.tenant.slug,
            "public_id": inbox.partnership.reseller.public_id,
        },
    )
    page = client_for(inbox.manager).get(profile).content.decode()
    assert 'id="conversation-history"' in page
    assert inbox.url("detail", conversation_id=conversation.pk) in page
    assert "About the demo units" in page
    assert "Foreign tenant" not in page
    new_link = f"{inbox.url('new')}?reseller={inbox.partnership.reseller.public_id}"
    assert new_link in page
    form = client_for(inbox.manager).get(new_link).content.decode()
    assert f'value="{inbox.partnership.reseller.public_id}"' in form


# --- assignment and unread ---------------------------------------------------------------


def test_assigning_tells_the_assignee_and_refuses_who_cannot_see_it(inbox, team, client_for):
    conversation = start(inbox.partnership)
    client = client_for(inbox.manager)
    response = client.post(
        inbox.url("assign", conversation_id=conversation.pk), {"assignee": inbox.seller.pk}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == inbox.seller
    note = Notification.objects.get(user=inbox.seller, kind=NotificationKind.CONVERSATION_ASSIGNED)
    assert note.url == inbox.url("detail", conversation_id=conversation.pk)
    # Another rep does not see this customer: refused, nothing changed.
    response = client.post(
        inbox.url("assign", conversation_id=conversation.pk), {"assignee": team["other_rep"].pk}
    )
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.assignee == inbox.seller
    # Someone of another tenant is no choice at all.
    response = client.post(
        inbox.url("assign", conversation_id=conversation.pk), {"assignee": inbox.other_manager.pk}
    )
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.assignee == inbox.seller


def test_unread_is_per_user(inbox, client_for):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    manager, owner = client_for(inbox.manager), client_for(inbox.owner)
    assert 'data-testid="unread"' in manager.get(inbox.url("inbox")).content.decode()
    manager.get(inbox.url("detail", conversation_id=conversation.pk))
    rows = manager.get(inbox.url("inbox")).context["page"].rows
    assert [c.is_unread for c in rows] == [False]
    assert [c.is_unread for c in owner.get(inbox.url("inbox")).context["page"].rows] == [True]
    # A new message from the reseller is unread again; "mark as unread" too.
    reseller_reply(conversation=conversation, author=inbox.reseller_user, body="Hello?")
    assert [c.is_unread for c in manager.get(inbox.url("inbox")).context["page"].rows] == [True]
    manager.get(inbox.url("detail", conversation_id=conversation.pk))
    manager.post(inbox.url("mark_unread", conversation_id=conversation.pk))
    unread_only = manager.get(inbox.url("inbox"), {"unread": "on"})
    assert card_ids(unread_only) == [conversation.pk]


# --- bulk actions ------------------------------------------------------------------------


def bulk(client, inbox, **data):
    return client.post(inbox.url("bulk"), data)


def test_bulk_mark_done_assign_and_emoji(inbox, client_for):
    a, b = start(inbox.partnership), start(inbox.partnership, body="second")
    client = client_for(inbox.manager)
    assert bulk(client, inbox, ids=[a.pk, b.pk], action="done").status_code == 302
    assert set(Conversation.objects.values_list("mark", flat=True)) == {"✅"}
    response = bulk(client, inbox, ids=[a.pk, b.pk], action="assign", assignee=inbox.owner.pk)
    assert response.status_code == 302
    assert set(Conversation.objects.values_list("assignee", flat=True)) == {inbox.owner.pk}
    c = start(inbox.partnership, body="third")
    assert bulk(client, inbox, ids=[c.pk], action="emoji", emoji="🔥").status_code == 302
    c.refresh_from_db()
    assert c.mark == "🔥"


def test_a_forged_or_foreign_id_refuses_the_whole_bulk_action(inbox, client_for):
    ours = start(inbox.partnership)
    foreign = start(inbox.foreign_partnership)
    client = client_for(inbox.manager)
    for ids in ([ours.pk, foreign.pk], [ours.pk, 999_999], [ours.pk, "1; DROP"]):
        response = bulk(client, inbox, ids=ids, action="done")
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode()
    assert set(Conversation.objects.values_list("mark", flat=True)) == {""}
    response = bulk(client, inbox, ids=[ours.pk], action="emoji", emoji="🦄")
    assert response.status_code == 400
    assert bulk(client, inbox, ids=[], action="done").status_code == 400
    assert bulk(client, inbox, ids=[ours.pk], action="explode").status_code == 400
    assert set(Conversation.objects.values_list("mark", flat=True)) == {""}


def test_a_reps_bulk_action_never_touches_another_reps_conversation(inbox, team, client_for):
    mine = start(inbox.partnership)
    theirs = start(team["theirs"])
    client = client_for(inbox.seller)
    response = bulk(client, inbox, ids=[mine.pk, theirs.pk], action="done")
    assert response.status_code == 400
    assert set(Conversation.objects.values_list("mark", flat=True)) == {""}
    assert bulk(client, inbox, ids=[mine.pk], action="done").status_code == 302
    theirs.refresh_from_db()
    assert theirs.mark == ""


# --- sort, filters, compact list, saved views --------------------------------------------


def test_sort_newest_oldest_and_waiting_longest(inbox, client_for):
    now = timezone.now()
    old = start(inbox.partnership, body="old", author=inbox.reseller_user)
    mid = start(inbox.partnership, body="mid", author=inbox.reseller_user)
    new = start(inbox.partnership, body="new", author=inbox.reseller_user)
    for conversation, hours in ((old, 30), (mid, 20), (new, 1)):
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=now - timedelta(hours=hours),
            awaiting_since=now - timedelta(hours=hours),
        )
    # The middle one was answered: it waits no longer.
    staff_reply(conversation=mid, author=inbox.manager, body="Answered")
    Conversation.objects.filter(pk=mid.pk).update(last_message_at=now - timedelta(hours=20))
    client = client_for(inbox.manager)
    assert card_ids(client.get(inbox.url("inbox"))) == [new.pk, mid.pk, old.pk]
    assert card_ids(client.get(inbox.url("inbox"), {"sort": "oldest"})) == [old.pk, mid.pk, new.pk]
    waiting = client.get(inbox.url("inbox"), {"sort": "waiting"})
    assert card_ids(waiting) == [old.pk, new.pk]
    assert 'data-testid="waiting"' in waiting.content.decode()


def test_filters_by_type_assignee_rep_and_qualifying_status(inbox, team, client_for):
    mine = start(inbox.partnership, kind="inventory")
    theirs = start(team["theirs"], kind="general")
    conversation_assign(conversation=mine, assignee=inbox.manager, by=inbox.manager)
    type(inbox.partnership).objects.filter(pk=team["theirs"].pk).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    client = client_for(inbox.manager)

    def ids(**params):
        return set(card_ids(client.get(inbox.url("inbox"), params)))

    assert ids(type="inventory") == {mine.pk}
    assert ids(assignee="me") == {mine.pk}
    assert ids(assignee="none") == {theirs.pk}
    assert ids(rep=str(team["other_rep"].pk)) == {theirs.pk}
    assert ids(rep=str(inbox.seller.pk)) == {mine.pk}
    assert ids(qualifying="qualified") == {theirs.pk}
    # A value that is not a choice is said so and not applied.
    response = client.get(inbox.url("inbox"), {"type": "carrier-pigeon", "q": "\x00"})
    assert response.status_code == 200
    assert "not understood" in response.content.decode()
    assert set(card_ids(response)) == {mine.pk, theirs.pk}


def test_the_compact_list_shows_one_row_per_conversation(inbox, client_for):
    conversations = [start(inbox.partnership, body=f"row {n}") for n in range(3)]
    page = client_for(inbox.manager).get(inbox.url("inbox"), {"layout": "list"}).content.decode()
    assert "inbox-list" in page
    for conversation in conversations:
        assert f'id="row-{conversation.pk}"' in page
    assert "conversation-card" not in page


def test_saved_views_are_per_user(inbox, client_for):
    client = client_for(inbox.manager)
    response = client.post(
        inbox.url("view_save"),
        {"name": "Mine, unread", "query": "assignee=me&unread=on&after=123_4&evil=1"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.user, view.query) == (inbox.manager, "assignee=me&unread=on")
    assert "Mine, unread" in client.get(inbox.url("inbox")).content.decode()
    assert "Mine, unread" not in client_for(inbox.owner).get(inbox.url("inbox")).content.decode()
    # Another user's view cannot be deleted by them (404), its owner can.
    owner = client_for(inbox.owner)
    assert owner.post(inbox.url("view_delete", view_id=view.pk)).status_code == 404
    assert client.post(inbox.url("view_save"), {"name": " ", "query": ""}).status_code == 400
    assert client.post(inbox.url("view_delete", view_id=view.pk)).status_code == 302
    assert not SavedView.objects.exists()


# --- attachments -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNICATIONS_ATTACHMENT_MAX_BYTES = 1024
    return tmp_path


def pdf(name="quote.pdf", size=100):
    return SimpleUploadedFile(
        name, b"%PDF-1.4 " + b"x" * (size - 9), content_type="application/pdf"
    )


def test_a_reply_carries_an_attachment_both_sides_can_download(inbox, media, client_for):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    response = client_for(inbox.manager).post(
        inbox.url("reply", conversation_id=conversation.pk),
        {"body": "Here is the quote", "attachments": [pdf()]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.size, attachment.content_type) == (
        "quote.pdf", 100, "application/pdf",
    )  # fmt: skip
    staff_url = inbox.url("attachment_download", attachment_id=attachment.pk)
    reseller_url = inbox.reseller_url("attachment_download", attachment_id=attachment.pk)
    download = client_for(inbox.manager).get(staff_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert client_for(inbox.reseller_user).get(reseller_url).status_code == 200
    thread = client_for(inbox.reseller_user).get(
        inbox.reseller_url("detail", conversation_id=conversation.pk)
    )
    assert reseller_url in thread.content.decode()


def test_attachments_too_large_or_of_a_forbidden_type_are_refused(inbox, media, client_for):
    conversation = start(inbox.partnership)
    client = client_for(inbox.manager)
    for upload, reason in (
        (pdf(size=2048), "too large"),
        (SimpleUploadedFile("run.exe", b"MZ...."), "cannot be attached"),
        (SimpleUploadedFile("page.html", b"<script>"), "cannot be attached"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ):
        response = client.post(
            inbox.url("reply", conversation_id=conversation.pk),
            {"body": "See attached", "attachments": [upload]},
        )
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Message.objects.filter(kind=MessageKind.STAFF).exists()
    assert not list(media.rglob("*.*"))


def test_an_attachment_is_never_served_to_someone_who_cannot_see_it(inbox, team, media, client_for):
    conversation = start(inbox.partnership)
    staff_reply(
        conversation=conversation, author=inbox.manager, body="Internal", emoji="👍",
        files=[(pdf(), "application/pdf")],
    )  # fmt: skip
    attachment = Attachment.objects.get()
    staff_url = inbox.url("attachment_download", attachment_id=attachment.pk)
    # The internal answer's file is as hidden from the reseller as the answer.
    assert (
        client_for(inbox.reseller_user)
        .get(inbox.reseller_url("attachment_download", attachment_id=attachment.pk))
        .status_code
        == 404
    )
    # Another reseller, another tenant's staff, another rep: the same 404.
    stranger = ResellerUserFactory(reseller=team["theirs"].reseller).user
    assert (
        client_for(stranger)
        .get(
            inbox.reseller_url(
                "attachment_download", partnership=team["theirs"], attachment_id=attachment.pk
            )
        )
        .status_code
        == 404
    )
    assert (
        client_for(inbox.other_manager)
        .get(inbox.url("attachment_download", tenant=inbox.other, attachment_id=attachment.pk))
        .status_code
        == 404
    )
    assert client_for(team["other_rep"]).get(staff_url).status_code == 404
    assert client_for(inbox.seller).get(staff_url).status_code == 200
    assert client_for(inbox.manager).get(staff_url).status_code == 200


# --- SLA and the response-time figure ----------------------------------------------------


def test_the_wait_is_answered_by_a_reply_and_becomes_the_response_time(inbox):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Conversation.objects.filter(pk=conversation.pk).update(awaiting_since=two_hours_ago)
    conversation.refresh_from_db()
    assert response_times(manufacturer_id=inbox.tenant.pk).waiting_now == 1
    # An internal answer (with an emoji) answers nothing.
    staff_reply(conversation=conversation, author=inbox.manager, body="Internal", emoji="👀")
    conversation.refresh_from_db()
    assert conversation.awaiting_since == two_hours_ago
    staff_reply(conversation=conversation, author=inbox.manager, body="Here you go")
    conversation.refresh_from_db()
    assert conversation.awaiting_since is None
    figure = response_times(manufacturer_id=inbox.tenant.pk)
    assert figure.answered == 1
    assert timedelta(hours=2) <= figure.average < timedelta(hours=2, minutes=1)
    assert figure.waiting_now == 0
    other = response_times(manufacturer_id=inbox.other.pk)
    assert (other.answered, other.average) == (0, None)
    # A new reseller message starts a new wait.
    reseller_reply(conversation=conversation, author=inbox.reseller_user, body="Thanks, and?")
    conversation.refresh_from_db()
    assert conversation.awaiting_since is not None


# --- query budgets at ten times the rows -------------------------------------------------


def _fill(inbox, count):
    for n in range(count):
        partnership = PartnershipFactory(manufacturer=inbox.tenant)
        conversation = start(partnership, body=f"hello {n}")
        staff_reply(conversation=conversation, author=inbox.manager, body="hi")
        conversation_assign(conversation=conversation, assignee=inbox.owner, by=inbox.manager)


@pytest.mark.parametrize("layout", ["cards", "list"])
def test_the_inbox_query_count_does_not_grow_with_its_rows(
    inbox, client_for, django_assert_max_num_queries, layout
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(inbox.manager)
    _fill(inbox, 2)
    client.get(inbox.url("inbox"), {"layout": layout})  # warm caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(inbox.url("inbox"), {"layout": layout}).status_code == 200
    _fill(inbox, 18)  # ten times the rows, still under one page
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(inbox.url("inbox"), {"layout": layout, "sort": "oldest"})
    assert len(response.context["page"].rows) == 20


def test_a_reseller_reply_carries_an_attachment_staff_can_download(inbox, media, client_for):
    conversation = start(inbox.partnership, author=inbox.reseller_user)
    response = client_for(inbox.reseller_user).post(
        inbox.reseller_url("detail", conversation_id=conversation.pk),
        {"body": "Our certificate", "attachments": [pdf("certificate.pdf")]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(name="certificate.pdf")
    assert attachment.message.kind == MessageKind.RESELLER
    assert (
        client_for(inbox.manager)
        .get(inbox.url("attachment_download", attachment_id=attachment.pk))
        .status_code
        == 200
    )
    # Too large from the reseller's side too: refused, the reply not sent.
    response = client_for(inbox.reseller_user).post(
        inbox.reseller_url("detail", conversation_id=conversation.pk),
        {"body": "Another", "attachments": [pdf(size=4096)]},
    )
    assert response.status_code == 400
    assert not Message.objects.filter(body="Another").exists()
