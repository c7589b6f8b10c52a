"""CSV export of the team list: this tenant's members only, staff only, constant queries."""

from accounts.models import Role
from tests.accounts.factories import ResellerUserFactory
from tests.csv_helpers import csv_rows

# Session, user, membership, the members with their users joined: 4, plus one of headroom.
# Not a count of members: if this grows, say why.
TEAM_CSV_BUDGET = 5


def team_csv_url(manufacturer) -> str:
    return f"/m/{manufacturer.slug}/team/?format=csv"


def test_team_csv_lists_this_tenants_members(
    client_for, owner, manufacturer, other_manufacturer, make_member
):
    seller = make_member(manufacturer, Role.SELLER, first_name="Sara", last_name="Rep")
    stranger = make_member(other_manufacturer, Role.MANAGER)

    rows = csv_rows(client_for(owner).get(team_csv_url(manufacturer)))

    assert rows[0] == ["Name", "Email", "Role", "Since"]
    by_email = {row[1]: row for row in rows[1:]}
    assert set(by_email) == {owner.email, seller.email}
    assert by_email[seller.email][:3] == ["Sara Rep", seller.email, "Sales rep"]
    assert by_email[owner.email][2] == "Owner"
    assert len(by_email[owner.email][3]) == 10 and by_email[owner.email][3][4] == "-"  # ISO
    assert stranger.email not in str(rows)


def test_team_csv_keeps_the_pages_access_rules(
    client, client_for, seller, manufacturer, other_manufacturer, make_member
):
    url = team_csv_url(manufacturer)
    reseller_user = ResellerUserFactory().user

    assert client_for(seller).get(url).status_code == 403
    assert client_for(make_member(other_manufacturer, Role.OWNER)).get(url).status_code == 404
    assert client_for(reseller_user).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_team_csv_queries_do_not_grow_with_members(
    client_for, manager, manufacturer, make_member, django_assert_max_num_queries
):
    for index in range(40):
        make_member(manufacturer, Role.SELLER if index % 2 else Role.MANAGER)
    client = client_for(manager)

    with django_assert_max_num_queries(TEAM_CSV_BUDGET):
        rows = csv_rows(client.get(team_csv_url(manufacturer)))

    assert len(rows) == 42  # header + 41 members
