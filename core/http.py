"""The one check of a `next` URL before a view redirects to it.

`safe_next(request, tenant)` answers the path a form asked to return to, or None when it may
not be followed (the caller then uses its own default). A `next` that may be followed is a
path on this site, inside the portal of the tenant the request acts for:

- relative: it starts with one `/`, and has no scheme and no host (`//evil.com`,
  `https://evil.com/m/acme/` and even this site's own absolute URL are refused);
- plain: no backslash, control character or space, and a path with no `.` or `..` segment,
  none of them hidden behind percent-encoding (`%2e%2e`, `%5c`, `/%2fevil.com`): browsers
  resolve them, and `/m/acme/../borealis/` is really `/m/borealis/`;
- inside the tenant's portal: it starts with `tenant.portal_path_prefix`, `/m/<slug>/` for a
  manufacturer and `/r/<public id>/` for a reseller. A reseller's pages pass
  `request.reseller`, not `request.tenant` (there the manufacturer they deal with).

`tenant=None` is for the pages a user has across tenants (their notifications): any path
that passes the first two rules.

`core` sits below every domain and imports none of them: the tenant is anything with a
`portal_path_prefix` (accounts' `Manufacturer` and `Reseller` both have one).
"""

import re
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000

# Spaces, control characters and backslashes: browsers strip or reinterpret them.
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x20\x7f\\]")


class PortalTenant(Protocol):
    @property
    def portal_path_prefix(self) -> str:
        """The path every page of this tenant's portal starts with, with both slashes."""


def safe_next(
    request: HttpRequest, tenant: PortalTenant | None, *, candidate: str | None = None
) -> str | None:
    """The `next` of the request (POST, else GET) if it may be followed, else None.

    A `candidate` that is not None (a stored link, say) is checked instead of `next`.
    """
    if candidate is None:
        candidate = request.POST.get("next") or request.GET.get("next")
    if not candidate or len(candidate) > MAX_LENGTH:
        return None
    if not _is_plain_relative_path(candidate):
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if tenant is not None and not candidate.startswith(tenant.portal_path_prefix):
        return None
    return candidate


def _is_plain_relative_path(candidate: str) -> bool:
    if _UNSAFE_CHARACTER.search(candidate):
        return False
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    # The path decoded until nothing changes, so no layer of encoding hides a dot segment,
    # a backslash or a second leading slash. (The query may hold encoded spaces.)
    path, previous = parts.path, None
    while path != previous:
        previous, path = path, unquote(path)
    if _UNSAFE_CHARACTER.search(path) or path.startswith("//"):
        return False
    return not any(segment in {".", ".."} for segment in path.split("/"))


def portal_url(path: str) -> str:
    """`path` as an absolute address on the configured PORTAL_BASE_URL, for emails: a worker
    has no request, and a request's own host may be an internal one behind the balancer."""
    from django.conf import settings

    if not path.startswith("/"):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path
