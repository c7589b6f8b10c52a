"""Qualification actions act on the conversation they were clicked in, grant what the
request asked for (the default code when none), and "Not qualified" closes the restricted
categories at once."""

import pytest
from django.utils import timezone

from channel.models import QualifyingStatus
from communications.models import Conversation, ConversationType, Message
from communications.services.conversations import reseller_reply
from qualifications.models import QualificationGrant, QualificationRequest, RequestStatus
from qualifications.services import qualification_grant, qualification_request_create
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.communications.conftest import start
from tests.qualifications.factories import QualificationFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def codes(inbox):
    default = QualificationFactory(manufacturer=inbox.tenant, code="PARTNER", is_default=True)
    pro = QualificationFactory(manufacturer=inbox.tenant, code="PRO-AV")
    install = QualificationFactory(manufacturer=inbox.tenant, code="INSTALL")
    return default, pro, install


def events(conversation: Conversation) -> list[str]:
    return list(
        Message.objects.filter(conversation=conversation)
        .exclude(event="")
        .order_by("created_at", "pk")
        .values_list("event", flat=True)
    )


def held(partnership) -> set[str]:
    return set(
        QualificationGrant.objects.filter(
            partnership=partnership, revoked_at__isnull=True
        ).values_list("qualification__code", flat=True)
    )


def test_qualify_grants_the_requested_code_in_the_conversation_it_was_clicked_in(
    inbox, codes, client_for
):
    _default, pro, _install = codes
    # Two qualification conversations: the request for PRO-AV is logged in the first, then
    # the reseller asks about something else in a second, which is now the latest.
    request = qualification_request_create(
        partnership=inbox.partnership, qualification=pro, requested_by=inbox.reseller_user
    )
    asked = Message.objects.get(qualification_request=request).conversation
    later = start(
        inbox.partnership,
        kind=ConversationType.QUALIFICATION,
        body="And what about INSTALL?",
        author=inbox.reseller_user,
    )
    Conversation.objects.filter(pk=later.pk).update(last_message_at=timezone.now())
    assert asked.pk != later.pk

    response = client_for(inbox.manager).post(
        inbox.url("qualify", conversation_id=asked.pk), {"view": "card"}, headers=HTMX
    )

    assert response.status_code == 200
    assert "PRO-AV" in response.content.decode()
    assert held(inbox.partnership) == {"PRO-AV"}  # not the default
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED
    assert events(asked) == [
        "qualification_requested",
        "qualification_granted",
        "qualifying_status_changed",
    ]
    assert events(later) == []


def test_qualify_without_a_request_in_this_conversation_grants_the_default(
    inbox, codes, client_for
):
    default, pro, _install = codes
    qualification_request_create(
        partnership=inbox.partnership, qualification=pro, requested_by=inbox.reseller_user
    )
    other = start(inbox.partnership, body="General question", author=inbox.reseller_user)
    response = client_for(inbox.manager).post(inbox.url("qualify", conversation_id=other.pk))
    assert response.status_code == 302
    assert held(inbox.partnership) == {default.code}
    # The request asked in another conversation is still open there.
    assert QualificationRequest.objects.get(qualification=pro).status == RequestStatus.OPEN
    assert events(other) == ["qualification_granted", "qualifying_status_changed"]


def test_qualify_after_the_request_was_granted_says_what_is_held(inbox, codes, client_for):
    _default, pro, _install = codes
    request = qualification_request_create(
        partnership=inbox.partnership, qualification=pro, requested_by=inbox.reseller_user
    )
    conversation = Message.objects.get(qualification_request=request).conversation
    client = client_for(inbox.manager)
    assert client.post(inbox.url("qualify", conversation_id=conversation.pk)).status_code == 302
    # The request is answered; a second click falls back to the default code.
    response = client.post(inbox.url("qualify", conversation_id=conversation.pk))
    assert response.status_code == 302
    assert held(inbox.partnership) == {"PRO-AV", "PARTNER"}


def test_more_actions_log_in_the_conversation_they_were_clicked_in(inbox, codes, client_for):
    _default, _pro, install = codes
    first = start(inbox.partnership, kind=ConversationType.QUALIFICATION, body="One")
    second = start(inbox.partnership, kind=ConversationType.QUALIFICATION, body="Two")
    reseller_reply(conversation=second, author=inbox.reseller_user, body="Newest")
    response = client_for(inbox.manager).post(
        inbox.url("qualifying", conversation_id=first.pk),
        {"qualification": install.pk, "status": QualifyingStatus.QUALIFIED},
    )
    assert response.status_code == 302
    assert events(first) == ["qualification_granted", "qualifying_status_changed"]
    assert events(second) == []


def test_not_qualified_closes_the_restricted_categories_at_once(inbox, codes, client_for):
    _default, pro, _install = codes
    restricted = CategoryFactory(
        manufacturer=inbox.tenant, name="Pro AV", required_qualification=pro
    )
    product = ProductFactory(manufacturer=inbox.tenant, category=restricted)
    qualification_grant(partnership=inbox.partnership, qualification=pro, granted_by=None)
    reseller = client_for(inbox.reseller_user)
    base = f"/r/{inbox.partnership.reseller.public_id}/m/{inbox.tenant.slug}/catalog"
    assert reseller.get(f"{base}/{product.pk}/").status_code == 200

    conversation = start(inbox.partnership, body="Hello", author=inbox.reseller_user)
    response = client_for(inbox.manager).post(
        inbox.url("qualifying", conversation_id=conversation.pk),
        {"qualification": "", "status": QualifyingStatus.NOT_QUALIFIED},
    )
    assert response.status_code == 302

    assert reseller.get(f"{base}/{product.pk}/").status_code == 404
    page = reseller.get(f"{base}/categories/{restricted.pk}/")
    assert page.status_code == 404
    # The grant itself stands (it is history); qualifying again reopens the category.
    assert held(inbox.partnership) == {"PRO-AV"}
    client_for(inbox.manager).post(
        inbox.url("qualifying", conversation_id=conversation.pk),
        {"qualification": "", "status": QualifyingStatus.QUALIFIED},
    )
    assert reseller.get(f"{base}/{product.pk}/").status_code == 200
