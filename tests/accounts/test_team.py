"""The team page: everyone in the tenant, nobody from elsewhere, in constant queries."""

from accounts.models import Role
from tests.accounts.test_dashboards import MANUFACTURER_BUDGET

# Session, user, membership, the team list (with users joined), the organisation switcher's
# two membership lists, plus headroom for the shell. Not a count of members: if this grows,
# say why in the commit.
TEAM_PAGE_QUERY_BUDGET = 10


def test_team_page_lists_members_of_this_tenant_only(
    client_for, manager, manufacturer, other_manufacturer, make_member
):
    colleague = make_member(manufacturer, Role.SELLER)
    stranger = make_member(other_manufacturer, Role.MANAGER)

    page = client_for(manager).get(f"/m/{manufacturer.slug}/team/")

    assert page.status_code == 200
    assert colleague.email in page.text
    assert manager.email in page.text
    assert stranger.email not in page.text


def test_team_page_queries_do_not_grow_with_members(
    client_for, manager, manufacturer, make_member, django_assert_max_num_queries
):
    client = client_for(manager)
    with django_assert_max_num_queries(TEAM_PAGE_QUERY_BUDGET):
        small = client.get(f"/m/{manufacturer.slug}/team/")

    for index in range(40):
        make_member(manufacturer, Role.SELLER if index % 2 else Role.MANAGER)
    with django_assert_max_num_queries(TEAM_PAGE_QUERY_BUDGET):
        large = client.get(f"/m/{manufacturer.slug}/team/")

    assert small.status_code == large.status_code == 200
    assert len(large.context["members"]) == 41


def test_dashboard_counts_the_team_by_role_in_one_query(
    client_for, manager, manufacturer, make_member, django_assert_max_num_queries
):
    for _ in range(20):
        make_member(manufacturer, Role.SELLER)
    client = client_for(manager)

    with django_assert_max_num_queries(MANUFACTURER_BUDGET):
        page = client.get(f"/m/{manufacturer.slug}/")

    assert page.context["role_counts"][Role.SELLER] == 20


def _remove_links(page):
    return page.text.count("/remove/")


def test_a_manager_is_offered_removal_of_reps_and_managers_but_not_of_owners(
    client_for, manager, manufacturer, make_member
):
    owner = make_member(manufacturer, Role.OWNER)
    rep = make_member(manufacturer, Role.SELLER)
    client = client_for(manager)

    team = client.get(f"/m/{manufacturer.slug}/team/")
    owner_page = client.get(f"/m/{manufacturer.slug}/team/{owner.pk}/")
    rep_page = client.get(f"/m/{manufacturer.slug}/team/{rep.pk}/")

    assert _remove_links(team) == 1
    assert _remove_links(owner_page) == 0
    assert _remove_links(rep_page) == 1


def test_an_owner_is_offered_removal_of_another_owner(client_for, manufacturer, make_member):
    owner = make_member(manufacturer, Role.OWNER)
    other_owner = make_member(manufacturer, Role.OWNER)

    team = client_for(owner).get(f"/m/{manufacturer.slug}/team/")
    other_page = client_for(owner).get(f"/m/{manufacturer.slug}/team/{other_owner.pk}/")

    assert _remove_links(team) == 1
    assert _remove_links(other_page) == 1
