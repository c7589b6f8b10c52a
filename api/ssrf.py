"""Webhook URLs never reach inside the portal's network (server-side request forgery).

A manufacturer types the URL and the portal POSTs to it, so an unchecked URL would let a
tenant make the portal call its own admin ports, the database, or the cloud metadata service
(169.254.169.254, which hands out credentials). Two checks, after OWASP's SSRF cheat sheet:

- at save time, `url_refusal` refuses a URL whose host is a non-public address, a name such
  as `localhost`, or a name that resolves to one;
- at delivery time, `resolve_public` resolves the name again and the request is sent to the
  address it checked (pinned), so a DNS answer that changes after the save (DNS rebinding)
  cannot redirect it. Redirects are never followed.

"Public" is `ipaddress`'s `is_global`: private, loopback, link-local (metadata), carrier-grade
NAT, multicast, reserved and unspecified ranges are refused, and IPv4 mapped into IPv6 is
judged as IPv4. `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` lets development and the tests post to a
receiver on loopback; production settings force it off.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
BLOCKED_NAMES = ("localhost", "localhost.localdomain", "metadata.google.internal")
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".home.arpa")


class AddressRefused(Exception):
    """The URL points at an address the portal does not call; `str()` is user-facing."""


def address_is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False))


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _check(address: IPAddress) -> None:
    if not _allow_private() and not address_is_public(address):
        raise AddressRefused(
            _("This address is not on the public internet; the portal does not call it.")
        )


def resolve(host: str, port: int) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


def url_refusal(url: str) -> str:
    """Why the portal would not call `url`, or "" (the save-time check). A name that does
    not resolve yet is accepted: the delivery-time check resolves it again anyway."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return _("Enter a valid URL.")
    if parts.username or parts.password:
        return _("A webhook URL cannot carry a user name or password.")
    try:
        literal = _literal(host)
        if literal is not None:
            _check(literal)
            return ""
        if not _allow_private() and (
            host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES) or "." not in host
        ):
            raise AddressRefused(_("This name is not on the public internet."))
        try:
            addresses = resolve(host, parts.port or 443)
        except (OSError, UnicodeError):
            return ""
        for address in addresses:
            _check(address)
    except AddressRefused as refused:
        return str(refused)
    return ""


def resolve_public(host: str, port: int) -> IPAddress:
    """The address to send to (the delivery-time check): every address the name resolves
    to must be public, and the first is used. AddressRefused otherwise."""
    literal = _literal(host)
    if literal is not None:
        _check(literal)
        return literal
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(_("The name could not be resolved.")) from error
    if not addresses:
        raise AddressRefused(_("The name could not be resolved."))
    for address in addresses:
        _check(address)
    return addresses[0]
