"""Changing the login email: a link to the new address, a notice to the old one, and the
same answer whether or not the address has an account (no enumeration)."""

import re

from accounts.models import User
from notifications.models import OutboxEmail
from notifications.sealing import unseal


def link_in(email: OutboxEmail) -> str:
    body = unseal(email.body, email.sealed)  # as it is sent
    return re.search(r"https?://[^/\s]+(/account/email/confirm/\S+/)", body).group(1)


def test_the_address_changes_when_the_link_is_opened(client_for, manager):
    client = client_for(manager)
    old = manager.email

    sent = client.post("/account/email/", {"email": "New.Address@example.test"})
    assert sent.status_code == 302
    manager.refresh_from_db()
    assert manager.email == old
    email = OutboxEmail.objects.get(recipient="new.address@example.test")

    assert client.get(link_in(email)).status_code == 200
    assert client.post(link_in(email)).status_code == 302
    manager.refresh_from_db()
    assert manager.email == "new.address@example.test"
    assert OutboxEmail.objects.filter(
        recipient=old, subject="Your email address was changed"
    ).exists()
    assert client.post(link_in(email)).status_code == 400  # used: the old address moved on


def test_a_taken_address_answers_the_same_and_changes_nothing(client_for, manager, seller):
    client = client_for(manager)

    free = client.post("/account/email/", {"email": "free@example.test"}, follow=True)
    taken = client.post("/account/email/", {"email": seller.email}, follow=True)

    assert free.status_code == taken.status_code == 200
    assert "We sent a link to" in taken.text
    email = OutboxEmail.objects.get(recipient=seller.email)
    assert client.post(link_in(email)).status_code == 400
    manager.refresh_from_db()
    assert manager.email != seller.email


def test_another_user_cannot_use_the_link(client_for, manager, seller):
    client_for(manager).post("/account/email/", {"email": "mine@example.test"})
    email = OutboxEmail.objects.get(recipient="mine@example.test")

    assert client_for(seller).post(link_in(email)).status_code == 400
    assert not User.objects.filter(email="mine@example.test").exists()


def test_a_forged_link_is_refused(client_for, manager):
    response = client_for(manager).post("/account/email/confirm/forged-token/")

    assert response.status_code == 400
