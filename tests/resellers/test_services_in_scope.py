"""Reseller services run inside the scope their real caller sets, or fail closed without one.

End customers belong to a reseller (EndCustomer is scoped by `reseller`), so the reseller
dashboard (`reseller_view`) manages them; affiliate links belong to one partnership
(`reseller_partner_view`), and the public join page scopes to the link's manufacturer and
reseller. Another reseller has a customer with the same email address, and the reseller's
partnership with the other tenant has its own link: neither may change.
"""

import pytest
from django_scopes import ScopeError, scopes_disabled

from channel.models import EndCustomer
from resellers.models import AffiliateLink
from resellers.services import (
    EndCustomerRefused,
    affiliate_link_get_or_create,
    affiliate_link_retire,
    affiliate_signup,
    end_customer_create,
    end_customer_update,
)
from tests.accounts.factories import ResellerFactory
from tests.resellers.factories import AffiliateLinkFactory, EndCustomerFactory, PartnershipFactory
from tests.scoping import reseller_partner_view_scope, reseller_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

EMAIL = "julia@example.test"


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller):
    """The same reseller, partnered with the other tenant; its sign-up link is active."""
    partnership = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    AffiliateLinkFactory(partnership=partnership)
    return partnership


@pytest.fixture
def other_resellers_customer(manufacturer):
    """Another reseller of the same manufacturer has a customer with the same address."""
    other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory()).reseller
    return EndCustomerFactory(reseller=other, name="Julia Weber (theirs)", email=EMAIL)


@pytest.fixture
def link(partnership, foreign_partnership):
    return AffiliateLinkFactory(partnership=partnership)


def assert_untouched(other_resellers_customer: EndCustomer, foreign_partnership) -> None:
    with scopes_disabled():
        theirs = EndCustomer.objects.get(pk=other_resellers_customer.pk)
        assert (theirs.name, theirs.email) == ("Julia Weber (theirs)", EMAIL)
        assert EndCustomer.objects.filter(reseller=theirs.reseller).count() == 1
        foreign_link = AffiliateLink.objects.get(partnership=foreign_partnership)
        assert foreign_link.retired_at is None


# --- end customers --------------------------------------------------------------------------


def test_end_customers_in_the_reseller_view_scope(
    reseller, foreign_partnership, other_resellers_customer
):
    with reseller_view_scope(reseller):
        customer = end_customer_create(
            reseller=reseller, name="Julia Weber", email=" Julia@Example.test "
        )
        with pytest.raises(EndCustomerRefused):
            end_customer_create(reseller=reseller, name="Julia again", email=EMAIL)
        end_customer_update(customer=customer, name="Julia Weber-Lange", city="Kiel")

    with scopes_disabled():
        customer.refresh_from_db()
        assert (customer.reseller, customer.email) == (reseller, EMAIL)
        assert (customer.name, customer.city) == ("Julia Weber-Lange", "Kiel")
        assert EndCustomer.objects.filter(reseller=reseller).count() == 1
    assert_untouched(other_resellers_customer, foreign_partnership)


def test_end_customer_create_with_no_tenant_in_scope_raises(
    reseller, foreign_partnership, other_resellers_customer
):
    with worker_scope(), pytest.raises(ScopeError):
        end_customer_create(reseller=reseller, name="Julia Weber", email=EMAIL)

    with scopes_disabled():
        assert not EndCustomer.objects.filter(reseller=reseller).exists()
    assert_untouched(other_resellers_customer, foreign_partnership)


# --- affiliate links ------------------------------------------------------------------------


def test_affiliate_link_in_the_reseller_partner_view_scope(
    manufacturer, partnership, foreign_partnership, other_resellers_customer
):
    with reseller_partner_view_scope(partnership):
        first = affiliate_link_get_or_create(partnership=partnership)
        assert affiliate_link_get_or_create(partnership=partnership) == first
        replacement = affiliate_link_retire(partnership=partnership)

    with scopes_disabled():
        first.refresh_from_db()
        assert first.retired_at is not None
        assert replacement.manufacturer == manufacturer
        assert replacement.retired_at is None
        assert replacement.token != first.token
    assert_untouched(other_resellers_customer, foreign_partnership)


def test_affiliate_signup_in_the_join_pages_scope(
    manufacturer, reseller, link, foreign_partnership, other_resellers_customer
):
    """resellers.views_public.join: scope(manufacturer=link's, reseller=link's)."""
    with reseller_partner_view_scope(link.partnership):
        customer, created = affiliate_signup(link=link, name="Julia Weber", email=EMAIL)
        again, created_again = affiliate_signup(link=link, name="J. Weber", email=EMAIL.upper())

    assert (created, created_again) == (True, False)
    assert again == customer
    with scopes_disabled():
        customer.refresh_from_db()
        assert (customer.reseller, customer.source_manufacturer) == (reseller, manufacturer)
        assert customer.name == "Julia Weber"
    assert_untouched(other_resellers_customer, foreign_partnership)


def test_affiliate_services_with_no_tenant_in_scope_raise(
    reseller, partnership, link, foreign_partnership, other_resellers_customer
):
    with worker_scope():
        with pytest.raises(ScopeError):
            affiliate_link_retire(partnership=partnership)
        with pytest.raises(ScopeError):
            affiliate_signup(link=link, name="Julia Weber", email=EMAIL)

    with scopes_disabled():
        link.refresh_from_db()
        assert link.retired_at is None
        assert not EndCustomer.objects.filter(reseller=reseller).exists()
    assert_untouched(other_resellers_customer, foreign_partnership)
