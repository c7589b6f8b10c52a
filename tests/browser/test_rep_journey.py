"""A sales rep in Chromium: only their own customers, a new customer, a manual order."""

import pytest
from playwright.sync_api import expect

from accounts.models import Reseller
from orders.models import Order
from salesreps.models import PortfolioAssignment
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_sees_only_their_customers_and_another_reps_customer_is_404(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(world.seller.email)

    nav = page.get_by_role("navigation", name="Main navigation")
    visitor.click(nav.get_by_role("link", name="Resellers"))
    expect(page.get_by_role("link", name=world.reseller.name, exact=True)).to_be_visible()
    expect(page.get_by_text(journeys.other_partnership.reseller.name)).to_have_count(0)

    slug = world.manufacturer.slug
    foreign = journeys.other_partnership.reseller.public_id
    response = visitor.goto(f"/m/{slug}/resellers/{foreign}/")
    assert response.status == 404
    response = visitor.goto(f"/m/{slug}/resellers/{world.reseller.public_id}/")
    assert response.status == 200


def test_rep_creates_a_customer_and_a_manual_order(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(world.seller.email)

    nav = page.get_by_role("navigation", name="Main navigation")
    visitor.click(nav.get_by_role("link", name="Resellers"))
    visitor.click(page.get_by_role("link", name="New customer"))
    page.get_by_label("Company name").fill("Tonstudio Nord")
    page.get_by_label("City").fill("Hamburg")
    visitor.submit("Create customer")
    expect(page.locator("#messages")).to_contain_text("Tonstudio Nord")
    created = Reseller.objects.get(name="Tonstudio Nord")
    assert PortfolioAssignment.objects.filter(
        partnership__reseller=created, rep=world.seller, ended_at__isnull=True
    ).exists()

    visitor.click(nav.get_by_role("link", name="Orders"))
    visitor.click(page.get_by_role("link", name="New manual order"))
    page.get_by_label("Reseller").select_option(str(world.partnership.pk))
    visitor.submit("Continue")
    page.get_by_label("For our own use (earns no commission)").check()
    page.locator("#id_lines-0-sku").fill(world.product.sku)
    page.locator("#id_lines-0-quantity").fill("2")
    visitor.submit("Create order")
    order = Order.objects.filter(partnership=world.partnership, created_by=world.seller).get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    assert order.own_use
