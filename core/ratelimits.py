"""Rate limits of the pages anyone can reach (django-ratelimit), answered with a 429 page.

`limited(...)` wraps a view; a request over a limit raises django-ratelimit's `Ratelimited`
(a `PermissionDenied`), which the 403 handler turns into the 429 page. Counters live in the
default cache (Redis in production, shared by every web process). The `ip` key is the
client's address behind the trusted proxies (core.client_ip).
"""

from collections.abc import Callable
from typing import Any

from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

__all__ = ["Ratelimited", "limited", "post_field"]

View = Callable[..., Any]


def limited(*limits: tuple[str, str], group: str, method: str = "POST") -> Callable[[View], View]:
    """`@limited(("ip", "10/h"), ("post:email", "3/h"), group="password-reset")`: every
    limit applies, each counted per key within the group."""

    def decorator(view: View) -> View:
        for key, rate in reversed(limits):
            view = ratelimit(group=f"{group}:{key}", key=key, rate=rate, method=method,
                             block=True)(view)  # fmt: skip
        return view

    return decorator


def post_field(name: str) -> Callable[[str, Any], str]:
    """A key on a posted field, case- and space-insensitive (an email address)."""

    def key(group: str, request: Any) -> str:
        return str(request.POST.get(name, "")).strip().lower()[:254]

    return key
