"""Commissions, payouts, tiers and offers in the API: the rights of the pages (a rep reads
their portfolio's ledger only and no payouts, tiers or offers; a reseller its own ledger,
requests and the offers open to it), cursor pages, 400 on bad filters, 404 on foreign ids."""

from decimal import Decimal

import pytest

from accounts.models import Role
from tests.accounts.factories import MembershipFactory
from tests.api.endpoints import STAFF_READS, manufacturer_endpoints

pytestmark = pytest.mark.django_db


def m(tenant, path):
    return f"/api/v1/m/{tenant.manufacturer.slug}/{path}"


def r(tenant, path, *, user=None):
    reseller = (user or tenant.reseller_user).reseller
    return f"/api/v1/r/{reseller.public_id}/m/{tenant.manufacturer.slug}/{path}"


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_staff_read_the_whole_ledger_a_rep_only_their_portfolio(tenant, key_for, api):
    owner = results(api(key_for(tenant.owner)).get(m(tenant, "commissions/")))
    rep = results(api(key_for(tenant.rep)).get(m(tenant, "commissions/")))

    assert {e["id"] for e in owner} == {tenant.entry.pk, tenant.other_entry.pk}
    assert {e["id"] for e in rep} == {tenant.entry.pk}
    assert rep[0]["credit"] == "80.00" and rep[0]["kind"] == "adjustment"
    assert rep[0]["reseller"] == tenant.partnership.reseller.public_id


def test_the_ledger_filters_by_reseller_and_kind_and_refuses_bad_values(tenant, key_for, api):
    client = api(key_for(tenant.owner))
    other = tenant.other_partnership.reseller.public_id

    by_reseller = results(client.get(m(tenant, "commissions/"), {"reseller": other.lower()}))
    assert [e["id"] for e in by_reseller] == [tenant.other_entry.pk]
    assert results(client.get(m(tenant, "commissions/"), {"kind": "accrual"})) == []
    assert client.get(m(tenant, "commissions/"), {"kind": "bogus"}).status_code == 400
    assert client.get(m(tenant, "commissions/"), {"page_size": "5000"}).status_code == 400
    assert client.get(m(tenant, "commissions/"), {"reseller": "x" * 50}).status_code == 400


def test_the_ledger_pages_with_a_cursor(tenant, key_for, api):
    client = api(key_for(tenant.owner))

    first = client.get(m(tenant, "commissions/"), {"page_size": 1}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert "cursor=" in first["next"] and second["next"] is None


def test_balances_by_reseller_for_staff_and_for_a_rep(tenant, key_for, api):
    owner = results(api(key_for(tenant.owner)).get(m(tenant, "commissions/balances/")))
    rep = results(api(key_for(tenant.rep)).get(m(tenant, "commissions/balances/")))

    figures = {row["reseller"]: row["balance"] for row in owner}
    ours = tenant.partnership.reseller.public_id
    assert set(figures) == {ours, tenant.other_partnership.reseller.public_id}
    assert Decimal(figures[ours]["requested"]) == Decimal("80.00")
    assert Decimal(figures[tenant.other_partnership.reseller.public_id]["payable"]) == Decimal(
        "80.00"
    )
    assert [row["reseller"] for row in rep] == [ours]


@pytest.mark.parametrize("name", sorted(STAFF_READS))
def test_payouts_tiers_and_offers_are_for_staff_as_their_pages(name, tenant, key_for, api):
    endpoint = next(e for e in manufacturer_endpoints(tenant) if e.name == name)

    assert api(key_for(tenant.rep)).get(endpoint.path).status_code == 403
    assert api(key_for(tenant.manager)).get(endpoint.path).status_code == 200


def test_staff_read_payouts_tiers_and_offers(tenant, key_for, api):
    client = api(key_for(tenant.manager))

    payouts = results(client.get(m(tenant, "payouts/"), {"status": "requested"}))
    assert [(p["id"], p["amount"], p["status"]) for p in payouts] == [
        (tenant.payout.pk, "80.00", "requested")
    ]
    assert results(client.get(m(tenant, "payouts/"), {"status": "paid"})) == []
    assert client.get(m(tenant, "payouts/"), {"status": "lost"}).status_code == 400
    tiers = results(client.get(m(tenant, "tiers/")))
    assert [t["rank"] for t in tiers] == sorted(t["rank"] for t in tiers)
    assert tiers[0]["id"] == tenant.tier.pk
    offers = results(client.get(m(tenant, "offers/"), {"q": "winter"}))
    assert [(o["id"], o["visibility"]) for o in offers] == [(tenant.offer.pk, "selected")]
    assert results(client.get(m(tenant, "offers/"), {"q": "summer"})) == []


def test_another_tenants_ids_are_not_found(tenant, other_tenant, key_for, api):
    client = api(key_for(tenant.owner))

    for path in (
        f"commissions/{other_tenant.entry.pk}/", f"payouts/{other_tenant.payout.pk}/",
        f"tiers/{other_tenant.tier.pk}/", f"offers/{other_tenant.offer.pk}/",
        "commissions/not-a-number/", "payouts/99999999/",
    ):  # fmt: skip
        assert client.get(m(tenant, path)).status_code == 404, path


def test_a_reseller_reads_its_own_ledger_balance_and_requests(tenant, reseller_key_for, api):
    client = api(reseller_key_for(tenant.reseller_user))

    entries = results(client.get(r(tenant, "commissions/")))
    assert [e["id"] for e in entries] == [tenant.entry.pk]
    assert client.get(r(tenant, f"commissions/{tenant.other_entry.pk}/")).status_code == 404
    balance = client.get(r(tenant, "commissions/balance/")).json()
    assert Decimal(balance["requested"]) == Decimal("80.00")
    assert [p["id"] for p in results(client.get(r(tenant, "payouts/")))] == [tenant.payout.pk]
    assert client.get(r(tenant, "payouts/999999/")).status_code == 404


def test_another_reseller_sees_none_of_it(tenant, reseller_key_for, api):
    other = tenant.other_reseller_user
    client = api(reseller_key_for(other))

    assert results(client.get(r(tenant, "commissions/", user=other))) == [
        {**results(client.get(r(tenant, "commissions/", user=other)))[0]}
    ]
    ids = [e["id"] for e in results(client.get(r(tenant, "commissions/", user=other)))]
    assert ids == [tenant.other_entry.pk]
    assert client.get(r(tenant, f"commissions/{tenant.entry.pk}/", user=other)).status_code == 404
    assert client.get(r(tenant, f"payouts/{tenant.payout.pk}/", user=other)).status_code == 404
    # The offer is selected for the first reseller only.
    assert results(client.get(r(tenant, "offers/", user=other))) == []
    assert client.get(r(tenant, f"offers/{tenant.offer.pk}/", user=other)).status_code == 404


def test_a_reseller_sees_the_offers_open_to_it_and_the_tiers(tenant, reseller_key_for, api):
    client = api(reseller_key_for(tenant.reseller_user))

    offers = results(client.get(r(tenant, "offers/")))
    tiers = results(client.get(r(tenant, "tiers/")))

    assert [o["id"] for o in offers] == [tenant.offer.pk]
    assert "is_published" not in offers[0]
    assert (
        client.get(r(tenant, f"offers/{tenant.offer.pk}/"))
        .json()["title"]
        .endswith("winter bundle")
    )
    assert tiers and all("is_current" in t for t in tiers)


def test_list_endpoints_keep_their_query_budget(
    tenant, key_for, api, django_assert_max_num_queries
):
    from commissions.services.ledger import commission_adjust
    from tests.resellers.factories import PartnershipFactory

    for _ in range(8):
        partnership = PartnershipFactory(manufacturer=tenant.manufacturer)
        commission_adjust(
            partnership=partnership, amount=Decimal("5.00"), reason="x",
            created_by=tenant.owner.user,
        )  # fmt: skip
    client = api(key_for(tenant.owner))
    MembershipFactory(manufacturer=tenant.manufacturer, role=Role.MANAGER)

    for path in ("commissions/", "commissions/balances/", "payouts/", "offers/", "tiers/"):
        with django_assert_max_num_queries(12):
            assert client.get(m(tenant, path)).status_code == 200
