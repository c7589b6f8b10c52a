"""The team inbox clicked through in Chromium, with axe on every page: the compact list, a
bulk assignment, a saved view, a conversation started by staff, and an htmx action after the
session expired (a clear message and a login link back, nothing changed)."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from communications.models import Conversation, SavedView
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def accept_dialogs(visitor) -> None:
    visitor.page.on("dialog", lambda dialog: dialog.accept())


def test_manager_uses_the_compact_list_bulk_assigns_and_saves_a_view(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    accept_dialogs(visitor)
    visitor.login(journeys.manager.email)

    visitor.goto(f"/m/{world.manufacturer.slug}/communications/?layout=list")
    row = page.locator(f"#row-{world.conversation.pk}")
    expect(row).to_be_visible()
    row.get_by_role("checkbox").check()
    page.get_by_label("With the selected").select_option("assign")
    page.get_by_label("Assign to", exact=True).select_option(str(world.seller.pk))
    visitor.submit("Apply to selected")
    expect(page.get_by_text("1 conversation changed")).to_be_visible()
    world.conversation.refresh_from_db()
    assert world.conversation.assignee == world.seller

    page.get_by_placeholder("Name this view").fill("Compact")
    visitor.submit("Save view")
    expect(page.get_by_role("link", name="Compact")).to_be_visible()
    assert SavedView.objects.get(user=journeys.manager).query == "layout=list"


def test_manager_starts_a_conversation_with_a_partner(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)

    visitor.goto(f"/m/{world.manufacturer.slug}/communications/")
    visitor.click(page.get_by_role("link", name="New conversation"))
    page.get_by_label("Reseller ID").fill(world.reseller.public_id)
    page.get_by_label("Subject").fill("Autumn catalogue")
    page.get_by_label("Message").fill("The autumn catalogue is out: shall we send samples?")
    visitor.submit("Send")
    expect(page.get_by_text("The autumn catalogue is out")).to_be_visible()
    conversation = Conversation.objects.get(subject="Autumn catalogue")
    assert conversation.partnership == world.partnership


def test_an_htmx_action_after_the_session_expired_says_so_and_changes_nothing(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    inbox = f"/m/{world.manufacturer.slug}/communications/"
    visitor.goto(inbox)
    card = page.locator(f"#conversation-{world.conversation.pk}")
    expect(card).to_be_visible()

    Session.objects.all().delete()  # the session expired; the page is still open
    card.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Your session has expired")).to_be_visible()
    link = page.get_by_role("link", name="Log in again and come back here")
    expect(link).to_be_visible()
    page.mouse.move(0, 0)  # axe reads colours; a hovered button's are its hover colours
    visitor.check()
    expect(card.get_by_role("button", name="Mark as done")).to_be_visible()  # not swapped
    world.conversation.refresh_from_db()
    assert world.conversation.mark == ""

    visitor.click(link)
    page.get_by_label("Email").fill(journeys.manager.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    visitor.submit("Log in")
    expect(page).to_have_url(f"{visitor.base_url}{inbox}")


def test_an_htmx_action_without_a_connection_says_so_and_changes_nothing(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto(f"/m/{world.manufacturer.slug}/communications/")
    card = page.locator(f"#conversation-{world.conversation.pk}")

    visitor.context.set_offline(True)
    card.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("The connection was lost, so nothing was changed.")).to_be_visible()
    visitor.context.set_offline(False)
    page.mouse.move(0, 0)
    visitor.check()
    world.conversation.refresh_from_db()
    assert world.conversation.mark == ""
