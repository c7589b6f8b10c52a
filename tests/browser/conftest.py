"""Real-browser journeys: Chromium (Debian's package) through Playwright, against the live server.

One Chromium per test session and a fresh context per test. Every page goes through a
`Visitor`, which runs axe-core after each navigation or action and fails on a serious or
critical violation; at teardown it fails the test if any page load escaped that check. On
failure a screenshot and the page's HTML land in test-artifacts/<test name>/.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.visitor import Visitor
from tests.conftest import require_program

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = require_program("chromium", "the browser journeys drive it")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # from the test thread would otherwise trip Django's async-safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _save_artifacts(item: pytest.Item, number: int, visitor: Visitor) -> None:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(visitor.context.pages):
        name = f"visitor{number}-page{index}"
        try:
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            (folder / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:
            (folder / f"{name}.txt").write_text(repr(error), encoding="utf-8")


@pytest.fixture
def visit(request, chromium, live_server, settings) -> Iterator:
    """visit(width=1280, javascript=True) -> a Visitor in a fresh browser context."""
    settings.AXES_ENABLED = False  # many logins from one address in one run
    visitors: list[Visitor] = []
    companions: list = []

    def make(width: int = 1280, height: int = 900, javascript: bool = True) -> Visitor:
        context = chromium.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            # axe reads colours as they are drawn: without this, a button still fading from its
            # hover colours after a click fails the contrast rule now and then.
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        axe_context = None
        if not javascript:
            axe_context = chromium.new_context(
                base_url=live_server.url,
                viewport={"width": width, "height": height},
                reduced_motion="reduce",
            )
            companions.append(axe_context)
        visitor = Visitor(context, live_server.url, javascript=javascript, axe_context=axe_context)
        visitors.append(visitor)
        return visitor

    yield make
    failed = any(
        getattr(request.node, f"report_{when}", None) is not None
        and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    try:
        for number, visitor in enumerate(visitors):
            if failed:
                _save_artifacts(request.node, number, visitor)
            elif visitor.unchecked():
                _save_artifacts(request.node, number, visitor)
                pytest.fail(
                    f"pages loaded without an axe run: {visitor.unchecked()}; "
                    "visit them through the Visitor's goto/click/submit",
                    pytrace=False,
                )
    finally:
        for visitor in visitors:
            visitor.context.close()
        for companion in companions:
            companion.close()
