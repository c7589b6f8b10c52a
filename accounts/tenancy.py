"""Tenant resolution and the one scoping entry point of every portal view.

A manufacturer-portal view is wrapped in `manufacturer_view`: it resolves the tenant from
the URL among the user's own memberships (404 for any other slug, existing or not) and runs
the view inside `django_scopes.scope(manufacturer=...)`. Every tenant-owned model uses a
`ScopedManager`, so a query with no tenant in scope raises instead of returning all rows,
and a query inside the scope cannot see another tenant's rows.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    Role,
)

TENANT_VIEW_ATTRIBUTE = "tenant_view_kind"


def user_manufacturer_memberships(user) -> Iterable[ManufacturerMembership]:
    """The user's own memberships, across tenants: filtered by the user, never by tenant."""
    if not user.is_authenticated:
        return ManufacturerMembership.objects.none()
    return (
        ManufacturerMembership.objects.with_scopes_disabled()
        .filter(user=user)
        .select_related("manufacturer")
        .order_by("manufacturer__name")
    )


def user_reseller_memberships(user) -> Iterable[ResellerMembership]:
    if not user.is_authenticated:
        return ResellerMembership.objects.none()
    return ResellerMembership.objects.filter(user=user).select_related("reseller")


def resolve_manufacturer_membership(user, slug: str) -> ManufacturerMembership:
    membership = user_manufacturer_memberships(user).filter(manufacturer__slug=slug).first()
    if membership is None:
        raise Http404(_("No such manufacturer."))
    return membership


def resolve_reseller_membership(user, public_id: str) -> ResellerMembership:
    membership = user_reseller_memberships(user).filter(reseller__public_id=public_id).first()
    if membership is None:
        raise Http404(_("No such reseller."))
    return membership


def partnered_manufacturer_ids(reseller: Reseller) -> list[int]:
    return list(
        Manufacturer.objects.filter(partnerships__reseller=reseller).values_list("pk", flat=True)
    )


def manufacturer_view(
    view: Callable | None = None, *, roles: Iterable[str] | None = None
) -> Callable:
    """Resolve `/m/<manufacturer_slug>/…` and run the view scoped to that tenant.

    `roles` restricts the view to those roles; another member of the tenant gets 403.
    The view receives `request.tenant` and `request.membership`, not the slug.
    """
    allowed_roles = frozenset(roles) if roles is not None else frozenset(Role.values)

    def decorator(view_func: Callable) -> Callable:
        @wraps(view_func)
        def wrapper(request: HttpRequest, manufacturer_slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = resolve_manufacturer_membership(request.user, manufacturer_slug)
            if membership.role not in allowed_roles:
                raise PermissionDenied(_("Your role does not allow this."))
            request.tenant = membership.manufacturer
            request.membership = membership
            request.portal = "manufacturer"
            with scope(manufacturer=membership.manufacturer):
                return view_func(request, *args, **kwargs)

        setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "manufacturer")
        return wrapper

    return decorator(view) if view is not None else decorator


def reseller_view(view_func: Callable) -> Callable:
    """Resolve `/r/<reseller_public_id>/…` for a user of that reseller.

    The scope covers the manufacturers the reseller partners with, and the reseller itself;
    selectors still filter by `request.reseller`.
    """

    @wraps(view_func)
    def wrapper(request: HttpRequest, reseller_public_id: str, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = resolve_reseller_membership(request.user, reseller_public_id)
        reseller = membership.reseller
        request.reseller = reseller
        request.reseller_membership = membership
        request.portal = "reseller"
        with scope(manufacturer=partnered_manufacturer_ids(reseller), reseller=reseller):
            return view_func(request, *args, **kwargs)

    setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "reseller")
    return wrapper


def reseller_partner_view(view_func: Callable) -> Callable:
    """Resolve `/r/<reseller_public_id>/m/<manufacturer_slug>/…`: one reseller's dealings with
    one manufacturer. 404 unless the user works for the reseller and the two are partners.

    Sets `request.reseller`, `request.tenant` (the manufacturer) and `request.partnership`,
    and scopes queries to that manufacturer and reseller.
    """

    @wraps(view_func)
    def wrapper(
        request: HttpRequest, reseller_public_id: str, manufacturer_slug: str, *args, **kwargs
    ) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = resolve_reseller_membership(request.user, reseller_public_id)
        reseller = membership.reseller
        # The partnership is reached through its relation, so accounts imports no higher app.
        partnership = (
            reseller.partnerships.with_scopes_disabled()
            .select_related("manufacturer", "price_list")
            .filter(manufacturer__slug=manufacturer_slug)
            .first()
        )
        if partnership is None:
            raise Http404(_("No such manufacturer."))
        request.reseller = reseller
        request.reseller_membership = membership
        request.tenant = partnership.manufacturer
        request.partnership = partnership
        request.portal = "reseller"
        with scope(manufacturer=partnership.manufacturer, reseller=reseller):
            return view_func(request, *args, **kwargs)

    setattr(wrapper, TENANT_VIEW_ATTRIBUTE, "reseller")
    return wrapper
