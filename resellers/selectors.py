"""Reads for the resellers app: every function takes the reseller (or partnership) it serves."""

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Reseller
from channel.models import EndCustomer, Partnership
from resellers.models import AffiliateLink, CustomerInteraction

# Columns the customer list may be sorted by: ?sort=<key> -> ORM field.
END_CUSTOMER_SORTS = {
    "name": "name",
    "company": "company",
    "email": "email",
    "city": "city",
    "orders": "order_count",
    "last_order": "last_order_at",
    "created": "created_at",
}


def end_customer_list(*, reseller: Reseller, query: str = "") -> QuerySet[EndCustomer]:
    """The reseller's customers with their order count and last order date (one query)."""
    customers = EndCustomer.objects.filter(reseller=reseller).annotate(
        order_count=Count("orders", distinct=True),
        last_order_at=Max("orders__created_at"),
    )
    query = query.strip()
    if query:
        customers = customers.filter(
            Q(name__icontains=query) | Q(company__icontains=query) | Q(email__icontains=query)
        )
    return customers


def end_customer_email_taken(
    *, reseller: Reseller, email: str, exclude_id: int | None = None
) -> bool:
    customers = EndCustomer.objects.filter(reseller=reseller, email__iexact=email.strip())
    if exclude_id is not None:
        customers = customers.exclude(pk=exclude_id)
    return customers.exists()


def access_end_customer(*, reseller: Reseller, customer_id: int) -> EndCustomer:
    """The reseller's own customer, or one Http404 for a missing or another reseller's id."""
    customer = (
        EndCustomer.objects.filter(reseller=reseller, pk=customer_id)
        .select_related("source_manufacturer")
        .first()
    )
    if customer is None:
        raise Http404(_("No such customer."))
    return customer


def end_customer_orders(*, customer: EndCustomer):
    """The customer's orders across manufacturers, newest first (Order via the relation)."""
    return (
        customer.orders.filter(reseller_id=customer.reseller_id)
        .select_related("manufacturer")
        .order_by("-created_at", "-pk")
    )


def end_customer_interactions(*, customer: EndCustomer) -> QuerySet[CustomerInteraction]:
    return (
        CustomerInteraction.objects.filter(reseller_id=customer.reseller_id, end_customer=customer)
        .select_related("author")
        .order_by("-occurred_at", "-pk")
    )


def end_customer_choices(*, reseller: Reseller) -> QuerySet[EndCustomer]:
    return EndCustomer.objects.filter(reseller=reseller).order_by("name", "pk")


# --- affiliate links -----------------------------------------------------------------------


def affiliate_link_active(*, partnership: Partnership) -> AffiliateLink | None:
    return AffiliateLink.objects.filter(partnership=partnership, retired_at__isnull=True).first()


def affiliate_links_retired(*, partnership: Partnership) -> QuerySet[AffiliateLink]:
    return AffiliateLink.objects.filter(partnership=partnership, retired_at__isnull=False).order_by(
        "-retired_at"
    )


def affiliate_signup_count(*, partnership: Partnership) -> int:
    """Customers of the reseller who signed up through one of this manufacturer's links."""
    return EndCustomer.objects.filter(
        reseller_id=partnership.reseller_id, source_manufacturer_id=partnership.manufacturer_id
    ).count()


def affiliate_link_by_token_unscoped(*, token: str) -> AffiliateLink | None:
    """DANGER, unscoped: find a sign-up link by its public token, across all tenants.

    The one place the public /join/<token>/ page reads an AffiliateLink without a tenant in
    scope: the token is what identifies the tenant. The caller must scope every further
    query to `link.manufacturer` and `link.partnership.reseller`.
    """
    if not token or len(token) > 64:
        return None
    return (
        AffiliateLink.objects.with_scopes_disabled()
        .select_related("manufacturer", "partnership", "partnership__reseller")
        .filter(token=token)
        .first()
    )
