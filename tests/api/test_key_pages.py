"""The API keys pages: a key is made, its secret shown once and kept hashed; it is revoked
after a confirmation; owners see the tenant's keys, others their own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.keys import key_hash
from api.models import ApiKey, ResellerApiKey
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.test_reauth import stale
from tests.accounts.two_factor_helpers import verify_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_2fa(client_for):
    """A logged-in client whose user has two-factor login, as managing keys requires."""

    def make(user):
        client = client_for(user)
        verify_session(client, user)
        return client

    return make


def keys_url(tenant):
    return f"/m/{tenant.manufacturer.slug}/api-keys/"


def test_an_owner_makes_a_key_and_sees_its_secret_once(tenant, client_for, api):
    client = client_for(tenant.owner.user)

    response = client.post(keys_url(tenant), {"name": "ERP sync", "access": "read"})

    assert response.status_code == 200
    secret = response.context["secret"]
    key = ApiKey.objects.get(name="ERP sync")
    assert (key.role, key.access, key.created_by) == ("owner", "read", tenant.owner.user)
    assert secret.startswith(f"cpm_{key.prefix}_")
    assert key.secret_hash == key_hash(secret) and secret not in key.secret_hash
    assert secret in response.content.decode()
    assert secret not in client.get(keys_url(tenant)).content.decode()
    assert api(secret).get(f"/api/v1/m/{tenant.manufacturer.slug}/orders/").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "access": "read"},
        {"name": "x", "access": "admin"},
        {"name": "x" * 101, "access": "read"},
        {"name": "x", "access": "read", "expires_on": "2001-01-01"},
        {"name": "x", "access": "read", "expires_on": "2099-01-01"},
    ],
)
def test_bad_input_makes_no_key(data, tenant, client_for):
    response = client_for(tenant.owner.user).post(keys_url(tenant), data)

    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_a_key_with_an_expiry_stops_at_that_day(tenant, client_for):
    day = (timezone.localdate() + timedelta(days=10)).isoformat()

    client_for(tenant.owner.user).post(
        keys_url(tenant), {"name": "BI", "access": "read", "expires_on": day}
    )

    assert ApiKey.objects.get().expires_at.date().isoformat() == day


def test_revoking_asks_first_then_the_key_stops_working(tenant, client_2fa, key_for, api):
    key = key_for(tenant.manager)
    client = client_2fa(tenant.manager.user)
    url = f"{keys_url(tenant)}{key.pk}/revoke/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None

    assert client.post(url).status_code == 302
    revoked = ApiKey.objects.get(pk=key.pk)
    assert revoked.revoked_by == tenant.manager.user
    assert api(key).get(f"/api/v1/m/{tenant.manufacturer.slug}/orders/").status_code == 401


def test_owners_see_every_key_others_only_their_own(tenant, client_2fa, key_for):
    owner_key, rep_key = key_for(tenant.owner), key_for(tenant.rep)

    owner_page = client_2fa(tenant.owner.user).get(keys_url(tenant))
    rep_page = client_2fa(tenant.rep.user).get(keys_url(tenant))

    assert set(owner_page.context["page_obj"]) == {owner_key, rep_key}
    assert list(rep_page.context["page_obj"]) == [rep_key]
    assert rep_page.context["page_obj"][0].role == "seller"
    # Another member's key, and another tenant's, cannot be revoked: 404, nothing changes.
    assert (
        client_2fa(tenant.rep.user).post(f"{keys_url(tenant)}{owner_key.pk}/revoke/").status_code
        == 404
    )
    assert ApiKey.objects.get(pk=owner_key.pk).revoked_at is None


def test_another_tenants_key_is_not_found(tenant, other_tenant, client_for, key_for):
    foreign = key_for(other_tenant.owner)

    response = client_for(tenant.owner.user).post(f"{keys_url(tenant)}{foreign.pk}/revoke/")

    assert response.status_code == 404
    assert ApiKey.objects.get(pk=foreign.pk).revoked_at is None


def test_a_reseller_makes_and_revokes_its_own_keys(tenant, client_2fa, reseller_key_for, api):
    public_id = tenant.partnership.reseller.public_id
    client = client_2fa(tenant.reseller_user.user)

    made = client.post(f"/r/{public_id}/api-keys/", {"name": "Shop", "access": "write"})

    secret = made.context["secret"]
    assert secret.startswith("cpr_")
    assert api(secret).get(f"/api/v1/r/{public_id}/orders/").status_code == 200
    key = ResellerApiKey.objects.get(name="Shop")
    foreign = reseller_key_for(tenant.other_reseller_user)
    assert client.post(f"/r/{public_id}/api-keys/{foreign.pk}/revoke/").status_code == 404
    assert client.post(f"/r/{public_id}/api-keys/{key.pk}/revoke/").status_code == 302
    assert api(secret).get(f"/api/v1/r/{public_id}/orders/").status_code == 401


def test_anonymous_visitors_are_sent_to_login(tenant, client):
    response = client.get(keys_url(tenant))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- re-authentication (issue 15: managing API keys needs 2FA and a recent password) ------


def test_a_member_without_two_factor_is_sent_to_set_it_up_and_makes_no_key(tenant, client_for):
    client = client_for(tenant.manager.user)

    page = client.get(keys_url(tenant))
    made = client.post(keys_url(tenant), {"name": "ERP sync", "access": "read"})

    assert page["Location"].startswith("/account/two-factor/?next=")
    assert made["Location"].startswith("/account/two-factor/?next=")
    assert not ApiKey.objects.exists()


def test_a_stale_session_confirms_then_comes_back_to_the_keys(tenant, client_2fa):
    client = client_2fa(tenant.owner.user)
    stale(client)
    url = keys_url(tenant)

    made = client.post(url, {"name": "ERP sync", "access": "read"}, headers={
        "Referer": f"http://testserver{url}"})  # fmt: skip
    assert made["Location"] == f"/account/confirm/?next={url.replace('/', '%2F')}"
    assert not ApiKey.objects.exists()

    back = client.post(made["Location"], {"password": DEFAULT_PASSWORD})
    assert back["Location"] == url
    assert client.post(url, {"name": "ERP sync", "access": "read"}).status_code == 200
    assert ApiKey.objects.filter(name="ERP sync").exists()


def test_a_stale_session_revokes_nothing(tenant, client_2fa, key_for, reseller_key_for):
    key = key_for(tenant.owner)
    reseller_key = reseller_key_for(tenant.reseller_user)
    owner = client_2fa(tenant.owner.user)
    reseller = client_2fa(tenant.reseller_user.user)
    stale(owner)
    stale(reseller)
    public_id = tenant.partnership.reseller.public_id

    assert owner.post(f"{keys_url(tenant)}{key.pk}/revoke/")["Location"].startswith(
        "/account/confirm/"
    )
    assert reseller.post(f"/r/{public_id}/api-keys/{reseller_key.pk}/revoke/")[
        "Location"
    ].startswith("/account/confirm/")
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None
    assert ResellerApiKey.objects.get(pk=reseller_key.pk).revoked_at is None


def test_another_tenant_is_404_before_any_detour(tenant, other_tenant, client_for):
    client = client_for(tenant.manager.user)

    assert client.get(f"/m/{other_tenant.manufacturer.slug}/api-keys/").status_code == 404
