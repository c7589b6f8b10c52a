"""Every endpoint of the API, as (name, method, path, body) for a tenant: the negative
matrix walks them all, and test_schema checks this list against the URL configuration."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: dict | None = None

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def manufacturer_endpoints(t) -> list[Endpoint]:
    base = f"/api/v1/m/{t.manufacturer.slug}"
    pid = t.partnership.reseller.public_id
    order = t.orders[0].pk
    return [
        Endpoint("resellers-list", "GET", f"{base}/resellers/"),
        Endpoint("resellers-detail", "GET", f"{base}/resellers/{pid}/"),
        Endpoint("resellers-statistics", "GET", f"{base}/resellers/{pid}/statistics/"),
        Endpoint("resellers-qualifications", "GET", f"{base}/resellers/{pid}/qualifications/"),
        Endpoint(
            "resellers-grant",
            "POST",
            f"{base}/resellers/{pid}/grant/",
            {"code": t.other_qualification.code},
        ),
        Endpoint(
            "resellers-revoke",
            "POST",
            f"{base}/resellers/{pid}/revoke/",
            {"code": t.qualification.code, "reason": "Lapsed"},
        ),
        Endpoint(
            "resellers-assign",
            "POST",
            f"{base}/resellers/{pid}/assign/",
            {"rep": t.other_rep.user.pk},
        ),
        Endpoint("qualifications-list", "GET", f"{base}/qualifications/"),
        Endpoint("orders-list", "GET", f"{base}/orders/"),
        Endpoint("orders-detail", "GET", f"{base}/orders/{order}/"),
        Endpoint(
            "orders-transition",
            "POST",
            f"{base}/orders/{order}/transition/",
            {"to_status": "accepted"},
        ),
        Endpoint("orders-notes", "POST", f"{base}/orders/{order}/notes/", {"body": "Hi"}),
        Endpoint("conversations-list", "GET", f"{base}/conversations/"),
        Endpoint("conversations-detail", "GET", f"{base}/conversations/{t.conversation.pk}/"),
        Endpoint(
            "conversations-reply",
            "POST",
            f"{base}/conversations/{t.conversation.pk}/reply/",
            {"body": "In stock on Monday."},
        ),
        Endpoint("conversations-done", "POST", f"{base}/conversations/{t.conversation.pk}/done/"),
        Endpoint("categories-list", "GET", f"{base}/categories/"),
        Endpoint("categories-detail", "GET", f"{base}/categories/{t.products[0].category_id}/"),
        Endpoint("products-list", "GET", f"{base}/products/"),
        Endpoint("products-detail", "GET", f"{base}/products/{t.products[0].pk}/"),
        Endpoint("commissions-list", "GET", f"{base}/commissions/"),
        Endpoint("commissions-detail", "GET", f"{base}/commissions/{t.entry.pk}/"),
        Endpoint("commissions-balances", "GET", f"{base}/commissions/balances/"),
        Endpoint("payouts-list", "GET", f"{base}/payouts/"),
        Endpoint("payouts-detail", "GET", f"{base}/payouts/{t.payout.pk}/"),
        Endpoint("tiers-list", "GET", f"{base}/tiers/"),
        Endpoint("tiers-detail", "GET", f"{base}/tiers/{t.tier.pk}/"),
        Endpoint("offers-list", "GET", f"{base}/offers/"),
        Endpoint("offers-detail", "GET", f"{base}/offers/{t.offer.pk}/"),
    ]


def reseller_endpoints(t) -> list[Endpoint]:
    reseller = t.partnership.reseller
    base = f"/api/v1/r/{reseller.public_id}"
    partner = f"{base}/m/{t.manufacturer.slug}"
    order = t.orders[0].pk
    return [
        Endpoint("partnerships-list", "GET", f"{base}/partnerships/"),
        Endpoint("all-orders-list", "GET", f"{base}/orders/"),
        Endpoint("orders-list", "GET", f"{partner}/orders/"),
        Endpoint("orders-detail", "GET", f"{partner}/orders/{order}/"),
        Endpoint(
            "orders-transition",
            "POST",
            f"{partner}/orders/{order}/transition/",
            {"to_status": "cancelled", "reason": "Ordered twice"},
        ),
        Endpoint("orders-notes", "POST", f"{partner}/orders/{order}/notes/", {"body": "Hi"}),
        Endpoint("categories-list", "GET", f"{partner}/categories/"),
        Endpoint("categories-detail", "GET", f"{partner}/categories/{t.products[0].category_id}/"),
        Endpoint("products-list", "GET", f"{partner}/products/"),
        Endpoint("products-detail", "GET", f"{partner}/products/{t.products[0].pk}/"),
        Endpoint("qualifications-list", "GET", f"{partner}/qualifications/"),
        Endpoint("conversations-list", "GET", f"{partner}/conversations/"),
        Endpoint("conversations-detail", "GET", f"{partner}/conversations/{t.conversation.pk}/"),
        Endpoint(
            "conversations-reply",
            "POST",
            f"{partner}/conversations/{t.conversation.pk}/reply/",
            {"body": "Thanks!"},
        ),
        Endpoint(
            "conversations-create",
            "POST",
            f"{partner}/conversations/",
            {"kind": "general", "subject": "Hello", "body": "A question"},
        ),
        Endpoint("customers-list", "GET", f"{base}/customers/"),
        Endpoint("customers-detail", "GET", f"{base}/customers/{t.customer.pk}/"),
        Endpoint(
            "customers-create",
            "POST",
            f"{base}/customers/",
            {"name": "Julia Weber", "email": "julia.weber@example.test"},
        ),
        Endpoint("commissions-list", "GET", f"{partner}/commissions/"),
        Endpoint("commissions-detail", "GET", f"{partner}/commissions/{t.entry.pk}/"),
        Endpoint("commissions-balance", "GET", f"{partner}/commissions/balance/"),
        Endpoint("payouts-list", "GET", f"{partner}/payouts/"),
        Endpoint("payouts-detail", "GET", f"{partner}/payouts/{t.payout.pk}/"),
        Endpoint("tiers-list", "GET", f"{partner}/tiers/"),
        Endpoint("offers-list", "GET", f"{partner}/offers/"),
        Endpoint("offers-detail", "GET", f"{partner}/offers/{t.offer.pk}/"),
    ]


MANUFACTURER_NAMES = [
    "resellers-list", "resellers-detail", "resellers-statistics", "resellers-qualifications",
    "resellers-grant", "resellers-revoke", "resellers-assign", "qualifications-list",
    "conversations-list", "conversations-detail", "conversations-reply", "conversations-done",
    "orders-list",
    "orders-detail", "orders-transition", "orders-notes", "categories-list",
    "categories-detail", "products-list", "products-detail", "commissions-list",
    "commissions-detail", "commissions-balances", "payouts-list", "payouts-detail",
    "tiers-list", "tiers-detail", "offers-list", "offers-detail",
]  # fmt: skip
RESELLER_NAMES = [
    "partnerships-list", "all-orders-list", "orders-list", "orders-detail",
    "orders-transition", "orders-notes", "categories-list", "categories-detail",
    "products-list", "products-detail", "qualifications-list", "conversations-list",
    "conversations-detail", "conversations-reply", "conversations-create", "customers-list",
    "customers-detail", "customers-create", "commissions-list", "commissions-detail",
    "commissions-balance", "payouts-list", "payouts-detail", "tiers-list", "offers-list",
    "offers-detail",
]  # fmt: skip
# Endpoints that name one customer (a partnership or its order): a rep sees only their own.
CUSTOMER_SPECIFIC = {
    "resellers-detail", "resellers-statistics", "resellers-qualifications", "resellers-grant",
    "resellers-revoke", "resellers-assign", "orders-detail", "orders-transition",
    "orders-notes", "conversations-detail", "conversations-reply", "conversations-done",
    "commissions-detail",
}  # fmt: skip
# What only owners and managers may do: a rep's key gets 403 whichever customer it names.
STAFF_ONLY = {"orders-transition", "resellers-grant", "resellers-revoke", "resellers-assign"}
# Read by owners and managers only, as their pages are: a rep's key gets 403.
STAFF_READS = {
    "payouts-list", "payouts-detail", "tiers-list", "tiers-detail", "offers-list", "offers-detail",
}  # fmt: skip
