from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from api.models import KeyFields


class KeyAllowsMethod(BasePermission):
    """A read-only key reads; every other method needs a read-write key (403)."""

    message = _("This API key is read-only.")

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, KeyFields) or request.method in SAFE_METHODS:
            return True
        return key.can_write
