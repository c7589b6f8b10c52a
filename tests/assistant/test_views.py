"""The command bar through HTTP: answers, changes and their confirmation, roles, tenants and
bad input, each tried by whoever must not get through."""

import pytest
from django.core import signing

from accounts.models import AuditAction, AuditEvent, Role
from assistant import changes
from assistant.models import RECENT_REQUESTS, RecentRequest
from communications.models import Conversation
from qualifications.models import QualificationGrant
from qualifications.services import qualification_grant
from salesreps.models import PortfolioAssignment
from salesreps.services import portfolio_assign
from tests.assistant.conftest import ASK
from tests.assistant.helpers import answer_html, ask, confirm, title, token
from tests.communications.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def grants(partnership):
    return QualificationGrant.objects.filter(partnership=partnership, revoked_at__isnull=True)


# --- the manual's requests ------------------------------------------------------------------


def test_the_directory_answers_with_the_directory_table(client_for, manager, partnership):
    response = ask(client_for(manager), "Show me a list of all my resellers")
    assert response.status_code == 200
    html = response.content.decode()
    assert title(response) == "Your resellers"
    assert "table-cards" in html and "Soundhouse GmbH" in html
    # The table's sort links open the directory page itself.
    assert 'href="/m/acme/resellers/?sort=' in html
    assert 'href="/m/acme/resellers/"' in html


def test_a_reseller_by_quoted_name_answers_with_its_profile_card(client_for, manager, partnership):
    response = ask(client_for(manager), "Tell me about the reseller 'Soundhouse GmbH'")
    assert title(response) == f"Soundhouse GmbH ({partnership.reseller.public_id})"
    assert "Business and contact" in response.content.decode()
    assert f"/m/acme/resellers/{partnership.reseller.public_id}/" in response.content.decode()


def test_a_misspelt_name_finds_the_reseller(client_for, manager, partnership):
    response = ask(client_for(manager), "tell me about soundhuose")
    assert title(response).startswith("Soundhouse GmbH")


def test_statistics_for_an_id_and_a_period_come_with_the_chart(client_for, manager, partnership):
    public_id = partnership.reseller.public_id
    response = ask(
        client_for(manager),
        f"Show me the sales statistics for reseller ID {public_id} for the last 30 days",
    )
    html = response.content.decode()
    assert title(response) == "Sales statistics of Soundhouse GmbH"
    assert 'data-chart="sales-chart-data"' in html and 'id="sales-chart-data"' in html
    # The period form of the partial asks the profile page, like on the profile.
    assert f'hx-get="/m/acme/resellers/{public_id}/"' not in html  # htmx links stripped
    assert f"/m/acme/resellers/{public_id}/?days=30" in html


def test_grant_is_shown_first_and_happens_on_confirmation(
    client_for, manager, partnership, qualification
):
    client = client_for(manager)
    response = ask(
        client, "Give reseller 'Soundhouse GmbH' the qualification ID 'PRO-AV-CERTIFIED'"
    )
    assert title(response) == "Grant PRO-AV-CERTIFIED to Soundhouse GmbH?"
    assert "will hold PRO-AV-CERTIFIED" in response.content.decode()
    assert not grants(partnership).exists()  # asking changed nothing
    done = confirm(client, token(response), reason="Course passed")
    assert done.status_code == 200
    assert title(done) == "PRO-AV-CERTIFIED granted to Soundhouse GmbH."
    grant = grants(partnership).get()
    assert (grant.granted_by, grant.grant_reason) == (manager, "Course passed")
    # Audited as the page's grant is.
    assert AuditEvent.objects.filter(
        action=AuditAction.QUALIFICATION_GRANTED,
        actor=manager,
        target=f"PRO-AV-CERTIFIED → {partnership.reseller.public_id}",
    ).exists()
    assert "showMessage" in done.headers["HX-Trigger"]


def test_revoke_by_id_on_confirmation(client_for, manager, owner, partnership, qualification):
    qualification_grant(partnership=partnership, qualification=qualification, granted_by=owner)
    client = client_for(manager)
    response = ask(
        client,
        "Revoke the qualification 'PRO-AV-CERTIFIED' for reseller ID "
        + partnership.reseller.public_id,
    )
    assert title(response) == "Revoke PRO-AV-CERTIFIED from Soundhouse GmbH?"
    assert grants(partnership).exists()
    confirm(client, token(response))
    assert not grants(partnership).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.QUALIFICATION_REVOKED, actor=manager
    ).exists()


def test_without_javascript_the_confirmation_redirects_to_the_profile(
    client_for, manager, partnership, qualification
):
    client = client_for(manager)
    page = ask(client, "grant PRO-AV-CERTIFIED to soundhouse", htmx=False)
    assert page.status_code == 200
    assert "<html" in page.content.decode()  # the full page, form included
    response = confirm(client, token(page), htmx=False)
    assert response.status_code == 302
    assert response["Location"] == f"/m/acme/resellers/{partnership.reseller.public_id}/"
    assert grants(partnership).exists()


# --- the other changes ----------------------------------------------------------------------


def test_assign_a_rep_on_confirmation(client_for, manager, partnership, rep, other_rep):
    client = client_for(manager)
    response = ask(client, "assign soundhouse to tom")
    assert title(response) == "Assign Soundhouse GmbH to Tom Okafor?"
    assert not PortfolioAssignment.objects.exists()
    confirm(client, token(response))
    current = PortfolioAssignment.objects.get(partnership=partnership, ended_at__isnull=True)
    assert (current.rep, current.assigned_by) == (other_rep, manager)


def test_mark_a_conversation_done_on_confirmation(client_for, manager, partnership):
    conversation = ConversationFactory(partnership=partnership)
    MessageFactory(conversation=conversation)
    client = client_for(manager)
    response = ask(client, f"mark conversation {conversation.pk} as done")
    assert title(response) == "Mark the conversation with Soundhouse GmbH as done?"
    Conversation.objects.get(pk=conversation.pk, mark="")
    confirm(client, token(response))
    assert Conversation.objects.get(pk=conversation.pk).mark == "✅"


# --- confirmation tokens --------------------------------------------------------------------


def test_a_stale_confirmation_changes_nothing(
    client_for, manager, owner, partnership, qualification
):
    client = client_for(manager)
    shown = token(ask(client, "grant PRO-AV-CERTIFIED to soundhouse"))
    # Someone else grants and revokes it meanwhile: the state differs from what was shown.
    grant = qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    response = confirm(client, shown)
    assert response.status_code == 409
    assert grants(partnership).get() == grant


def test_a_replayed_confirmation_changes_nothing(client_for, manager, partnership, rep, other_rep):
    client = client_for(manager)
    shown = token(ask(client, "assign soundhouse to tom"))
    confirm(client, shown)
    portfolio_assign(
        manufacturer=partnership.manufacturer, partnership=partnership, rep=rep, by=manager
    )
    response = confirm(client, shown)
    assert response.status_code == 409
    assert PortfolioAssignment.objects.get(ended_at__isnull=True).rep == rep


def test_a_forged_confirmation_is_refused(client_for, manager, partnership, qualification):
    client = client_for(manager)
    shown = token(ask(client, "grant PRO-AV-CERTIFIED to soundhouse"))
    forged = shown[:-3] + ("aaa" if not shown.endswith("aaa") else "bbb")
    response = confirm(client, forged)
    assert response.status_code == 400
    assert "not valid" in title(response)
    made_up = signing.dumps(
        {"u": manager.pk, "m": partnership.manufacturer_id, "i": "qualification.grant",
         "a": {"reseller_id": partnership.reseller.public_id, "qualification": "PRO-AV-CERTIFIED"},
         "s": "not-held"},
        salt="another salt",
    )  # fmt: skip
    assert confirm(client, made_up).status_code == 400
    assert confirm(client, "").status_code == 400
    assert not grants(partnership).exists()


def test_another_users_confirmation_is_refused(
    client_for, manager, owner, partnership, qualification
):
    shown = token(ask(client_for(manager), "grant PRO-AV-CERTIFIED to soundhouse"))
    response = confirm(client_for(owner), shown)
    assert response.status_code == 400
    assert not grants(partnership).exists()


def test_another_tenants_member_cannot_use_a_confirmation(
    client_for, manager, partnership, qualification, other_manufacturer, make_member
):
    shown = token(ask(client_for(manager), "grant PRO-AV-CERTIFIED to soundhouse"))
    stranger = make_member(other_manufacturer, Role.MANAGER)
    # Not a member of acme: the tenant itself is a 404, as for every page.
    assert confirm(client_for(stranger), shown).status_code == 404
    assert not grants(partnership).exists()


def test_an_expired_confirmation_is_refused(
    client_for, manager, partnership, qualification, monkeypatch
):
    client = client_for(manager)
    shown = token(ask(client, "grant PRO-AV-CERTIFIED to soundhouse"))
    monkeypatch.setattr(changes, "CONFIRMATION_MAX_AGE", -1)
    response = confirm(client, shown)
    assert response.status_code == 400
    assert "expired" in title(response)
    assert not grants(partnership).exists()


def test_a_reason_beyond_the_pages_bound_is_refused(
    client_for, manager, partnership, qualification
):
    client = client_for(manager)
    shown = token(ask(client, "grant PRO-AV-CERTIFIED to soundhouse"))
    response = confirm(client, shown, reason="x" * 501)
    assert response.status_code == 400
    assert not grants(partnership).exists()


def test_confirm_only_takes_post(client_for, manager):
    assert client_for(manager).get("/m/acme/assistant/confirm/").status_code == 405


# --- roles and tenants, as through the pages --------------------------------------------------


def test_a_rep_asking_about_another_reps_customer_gets_the_pages_not_found(
    client_for, manager, partnership, great_north, rep_with_customer, other_rep
):
    portfolio_assign(
        manufacturer=great_north.manufacturer, partnership=great_north, rep=other_rep, by=manager
    )
    client = client_for(rep_with_customer)
    by_id = ask(client, f"tell me about {great_north.reseller.public_id}")
    page = client.get(f"/m/acme/resellers/{great_north.reseller.public_id}/")
    assert (by_id.status_code, page.status_code) == (404, 404)
    assert title(by_id) == "No such reseller."
    by_name = ask(client, "tell me about 'Great Supplies North'")
    assert by_name.status_code == 404
    assert "Great Supplies North" not in answer_html(by_name).replace("“Great Supplies North”", "")
    # Their own customer answers.
    assert ask(client, "tell me about soundhouse").status_code == 200


def test_a_seller_cannot_grant_or_revoke_what_the_page_forbids(
    client_for, partnership, rep_with_customer, qualification, owner
):
    client = client_for(rep_with_customer)
    public_id = partnership.reseller.public_id
    for text in (
        f"grant PRO-AV-CERTIFIED to {public_id}",
        f"revoke PRO-AV-CERTIFIED from {public_id}",
    ):
        response = ask(client, text)
        assert response.status_code == 403, text
        assert title(response) == "Your role does not allow this."
    page = client.post(
        f"/m/acme/qualifications/resellers/{public_id}/grant/", {"code": "PRO-AV-CERTIFIED"}
    )
    assert page.status_code == 403
    assert not grants(partnership).exists()


def test_a_seller_cannot_assign_or_open_another_reps_portfolio(
    client_for, partnership, rep_with_customer, other_rep
):
    client = client_for(rep_with_customer)
    assert ask(client, "assign soundhouse to tom").status_code == 403
    assert ask(client, "tom's portfolio").status_code == 403
    assert client.get(f"/m/acme/salesreps/{other_rep.pk}/").status_code == 403
    mine = ask(client, "my portfolio")
    assert mine.status_code == 200
    assert "Soundhouse GmbH" in mine.content.decode()


def test_a_seller_confirming_a_managers_token_is_refused(
    client_for, manager, partnership, rep_with_customer, qualification
):
    shown = token(ask(client_for(manager), "grant PRO-AV-CERTIFIED to soundhouse"))
    assert confirm(client_for(rep_with_customer), shown).status_code == 400
    assert not grants(partnership).exists()


def test_another_tenants_reseller_is_not_found(client_for, manager, foreign_partnership):
    client = client_for(manager)
    public_id = foreign_partnership.reseller.public_id
    for text in (f"tell me about {public_id}", "tell me about 'Helios Partner'",
                 f"grant PRO-AV-CERTIFIED to {public_id}"):  # fmt: skip
        response = ask(client, text)
        assert response.status_code == 404, text
    assert "Helios Partner" not in answer_html(ask(client, "show me all resellers"))


def test_a_reseller_user_and_anonymous_get_no_assistant(client, client_for, reseller_user):
    assert client_for(reseller_user).get(ASK, {"q": "resellers"}).status_code == 404
    response = client.get(ASK, {"q": "resellers"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_pages_have_the_command_bar_and_reseller_pages_do_not(
    client_for, manager, reseller_user, partnership
):
    staff = client_for(manager).get("/m/acme/resellers/").content.decode()
    assert 'id="assistant-dialog"' in staff and 'aria-keyshortcuts="Control+K Meta+K"' in staff
    reseller_page = client_for(reseller_user).get(f"/r/{partnership.reseller.public_id}/")
    assert 'id="assistant-dialog"' not in reseller_page.content.decode()


# --- ambiguity, nonsense, bad input ---------------------------------------------------------


def test_an_ambiguous_name_asks_which_one(client_for, manager, great_north, great_south):
    client = client_for(manager)
    response = ask(client, "tell me about great supplies")
    assert "matches several resellers" in title(response)
    html = response.content.decode()
    assert "Great Supplies North" in html and "Great Supplies South" in html
    picked = ask(client, "tell me about great supplies", reseller=great_south.reseller.public_id)
    assert title(picked).startswith("Great Supplies South")


def test_nonsense_says_so_and_offers_commands_with_examples(client_for, manager):
    response = ask(client_for(manager), "banana split with sprinkles")
    assert response.status_code == 200
    assert title(response) == "Sorry, I did not understand that."
    assert "Show me a list of all my resellers" in response.content.decode()


@pytest.mark.parametrize("text", ["", "   ", "\x00"])
def test_empty_input_shows_examples(client_for, manager, text):
    response = ask(client_for(manager), text)
    assert response.status_code == 200
    assert title(response) == "Ask the portal"


def test_ten_thousand_characters_get_a_clear_answer(client_for, manager, partnership):
    response = ask(client_for(manager), "show me all resellers " + "a" * 10_000)
    assert response.status_code == 400
    assert "longer than 500 characters" in title(response)
    assert not RecentRequest.objects.exists()


def test_markup_in_a_request_is_shown_as_text(client_for, manager, partnership):
    response = ask(client_for(manager), "tell me about '<script>alert(1)</script>'")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_an_unknown_id_is_not_found(client_for, manager, partnership):
    response = ask(client_for(manager), "stats for reseller ZZZZZZ9")
    assert response.status_code == 404
    assert title(response) == "No such reseller."


def test_an_unknown_qualification_is_named_and_nothing_changes(
    client_for, manager, partnership, qualification
):
    response = ask(client_for(manager), "grant PRO-AV-GOLD to soundhouse")
    assert response.status_code == 404
    assert title(response) == "There is no qualification with the ID PRO-AV-GOLD."
    assert "PRO-AV-CERTIFIED" in response.content.decode()  # offered instead
    assert not grants(partnership).exists()


def test_granting_what_is_held_is_refused_up_front(
    client_for, owner, manager, partnership, qualification
):
    qualification_grant(partnership=partnership, qualification=qualification, granted_by=owner)
    response = ask(client_for(manager), "grant PRO-AV-CERTIFIED to soundhouse")
    assert title(response) == "Soundhouse GmbH already holds PRO-AV-CERTIFIED."
    assert 'name="token"' not in response.content.decode()


def test_an_unknown_or_foreign_conversation_is_not_found(client_for, manager, foreign_partnership):
    foreign = ConversationFactory(partnership=foreign_partnership)
    client = client_for(manager)
    assert ask(client, "mark conversation 999999 as done").status_code == 404
    assert ask(client, f"mark conversation {foreign.pk} as done").status_code == 404


# --- recent requests ------------------------------------------------------------------------


def test_recent_requests_are_remembered_per_user_and_bounded(
    client_for, manager, owner, partnership
):
    client = client_for(manager)
    for n in range(RECENT_REQUESTS + 3):
        ask(client, f"open orders of soundhouse {n}")
    ask(client, "open orders of soundhouse 12")  # asked again: moves to the top, once
    mine = list(RecentRequest.objects.filter(user=manager).values_list("text", flat=True))
    assert len(mine) == RECENT_REQUESTS
    assert mine[0] == "open orders of soundhouse 12"
    assert "open orders of soundhouse 0" not in mine
    response = ask(client, "resellers")
    assert "Recent requests" in response.content.decode()
    assert (
        "open orders of soundhouse 12" not in ask(client_for(owner), "resellers").content.decode()
    )
