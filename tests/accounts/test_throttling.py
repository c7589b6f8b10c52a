"""Throttling (ASVS 2.2.1, 11.1.4): per account across addresses, per address across
accounts, behind a proxy; a lock that grows and that the owner lifts by email; 429 pages on
every public form."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import LOCKOUT_BASE, lockout_cool_off
from notifications.models import OutboxEmail
from notifications.sealing import unseal
from resellers import services as reseller_services
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.orders.test_payment_link import DECLINED_CARD, send_link


def attempt(client: Client, email: str, password: str, *, ip: str = "198.51.100.7",
            forwarded: str | None = None):  # fmt: skip
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/login/", {"username": email, "password": password}, REMOTE_ADDR=ip, headers=headers
    )


def test_wrong_passwords_from_many_addresses_lock_the_account(manager):
    for n in range(5):
        attempt(Client(), manager.email, "wrong-password", ip=f"203.0.113.{n + 1}")

    response = attempt(Client(), manager.email, DEFAULT_PASSWORD, ip="203.0.113.99")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.text


def test_the_account_count_ignores_case(manager):
    for n in range(5):
        attempt(
            Client(),
            manager.email.upper() if n % 2 else manager.email,
            "wrong",
            ip=f"203.0.113.{n}",
        )

    assert attempt(Client(), manager.email, DEFAULT_PASSWORD).status_code == 429


def test_wrong_passwords_for_many_accounts_from_one_address_block_that_address(manager):
    for n in range(21):
        attempt(Client(), f"guess{n}@example.test", "wrong-password", ip="198.51.100.9")

    blocked = attempt(Client(), manager.email, DEFAULT_PASSWORD, ip="198.51.100.9")
    elsewhere = attempt(Client(), manager.email, DEFAULT_PASSWORD, ip="198.51.100.10")

    assert blocked.status_code == 429
    assert "Too many requests" in blocked.text
    assert elsewhere.status_code == 302


def test_behind_the_proxy_each_client_counts_by_its_own_address(settings, manager):
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = "10.0.0.2"
    for n in range(21):
        attempt(Client(), f"guess{n}@example.test", "wrong", ip=balancer,
                forwarded="192.0.2.50")  # fmt: skip

    attacker = attempt(
        Client(), manager.email, DEFAULT_PASSWORD, ip=balancer, forwarded="192.0.2.50"
    )
    user = attempt(Client(), manager.email, DEFAULT_PASSWORD, ip=balancer, forwarded="192.0.2.77")

    assert attacker.status_code == 429
    assert user.status_code == 302  # the balancer's own address is not the one blocked


def test_a_forged_forwarded_for_does_not_give_a_new_address(settings, manager):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(21):
        # The client writes its own left part; the balancer appends the real address.
        attempt(Client(), f"guess{n}@example.test", "wrong", ip="10.0.0.2",
                forwarded=f"203.0.113.{n}, 192.0.2.50")  # fmt: skip

    again = attempt(Client(), manager.email, DEFAULT_PASSWORD, ip="10.0.0.2",
                    forwarded="203.0.113.200, 192.0.2.50")  # fmt: skip

    assert again.status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(manager):
    for n in range(21):
        attempt(Client(), f"guess{n}@example.test", "wrong", ip="198.51.100.9",
                forwarded=f"203.0.113.{n}")  # fmt: skip

    assert attempt(Client(), manager.email, DEFAULT_PASSWORD, ip="198.51.100.9").status_code == 429


def test_each_new_lock_in_a_day_lasts_twice_as_long(rf, manager):
    request = rf.post("/login/", {"username": manager.email})
    assert lockout_cool_off(request) == LOCKOUT_BASE
    for hours_ago in (3, 2):
        AccessFailureLog.objects.create(
            username=manager.email, ip_address="203.0.113.1", user_agent="x", http_accept="x",
            path_info="/login/", attempt_time=timezone.now() - timedelta(hours=hours_ago),
            locked_out=True,
        )  # fmt: skip

    assert lockout_cool_off(request) == LOCKOUT_BASE * 2
    AccessFailureLog.objects.filter(username=manager.email).update(
        attempt_time=timezone.now() - timedelta(days=2)
    )
    assert lockout_cool_off(request) == LOCKOUT_BASE


def test_failures_during_a_lock_do_not_extend_it(manager):
    for n in range(5):
        attempt(Client(), manager.email, "wrong", ip=f"203.0.113.{n}")
    locked_at = AccessAttempt.objects.latest("attempt_time").attempt_time

    for n in range(3):
        attempt(Client(), manager.email, "wrong", ip=f"203.0.113.{50 + n}")

    assert AccessAttempt.objects.latest("attempt_time").attempt_time == locked_at
    AccessAttempt.objects.update(attempt_time=locked_at - LOCKOUT_BASE - timedelta(seconds=1))
    assert attempt(Client(), manager.email, DEFAULT_PASSWORD).status_code == 302


def unlock_link(email: str) -> str:
    email_row = OutboxEmail.objects.get(recipient=email, subject__startswith="Unlock")
    body = unseal(email_row.body, email_row.sealed)  # as it is sent
    return re.search(r"https?://[^/\s]+(/login/unlock/\S+/)", body).group(1)


def test_the_owner_unlocks_their_account_by_email_in_their_browser(manager):
    for n in range(5):
        attempt(Client(), manager.email, "wrong", ip=f"203.0.113.{n}")
    mine = Client()
    locked = attempt(mine, manager.email, DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert "/login/unlock/" in locked.text

    asked = mine.post("/login/unlock/", {"email": manager.email})
    assert asked.status_code == 302
    opened = mine.get(unlock_link(manager.email))
    assert opened.status_code == 302
    for n in range(6):  # the attacker goes on elsewhere
        attempt(Client(), manager.email, "wrong", ip=f"203.0.113.{100 + n}")
    assert attempt(Client(), manager.email, DEFAULT_PASSWORD).status_code == 429

    assert attempt(mine, manager.email, DEFAULT_PASSWORD).status_code == 302
    assert mine.session[SESSION_KEY] == str(manager.pk)


def test_an_unlock_link_works_for_its_account_only_and_once(manager, seller):
    mine = Client()
    mine.post("/login/unlock/", {"email": manager.email})
    link = unlock_link(manager.email)
    assert mine.get(link).status_code == 302
    for n in range(5):
        attempt(Client(), seller.email, "wrong", ip=f"203.0.113.{n}")
    assert attempt(mine, seller.email, DEFAULT_PASSWORD).status_code == 429

    attempt(mine, manager.email, DEFAULT_PASSWORD)  # a login retires the link
    assert Client().get(link).status_code == 400
    assert Client().get("/login/unlock/forged/").status_code == 400


def test_asking_for_an_unlock_link_reveals_no_account(manager):
    known = Client().post("/login/unlock/", {"email": manager.email}, follow=True)
    unknown = Client().post("/login/unlock/", {"email": "nobody@example.test"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert "If an account uses" in unknown.text
    assert not OutboxEmail.objects.filter(recipient="nobody@example.test").exists()


def test_password_reset_is_rate_limited_per_address_and_per_email(manager):
    client = Client()
    for _ in range(3):
        assert client.post("/password/reset/", {"email": manager.email}).status_code == 302

    same_email = Client().post(
        "/password/reset/", {"email": manager.email}, REMOTE_ADDR="192.0.2.1"
    )
    assert same_email.status_code == 429
    for n in range(7):
        client.post("/password/reset/", {"email": f"other{n}@example.test"})
    assert client.post("/password/reset/", {"email": "more@example.test"}).status_code == 429


def test_sign_ups_through_join_are_rate_limited(partnership):
    link = reseller_services.affiliate_link_get_or_create(partnership=partnership)
    url = reverse("resellers_public:join", kwargs={"token": link.token})
    client = Client()
    for n in range(5):
        data = {"name": "Jane", "email": f"jane{n}@example.test", "consent": "on"}
        assert client.post(url, data).status_code == 302

    sixth = client.post(url, {"name": "Jane", "email": "jane9@example.test", "consent": "on"})

    assert sixth.status_code == 429
    assert "Too many requests" in sixth.text


def test_sign_up_needs_consent(partnership):
    link = reseller_services.affiliate_link_get_or_create(partnership=partnership)
    url = reverse("resellers_public:join", kwargs={"token": link.token})

    response = Client().post(url, {"name": "Jane", "email": "jane@example.test"})

    assert response.status_code == 200
    assert "Tick the box to agree" in response.text


def test_declined_cards_in_a_row_are_rate_limited(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    url = reverse("orders_public:pay", kwargs={"token": token})
    client = Client()
    statuses = [client.post(url, DECLINED_CARD).status_code for _ in range(11)]

    assert 429 not in statuses[:10]
    assert statuses[10] == 429


@pytest.mark.parametrize("path", ["/login/", "/login/code/", "/login/unlock/", "/password/reset/"])
def test_every_public_account_form_has_a_limit(db, path):
    client = Client()
    statuses = {client.post(path, {"username": "x@example.test", "email": "x@example.test",
                                   "password": "x", "code": "1"}).status_code
                for _ in range(61)}  # fmt: skip

    assert 429 in statuses
