"""CSV exports of the qualification requests (respecting their tabs and search) and of one
reseller's grant/revoke and qualifying-status history."""

import pytest
from django.urls import reverse

from accounts.models import Role
from channel.models import QualifyingStatus
from qualifications import services
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.csv_helpers import csv_rows
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory

# Session, user, membership, (the partnership on its page), the rows with everything joined,
# the export's audit event (accounts.middleware.AuditContextMiddleware).
# Not a count of rows: if this grows, say why.
CSV_BUDGET = 7


def url(manufacturer, name: str, **kwargs) -> str:
    return reverse(
        f"qualifications_manufacturer:{name}",
        kwargs={"manufacturer_slug": manufacturer.slug, **kwargs},
    )


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller, other_staff):
    """The same reseller partners with the other tenant, which grants, changes the status
    and receives a request there: none of it may show in this tenant's exports."""
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    code = QualificationFactory(manufacturer=other_manufacturer, code="FOREIGN-Q")
    services.qualification_grant(
        partnership=foreign, qualification=code, granted_by=other_staff, reason="Foreign grant"
    )
    services.qualifying_status_set(
        partnership=foreign, status=QualifyingStatus.NOT_QUALIFIED, changed_by=other_staff,
        reason="Foreign status",
    )  # fmt: skip
    other = PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory())
    services.qualification_request_create(
        partnership=other, qualification=code, requested_by=None, message="Foreign request"
    )
    return foreign


# --- requests -------------------------------------------------------------------------------


@pytest.fixture
def requests(manufacturer, partnership, other_partnership, qualification, reseller_user, owner):
    second = QualificationFactory(manufacturer=manufacturer, code="SMART-HOME")
    open_request = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user,
        message="We passed the training",
    )  # fmt: skip
    declined = services.qualification_request_create(
        partnership=partnership, qualification=second, requested_by=reseller_user
    )
    services.qualification_request_decide(
        request=declined, grant=False, decided_by=owner, reason="No installer yet"
    )
    other_open = services.qualification_request_create(
        partnership=other_partnership, qualification=second, requested_by=None
    )
    return {"open": open_request, "declined": declined, "other_open": other_open}


def test_requests_csv_holds_the_tabs_rows(client_for, owner, manufacturer, requests, reseller):
    client = client_for(owner)

    open_rows = csv_rows(client.get(url(manufacturer, "requests"), {"format": "csv"}))
    declined_rows = csv_rows(
        client.get(url(manufacturer, "requests"), {"status": "declined", "format": "csv"})
    )

    assert open_rows[0] == [
        "Requested at", "Requested by", "Reseller ID", "Reseller", "Qualification ID",
        "Qualification", "Message", "Status", "Decided at", "Decided by",
        "Reason for declining",
    ]  # fmt: skip
    assert [(row[3], row[4]) for row in open_rows[1:]] == [
        ("Soundhouse GmbH", "PRO-AV-CERTIFIED"),
        ("Other", "SMART-HOME"),
    ]
    assert open_rows[1][2] == reseller.public_id
    assert open_rows[1][6:9] == ["We passed the training", "Open", ""]
    assert "T" in open_rows[1][0]  # an ISO timestamp
    assert len(declined_rows) == 2
    declined = declined_rows[1]
    assert (declined[4], declined[7]) == ("SMART-HOME", "Declined")
    assert declined[9:] == [owner.display_name, "No installer yet"]
    assert declined[8] >= declined[0]


def test_requests_csv_respects_the_search(
    client_for, owner, manufacturer, requests, reseller, foreign_partnership
):
    client = client_for(owner)
    path = url(manufacturer, "requests")

    by_name = csv_rows(client.get(path, {"status": "all", "q": "soundhouse", "format": "csv"}))
    by_id = csv_rows(client.get(path, {"status": "all", "q": reseller.public_id, "format": "csv"}))
    everything = csv_rows(client.get(path, {"status": "all", "format": "csv"}))

    assert sorted(row[4] for row in by_name[1:]) == ["PRO-AV-CERTIFIED", "SMART-HOME"]
    assert by_id[1:] == by_name[1:]
    assert len(everything) == 4  # header + this tenant's three requests
    assert "FOREIGN-Q" not in str(everything) and "Foreign request" not in str(everything)


def test_requests_csv_is_staff_only(
    client, client_for, assigned_seller, other_staff, reseller_user, manufacturer
):
    path = url(manufacturer, "requests") + "?format=csv"

    assert client_for(assigned_seller).get(path).status_code == 403
    assert client_for(other_staff).get(path).status_code == 404
    assert client_for(reseller_user).get(path).status_code == 404
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


# --- one reseller's history -----------------------------------------------------------------


@pytest.fixture
def history(manufacturer, partnership, other_partnership, qualification, owner, manager):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner, reason="Trained"
    )
    services.qualification_revoke(
        partnership=partnership, qualification=qualification, revoked_by=manager,
        reason="Installer left",
    )  # fmt: skip
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=manager
    )
    services.qualifying_status_set(
        partnership=partnership, status=QualifyingStatus.QUALIFIED, changed_by=owner,
        reason="Audit passed",
    )  # fmt: skip
    # Another reseller of this tenant: its history is not this reseller's.
    other_code = QualificationFactory(manufacturer=manufacturer, code="OTHER-ONLY")
    services.qualification_grant(
        partnership=other_partnership, qualification=other_code, granted_by=owner
    )
    services.qualifying_status_set(
        partnership=other_partnership, status=QualifyingStatus.NOT_QUALIFIED, changed_by=owner,
        reason="Other status",
    )  # fmt: skip


def history_url(manufacturer, partnership) -> str:
    return url(manufacturer, "partnership", public_id=partnership.reseller.public_id)


def test_grant_history_csv(
    client_for, manager, owner, manufacturer, partnership, history, foreign_partnership
):
    rows = csv_rows(
        client_for(manager).get(history_url(manufacturer, partnership), {"format": "csv"})
    )

    assert rows[0] == [
        "Qualification ID", "Qualification", "Granted at", "Granted by", "Reason for granting",
        "Revoked at", "Revoked by", "Reason for revoking",
    ]  # fmt: skip
    assert len(rows) == 3  # the current grant, then the revoked one
    current, revoked = rows[1], rows[2]
    assert current[:2] == ["PRO-AV-CERTIFIED", "Pro AV certified"]
    assert current[3] == manager.display_name and current[5:] == ["", "", ""]
    assert revoked[3:5] == [owner.display_name, "Trained"]
    assert revoked[6:] == [manager.display_name, "Installer left"]
    assert "T" in revoked[2] and revoked[5] >= revoked[2]
    assert "OTHER-ONLY" not in str(rows) and "FOREIGN-Q" not in str(rows)


def test_status_history_csv(
    client_for, owner, manufacturer, partnership, history, foreign_partnership
):
    rows = csv_rows(
        client_for(owner).get(
            history_url(manufacturer, partnership), {"tab": "status", "format": "csv"}
        )
    )

    assert rows[0] == ["Changed at", "From", "To", "Changed by", "Reason"]
    assert [row[1:] for row in rows[1:]] == [
        ["Pending", "Qualified", owner.display_name, "Audit passed"]
    ]


def test_history_csv_follows_the_portfolio(
    client, client_for, assigned_seller, make_member, manufacturer, partnership, other_staff,
    reseller_user, history,
):  # fmt: skip
    path = history_url(manufacturer, partnership) + "?format=csv"
    another_rep = make_member(manufacturer, Role.SELLER)

    assert len(csv_rows(client_for(assigned_seller).get(path))) == 3  # their own customer
    assert client_for(another_rep).get(path).status_code == 404  # not in their portfolio
    assert client_for(other_staff).get(path).status_code == 404
    assert client_for(reseller_user).get(path).status_code == 404
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_history_of_a_reseller_partnering_only_elsewhere_is_404(
    client_for, owner, manufacturer, other_manufacturer
):
    elsewhere = PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory())

    response = client_for(owner).get(history_url(manufacturer, elsewhere), {"format": "csv"})

    assert response.status_code == 404


@pytest.mark.parametrize("export", ["requests", "grants", "status"])
def test_csv_queries_do_not_grow_with_rows(
    client_for, owner, manufacturer, partnership, django_assert_max_num_queries, export
):
    for index in range(15):
        code = QualificationFactory(manufacturer=manufacturer)
        requester = ResellerUserFactory(reseller=partnership.reseller).user
        other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
        services.qualification_request_create(
            partnership=other, qualification=code, requested_by=requester
        )
        services.qualification_grant(partnership=partnership, qualification=code, granted_by=owner)
        services.qualifying_status_set(
            partnership=partnership,
            status=QualifyingStatus.QUALIFIED if index % 2 == 0 else QualifyingStatus.PENDING,
            changed_by=owner,
        )
    paths = {
        "requests": url(manufacturer, "requests") + "?format=csv",
        "grants": history_url(manufacturer, partnership) + "?format=csv",
        "status": history_url(manufacturer, partnership) + "?tab=status&format=csv",
    }
    client = client_for(owner)

    with django_assert_max_num_queries(CSV_BUDGET):
        rows = csv_rows(client.get(paths[export]))

    assert len(rows) == 16
