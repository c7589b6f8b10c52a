"""Re-authentication (ASVS 4.3.1 / 3.7.1): a sensitive action needs the password or a code
typed within 10 minutes; `recent_auth_required(two_factor=True)` also needs 2FA set up."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.reauth import recent_auth_required
from accounts.sessions import REAUTH_AT_KEY, now_ts
from notifications.models import OutboxEmail
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.two_factor_helpers import code_of, enrol


def stale(client, minutes: int = 11) -> None:
    session = client.session
    session[REAUTH_AT_KEY] = now_ts() - minutes * 60
    session.save()


def test_an_action_right_after_login_needs_nothing_more(client_for, manager):
    assert client_for(manager).get("/account/email/").status_code == 200


def test_after_ten_minutes_the_password_is_asked_again(client_for, manager):
    client = client_for(manager)
    stale(client)

    detour = client.get("/account/email/")
    assert detour.status_code == 302
    assert detour["Location"] == "/account/confirm/?next=%2Faccount%2Femail%2F"

    wrong = client.post("/account/confirm/?next=/account/email/", {"password": "not-it-at-all"})
    assert wrong.status_code == 400
    assert client.get("/account/email/").status_code == 302

    right = client.post("/account/confirm/?next=/account/email/", {"password": DEFAULT_PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == "/account/email/"
    assert client.get("/account/email/").status_code == 200


def test_an_authenticator_code_confirms_too(client_for, owner):
    client = client_for(owner)
    device = enrol(owner)
    stale(client)

    right = client.post("/account/confirm/", {"code": code_of(device)})

    assert right.status_code == 302
    assert client.post("/account/two-factor/recovery-codes/").status_code == 302
    assert client.session.get("recovery_codes_to_show")


def test_a_stale_post_changes_nothing(client_for, owner):
    client = client_for(owner)
    stale(client)

    response = client.post("/account/two-factor/recovery-codes/")

    assert response["Location"].startswith("/account/confirm/")
    assert not OutboxEmail.objects.filter(recipient=owner.email).exists()


def test_confirm_never_follows_a_foreign_next(client_for, manager):
    client = client_for(manager)

    response = client.post(
        "/account/confirm/?next=https://evil.example/", {"password": DEFAULT_PASSWORD}
    )

    assert response["Location"] == "/account/security/"


@pytest.fixture
def guarded():
    @recent_auth_required(two_factor=True)
    def payout_approve(request):
        return HttpResponse("approved")

    return payout_approve


def request_for(user, *, fresh: bool):
    request = RequestFactory().post("/m/acme/payouts/1/approve/")
    request.user = user
    request.session = SessionStore()
    request.session[REAUTH_AT_KEY] = now_ts() if fresh else now_ts() - 3600
    request._messages = FallbackStorage(request)
    return request


def test_a_two_factor_action_sends_a_user_without_it_to_set_it_up(guarded, manager):
    response = guarded(request_for(manager, fresh=True))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")


def test_a_two_factor_action_runs_for_a_fresh_user_with_it(guarded, manager):
    enrol(manager)

    assert guarded(request_for(manager, fresh=True)).content == b"approved"
    assert guarded(request_for(manager, fresh=False))["Location"].startswith("/account/confirm/")
