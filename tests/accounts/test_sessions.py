"""Sessions (ASVS 3.3): 30 minutes idle and 12 hours in all end them; each user sees their own
sessions and ends any of them; a password change ends the others."""

from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.models import UserSession
from accounts.sessions import AUTH_AT_KEY, LAST_SEEN_KEY
from notifications.models import OutboxEmail
from tests.accounts.factories import DEFAULT_PASSWORD


def age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(session[key]) - seconds
    session.save()


def test_thirty_minutes_idle_log_out(client_for, manager, manufacturer):
    client = client_for(manager)
    age(client, LAST_SEEN_KEY, 31 * 60)

    response = client.get(f"/m/{manufacturer.slug}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert SESSION_KEY not in client.session
    assert not UserSession.objects.filter(user=manager).exists()


def test_twenty_nine_minutes_idle_do_not(client_for, manager, manufacturer):
    client = client_for(manager)
    age(client, LAST_SEEN_KEY, 29 * 60)

    assert client.get(f"/m/{manufacturer.slug}/").status_code == 200
    assert client.session[SESSION_KEY] == str(manager.pk)


def test_twelve_hours_after_login_the_session_ends_however_active(
    client_for, manager, manufacturer
):
    client = client_for(manager)
    age(client, AUTH_AT_KEY, 12 * 3600 + 1)

    response = client.get(f"/m/{manufacturer.slug}/")

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_htmx_request_of_an_idle_session_is_sent_to_the_login_page(
    client_for, manager, manufacturer
):
    client = client_for(manager)
    age(client, LAST_SEEN_KEY, 31 * 60)

    response = client.get(f"/m/{manufacturer.slug}/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith("/login/")


def test_pages_carry_the_idle_warning(client_for, manager, manufacturer):
    page = client_for(manager).get(f"/m/{manufacturer.slug}/")

    assert 'id="idle-warning"' in page.text
    assert 'data-idle-timeout="1800"' in page.text
    assert "js/session-timeout.js" in page.text


def test_a_user_sees_and_ends_their_own_sessions_only(manager, seller):
    laptop, phone, stranger = Client(), Client(), Client()
    for client, user, agent in ((laptop, manager, "Laptop"), (phone, manager, "Phone"),
                                (stranger, seller, "Stranger")):  # fmt: skip
        client.post(
            "/login/",
            {"username": user.email, "password": DEFAULT_PASSWORD},
            headers={"User-Agent": agent},
        )

    page = laptop.get("/account/security/")
    assert page.status_code == 200
    assert "Laptop" in page.text
    assert "Phone" in page.text
    assert "Stranger" not in page.text

    phone_row = UserSession.objects.get(user=manager, user_agent="Phone")
    assert laptop.post(f"/account/sessions/{phone_row.pk}/end/").status_code == 302
    assert phone.get("/account/security/").status_code == 302  # logged out
    assert SESSION_KEY not in phone.session

    theirs = UserSession.objects.get(user=seller)
    assert laptop.post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert stranger.get("/account/security/").status_code == 200


def test_ending_all_other_sessions_keeps_this_one(manager):
    here, there = Client(), Client()
    for client in (here, there):
        client.post("/login/", {"username": manager.email, "password": DEFAULT_PASSWORD})

    assert here.post("/account/sessions/end-others/").status_code == 302

    assert here.get("/account/security/").status_code == 200
    assert there.get("/account/security/").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_tells_the_user(manager):
    here, there = Client(), Client()
    for client in (here, there):
        client.post("/login/", {"username": manager.email, "password": DEFAULT_PASSWORD})
    new_password = "a-brand-new-passphrase-9"

    done = here.post(
        "/password/change/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": new_password,
         "new_password2": new_password},
    )  # fmt: skip

    assert done.status_code == 302
    assert here.get("/account/security/").status_code == 200
    assert there.get("/account/security/").status_code == 302
    assert OutboxEmail.objects.filter(
        recipient=manager.email, subject="Your password was changed"
    ).exists()


def test_anonymous_users_have_no_security_page(client):
    response = client.get("/account/security/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
