"""Passwords (ASVS 2.1): at least 12 characters, none from the shipped breached list."""

import gzip

import pytest
from django.conf import settings

from notifications.models import OutboxEmail
from tests.accounts.factories import DEFAULT_PASSWORD


def change(client, new: str):
    return client.post(
        "/password/change/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven-char", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwerty123456", "too common"),
    ],
)
def test_short_and_breached_passwords_are_refused(client_for, manager, password, message):
    response = change(client_for(manager), password)

    assert response.status_code == 200
    assert message in response.text
    manager.refresh_from_db()
    assert manager.check_password(DEFAULT_PASSWORD)
    assert not OutboxEmail.objects.filter(recipient=manager.email).exists()


def test_a_long_uncommon_password_is_accepted(client_for, manager):
    response = change(client_for(manager), "tulip-harbour-engine-47")

    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("tulip-harbour-engine-47")


def test_the_breached_list_ships_with_the_project():
    path = settings.BREACHED_PASSWORDS_FILE
    assert str(path).startswith(str(settings.BASE_DIR))
    with gzip.open(path, "rt") as lines:
        passwords = {line.strip() for line in lines}
    assert len(passwords) > 19000
    assert "password1234" in passwords
