"""CSV exports of the sales-rep tables: portfolios per rep for the period, one rep's
customers, customers without a rep, and one customer's assignment history."""

import pytest

from accounts.models import Role
from salesreps.services import portfolio_assign, portfolio_reassign
from tests.csv_helpers import csv_rows
from tests.salesreps.conftest import customer, member

# Session, user, membership, then the page's own reads: at most 5 for a list, the overview's
# sellers + 4 aggregates = 8. Not a count of rows: if this grows, say why.
LIST_CSV_BUDGET = 6
OVERVIEW_CSV_BUDGET = 9

STAFF_EXPORTS = ["overview", "rep_detail", "coverage"]


def export_url(world, name: str, tenant=None) -> str:
    kwargs = {"user_id": world.rep_a.pk} if name == "rep_detail" else {}
    return world.url(f"salesreps_manufacturer:{name}", tenant, **kwargs) + "?format=csv"


def test_overview_csv_matches_the_page_for_the_period(world, login):
    manager = login(world.manager)
    url = world.url("salesreps_manufacturer:overview")
    page_rows = manager.get(url).context["rows"]

    rows = csv_rows(manager.get(url, {"format": "csv"}))
    past = csv_rows(
        manager.get(url, {"date_from": "2001-01-01", "date_to": "2001-12-31", "format": "csv"})
    )

    assert rows[0] == [
        "Sales rep", "Email", "Customers", "Active customers", "Orders", "Sales",
        "Average order", "Currency", "From", "To",
    ]  # fmt: skip
    assert [row[:7] for row in rows[1:]] == [
        [
            row.rep.display_name if row.rep else "No sales rep",
            row.rep.email if row.rep else "",
            str(row.customers), str(row.active_customers), str(row.orders),
            f"{row.sales:.2f}", f"{row.average_order:.2f}",
        ]
        for row in page_rows
    ]  # fmt: skip
    by_rep = {row[1]: row for row in rows[1:]}
    assert by_rep[world.rep_a.email][2] == "2" and by_rep[world.rep_a.email][4] == "2"
    assert by_rep[""][2] == "1"  # Free Radio has no rep
    assert world.other_rep.email not in str(rows)
    # Orders outside the period are left out; portfolios are today's.
    by_rep = {row[1]: row for row in past[1:]}
    assert by_rep[world.rep_a.email][2:6] == ["2", "2", "0", "0.00"]
    assert past[1][8:] == ["2001-01-01", "2001-12-31"]


def test_rep_detail_csv_is_that_reps_portfolio(world, login):
    rows = csv_rows(login(world.owner).get(export_url(world, "rep_detail")))

    assert rows[0] == ["Customer", "Reseller ID", "City", "Country", "Status", "Since"]
    assert [row[:2] for row in rows[1:]] == [
        ["Alpha Sound One", world.a1.reseller.public_id],
        ["Alpha Sound Two", world.a2.reseller.public_id],
    ]
    assert rows[1][4] == "Active" and len(rows[1][5]) == 10  # ISO date


def test_rep_of_another_tenant_is_404_as_csv(world, login):
    url = world.url("salesreps_manufacturer:rep_detail", user_id=world.other_rep.pk)

    assert login(world.manager).get(url, {"format": "csv"}).status_code == 404


def test_coverage_csv_respects_the_search(world, login):
    customer(world.tenant, "Zeta Radio")
    customer(world.other, "Foreign Radio")  # the other tenant's customer without a rep
    manager = login(world.manager)
    url = world.url("salesreps_manufacturer:coverage")

    everything = csv_rows(manager.get(url, {"format": "csv"}))
    searched = csv_rows(manager.get(url, {"q": "free", "format": "csv"}))
    by_id = csv_rows(manager.get(url, {"q": world.free.reseller.public_id, "format": "csv"}))

    assert everything[0] == [
        "Customer", "Reseller ID", "City", "Country", "Region", "Partner since",
    ]  # fmt: skip
    assert [row[0] for row in everything[1:]] == ["Free Radio", "Zeta Radio"]
    assert [row[0] for row in searched[1:]] == ["Free Radio"]
    assert [row[0] for row in by_id[1:]] == ["Free Radio"]


def test_history_csv_is_that_customers_history(world, login):
    portfolio_reassign(
        manufacturer=world.tenant, partnerships=[world.a1], to_rep=world.rep_b, by=world.owner
    )
    url = world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk)

    rows = csv_rows(login(world.manager).get(url, {"format": "csv"}))

    assert rows[0] == ["Sales rep", "Email", "From", "To", "Assigned by", "Ended by"]
    assert [row[1] for row in rows[1:]] == [world.rep_b.email, world.rep_a.email]
    current, ended = rows[1], rows[2]
    assert current[3] == "" and current[4] == world.owner.display_name
    assert ended[3] >= ended[2] and "T" in ended[3]  # ISO timestamps
    assert ended[4:] == [world.manager.display_name, world.owner.display_name]


def test_history_csv_follows_the_portfolio(world, login, client):
    url = world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk) + "?format=csv"

    assert len(csv_rows(login(world.rep_a).get(url))) == 2  # their own customer
    assert login(world.rep_b).get(url).status_code == 404
    assert login(world.other_manager).get(url).status_code == 404
    assert login(world.reseller_user).get(url).status_code == 404
    foreign = (
        world.url("salesreps_manufacturer:history", partnership_id=world.foreign.pk) + "?format=csv"
    )
    assert login(world.manager).get(foreign).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.parametrize("name", STAFF_EXPORTS)
def test_staff_exports_refuse_others(world, login, client, name):
    url = export_url(world, name)

    assert login(world.rep_a).get(url).status_code == 403
    assert login(world.other_manager).get(url).status_code == 404
    assert login(world.reseller_user).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.parametrize("name", [*STAFF_EXPORTS, "history"])
def test_exports_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries, name):
    extra_rep = member(world.tenant, Role.SELLER)
    for index in range(12):
        rep = member(world.tenant, Role.SELLER)
        portfolio_assign(
            manufacturer=world.tenant,
            partnership=customer(world.tenant, f"Extra {index}"),
            rep=rep,
            by=world.manager,
        )
        portfolio_assign(
            manufacturer=world.tenant,
            partnership=customer(world.tenant, f"Portfolio {index}"),
            rep=world.rep_a,
            by=world.manager,
        )
        customer(world.tenant, f"Gap {index}")
        portfolio_assign(
            manufacturer=world.tenant,
            partnership=world.a1,
            rep=extra_rep if index % 2 else world.rep_a,
            by=world.manager,
        )
    url = (
        world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk) + "?format=csv"
        if name == "history"
        else export_url(world, name)
    )
    manager = login(world.manager)

    budget = OVERVIEW_CSV_BUDGET if name == "overview" else LIST_CSV_BUDGET
    with django_assert_max_num_queries(budget):
        rows = csv_rows(manager.get(url))

    assert len(rows) > 12
