"""The main pages at phone, tablet and desktop widths: no sideways scrolling, no tap target
under 24 x 24 px, navigation reachable. Screenshots land in test-artifacts/responsive/.

Each page loads once (and axe checks it) and is then resized through the widths: the
layout is CSS media queries, which follow the viewport without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 768, 1280, 1440)
NAVIGATION_FOLDS_BELOW = 992  # Bootstrap's lg breakpoint (static/css/portal.css)

# Visible interactive elements smaller than 24 x 24 px. Links inside running text are
# exempt (WCAG 2.5.8's inline exception), as are visually hidden controls.
SMALL_TARGETS = """() => {
  const selector = 'a, button, summary, select, textarea, label.btn, [role=button], '
    + 'input:not([type=hidden]), [tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(selector)].filter((el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') return false;
    if (el.closest('.visually-hidden, .visually-hidden-focusable')) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return false;
    if (el.tagName === 'A' && style.display === 'inline') return false;
    return rect.width < 24 || rect.height < 24;
  }).map((el) => {
    const rect = el.getBoundingClientRect();
    const text = (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} "${text}" `
      + `${Math.round(rect.width)}x${Math.round(rect.height)}`;
  });
}"""
OVERFLOW = """() =>
  document.documentElement.scrollWidth - document.documentElement.clientWidth"""


def assert_fits(visitor, width: int, name: str) -> None:
    page = visitor.page
    folder = ARTIFACTS / "responsive"
    folder.mkdir(parents=True, exist_ok=True)
    # Charts redraw at the new width on their resize handler, a moment after the viewport
    # changed: a layout that still overflows after that wait is a real sideways scroll. (A
    # Python loop: `wait_for_function` evaluates a string, which the portal's CSP refuses.)
    for _ in range(50):
        if page.evaluate(OVERFLOW) <= 0:
            break
        page.wait_for_timeout(100)
    page.screenshot(path=str(folder / f"{name}-{width}.png"))
    assert page.evaluate(OVERFLOW) <= 0, f"{page.url} scrolls sideways at {width} px"
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], f"small tap targets on {page.url} at {width} px: {small}"
    nav = page.get_by_role("navigation", name="Main navigation")
    if width < NAVIGATION_FOLDS_BELOW:
        expect(nav).to_be_hidden()
        page.locator("label[for=nav-toggle]").click()
        expect(nav).to_be_visible()
        page.locator("label[for=nav-toggle]").click()
    else:
        expect(nav).to_be_visible()


def test_manager_pages_fit_every_width(visit):
    journeys = build_journeys()
    world = journeys.a
    slug = world.manufacturer.slug
    pages = {
        "dashboard": f"/m/{slug}/",
        "directory": f"/m/{slug}/resellers/",
        "profile": f"/m/{slug}/resellers/{world.reseller.public_id}/",
        "orders": f"/m/{slug}/orders/",
        "order": f"/m/{slug}/orders/{world.order.pk}/",
        "inbox": f"/m/{slug}/communications/",
    }
    visitor = visit()
    visitor.login(journeys.manager.email)
    for name, path in pages.items():
        visitor.page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
        visitor.goto(path)  # axe runs once per page; the widths only change its layout
        for width in WIDTHS:
            visitor.page.set_viewport_size({"width": width, "height": 900})
            assert_fits(visitor, width, f"manager-{name}")


def test_reseller_pages_fit_every_width(visit):
    journeys = build_journeys()
    world = journeys.a
    base = f"/r/{world.reseller.public_id}"
    pages = {
        "dashboard": f"{base}/",
        "orders": f"{base}/orders/",
        "cart": f"{base}/m/{world.manufacturer.slug}/cart/",
    }
    visitor = visit()
    visitor.login(world.reseller_user.email)
    for name, path in pages.items():
        visitor.page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
        visitor.goto(path)  # axe runs once per page; the widths only change its layout
        for width in WIDTHS:
            visitor.page.set_viewport_size({"width": width, "height": 900})
            assert_fits(visitor, width, f"reseller-{name}")
