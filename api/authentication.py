"""How a request says who it is: `Authorization: Bearer <key>`, or the portal's own session.

A key authenticates as the user who made it (`request.user`), with the key in
`request.auth`; which tenant it acts for is decided by `api.views.base`, exactly as the
portal's tenant decorators decide it for a page.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.selectors import KeyInvalid, api_key_resolve
from api.services import api_key_touch

KEYWORD = b"bearer"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Send the key as “Authorization: Bearer <key>”."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("Invalid API key.")) from error
        try:
            key = api_key_resolve(raw)
        except KeyInvalid as invalid:
            raise AuthenticationFailed(invalid.user_message) from invalid
        api_key_touch(key=key)
        return key.created_by, key

    def authenticate_header(self, request: Request) -> str:
        # Makes a request without credentials a 401 (not a 403), as the schema documents.
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API key made on the API keys page (Settings → API keys), sent as "
                "`Authorization: Bearer cpm_…` (a manufacturer's) or `cpr_…` (a "
                "reseller's). A manufacturer's key acts with the role of the member who "
                "made it; a read-only key is refused every write with 403."
            ),
        }
