"""An htmx action after the session expired: 401 with a way to log in again that comes back
to the same page, never the login page swapped into the card, and nothing changed."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from communications.models import Message, MessageKind
from tests.communications.conftest import start


def test_an_expired_session_answers_htmx_with_401_and_a_login_link_back(inbox, client):
    conversation = start(inbox.partnership)
    page = inbox.url("inbox") + "?tab=new"
    response = client.post(
        inbox.url("reply", conversation_id=conversation.pk),
        {"body": "Hello", "view": "card"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert response.status_code == 401
    assert "session has expired" in response.content.decode()
    login = urlsplit(response["X-Login-URL"])
    assert login.path == reverse("accounts_public:login")
    assert parse_qs(login.query)["next"] == [page]
    assert not Message.objects.filter(kind=MessageKind.STAFF).exists()


def test_a_foreign_current_url_is_not_where_the_login_returns(inbox, client):
    conversation = start(inbox.partnership)
    action = inbox.url("mark_done", conversation_id=conversation.pk)
    response = client.post(
        action,
        headers={"HX-Request": "true", "HX-Current-URL": "//evil.example/phish"},
    )
    assert response.status_code == 401
    assert parse_qs(urlsplit(response["X-Login-URL"]).query)["next"] == [action]
    conversation.refresh_from_db()
    assert conversation.mark == ""


def test_without_htmx_the_login_page_is_a_redirect_as_before(inbox, client):
    response = client.get(inbox.url("inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_public:login"))


def test_a_logged_in_htmx_redirect_is_left_alone(inbox, client_for):
    conversation = start(inbox.partnership)
    response = client_for(inbox.manager).post(
        inbox.url("mark_done", conversation_id=conversation.pk),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def test_the_page_carries_the_messages_it_shows_when_an_action_fails(inbox, client_for):
    page = client_for(inbox.manager).get(inbox.url("inbox")).content.decode()
    assert "data-session-expired=" in page
    assert "data-connection-lost=" in page
