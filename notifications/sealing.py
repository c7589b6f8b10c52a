"""Links that work as keys (a payment link, an invitation, an unlock link) are never stored
in clear in the outbox (ASVS 8.3.4): `seal` takes them out of the body, which keeps a
placeholder, and keeps them encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from the
well-kept `cryptography` package) beside it; `unseal` puts them back when the email is sent.
Once sent, the sealed part is dropped: nothing in the database opens the link any more.

The key is OUTBOX_SEALING_KEY when set (any string; rotate it and unsent emails become
unreadable, so rotate between flushes), else one derived from SECRET_KEY.
"""

import base64
import json
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

SALT = "notifications.outbox-sealing"


def _fernet() -> Fernet:
    secret = getattr(settings, "OUTBOX_SEALING_KEY", "") or settings.SECRET_KEY
    digest = salted_hmac(SALT, "outbox", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def placeholder(index: int) -> str:
    return "[" + gettext("link %(n)d, kept sealed") % {"n": index + 1} + "]"


def seal(body: str, secrets: Sequence[str]) -> tuple[str, str]:
    """The body with each secret replaced by a placeholder, and the secrets encrypted."""
    secrets = [secret for secret in secrets if secret]
    if not secrets:
        return body, ""
    for index, secret in enumerate(secrets):
        body = body.replace(secret, placeholder(index))
    sealed = _fernet().encrypt(json.dumps(secrets).encode()).decode()
    return body, sealed


class SealBroken(Exception):
    """The sealed links cannot be read (the key changed)."""


def unseal(body: str, sealed: str) -> str:
    if not sealed:
        return body
    try:
        secrets = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise SealBroken("the outbox sealing key changed") from error
    for index, secret in enumerate(secrets):
        body = body.replace(placeholder(index), secret)
    return body
