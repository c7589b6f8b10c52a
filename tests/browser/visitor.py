"""A browser page that runs axe-core after every navigation and action, and remembers them."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

from tests.accounts.factories import DEFAULT_PASSWORD

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def url_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return urlsplit(url).path


class AxeViolation(AssertionError):
    pass


class CspViolation(AssertionError):
    pass


class Visitor:
    """Drives one page; `goto`, `click`, `submit` and `check` run axe on what they land on."""

    def __init__(
        self, context, base_url: str, *, javascript: bool = True, axe_context=None
    ) -> None:
        self.context = context
        self.javascript = javascript
        # axe is a script: with scripts off, it checks the same address, under the same
        # session, in a companion page that runs scripts.
        self.axe_page = None if javascript else axe_context.new_page()
        self.base_url = base_url
        self.page = context.new_page()
        self.loads: list[str] = []
        self.checked: set[str] = set()
        self.visited: list[str] = []
        self.page.on("load", lambda page: self.loads.append(page.url))
        # What the Content-Security-Policy blocked: a page that needs it is broken.
        self.csp_violations: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    # --- navigation -----------------------------------------------------------------------

    def goto(self, path: str):
        response = self.page.goto(path)
        self.check()
        return response

    def click(self, target, **options) -> None:
        """Click a locator (or the role=link/button with this name) and check the result."""
        locator = self._locator(target)
        locator.click(**options)
        self.check()

    def submit(self, name: str) -> None:
        """Press the button with this accessible name."""
        self.click(self.page.get_by_role("button", name=name, exact=True))

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> None:
        self.goto("/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.submit("Log in")

    # --- accessibility --------------------------------------------------------------------

    def check(self) -> None:
        """Let the page settle, then fail on any serious or critical axe violation."""
        self.page.wait_for_load_state()
        if self.javascript:
            # A selector, not wait_for_function: the CSP forbids the eval that one needs.
            self.page.locator(".htmx-request, .htmx-settling, .htmx-swapping").first.wait_for(
                state="detached"
            )
        results = AXE.run(self._axe_target())
        blocking = [
            violation
            for violation in results.response["violations"]
            if violation.get("impact") in BLOCKING_IMPACTS
        ]
        url = self.page.url
        if self.csp_violations:
            raise CspViolation("\n".join(self.csp_violations))
        self.checked.add(url)
        self.visited.append(url_name(url))
        if blocking:
            lines = [f"axe on {url}:"]
            for violation in blocking:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(f"    {node['target']}" for node in violation["nodes"][:5])
            raise AxeViolation("\n".join(lines))

    def _axe_target(self):
        if self.axe_page is None:
            return self.page
        self.axe_page.context.clear_cookies()
        self.axe_page.context.add_cookies(self.context.cookies())
        self.axe_page.goto(self.page.url)
        return self.axe_page

    def unchecked(self) -> list[str]:
        """Pages that loaded but were never checked by axe."""
        return sorted({url for url in self.loads if url not in self.checked})

    # --- helpers --------------------------------------------------------------------------

    def _locator(self, target):
        if isinstance(target, str):
            return (
                self.page.get_by_role("link", name=target, exact=True)
                .or_(self.page.get_by_role("button", name=target, exact=True))
                .first
            )
        return target
