"""Affiliate links: the reseller's page, and the public /join/<token>/ sign-up."""

import pytest
from django.test import Client
from django.urls import reverse

from channel.models import EndCustomer, PartnershipStatus
from resellers import services
from resellers.models import AffiliateLink
from tests.accounts.factories import ResellerUserFactory
from tests.resellers.customer_helpers import make_customer, reseller_with_user
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(manufacturer):
    reseller, _ = reseller_with_user(name="Soundhouse GmbH")
    return PartnershipFactory(manufacturer=manufacturer, reseller=reseller)


@pytest.fixture
def user(partnership):
    return ResellerUserFactory(reseller=partnership.reseller).user


def page_url(partnership, name="affiliate_detail"):
    return reverse(
        f"resellers_reseller:{name}",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": partnership.manufacturer.slug,
        },
    )


def join_url(token):
    return reverse("resellers_public:join", kwargs={"token": token})


SIGNUP = {
    "name": "Jane Doe",
    "email": "Jane@Example.com",
    "company": "Doe AV",
    "phone": "123",
    "consent": "on",
}


# --- services -------------------------------------------------------------------------------


def test_get_or_create_returns_the_same_active_link(partnership):
    first = services.affiliate_link_get_or_create(partnership=partnership)
    second = services.affiliate_link_get_or_create(partnership=partnership)
    assert first.pk == second.pk
    assert len(first.token) >= 16


def test_retire_replaces_the_link(partnership):
    old = services.affiliate_link_get_or_create(partnership=partnership)
    new = services.affiliate_link_retire(partnership=partnership)
    old.refresh_from_db()
    assert old.retired_at is not None
    assert new.pk != old.pk and new.token != old.token and new.is_active
    assert AffiliateLink.objects.filter(partnership=partnership, retired_at=None).count() == 1


def test_inactive_partnership_gets_no_link(manufacturer):
    reseller, _ = reseller_with_user()
    partnership = PartnershipFactory(
        manufacturer=manufacturer, reseller=reseller, status=PartnershipStatus.SUSPENDED
    )
    with pytest.raises(services.AffiliateLinkRefused):
        services.affiliate_link_get_or_create(partnership=partnership)


# --- the reseller's page --------------------------------------------------------------------


def test_page_offers_to_create_a_link(client_for, user, partnership):
    response = client_for(user).get(page_url(partnership))
    assert response.status_code == 200
    assert response.context["link"] is None
    assert "Create link" in response.content.decode()


def test_create_link_then_page_shows_it_with_copy_button(client_for, user, partnership):
    client = client_for(user)
    assert client.get(page_url(partnership, "affiliate_create")).status_code == 405  # POST only

    response = client.post(page_url(partnership, "affiliate_create"))

    assert response.status_code == 302
    link = AffiliateLink.objects.get(partnership=partnership)
    page = client.get(page_url(partnership)).content.decode()
    assert f"http://testserver/join/{link.token}/" in page
    assert 'data-copy="http://testserver/join/' in page


def test_rotate_retires_and_creates(client_for, user, partnership):
    old = services.affiliate_link_get_or_create(partnership=partnership)
    client = client_for(user)

    page = client.get(page_url(partnership)).content.decode()
    assert "data-confirm" in page  # the retire form asks first
    response = client.post(page_url(partnership, "affiliate_rotate"))

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.retired_at is not None
    assert AffiliateLink.objects.filter(partnership=partnership, retired_at=None).count() == 1


def test_signup_count(client_for, user, partnership, other_manufacturer):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    services.affiliate_signup(link=link, name="A", email="a@example.com")
    services.affiliate_signup(link=link, name="B", email="b@example.com")
    make_customer(partnership.reseller, 9)  # added by hand: not a sign-up
    other = PartnershipFactory(manufacturer=other_manufacturer, reseller=partnership.reseller)
    services.affiliate_signup(
        link=services.affiliate_link_get_or_create(partnership=other), name="C", email="c@x.io"
    )

    response = client_for(user).get(page_url(partnership))

    assert response.context["signup_count"] == 2


def test_another_resellers_affiliate_page_is_404(client_for, partnership, manufacturer):
    other_reseller, other_user = reseller_with_user()
    PartnershipFactory(manufacturer=manufacturer, reseller=other_reseller)
    assert client_for(other_user).get(page_url(partnership)).status_code == 404
    assert client_for(other_user).post(page_url(partnership, "affiliate_rotate")).status_code == 404


def test_not_partnered_manufacturer_is_404(client_for, user, partnership, other_manufacturer):
    url = reverse(
        "resellers_reseller:affiliate_detail",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": other_manufacturer.slug,
        },
    )
    assert client_for(user).get(url).status_code == 404


def test_manufacturer_staff_cannot_reach_the_page(client_for, owner, partnership):
    assert client_for(owner).get(page_url(partnership)).status_code == 404


def test_anonymous_is_sent_to_login(partnership):
    response = Client().get(page_url(partnership))
    assert response.status_code == 302
    assert "/login" in response["Location"]


# --- public sign-up -------------------------------------------------------------------------


def test_signup_creates_a_customer_of_the_reseller(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    client = Client()

    page = client.get(join_url(link.token))
    response = client.post(join_url(link.token), SIGNUP)

    assert page.status_code == 200
    assert partnership.reseller.name in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("resellers_public:thanks", kwargs={"token": link.token})
    customer = EndCustomer.objects.get()
    assert customer.reseller == partnership.reseller
    assert customer.source_manufacturer == partnership.manufacturer
    assert (customer.name, customer.email, customer.company) == (
        "Jane Doe",
        "jane@example.com",
        "Doe AV",
    )
    thanks = client.get(response["Location"])
    assert "Thank you" in thanks.content.decode()


def test_signing_up_twice_does_not_duplicate(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)
    response = Client().post(join_url(link.token), {**SIGNUP, "email": "JANE@example.com "})
    assert response.status_code == 302
    assert EndCustomer.objects.count() == 1


def test_signup_of_an_existing_customer_keeps_their_data(partnership):
    existing = make_customer(partnership.reseller, 1, name="Kept", email="jane@example.com")
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)
    existing.refresh_from_db()
    assert existing.name == "Kept"
    assert EndCustomer.objects.count() == 1


def test_signup_with_bad_input_shows_errors(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    response = Client().post(join_url(link.token), {"name": "", "email": "nope"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email", "consent"}
    assert not EndCustomer.objects.exists()


def test_retired_link_says_so(partnership):
    old = services.affiliate_link_get_or_create(partnership=partnership)
    services.affiliate_link_retire(partnership=partnership)

    page = Client().get(join_url(old.token))
    post = Client().post(join_url(old.token), SIGNUP)

    assert page.status_code == 410
    assert "retired" in page.content.decode()
    assert post.status_code == 410
    assert not EndCustomer.objects.exists()


def test_link_of_an_ended_partnership_is_retired(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    type(partnership).objects.filter(pk=partnership.pk).update(status=PartnershipStatus.ENDED)
    response = Client().post(join_url(link.token), SIGNUP)
    assert response.status_code == 410
    assert not EndCustomer.objects.exists()


@pytest.mark.parametrize("token", ["nope", "x" * 80, "%00"])
def test_unknown_token_is_a_not_valid_page(partnership, token):
    services.affiliate_link_get_or_create(partnership=partnership)
    response = Client().get(join_url(token))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_public_pages_are_not_tenant_views():
    from accounts.tenancy import TENANT_VIEW_ATTRIBUTE
    from resellers import views_public

    assert not hasattr(views_public.join, TENANT_VIEW_ATTRIBUTE)
