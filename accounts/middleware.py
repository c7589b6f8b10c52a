from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled
from django_scopes.state import state


class TenantScopeMiddleware:
    """Every request starts with scoping on and no tenant, so an unscoped query raises.

    A tenant view narrows the scope to its tenant. Django admin is for platform
    operators and works across tenants.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            with scopes_disabled():
                return self.get_response(request)
        # A fresh state, not a copy of the caller's: nothing outside the request leaks in.
        token = state.set({})
        try:
            with scope():
                return self.get_response(request)
        finally:
            state.reset(token)
