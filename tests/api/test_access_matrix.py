"""Every endpoint with no key, a revoked key, an expired key, a read-only key on a write,
another tenant's key, a rep's key on another rep's customer and a reseller's key on another
reseller: 401 / 403 / 404 as the schema documents, and nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiKey, KeyAccess
from api.services import api_key_revoke
from channel.models import EndCustomer, PartnershipUserObjectPermission
from communications.models import Conversation, Message
from orders.models import Order, OrderNote, OrderStatusChange
from qualifications.models import QualificationGrant
from tests.api.endpoints import (
    CUSTOMER_SPECIFIC,
    MANUFACTURER_NAMES,
    RESELLER_NAMES,
    STAFF_ONLY,
    manufacturer_endpoints,
    reseller_endpoints,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        OrderStatusChange.objects.count(),
        OrderNote.objects.count(),
        sorted(Order.objects.values_list("pk", "status")),
        sorted(QualificationGrant.objects.values_list("pk", "revoked_at")),
        EndCustomer.objects.count(),
        Message.objects.count(),
        sorted(Conversation.objects.values_list("pk", "mark")),
        sorted(PartnershipUserObjectPermission.objects.values_list("pk", flat=True)),
    )


def call(client, endpoint):
    if endpoint.method == "GET":
        return client.get(endpoint.path)
    return client.post(endpoint.path, endpoint.body)


def by_name(endpoints, name):
    return next(e for e in endpoints if e.name == name)


def expire(key):
    type(key)._base_manager.filter(pk=key.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.parametrize("name", MANUFACTURER_NAMES)
def test_manufacturer_endpoint_refuses_bad_credentials(name, tenant, other_tenant, key_for, api):
    endpoint = by_name(manufacturer_endpoints(tenant), name)
    revoked = key_for(tenant.owner)
    api_key_revoke(key=revoked, by=tenant.owner.user)
    expired = key_for(tenant.owner)
    expire(expired)
    before = snapshot()

    anonymous = call(api(), endpoint)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert call(api("cpm_000000000000_not-a-key"), endpoint).status_code == 401
    response = call(api(revoked), endpoint)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    response = call(api(expired), endpoint)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    # Another tenant's owner key, on this tenant's URL: the tenant does not exist for it.
    assert call(api(key_for(other_tenant.owner)), endpoint).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", MANUFACTURER_NAMES)
def test_a_read_only_key_reads_and_never_writes(name, tenant, key_for, api):
    endpoint = by_name(manufacturer_endpoints(tenant), name)
    before = snapshot()

    response = call(api(key_for(tenant.owner, access=KeyAccess.READ)), endpoint)

    if endpoint.writes:
        assert response.status_code == 403
        assert response.json()["detail"] == "This API key is read-only."
    else:
        assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(CUSTOMER_SPECIFIC))
def test_a_reps_key_on_another_reps_customer_is_not_found(name, tenant, key_for, api):
    # The same endpoints, pointed at other_rep's customer and its order.
    tenant.partnership, tenant.orders = tenant.other_partnership, tenant.other_orders
    tenant.conversation = tenant.other_conversation
    tenant.entry = tenant.other_entry
    endpoint = by_name(manufacturer_endpoints(tenant), name)
    before = snapshot()

    response = call(api(key_for(tenant.rep)), endpoint)

    # A status change is refused for the rep's role before any order is looked at (403 on
    # every order, as on the page); everything else answers as if the row did not exist.
    assert response.status_code == (403 if name in STAFF_ONLY else 404)
    assert snapshot() == before


def test_a_reps_key_on_its_own_customer_reads_but_may_not_change_status(tenant, key_for, api):
    client = api(key_for(tenant.rep))
    endpoints = manufacturer_endpoints(tenant)
    before = snapshot()

    assert call(client, by_name(endpoints, "orders-detail")).status_code == 200
    assert call(client, by_name(endpoints, "resellers-statistics")).status_code == 200
    response = call(client, by_name(endpoints, "orders-transition"))

    assert response.status_code == 403
    assert snapshot() == before


def test_a_key_stops_working_when_its_maker_changes_role(tenant, key_for, api):
    key = key_for(tenant.manager)
    endpoint = by_name(manufacturer_endpoints(tenant), "orders-list")
    assert call(api(key), endpoint).status_code == 200

    type(tenant.manager)._base_manager.filter(pk=tenant.manager.pk).update(role="seller")

    response = call(api(key), endpoint)
    assert response.status_code == 401
    assert "role" in response.json()["detail"]


def test_an_unknown_key_is_refused_with_a_readable_message(tenant, api):
    endpoint = by_name(manufacturer_endpoints(tenant), "orders-list")
    response = call(api("cpm_000000000000_not-a-key"), endpoint)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key."}


@pytest.mark.parametrize("name", RESELLER_NAMES)
def test_reseller_endpoint_refuses_bad_credentials(
    name, tenant, other_tenant, key_for, reseller_key_for, api
):
    endpoint = by_name(reseller_endpoints(tenant), name)
    revoked = reseller_key_for(tenant.reseller_user)
    api_key_revoke(key=revoked, by=tenant.reseller_user.user)
    expired = reseller_key_for(tenant.reseller_user)
    expire(expired)
    before = snapshot()

    assert call(api(), endpoint).status_code == 401
    assert call(api(revoked), endpoint).status_code == 401
    assert call(api(expired), endpoint).status_code == 401
    # Another reseller's key, on this reseller's URL.
    assert call(api(reseller_key_for(tenant.other_reseller_user)), endpoint).status_code == 404
    # The manufacturer's own owner key is not the reseller's.
    assert call(api(key_for(tenant.owner)), endpoint).status_code == 404
    read_only = call(api(reseller_key_for(tenant.reseller_user, access=KeyAccess.READ)), endpoint)
    assert read_only.status_code == (403 if endpoint.writes else 200)
    assert snapshot() == before


def test_a_reseller_key_on_a_manufacturer_it_does_not_partner_with_is_not_found(
    tenant, other_tenant, reseller_key_for, api
):
    client = api(reseller_key_for(tenant.reseller_user))
    public_id = tenant.partnership.reseller.public_id

    response = client.get(f"/api/v1/r/{public_id}/m/{other_tenant.manufacturer.slug}/orders/")

    assert response.status_code == 404


def test_a_reseller_key_never_reaches_the_manufacturer_api(tenant, reseller_key_for, api):
    client = api(reseller_key_for(tenant.reseller_user))

    assert client.get(f"/api/v1/m/{tenant.manufacturer.slug}/orders/").status_code == 404


def test_another_tenants_ids_under_this_tenant_are_not_found(tenant, other_tenant, key_for, api):
    client = api(key_for(tenant.owner))
    base = f"/api/v1/m/{tenant.manufacturer.slug}"
    foreign_order = other_tenant.orders[0].pk
    before = snapshot()

    assert client.get(f"{base}/orders/{foreign_order}/").status_code == 404
    assert (
        client.post(
            f"{base}/orders/{foreign_order}/transition/", {"to_status": "accepted"}
        ).status_code
        == 404
    )
    assert (
        client.get(f"{base}/resellers/{other_tenant.partnership.reseller.public_id}/").status_code
        == 404
    )
    assert client.get(f"{base}/products/{other_tenant.products[0].pk}/").status_code == 404
    assert client.get(f"{base}/orders/{'9' * 30}/").status_code == 404
    assert snapshot() == before


def test_session_authentication_works_for_the_portal_and_checks_csrf(tenant, client_for):
    client = client_for(tenant.owner.user)
    path = f"/api/v1/m/{tenant.manufacturer.slug}/orders/"

    assert client.get(path).status_code == 200
    assert client.get("/api/v1/m/borealis/orders/").status_code == 404

    from django.test import Client

    from tests.accounts.two_factor_helpers import login_as

    strict = login_as(Client(enforce_csrf_checks=True), tenant.owner.user)
    before = snapshot()
    response = strict.post(
        f"{path}{tenant.orders[0].pk}/transition/",
        '{"to_status": "accepted"}',
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before


def test_a_used_key_shows_when_it_was_last_used(tenant, key_for, api):
    key = key_for(tenant.owner)
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None

    api(key).get(f"/api/v1/m/{tenant.manufacturer.slug}/products/")

    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
