"""Affiliate links: the reseller's page, and the public /join/<token>/ sign-up."""

import re
import time
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channel.models import EndCustomer, PartnershipStatus
from notifications.models import OutboxEmail
from notifications.sealing import unseal
from resellers import services
from resellers.models import AffiliateLink, AffiliateSignup
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
    services.affiliate_signup_request(link=link, name="D", email="d@example.com")  # unconfirmed
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


def confirm_link(email="jane@example.com") -> str:
    """The confirmation link of the last email sent to `email`, as the person opens it."""
    stored = OutboxEmail.objects.filter(recipient=email, kind="resellers.affiliate_confirm").latest(
        "pk"
    )
    url = re.search(r"https?://\S+/join/confirm/\S+/", unseal(stored.body, stored.sealed)).group(0)
    return urlsplit(url).path


def test_signup_emails_a_link_and_makes_the_customer_only_once_confirmed(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    client = Client()

    page = client.get(join_url(link.token))
    response = client.post(join_url(link.token), SIGNUP)

    assert page.status_code == 200
    assert partnership.reseller.name in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("resellers_public:thanks", kwargs={"token": link.token})
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert not EndCustomer.objects.exists()  # nothing reaches the reseller yet

    url = confirm_link()
    asked = client.get(url)  # opening the link (a mail scanner, say) confirms nothing
    assert asked.status_code == 200 and not EndCustomer.objects.exists()
    done = client.post(url)
    assert "Your address is confirmed" in done.content.decode()
    customer = EndCustomer.objects.get()
    assert customer.reseller == partnership.reseller
    assert customer.source_manufacturer == partnership.manufacturer
    assert (customer.name, customer.email, customer.company) == (
        "Jane Doe",
        "jane@example.com",
        "Doe AV",
    )
    assert AffiliateSignup.objects.get().confirmed_at is not None
    client.post(url)  # the same link again: still one customer
    assert EndCustomer.objects.count() == 1


def test_the_confirmation_link_is_not_stored_in_clear(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)

    stored = OutboxEmail.objects.get(kind="resellers.affiliate_confirm")
    assert "/join/confirm/" not in stored.body
    assert confirm_link().split("/")[-2] not in stored.body


def test_signing_up_twice_does_not_duplicate(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)
    response = Client().post(join_url(link.token), {**SIGNUP, "email": "JANE@example.com "})
    assert response.status_code == 302
    assert AffiliateSignup.objects.count() == 1
    Client().post(confirm_link())
    assert EndCustomer.objects.count() == 1


def test_signup_of_an_existing_customer_keeps_their_data_and_reveals_nothing(partnership):
    existing = make_customer(partnership.reseller, 1, name="Kept", email="jane@example.com")
    link = services.affiliate_link_get_or_create(partnership=partnership)

    response = Client().post(join_url(link.token), SIGNUP)

    assert response["Location"] == reverse("resellers_public:thanks", kwargs={"token": link.token})
    existing.refresh_from_db()
    assert existing.name == "Kept"
    assert EndCustomer.objects.count() == 1
    assert not AffiliateSignup.objects.exists()
    assert OutboxEmail.objects.filter(kind="resellers.affiliate_known").count() == 1


@pytest.mark.parametrize("signed", ["nope", "x" * 300, "e30:1tXx:abc", "%00"])
def test_a_bad_confirmation_link_is_a_clear_page(partnership, signed):
    response = Client().get(f"/join/confirm/{signed}/")

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert Client().post(f"/join/confirm/{signed}/").status_code == 404
    assert not EndCustomer.objects.exists()


def test_an_expired_confirmation_link_says_so_and_a_new_one_can_be_sent(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)
    old = confirm_link()
    later = time.time() + services.CONFIRM_MAX_AGE + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        expired = Client().post(old)
        assert expired.status_code == 410
        assert "This link has expired" in expired.content.decode()
        assert not EndCustomer.objects.exists()
        AffiliateSignup.objects.update(sent_at=timezone.now() - timedelta(minutes=5))
        resent = Client().post(
            reverse("resellers_public:resend", kwargs={"token": link.token}),
            {"email": "jane@example.com"},
        )
        assert resent.status_code == 200
        new = confirm_link()
        assert new != old
        assert Client().post(new).status_code == 200
    assert EndCustomer.objects.get().email == "jane@example.com"


def test_resending_answers_the_same_for_an_unknown_address(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    url = reverse("resellers_public:resend", kwargs={"token": link.token})

    unknown = Client().post(url, {"email": "nobody@example.com"})
    bad = Client().post(url, {"email": "not an email"})

    assert unknown.status_code == 200
    assert "we sent the link again" in unknown.content.decode()
    assert not OutboxEmail.objects.exists()
    assert bad.status_code == 400


def test_a_link_of_another_signup_cannot_be_forged_from_a_valid_one(partnership):
    link = services.affiliate_link_get_or_create(partnership=partnership)
    Client().post(join_url(link.token), SIGNUP)
    signup = AffiliateSignup.objects.get()
    real = services.affiliate_signup_token(signup)
    other_salt = signing.TimestampSigner(salt="another.purpose").sign_object(
        {"id": signup.pk, "email": signup.email}
    )
    wrong_email = signing.TimestampSigner(salt=services.CONFIRM_SALT).sign_object(
        {"id": signup.pk, "email": "eve@example.com"}
    )
    tampered = real[:-1] + ("A" if real[-1] != "A" else "B")

    for forged in (other_salt, wrong_email, tampered):
        assert Client().post(f"/join/confirm/{forged}/").status_code == 404
    assert not EndCustomer.objects.exists()


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
    assert not EndCustomer.objects.exists() and not AffiliateSignup.objects.exists()


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
