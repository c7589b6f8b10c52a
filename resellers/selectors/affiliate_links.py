"""Reads of affiliate (sign-up) links: the partnership's links and who signed up through them."""

from django.db.models import QuerySet

from channel.models import EndCustomer, Partnership
from resellers.models import AffiliateLink


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


def affiliate_link_usable(link: AffiliateLink) -> bool:
    """The one rule: a link signs people up while it is not retired and its partnership is
    active. `affiliate_signup` applies it to the link read again under a lock; the page uses
    it to show "retired" before anyone fills in the form."""
    return link.is_active and link.partnership.is_active


def affiliate_link_by_token_unscoped(*, token: str) -> AffiliateLink | None:
    """DANGER, unscoped: find a sign-up link by its public token, across all tenants.

    The one place the public /join/<token>/ page reads an AffiliateLink without a tenant in
    scope: the token is what identifies the tenant. The caller must scope every further
    query to `link.manufacturer` and `link.partnership.reseller`.
    """
    if not token or len(token) > 64:
        return None
    # `with_scopes_disabled` is typed Any (see [tool.mypy]); the annotation restores the type.
    link: AffiliateLink | None = (
        AffiliateLink.objects.with_scopes_disabled()
        .select_related("manufacturer", "partnership", "partnership__reseller")
        .filter(token=token)
        .first()
    )
    return link
