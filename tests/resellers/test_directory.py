"""The manufacturer's reseller directory: figures, search, filters, sorting, CSV, budgets,
partnering with resellers, partnership status, and who may see and do what."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, Reseller, ResellerType, Role
from channel.models import Partnership, PartnershipStatus, QualifyingStatus
from resellers.directory import DirectoryFilters, directory_rows
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import S, give_back, make_catalog, put_in_portfolio, sale

D = Decimal


def url(manufacturer, name="directory", **kwargs) -> str:
    return reverse(
        f"resellers_manufacturer:{name}", kwargs={"manufacturer_slug": manufacturer.slug, **kwargs}
    )


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def products(manufacturer):
    return make_catalog(manufacturer)


@pytest.fixture
def channel(manufacturer, products):
    """Three partnerships; Alpha has the orders whose figures the tests check."""
    now = timezone.now()
    alpha = PartnershipFactory(
        manufacturer=manufacturer,
        reseller=ResellerFactory(
            name="Alpha Audio", reseller_type=ResellerType.RETAILER, region=Region.NORTH
        ),
    )
    beta = PartnershipFactory(
        manufacturer=manufacturer,
        reseller=ResellerFactory(
            name="Beta Sound", reseller_type=ResellerType.INSTALLER, region=Region.SOUTH
        ),
    )
    gamma = PartnershipFactory(
        manufacturer=manufacturer,
        reseller=ResellerFactory(
            name="Gamma Media", reseller_type=ResellerType.ONLINE_SHOP, region=Region.NORTH
        ),
    )
    A, B = products["A"], products["B"]
    # Alpha, 30 days: 200.00 placed + 19.99 fulfilled - 19.99 returned = 200.00, 2 orders
    sale(alpha, [(A, 2)], when=now - timedelta(days=5))
    fulfilled = sale(alpha, [(B, 1)], when=now - timedelta(days=2), status=S.FULFILLED)
    give_back(fulfilled, quantity=1, when=now - timedelta(days=1))
    sale(alpha, [(A, 3)], when=now - timedelta(days=10), status=S.REJECTED)
    sale(alpha, [(A, 1)], when=now - timedelta(days=12), status=S.CANCELLED)
    # ... and 100.00 completed 40 days ago (counts in 90 days, and is an older invoice)
    sale(alpha, [(A, 1)], when=now - timedelta(days=40), status=S.COMPLETED)
    # Beta: 19.99 accepted 3 days ago
    sale(beta, [(B, 1)], when=now - timedelta(days=3), status=S.ACCEPTED)
    Partnership.objects.filter(pk=beta.pk).update(
        status=PartnershipStatus.SUSPENDED, qualifying_status=QualifyingStatus.QUALIFIED
    )
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "fulfilled": fulfilled}


def by_name(rows) -> dict:
    return {p.reseller.name: p for p in rows}


# --- figures --------------------------------------------------------------------------------


def test_directory_figures(channel, manufacturer, manager):
    membership = manager.manufacturer_memberships.get()

    rows = by_name(directory_rows(manufacturer=manufacturer, membership=membership))

    alpha = rows["Alpha Audio"]
    assert alpha.sales == D("200.00")
    assert alpha.order_count == 2
    assert alpha.open_orders == 2  # placed + fulfilled
    assert alpha.last_invoice_at == channel["fulfilled"].created_at
    beta = rows["Beta Sound"]
    assert (beta.sales, beta.order_count, beta.open_orders) == (D("19.99"), 1, 1)
    assert beta.last_invoice_at is None
    gamma = rows["Gamma Media"]
    assert (gamma.sales, gamma.order_count, gamma.open_orders) == (D("0.00"), 0, 0)


def test_sales_period_switches(channel, manufacturer, manager):
    membership = manager.manufacturer_memberships.get()
    filters = DirectoryFilters(days=90)

    rows = by_name(
        directory_rows(manufacturer=manufacturer, membership=membership, filters=filters)
    )

    assert rows["Alpha Audio"].sales == D("300.00")
    assert rows["Alpha Audio"].order_count == 3
    seven = by_name(
        directory_rows(
            manufacturer=manufacturer, membership=membership, filters=DirectoryFilters(days=7)
        )
    )
    assert seven["Alpha Audio"].sales == D("200.00")


def test_the_page_switches_the_sales_period(channel, manufacturer, manager, client_for):
    client = client_for(manager)

    default = client.get(url(manufacturer))
    ninety = client.get(url(manufacturer), {"days": "90"})
    bogus = client.get(url(manufacturer), {"days": "12"})  # not a choice: the default
    ninety_csv = csv_rows(client.get(url(manufacturer), {"days": "90", "format": "csv"}))

    assert by_name(default.context["page_obj"])["Alpha Audio"].sales == D("200.00")
    assert "€300.00" not in default.content.decode()
    assert by_name(ninety.context["page_obj"])["Alpha Audio"].sales == D("300.00")
    assert "€300.00" in ninety.content.decode()
    assert by_name(bogus.context["page_obj"])["Alpha Audio"].sales == D("200.00")
    assert "90" in ninety_csv[0][9]
    alpha = next(row for row in ninety_csv if row[1] == "Alpha Audio")
    assert alpha[9:11] == ["300.00", "3"]


def test_page_shows_the_figures(channel, manufacturer, manager, client_for):
    response = client_for(manager).get(url(manufacturer))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha Audio" in body and "Beta Sound" in body and "Gamma Media" in body
    assert "€200.00" in body
    assert channel["alpha"].reseller.public_id in body
    # Beta is qualified: its name carries the blue check
    assert body.count("bi-patch-check-fill qualified-check") == 1


def test_another_manufacturers_partnerships_are_not_listed(
    channel, manufacturer, other_manufacturer, manager, client_for
):
    PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory(name="Foreign"))

    body = client_for(manager).get(url(manufacturer)).content.decode()

    assert "Foreign" not in body


# --- search, filters, sorting -------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "alpha"}, ["Alpha Audio"]),
        ({"q": "sound"}, ["Beta Sound"]),
        ({"reseller_type": ResellerType.INSTALLER}, ["Beta Sound"]),
        ({"region": Region.NORTH}, ["Alpha Audio", "Gamma Media"]),
        ({"status": PartnershipStatus.SUSPENDED}, ["Beta Sound"]),
        ({"status": PartnershipStatus.ACTIVE}, ["Alpha Audio", "Gamma Media"]),
        ({"qualifying_status": QualifyingStatus.QUALIFIED}, ["Beta Sound"]),
        ({"region": Region.NORTH, "q": "gamma"}, ["Gamma Media"]),
        ({"region": "nowhere"}, ["Alpha Audio", "Beta Sound", "Gamma Media"]),  # ignored
    ],
)
def test_search_and_filters(channel, manufacturer, manager, client_for, params, expected):
    response = client_for(manager).get(url(manufacturer), params)

    assert [p.reseller.name for p in response.context["page_obj"]] == expected


def test_search_by_public_id(channel, manufacturer, manager, client_for):
    public_id = channel["gamma"].reseller.public_id

    response = client_for(manager).get(url(manufacturer), {"q": public_id.lower()})

    assert [p.reseller.name for p in response.context["page_obj"]] == ["Gamma Media"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha Audio", "Beta Sound", "Gamma Media"]),
        ("-name", ["Gamma Media", "Beta Sound", "Alpha Audio"]),
        ("-sales", ["Alpha Audio", "Beta Sound", "Gamma Media"]),
        ("sales", ["Gamma Media", "Beta Sound", "Alpha Audio"]),
        ("-orders", ["Alpha Audio", "Beta Sound", "Gamma Media"]),
        ("-open", ["Alpha Audio", "Beta Sound", "Gamma Media"]),
        ("type", ["Beta Sound", "Gamma Media", "Alpha Audio"]),  # installer, online, retailer
        ("-status", ["Beta Sound", "Alpha Audio", "Gamma Media"]),
        ("-qualifying", ["Beta Sound", "Alpha Audio", "Gamma Media"]),  # qualified first
    ],
)
def test_sorting(channel, manufacturer, manager, client_for, sort, expected):
    response = client_for(manager).get(url(manufacturer), {"sort": sort})

    assert [p.reseller.name for p in response.context["page_obj"]] == expected


@pytest.mark.parametrize(
    "key", ["public_id", "region", "city", "last_invoice", "since", "bogus", "-bogus"]
)
def test_every_sort_key_answers(channel, manufacturer, manager, client_for, key):
    response = client_for(manager).get(url(manufacturer), {"sort": key})

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 3


def test_htmx_gets_only_the_table(channel, manufacturer, manager, client_for):
    response = client_for(manager).get(url(manufacturer), {"q": "beta"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Beta Sound" in body and "Alpha Audio" not in body
    assert "<html" not in body and 'name="q"' not in body


def test_empty_states(manufacturer, manager, client_for):
    body = client_for(manager).get(url(manufacturer)).content.decode()
    assert "You have no resellers yet" in body

    PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Zeta"))
    body = client_for(manager).get(url(manufacturer), {"q": "nomatch"}).content.decode()
    assert "No reseller matches these filters" in body


# --- CSV ------------------------------------------------------------------------------------


def test_csv_exports_the_filtered_rows(channel, manufacturer, manager, client_for):
    response = client_for(manager).get(
        url(manufacturer), {"format": "csv", "region": Region.NORTH, "sort": "-sales"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:2] == ["Reseller ID", "Name"]
    assert [row[1] for row in rows[1:]] == ["Alpha Audio", "Gamma Media"]
    alpha = rows[1]
    assert alpha[0] == channel["alpha"].reseller.public_id
    assert alpha[9:12] == ["200.00", "2", "2"]
    assert alpha[12] == channel["fulfilled"].created_at.date().isoformat()


def test_csv_neutralises_formulas(manufacturer, manager, client_for):
    PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="=HYPERLINK(1)"))

    rows = csv_rows(client_for(manager).get(url(manufacturer), {"format": "csv"}))

    assert rows[1][1] == "'=HYPERLINK(1)"


# --- query budget ---------------------------------------------------------------------------


def _grow_channel(manufacturer, products, count: int) -> None:
    now = timezone.now()
    A, B = products["A"], products["B"]
    for n in range(count):
        partnership = PartnershipFactory(
            manufacturer=manufacturer, reseller=ResellerFactory(name=f"Bulk {n:03d}")
        )
        sale(partnership, [(A, 1)], when=now - timedelta(days=n % 20 + 1))
        sale(partnership, [(B, 2)], when=now - timedelta(days=n % 50 + 1), status=S.COMPLETED)
        sale(partnership, [(A, 1), (B, 1)], when=now - timedelta(days=3), status=S.CANCELLED)


def _count(client, path, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


VARIANTS = [{}, {"sort": "-sales"}, {"days": "365", "region": "north"}, {"format": "csv"}]


def test_query_budget_does_not_grow_with_resellers(
    manufacturer, products, manager, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    path = url(manufacturer)
    _grow_channel(manufacturer, products, 3)
    few = [_count(client, path, params) for params in VARIANTS]
    _grow_channel(manufacturer, products, 42)  # 45 resellers, 135 orders

    # Expected: session, user, membership (tenancy), count, page rows, plus the shell's
    # context processors; no query per reseller. Explain any change to this number.
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert len(response.context["page_obj"]) == 25
    response = client.get(path, {"format": "csv"})
    assert len(csv_rows(response)) == 46
    assert [_count(client, path, params) for params in VARIANTS] == few


def test_seller_query_budget(manufacturer, products, seller, client_for):
    _grow_channel(manufacturer, products, 3)
    for partnership in Partnership.objects.filter(manufacturer=manufacturer):
        put_in_portfolio(seller, partnership)
    client = client_for(seller)
    few = _count(client, url(manufacturer), {})
    _grow_channel(manufacturer, products, 30)
    for partnership in Partnership.objects.filter(manufacturer=manufacturer):
        put_in_portfolio(seller, partnership)

    assert _count(client, url(manufacturer), {}) == few


# --- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(manufacturer, client):
    response = client.get(url(manufacturer))

    assert response.status_code == 302
    assert reverse("accounts_public:login") in response["Location"]


def test_other_tenants_manager_gets_404(
    channel, manufacturer, other_manufacturer, make_member, client_for
):
    stranger = make_member(other_manufacturer, Role.MANAGER)
    client = client_for(stranger)

    assert client.get(url(manufacturer)).status_code == 404
    assert client.get(url(manufacturer), {"format": "csv"}).status_code == 404
    assert client.get(url(manufacturer, "add")).status_code == 404
    response = client.post(url(manufacturer, "add"), {"action": "new", "new-name": "X"})
    assert response.status_code == 404


def test_reseller_user_gets_404(channel, manufacturer, client_for):
    user = ResellerUserFactory(reseller=channel["alpha"].reseller).user

    assert client_for(user).get(url(manufacturer)).status_code == 404


def test_reseller_user_and_anonymous_cannot_partner_or_change_the_status(
    channel, manufacturer, client_for, client
):
    alpha = channel["alpha"]
    status_path = url(manufacturer, "status", public_id=alpha.reseller.public_id)
    newcomer = ResellerFactory()
    reseller_client = client_for(ResellerUserFactory(reseller=alpha.reseller).user)
    add = {"action": "existing", "existing-public_id": newcomer.public_id}

    assert reseller_client.post(status_path, {"status": "ended"}).status_code == 404
    assert reseller_client.post(url(manufacturer, "add"), add).status_code == 404
    for response in (
        client.post(status_path, {"status": "ended"}),
        client.post(url(manufacturer, "add"), add),
    ):
        assert response.status_code == 302
        assert reverse("accounts_public:login") in response["Location"]
    alpha.refresh_from_db()
    assert alpha.status == PartnershipStatus.ACTIVE
    assert not Partnership.objects.filter(reseller=newcomer).exists()


def test_seller_sees_only_their_portfolio(channel, manufacturer, seller, client_for):
    put_in_portfolio(seller, channel["beta"])
    client = client_for(seller)

    response = client.get(url(manufacturer))
    assert [p.reseller.name for p in response.context["page_obj"]] == ["Beta Sound"]
    rows = csv_rows(client.get(url(manufacturer), {"format": "csv"}))
    assert [row[1] for row in rows[1:]] == ["Beta Sound"]
    searched = client.get(url(manufacturer), {"q": channel["alpha"].reseller.public_id})
    assert list(searched.context["page_obj"]) == []


def test_seller_without_portfolio_sees_nobody(channel, manufacturer, seller, client_for):
    response = client_for(seller).get(url(manufacturer))

    assert list(response.context["page_obj"]) == []
    assert "No customers are assigned to you yet" in response.content.decode()


def test_directory_is_in_the_navigation(manufacturer, seller, client_for):
    response = client_for(seller).get(
        reverse("accounts_manufacturer:dashboard", args=[manufacturer.slug])
    )

    assert url(manufacturer) in response.content.decode()


# --- partnering -----------------------------------------------------------------------------


def test_partner_with_an_existing_reseller(manufacturer, manager, client_for):
    reseller = ResellerFactory(name="Existing Co")

    response = client_for(manager).post(
        url(manufacturer, "add"),
        {"action": "existing", "existing-public_id": f" {reseller.public_id.lower()} "},
    )

    assert response.status_code == 302
    assert response["Location"] == url(manufacturer, "profile", public_id=reseller.public_id)
    partnership = Partnership.objects.get(manufacturer=manufacturer, reseller=reseller)
    assert partnership.status == PartnershipStatus.ACTIVE


def test_partnering_an_unknown_id_is_a_form_error(manufacturer, manager, client_for):
    before = Partnership.objects.count()

    response = client_for(manager).post(
        url(manufacturer, "add"), {"action": "existing", "existing-public_id": "ZZZZZZ9"}
    )

    assert response.status_code == 200
    assert "No reseller has the ID ZZZZZZ9" in response.content.decode()
    assert Partnership.objects.count() == before


def test_partnering_a_malformed_id_is_a_form_error(manufacturer, manager, client_for):
    response = client_for(manager).post(
        url(manufacturer, "add"), {"action": "existing", "existing-public_id": "abc"}
    )

    assert response.status_code == 200
    assert response.context["existing_form"].errors["public_id"]
    assert not Partnership.objects.filter(manufacturer=manufacturer).exists()


def test_partnering_twice_is_a_form_error(channel, manufacturer, manager, client_for):
    reseller = channel["alpha"].reseller

    response = client_for(manager).post(
        url(manufacturer, "add"), {"action": "existing", "existing-public_id": reseller.public_id}
    )

    assert response.status_code == 200
    assert "already partnered with Alpha Audio" in response.content.decode()
    assert Partnership.objects.filter(manufacturer=manufacturer, reseller=reseller).count() == 1


def test_a_reseller_of_another_manufacturer_can_be_partnered(
    manufacturer, other_manufacturer, manager, client_for
):
    theirs = PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory())

    response = client_for(manager).post(
        url(manufacturer, "add"),
        {"action": "existing", "existing-public_id": theirs.reseller.public_id},
    )

    assert response.status_code == 302
    assert Partnership.objects.filter(reseller=theirs.reseller).count() == 2


def test_create_a_new_reseller(manufacturer, owner, client_for):
    response = client_for(owner).post(
        url(manufacturer, "add"),
        {
            "action": "new",
            "new-name": "Newco Sound",
            "new-reseller_type": ResellerType.INSTALLER,
            "new-public_email": "hello@newco.example",
            "new-city": "Bremen",
            "new-region": Region.NORTH,
        },
    )

    reseller = Reseller.objects.get(name="Newco Sound")
    assert response.status_code == 302
    assert response["Location"] == url(manufacturer, "profile", public_id=reseller.public_id)
    assert (reseller.reseller_type, reseller.city) == (ResellerType.INSTALLER, "Bremen")
    assert Partnership.objects.filter(manufacturer=manufacturer, reseller=reseller).exists()


def test_an_invalid_new_reseller_creates_nothing(manufacturer, manager, client_for):
    before = Reseller.objects.count()

    response = client_for(manager).post(
        url(manufacturer, "add"),
        {"action": "new", "new-name": "", "new-reseller_type": "robot", "new-website": "x"},
    )

    assert response.status_code == 200
    errors = response.context["new_form"].errors
    assert {"name", "reseller_type", "website"} <= set(errors)
    assert Reseller.objects.count() == before


def test_seller_may_not_add_resellers(manufacturer, seller, client_for):
    reseller = ResellerFactory()
    client = client_for(seller)

    assert client.get(url(manufacturer, "add")).status_code == 403
    response = client.post(
        url(manufacturer, "add"), {"action": "existing", "existing-public_id": reseller.public_id}
    )
    assert response.status_code == 403
    assert not Partnership.objects.filter(reseller=reseller).exists()


# --- partnership status ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [PartnershipStatus.SUSPENDED, PartnershipStatus.ENDED])
def test_manager_changes_the_status(channel, manufacturer, manager, client_for, status):
    alpha = channel["alpha"]
    path = url(manufacturer, "status", public_id=alpha.reseller.public_id)

    response = client_for(manager).post(path, {"status": status})

    assert response.status_code == 302
    alpha.refresh_from_db()
    assert alpha.status == status


def test_ending_asks_for_confirmation(channel, manufacturer, manager, client_for):
    alpha = channel["alpha"]

    body = client_for(manager).get(url(manufacturer, "profile", public_id=alpha.reseller.public_id))

    assert 'data-confirm="End the partnership with Alpha Audio?' in body.content.decode()


def test_status_change_needs_post_and_a_valid_status(channel, manufacturer, manager, client_for):
    alpha = channel["alpha"]
    path = url(manufacturer, "status", public_id=alpha.reseller.public_id)
    client = client_for(manager)

    assert client.get(path).status_code == 405
    assert client.post(path, {"status": "deleted"}).status_code == 302
    alpha.refresh_from_db()
    assert alpha.status == PartnershipStatus.ACTIVE


def test_seller_may_not_change_the_status(channel, manufacturer, seller, client_for):
    alpha = channel["alpha"]
    put_in_portfolio(seller, alpha)

    response = client_for(seller).post(
        url(manufacturer, "status", public_id=alpha.reseller.public_id),
        {"status": PartnershipStatus.ENDED},
    )

    assert response.status_code == 403
    alpha.refresh_from_db()
    assert alpha.status == PartnershipStatus.ACTIVE


def test_status_of_another_tenants_partnership_is_404(
    manufacturer, other_manufacturer, manager, client_for
):
    theirs = PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory())

    response = client_for(manager).post(
        url(manufacturer, "status", public_id=theirs.reseller.public_id),
        {"status": PartnershipStatus.ENDED},
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == PartnershipStatus.ACTIVE
