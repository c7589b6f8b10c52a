"""The API's tenant resolution: the same entry points as `accounts.tenancy`'s decorators.

Every API view derives from `ManufacturerAPIView` or `ResellerAPIView`. After DRF has
authenticated the request (a key or the session), `initial` resolves the tenant from the
URL among the user's own memberships (404 for any other), refuses a key of another tenant
with the same 404, checks the role, and enters `django_scopes.scope` for the rest of the
request, so a query without a tenant raises here too.
"""

from contextlib import ExitStack
from typing import Any, cast

from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django_scopes import scope
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request

from accounts.models import (
    STAFF_ROLES,
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    Role,
    User,
)
from accounts.tenancy import (
    partnered_manufacturer_ids,
    resolve_manufacturer_membership,
    resolve_reseller_membership,
    resolve_reseller_partnership,
)
from api.models import ApiKey, ResellerApiKey

ALL_ROLES = frozenset(Role.values)


class _TenantScopedView(viewsets.GenericViewSet):
    _tenant_stack: ExitStack
    lookup_value_converter = "int"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with ExitStack() as stack:
            self._tenant_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.enter_tenant(request)

    def enter_tenant(self, request: Request) -> None:
        raise NotImplementedError

    @property
    def actor(self) -> User:
        """Who acts: the logged-in user, or the member who made the request's key."""
        return cast(User, self.request.user)


class ManufacturerAPIView(_TenantScopedView):
    """/api/v1/m/<manufacturer_slug>/…: sets `self.tenant` and `self.membership`.

    `staff_actions` names the actions only owners and managers may take (403 for a rep).
    """

    staff_actions: frozenset[str] = frozenset()
    tenant: Manufacturer
    membership: ManufacturerMembership

    def enter_tenant(self, request: Request) -> None:
        key = request.auth
        if isinstance(key, ResellerApiKey):
            raise NotFound(_("No such manufacturer."))
        membership = resolve_manufacturer_membership(request.user, self.kwargs["manufacturer_slug"])
        if isinstance(key, ApiKey) and key.manufacturer_id != membership.manufacturer_id:
            raise NotFound(_("No such manufacturer."))
        if self.action in self.staff_actions and membership.role not in STAFF_ROLES:
            raise PermissionDenied(_("Your role does not allow this."))
        self.tenant = membership.manufacturer
        self.membership = membership
        self._tenant_stack.enter_context(scope(manufacturer=membership.manufacturer))


class ResellerAPIView(_TenantScopedView):
    """/api/v1/r/<reseller_public_id>/…, and …/m/<manufacturer_slug>/… for one partner:
    sets `self.reseller`, and `self.partnership` under a manufacturer."""

    reseller: Reseller
    partnership: Any  # channel.Partnership, resolved through accounts.tenancy

    def enter_tenant(self, request: Request) -> None:
        key = request.auth
        if isinstance(key, ApiKey):
            raise NotFound(_("No such reseller."))
        membership = resolve_reseller_membership(request.user, self.kwargs["reseller_public_id"])
        if isinstance(key, ResellerApiKey) and key.reseller_id != membership.reseller_id:
            raise NotFound(_("No such reseller."))
        reseller = membership.reseller
        self.reseller = reseller
        slug = self.kwargs.get("manufacturer_slug")
        if slug is None:
            self._tenant_stack.enter_context(
                scope(manufacturer=partnered_manufacturer_ids(reseller), reseller=reseller)
            )
            return
        self.partnership = resolve_reseller_partnership(reseller, slug)
        self._tenant_stack.enter_context(
            scope(manufacturer=self.partnership.manufacturer, reseller=reseller)
        )
