"""Reads of the reseller's own end customers: every function takes the reseller it serves."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Reseller
from channel.models import EndCustomer
from orders.models import Order
from resellers.models import CustomerInteraction

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


class CustomerOrderFigures(TypedDict):
    order_count: int
    last_order_at: datetime | None


def end_customer_list(
    *, reseller: Reseller, query: str = ""
) -> "QuerySet[WithAnnotations[EndCustomer, CustomerOrderFigures]]":
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


def end_customer_orders(*, customer: EndCustomer) -> QuerySet[Order]:
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


def end_customer_count(*, reseller: Reseller) -> int:
    """How many customers are in the reseller's customer list (one query)."""
    return EndCustomer.objects.filter(reseller=reseller).count()
