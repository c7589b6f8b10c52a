from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import KeyFields


class KeyRateThrottle(SimpleRateThrottle):
    """settings.API_RATE_LIMIT requests per key (per user for the session, per address
    without credentials); past it a 429 with Retry-After. Counted in the default cache, so
    every web process shares the count (Redis in production)."""

    scope = "api"

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_cache_key(self, request: Request, view: Any) -> str:
        key = request.auth
        if isinstance(key, KeyFields):
            ident = f"{key._meta.model_name}-{key.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
