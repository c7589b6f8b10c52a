"""Mail backends that misbehave the way real servers do, for the outbox's tests.

Chosen with `settings.EMAIL_BACKEND = "tests.notifications.mail_backends.<Name>"`; `state`
counts what they did and holds the events a concurrent test synchronises on.
"""

import smtplib
import threading
from typing import ClassVar

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class State:
    opened = 0
    attempted = 0
    sending = threading.Event()
    release = threading.Event()
    during_send: ClassVar[list] = []  # callables run inside the first send (another worker)

    @classmethod
    def reset(cls) -> None:
        cls.opened = 0
        cls.attempted = 0
        cls.sending = threading.Event()
        cls.release = threading.Event()
        cls.during_send = []


state = State


class Counting(LocmemBackend):
    """locmem (mail.outbox) that counts connections opened."""

    def open(self):
        state.opened += 1
        return True

    def send_messages(self, messages):
        state.attempted += len(messages)
        return super().send_messages(messages)


class Refusing(Counting):
    """A mail server that refuses every connection."""

    def open(self):
        state.opened += 1
        raise ConnectionRefusedError(111, "Connection refused")


class BouncesOne(Counting):
    """Refuses recipients whose address starts with "bounce"; delivers the rest."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("bounce"):
                state.attempted += 1
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


class DropsAfterTwo(Counting):
    """Delivers two messages, then the server hangs up."""

    def send_messages(self, messages):
        if state.attempted >= 2:
            state.attempted += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class Blocking(Counting):
    """The first send runs `state.during_send`, then waits until `state.release` is set."""

    def send_messages(self, messages):
        if not state.sending.is_set():
            state.sending.set()
            for callback in state.during_send:
                callback()
            assert state.release.wait(10)
        return super().send_messages(messages)
