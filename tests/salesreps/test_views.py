"""The salesreps pages: who may open what, what each sees, and what each action changes."""

import re

import pytest

from accounts.models import Role
from channel.models import Partnership, PartnershipUserObjectPermission
from notifications.models import OutboxEmail
from notifications.sealing import unseal
from salesreps.models import PortfolioAssignment, RepInvitation
from salesreps.selectors import partnerships_of_rep
from salesreps.services import portfolio_assign
from tests.salesreps.conftest import customer, member

STAFF_PAGES = [
    "salesreps_manufacturer:overview",
    "salesreps_manufacturer:coverage",
    "salesreps_manufacturer:invite",
]


def names(world, rep) -> set[str]:
    return {p.reseller.name for p in partnerships_of_rep(manufacturer=world.tenant, rep=rep)}


# --- access matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_open_for_owner_and_manager(world, login, page):
    for user in (world.owner, world.manager):
        assert login(user).get(world.url(page)).status_code == 200


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_refuse_others(world, login, client, page):
    assert login(world.rep_a).get(world.url(page)).status_code == 403
    assert login(world.other_manager).get(world.url(page)).status_code == 404
    assert login(world.reseller_user).get(world.url(page)).status_code == 404
    response = client.get(world.url(page))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_rep_detail_and_reassign_are_staff_only_and_404_for_non_reps(world, login):
    manager = login(world.manager)
    assert (
        manager.get(
            world.url("salesreps_manufacturer:rep_detail", user_id=world.rep_a.pk)
        ).status_code
        == 200
    )
    for user_id in (world.manager.pk, world.other_rep.pk, 999999):
        assert (
            manager.get(world.url("salesreps_manufacturer:rep_detail", user_id=user_id)).status_code
            == 404
        )
        assert (
            manager.get(world.url("salesreps_manufacturer:reassign", user_id=user_id)).status_code
            == 404
        )
    rep = login(world.rep_a)
    assert (
        rep.get(world.url("salesreps_manufacturer:rep_detail", user_id=world.rep_a.pk)).status_code
        == 403
    )


def test_history_follows_visibility(world, login):
    url = world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk)
    assert login(world.rep_a).get(url).status_code == 200
    assert login(world.manager).get(url).status_code == 200
    assert login(world.rep_b).get(url).status_code == 404
    assert login(world.other_rep).get(url).status_code == 404
    foreign = world.url("salesreps_manufacturer:history", partnership_id=world.foreign.pk)
    assert login(world.manager).get(foreign).status_code == 404
    missing = world.url("salesreps_manufacturer:history", partnership_id=999999)
    assert login(world.manager).get(missing).status_code == 404


def test_history_lists_every_period(world, login):
    portfolio_assign(
        manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=world.owner
    )
    response = login(world.manager).get(
        world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk)
    )
    table = response.content.decode().split('id="history-table"')[1]
    assert world.rep_a.display_name in table and world.rep_b.display_name in table
    assert world.owner.display_name in table  # ended by / assigned by


# --- overview ------------------------------------------------------------------------------


def test_overview_shows_each_rep_of_this_tenant_only(world, login):
    response = login(world.manager).get(world.url("salesreps_manufacturer:overview"))
    body = response.content.decode()
    assert world.rep_a.display_name in body and world.rep_b.display_name in body
    assert world.other_rep.display_name not in body
    assert 'id="rep-chart-data"' in body and "chart.umd.min.js" in body
    rows = {row.rep.pk if row.rep else None: row for row in response.context["rows"]}
    assert rows[world.rep_a.pk].customers == 2 and rows[world.rep_a.pk].orders == 2
    assert rows[None].customers == 1


def test_overview_query_budget_does_not_grow_with_reps(world, login, django_assert_max_num_queries):
    for index in range(15):
        rep = member(world.tenant, Role.SELLER)
        portfolio_assign(
            manufacturer=world.tenant,
            partnership=customer(world.tenant, f"Extra {index}"),
            rep=rep,
            by=None,
        )
    manager = login(world.manager)
    with django_assert_max_num_queries(14):
        assert manager.get(world.url("salesreps_manufacturer:overview")).status_code == 200


# --- assign / unassign (the panel's endpoints) ---------------------------------------------


def test_manager_assigns_and_unassigns_with_redirect_back(world, login):
    manager = login(world.manager)
    url = world.url("salesreps_manufacturer:assign", partnership_id=world.free.pk)
    response = manager.post(url, {"rep": world.rep_b.pk, "next": "/m/acme/salesreps/coverage/"})
    assert response.status_code == 302 and response["Location"] == "/m/acme/salesreps/coverage/"
    assert names(world, world.rep_b) == {"Beta Hifi", "Free Radio"}

    response = manager.post(
        world.url("salesreps_manufacturer:unassign", partnership_id=world.free.pk),
        {"next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == world.url(
        "salesreps_manufacturer:history", partnership_id=world.free.pk
    )
    assert names(world, world.rep_b) == {"Beta Hifi"}


def test_assign_with_htmx_returns_the_panel(world, login):
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:assign", partnership_id=world.free.pk),
        {"rep": world.rep_a.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div class="card" id="rep-assignment-panel-')
    assert world.rep_a.display_name in body


def _state():
    return (
        sorted(PortfolioAssignment.objects.values_list("pk", "rep_id", "ended_at")),
        PartnershipUserObjectPermission.objects.count(),
    )


@pytest.mark.parametrize("bad", ["foreign_rep", "manager", "garbage"])
def test_assign_refuses_non_reps_with_a_message_and_no_change(world, login, bad):
    rep_id = {"foreign_rep": world.other_rep.pk, "manager": world.manager.pk, "garbage": "x"}[bad]
    before = _state()
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:assign", partnership_id=world.free.pk),
        {"rep": rep_id},
        follow=True,
    )
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    assert _state() == before


def test_assign_on_a_foreign_customer_is_404_and_changes_nothing(world, login):
    before = _state()
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:assign", partnership_id=world.foreign.pk),
        {"rep": world.rep_a.pk},
    )
    assert response.status_code == 404
    assert _state() == before


def test_assign_is_refused_to_reps_and_outsiders(world, login):
    url = world.url("salesreps_manufacturer:assign", partnership_id=world.a1.pk)
    assert login(world.rep_a).post(url, {"rep": world.rep_a.pk}).status_code == 403
    assert login(world.other_manager).post(url, {"rep": world.rep_a.pk}).status_code == 404
    assert login(world.manager).get(url).status_code == 405


# --- reassign with preview -----------------------------------------------------------------


def test_reassign_preview_lists_what_will_move_and_changes_nothing(world, login):
    manager = login(world.manager)
    url = world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk)
    before = _state()
    response = manager.get(url, {"to_rep": world.rep_b.pk, "customers": [world.a1.pk]})
    assert response.status_code == 200
    moving = response.content.decode().split('id="moving"')[1].split("</table>")[0]
    assert "Alpha Sound One" in moving and "Alpha Sound Two" not in moving
    assert _state() == before

    everything = manager.get(url, {"to_rep": world.rep_b.pk})
    assert [p.pk for p in everything.context["moving"]] == [world.a1.pk, world.a2.pk]


def test_reassign_post_moves_all_at_once(world, login):
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk),
        {"to_rep": world.rep_b.pk},
    )
    assert response.status_code == 302
    assert names(world, world.rep_a) == set()
    assert names(world, world.rep_b) == {"Alpha Sound One", "Alpha Sound Two", "Beta Hifi"}


def test_reassign_refuses_other_reps_customers_and_foreign_targets(world, login):
    manager = login(world.manager)
    url = world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk)
    before = _state()
    # B's customer is not in A's portfolio; a rep of another tenant is not a choice.
    assert (
        manager.post(url, {"to_rep": world.rep_b.pk, "customers": [world.b1.pk]}).status_code == 400
    )
    assert manager.post(url, {"to_rep": world.other_rep.pk}).status_code == 400
    assert manager.post(url, {"to_rep": world.rep_a.pk}).status_code == 400  # to themselves
    assert _state() == before


# --- coverage ------------------------------------------------------------------------------


def test_coverage_lists_unassigned_active_customers_and_assigns_in_one_click(world, login):
    for index in range(30):
        customer(world.tenant, f"Gap {index:02d}")
    manager = login(world.manager)
    response = manager.get(world.url("salesreps_manufacturer:coverage"))
    assert response.context["page_obj"].paginator.count == 31
    table = response.content.decode().split('id="coverage-table"')[1]
    assert "Alpha Sound One" not in table and "Foreign Lamps" not in table

    searched = manager.get(world.url("salesreps_manufacturer:coverage"), {"q": "Free"})
    assert [p.pk for p in searched.context["page_obj"]] == [world.free.pk]

    manager.post(
        world.url("salesreps_manufacturer:assign", partnership_id=world.free.pk),
        {"rep": world.rep_a.pk},
    )
    after = manager.get(world.url("salesreps_manufacturer:coverage"), {"q": "Free"})
    assert list(after.context["page_obj"]) == []


def test_coverage_query_budget(world, login, django_assert_max_num_queries):
    for index in range(60):
        customer(world.tenant, f"Gap {index:02d}")
    manager = login(world.manager)
    with django_assert_max_num_queries(12):
        response = manager.get(world.url("salesreps_manufacturer:coverage"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25


# --- new customer --------------------------------------------------------------------------


def customer_data(name: str) -> dict:
    return {
        "name": name,
        "reseller_type": "retailer",
        "city": "Bremen",
        "payment_method": "prepayment",
        "shipping_method": "express",
    }


def test_a_rep_creates_a_customer_that_lands_in_their_portfolio(world, login):
    response = login(world.rep_a).post(
        world.url("salesreps_manufacturer:customer_new"), customer_data("Neu AG")
    )
    assert response.status_code == 302
    created = Partnership.objects.get(manufacturer=world.tenant, reseller__name="Neu AG")
    assert created.payment_method == "prepayment" and created.shipping_method == "express"
    assert names(world, world.rep_a) == {"Alpha Sound One", "Alpha Sound Two", "Neu AG"}
    assert "Neu AG" not in names(world, world.rep_b)
    assert login(world.rep_a).get(response["Location"]).status_code == 200
    assert login(world.rep_b).get(response["Location"]).status_code == 404


def test_a_rep_cannot_give_the_new_customer_to_someone_else(world, login):
    data = {**customer_data("Sneaky GmbH"), "rep": world.rep_b.pk}
    login(world.rep_a).post(world.url("salesreps_manufacturer:customer_new"), data)
    assert "Sneaky GmbH" in names(world, world.rep_a)
    assert "Sneaky GmbH" not in names(world, world.rep_b)


def test_staff_create_a_customer_with_or_without_rep(world, login):
    manager = login(world.manager)
    manager.post(
        world.url("salesreps_manufacturer:customer_new"),
        {**customer_data("Mit Rep"), "rep": world.rep_b.pk},
    )
    manager.post(world.url("salesreps_manufacturer:customer_new"), customer_data("Ohne Rep"))
    assert "Mit Rep" in names(world, world.rep_b)
    assert not PortfolioAssignment.objects.filter(partnership__reseller__name="Ohne Rep").exists()
    bad = manager.post(
        world.url("salesreps_manufacturer:customer_new"),
        {**customer_data("X"), "rep": world.other_rep.pk},
    )
    assert bad.status_code == 400
    assert not Partnership.objects.filter(reseller__name="X").exists()


def test_new_customer_form_errors_rerender(world, login):
    response = login(world.rep_a).post(
        world.url("salesreps_manufacturer:customer_new"), {"name": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors


# --- my sales ------------------------------------------------------------------------------


def test_my_sales_is_limited_to_the_reps_portfolio(world, login):
    response = login(world.rep_a).get(world.url("salesreps_manufacturer:my_sales"))
    report = response.context["report"]
    assert {row["reseller__name"] for row in report.per_customer} == {
        "Alpha Sound One",
        "Alpha Sound Two",
    }
    assert report.total == world.orders["a1"].total + world.orders["a2"].total
    assert report.count == 2
    body = response.content.decode()
    assert world.orders["b1"].number not in body and world.orders["free"].number not in body
    assert 'id="sales-chart-data"' in body


def test_my_sales_csv_holds_the_same_rows(world, login):
    response = login(world.rep_b).get(
        world.url("salesreps_manufacturer:my_sales"), {"format": "csv"}
    )
    content = b"".join(response.streaming_content).decode()
    assert world.orders["b1"].number in content
    for key in ("a1", "a2", "free", "foreign"):
        assert world.orders[key].number not in content


def test_manager_sales_report_covers_all_or_one_rep(world, login):
    manager = login(world.manager)
    everything = manager.get(world.url("salesreps_manufacturer:my_sales")).context["report"]
    assert everything.count == 4
    one = manager.get(
        world.url("salesreps_manufacturer:my_sales"), {"rep": world.rep_b.pk}
    ).context["report"]
    assert one.count == 1
    # A rep's query string cannot widen their report.
    rep = login(world.rep_a).get(
        world.url("salesreps_manufacturer:my_sales"), {"rep": world.rep_b.pk}
    )
    assert rep.context["report"].count == 2


def test_my_sales_period(world, login):
    response = login(world.rep_a).get(
        world.url("salesreps_manufacturer:my_sales"),
        {"date_from": "2001-01-01", "date_to": "2001-12-31"},
    )
    assert response.context["report"].count == 0
    assert "No sales in this period" in response.content.decode()


def test_my_sales_outsiders(world, login, client):
    url = world.url("salesreps_manufacturer:my_sales")
    assert login(world.other_rep).get(url).status_code == 404
    assert login(world.reseller_user).get(url).status_code == 404
    assert client.get(url).status_code == 302


# --- invitations (the manager side) --------------------------------------------------------


def test_invite_new_person_sends_a_link(world, login):
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:invite"),
        {"email": "New.Rep@Example.test", "first_name": "Nia"},
    )
    assert response.status_code == 302
    user = world.tenant.memberships.get(user__email="new.rep@example.test")
    assert user.role == Role.SELLER
    email = OutboxEmail.objects.get(kind="salesreps.invitation")
    assert email.recipient == "new.rep@example.test"
    assert "http://testserver/invite/" not in email.body  # sealed until sent
    assert "http://testserver/invite/" in unseal(email.body, email.sealed)


def sent_body(email: OutboxEmail) -> str:
    return unseal(email.body, email.sealed)


def test_invite_existing_member_is_refused_clearly(world, login):
    count = OutboxEmail.objects.count()
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:invite"), {"email": world.rep_a.email}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert OutboxEmail.objects.count() == count


def test_invite_existing_user_of_another_tenant_needs_their_consent(world, login):
    response = login(world.manager).post(
        world.url("salesreps_manufacturer:invite"), {"email": world.other_rep.email}, follow=True
    )
    assert response.status_code == 200
    assert "They join the team when they accept it." in response.content.decode()
    assert not world.tenant.memberships.filter(user=world.other_rep).exists()
    email = OutboxEmail.objects.get(kind="salesreps.invitation")
    assert email.recipient == world.other_rep.email
    path = re.search(r"http://testserver(/invite/join/\S+/)", sent_body(email)).group(1)
    my_sales = world.url("salesreps_manufacturer:my_sales")
    assert login(world.other_rep).get(my_sales).status_code == 404  # not a member yet

    assert login(world.rep_a).get(path).status_code == 404  # someone else's invitation
    invited = login(world.other_rep)
    assert invited.get(path).status_code == 200
    accepted = invited.post(path, {"decision": "accept"})
    assert accepted.status_code == 302
    assert world.tenant.memberships.filter(user=world.other_rep, role=Role.SELLER).exists()
    assert invited.get(path).status_code == 404  # used
    assert invited.get(my_sales).status_code == 200


def test_a_declined_invitation_changes_nothing(world, login):
    login(world.manager).post(
        world.url("salesreps_manufacturer:invite"), {"email": world.other_rep.email}
    )
    body = sent_body(OutboxEmail.objects.get(kind="salesreps.invitation"))
    path = re.search(r"http://testserver(/invite/join/\S+/)", body).group(1)

    declined = login(world.other_rep).post(path, {"decision": "decline"})

    assert declined.status_code == 302
    assert not world.tenant.memberships.filter(user=world.other_rep).exists()
    assert login(world.other_rep).post(path, {"decision": "accept"}).status_code == 404


def test_inviting_answers_the_same_whether_or_not_the_address_has_a_login(world, login):
    client = login(world.manager)
    url = world.url("salesreps_manufacturer:invite")

    known = client.post(url, {"email": world.other_rep.email}, follow=True)
    unknown = client.post(url, {"email": "stranger@example.test"}, follow=True)

    def message(response, email) -> str:
        return next(str(m) for m in response.context["messages"]).replace(email, "<email>")

    assert known.status_code == unknown.status_code == 200
    assert message(known, world.other_rep.email) == message(unknown, "stranger@example.test")


def test_only_the_digest_of_an_invitation_token_is_stored(world, login):
    login(world.manager).post(
        world.url("salesreps_manufacturer:invite"), {"email": world.other_rep.email}
    )
    body = sent_body(OutboxEmail.objects.get(kind="salesreps.invitation"))
    token = re.search(r"/invite/join/(\S+)/", body).group(1)

    invitation = RepInvitation.objects.get(user=world.other_rep)
    assert invitation.token_digest
    assert token not in invitation.token_digest
