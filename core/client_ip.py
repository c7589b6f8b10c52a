"""The client's address behind a configured number of trusted proxies.

Each proxy appends the address it received the request from to `X-Forwarded-For`, so with
`TRUSTED_PROXY_COUNT = n` the client is the n-th entry from the right: anything further
left was written by the client and proves nothing. With no proxy (n = 0) or a header too
short to have passed through them all, the connection's own address is used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if count <= 0:
        return remote
    forwarded = [
        part for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote


def ratelimit_ip(request: HttpRequest) -> str:
    """django-ratelimit's `ip` key (RATELIMIT_IP_META_KEY): the client address as above."""
    return client_ip(request) or "0.0.0.0"  # noqa: S104 - a key, not an address to bind
