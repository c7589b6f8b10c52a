"""Tenant resolution and the one scoping entry point of every portal view.

A manufacturer-portal view is wrapped in `manufacturer_view`: it resolves the tenant from
the URL among the user's own memberships (404 for any other slug, existing or not) and runs
the view inside `django_scopes.scope(manufacturer=...)`. Every tenant-owned model uses a
`ScopedManager`, so a query with no tenant in scope raises instead of returning all rows,
and a query inside the scope cannot see another tenant's rows.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, cast, overload

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from django_scopes import scope

from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    Role,
    User,
)

TENANT_VIEW_ATTRIBUTE = "tenant_view_kind"
ALLOWED_ROLES_ATTRIBUTE = "allowed_roles"

View = Callable[..., HttpResponseBase]


# What a view receives, for type checkers: the same `HttpRequest`, with the attributes that
# the middleware (`htmx`), `login_required` (`user`) and the decorators below set on it.
class UserRequest(HttpRequest):
    """A request of a logged-in user (a view behind `login_required` or a tenant view)."""

    user: User
    htmx: HtmxDetails


class ManufacturerRequest(UserRequest):
    """What a `manufacturer_view` receives."""

    tenant: Manufacturer
    membership: ManufacturerMembership
    portal: str


class ResellerRequest(UserRequest):
    """What a `reseller_view` receives."""

    reseller: Reseller
    reseller_membership: ResellerMembership
    portal: str


class ResellerPartnerRequest(ResellerRequest):
    """What a `reseller_partner_view` receives."""

    tenant: Manufacturer
    # A `Partnership`: that model lives a layer above accounts, which may not import it.
    partnership: Any


def user_manufacturer_memberships(
    user: User | AnonymousUser,
) -> QuerySet[ManufacturerMembership]:
    """The user's own memberships, across tenants: filtered by the user, never by tenant."""
    if not user.is_authenticated:
        return ManufacturerMembership.objects.none()
    return (
        ManufacturerMembership.objects.with_scopes_disabled()
        .filter(user=user)
        .select_related("manufacturer")
        .order_by("manufacturer__name")
    )


def user_reseller_memberships(user: User | AnonymousUser) -> QuerySet[ResellerMembership]:
    if not user.is_authenticated:
        return ResellerMembership.objects.none()
    return ResellerMembership.objects.filter(user=user).select_related("reseller")


def resolve_manufacturer_membership(
    user: User | AnonymousUser, slug: str
) -> ManufacturerMembership:
    membership = user_manufacturer_memberships(user).filter(manufacturer__slug=slug).first()
    if membership is None:
        raise Http404(_("No such manufacturer."))
    return membership


def resolve_reseller_membership(user: User | AnonymousUser, public_id: str) -> ResellerMembership:
    membership = user_reseller_memberships(user).filter(reseller__public_id=public_id).first()
    if membership is None:
        raise Http404(_("No such reseller."))
    return membership


def resolve_reseller_partnership(reseller: Reseller, manufacturer_slug: str) -> Any:
    """The reseller's partnership with the manufacturer `manufacturer_slug`, or Http404."""
    # The partnership is reached through its relation, so accounts imports no higher app.
    # (At run time the related manager extends Partnership's ScopedManager; the mypy
    # plugin cannot resolve that factory-built class and types it as a plain one.)
    partnership = (
        reseller.partnerships.with_scopes_disabled()  # type: ignore[attr-defined]
        .select_related("manufacturer", "price_list")
        .filter(manufacturer__slug=manufacturer_slug)
        .first()
    )
    if partnership is None:
        raise Http404(_("No such manufacturer."))
    return partnership


def partnered_manufacturer_ids(reseller: Reseller) -> list[int]:
    return list(
        Manufacturer.objects.filter(partnerships__reseller=reseller).values_list("pk", flat=True)
    )


@overload
def manufacturer_view(view: View, *, roles: None = None) -> View: ...
@overload
def manufacturer_view(
    view: None = None, *, roles: Iterable[str] | None = None
) -> Callable[[View], View]: ...
def manufacturer_view(
    view: View | None = None, *, roles: Iterable[str] | None = None
) -> View | Callable[[View], View]:
    """Resolve `/m/<manufacturer_slug>/…` and run the view scoped to that tenant.

    `roles` restricts the view to those roles; another member of the tenant gets 403.
    The view receives `request.tenant` and `request.membership`, not the slug.
    """
    allowed_roles = frozenset(roles) if roles is not None else frozenset(Role.values)

    def decorator(view_func: View) -> View:
        @wraps(view_func)
        def wrapper(
            request: HttpRequest, manufacturer_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = resolve_manufacturer_membership(request.user, manufacturer_slug)
            if membership.role not in allowed_roles:
                raise PermissionDenied(_("Your role does not allow this."))
            tenant_request = cast(ManufacturerRequest, request)
            tenant_request.tenant = membership.manufacturer
            tenant_request.membership = membership
            tenant_request.portal = "manufacturer"
            with scope(manufacturer=membership.manufacturer):
                return view_func(tenant_request, *args, **kwargs)

        setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "manufacturer")
        # Who may open it, for callers that run the page's action elsewhere (the assistant).
        setattr(wrapper, ALLOWED_ROLES_ATTRIBUTE, allowed_roles)
        return wrapper

    return decorator(view) if view is not None else decorator


def reseller_view(view_func: View) -> View:
    """Resolve `/r/<reseller_public_id>/…` for a user of that reseller.

    The scope covers the manufacturers the reseller partners with, and the reseller itself;
    selectors still filter by `request.reseller`.
    """

    @wraps(view_func)
    def wrapper(
        request: HttpRequest, reseller_public_id: str, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = resolve_reseller_membership(request.user, reseller_public_id)
        reseller = membership.reseller
        reseller_request = cast(ResellerRequest, request)
        reseller_request.reseller = reseller
        reseller_request.reseller_membership = membership
        reseller_request.portal = "reseller"
        with scope(manufacturer=partnered_manufacturer_ids(reseller), reseller=reseller):
            return view_func(reseller_request, *args, **kwargs)

    setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "reseller")
    return wrapper


def reseller_partner_view(view_func: View) -> View:
    """Resolve `/r/<reseller_public_id>/m/<manufacturer_slug>/…`: one reseller's dealings with
    one manufacturer. 404 unless the user works for the reseller and the two are partners.

    Sets `request.reseller`, `request.tenant` (the manufacturer) and `request.partnership`,
    and scopes queries to that manufacturer and reseller.
    """

    @wraps(view_func)
    def wrapper(
        request: HttpRequest,
        reseller_public_id: str,
        manufacturer_slug: str,
        *args: Any,
        **kwargs: Any,
    ) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = resolve_reseller_membership(request.user, reseller_public_id)
        reseller = membership.reseller
        partnership = resolve_reseller_partnership(reseller, manufacturer_slug)
        partner_request = cast(ResellerPartnerRequest, request)
        partner_request.reseller = reseller
        partner_request.reseller_membership = membership
        partner_request.tenant = partnership.manufacturer
        partner_request.partnership = partnership
        partner_request.portal = "reseller"
        with scope(manufacturer=partnership.manufacturer, reseller=reseller):
            return view_func(partner_request, *args, **kwargs)

    setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "reseller")
    return wrapper
