"""Logging in and out, lockout, password reset, CSRF and the organisation switcher."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from accounts.models import Role
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    ManufacturerFactory,
    MembershipFactory,
    ResellerUserFactory,
)


def log_in(client: Client, email: str, password: str):
    return client.post("/login/", {"username": email, "password": password})


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_login_by_email_lands_in_the_only_organisation(client, manager, manufacturer):
    response = log_in(client, manager.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == f"/m/{manufacturer.slug}/"


def test_login_email_is_case_insensitive(client, manager, manufacturer):
    response = log_in(client, manager.email.upper(), DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_reseller_user_lands_on_reseller_dashboard(client, db):
    membership = ResellerUserFactory()

    log_in(client, membership.user.email, DEFAULT_PASSWORD)
    home = client.get("/")

    assert home.status_code == 302
    assert home["Location"] == f"/r/{membership.reseller.public_id}/"


def test_login_with_several_organisations_shows_the_chooser(client, manager, other_manufacturer):
    MembershipFactory(manufacturer=other_manufacturer, user=manager, role=Role.SELLER)

    log_in(client, manager.email, DEFAULT_PASSWORD)
    home = client.get("/")

    assert home.status_code == 200
    assert "accounts/switch.html" in [t.name for t in home.templates]
    assert "Acme Audio" in home.text
    assert "Borealis Lighting" in home.text


def test_bad_password_shows_error_and_opens_no_session(client, manager):
    response = log_in(client, manager.email, "wrong-password")

    assert response.status_code == 200
    assert "That email and password do not match an account." in response.text
    assert not is_logged_in(client)


def test_five_wrong_passwords_lock_the_account(client, manager):
    for _ in range(5):
        log_in(client, manager.email, "wrong-password")

    response = log_in(client, manager.email, DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert not is_logged_in(client)


def test_four_wrong_passwords_do_not_lock(client, manager):
    for _ in range(4):
        log_in(client, manager.email, "wrong-password")

    response = log_in(client, manager.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_of_one_account_leaves_others_alone(client, manager, seller):
    for _ in range(5):
        log_in(client, manager.email, "wrong-password")

    response = log_in(client, seller.email, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_logout_needs_post(client_for, manager):
    client = client_for(manager)

    refused = client.get("/logout/")
    assert refused.status_code == 405
    assert is_logged_in(client)

    done = client.post("/logout/")
    assert done.status_code == 302
    assert done["Location"] == "/login/"
    assert not is_logged_in(client)


def test_password_reset_link_works_once(client, manager):
    response = client.post("/password/reset/", {"email": manager.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    link = re.search(r"https?://testserver(/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "another-long-password-77"
    done = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(new_password)

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link no longer works" in again.text


def test_password_reset_for_unknown_email_sends_nothing(client, manager):
    response = client.post("/password/reset/", {"email": "nobody@example.test"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_bad_csrf_token_is_refused_and_changes_nothing(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/password/change/")  # sets the CSRF cookie

    response = client.post(
        "/password/change/",
        {
            "csrfmiddlewaretoken": "forged-token",
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "hijacked-password-123",
            "new_password2": "hijacked-password-123",
        },
    )

    assert response.status_code == 403
    assert "Nothing was changed" in response.text
    manager.refresh_from_db()
    assert manager.check_password(DEFAULT_PASSWORD)
    assert is_logged_in(client)


def test_organisation_switcher_lists_every_manufacturer(client_for, manager, manufacturer):
    second = ManufacturerFactory(name="Cobalt Cameras", slug="cobalt")
    MembershipFactory(manufacturer=second, user=manager, role=Role.OWNER)
    client = client_for(manager)

    page = client.get(f"/m/{manufacturer.slug}/")

    assert page.status_code == 200
    assert f'href="/m/{manufacturer.slug}/"' in page.text
    assert f'href="/m/{second.slug}/"' in page.text
    assert "Cobalt Cameras" in page.text
    assert client.get(f"/m/{second.slug}/").status_code == 200


def test_single_organisation_user_has_no_switcher(client_for, manager, manufacturer):
    page = client_for(manager).get(f"/m/{manufacturer.slug}/")

    assert "Switch organisation" not in page.text
