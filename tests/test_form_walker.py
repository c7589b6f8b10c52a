"""Every form of the project, found through the URL configuration, fed hostile input.

The walk (one test, so the two tenants are built once):

1. GET every URL pattern (admin and logout aside) with the ids of tenant A, as a user who
   may use it: tenant A's owner under /m/ and for the user's own pages, tenant A's reseller
   user under /r/, nobody for the public pages (payment, affiliate and invitation links);
   the /m/ pages once more as a sales rep, whose forms differ. Every <form> on every page
   is collected under the URL it submits to, and a GET form (a search, the manual order's
   choice of reseller) is submitted once to collect the forms it leads to.
2. Every page again with hostile query parameters (null bytes in `q`, junk in `page`,
   `sort`, `back`, `next`, `tab`, …): a search box or filter is never a 500.
3. Every form, each time with the valid values its page shows (or plausible ones) and one
   class of fields made hostile: numbers (10¹², 30 digits, 1e308, -1, NaN, Infinity),
   10,000-character text, text with a null byte and other control characters, tenant B's
   ids and 30-digit ids in the choices (and in hidden fields named like one), and junk in
   the hidden fields. A view that takes POST but whose form the walk did not find is
   posted an empty and a junk body.
4. Every URL that names an object, with tenant B's ids under tenant A's prefix: 404.

Nothing may answer 500, and a hostile value in a field a user fills in (a number, a text,
a choice) must change no row: every request runs in a savepoint that is rolled back, so
each starts from the same data, and a content hash of the tables is compared with the one
before. Excluded from the hash: sessions (a login writes one) and django-axes' login
attempts (it records every failed login, which is its job).

A new form is walked without being listed here; `SKIPPED_ROUTES` says why the few left out
are. The test is kept under about half a minute: one representative payload per class.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.two_factor_helpers import login_as
from tests.form_walker_world import TenantWorld, build_worlds
from tests.test_tenant_urls import all_patterns

SKIPPED_ROUTES = {
    # Django's admin is for platform operators, with Django's own forms.
    "admin/": "Django's admin",
    # Logging out ends the walker's session; it has no form fields.
    "logout/": "ends the session",
}
ALLOWED_STATUSES = {200, 302, 400, 403, 404, 405, 410}
# A login writes a session, and every request may move its "last seen" (the user's list of
# sessions); axes records every failed login attempt (that is its job).
UNHASHED_TABLES = {"django_session", "accounts_usersession"}
UNHASHED_PREFIXES = ("axes_",)

# 10¹² is past every domain maximum; 30 digits past a 64-bit integer and Decimal's precision.
HUGE_NUMBERS = ["1000000000000", "9" * 30, "1e308", "-1", "NaN", "Infinity"]
OVERFLOW_ID = "9" * 30
LONG_TEXT = "x" * 10_000
CONTROL_TEXT = "Walker\x00\x01\x08\x0b\x1b[2J\u202e\ufeffend"
HOSTILE_QUERY = {
    "q": "Walker\x00 %'\"\\",
    "page": "99999999999999999999",
    "sort": "-\x00password",
    "format": "pdf",
    "tab": "\x00",
    "status": "\x00",
    "type": "\x00",
    "show": "\x00",
    "after": "\x00",
    "before": "99999999999999999999",
    "customer": "\x00",
    "request": "99999999999999999999",
    "partnership": "99999999999999999999",
    "days": "99999999999999999999",
    "from": "9999-99-99",
    "to": "\x00",
    "by": "\x00",
    "back": "admin:index\x00",
    "next": "//evil.example/\x00",
}

TEXT_TYPES = {"text", "search", "tel", "email", "url", "password", "textarea"}
# Passwords have no maximum length (Django's own forms set none, and PBKDF2 hashes a long
# key as cheaply as a short one): a 10,000-character one is a valid password.
LONG_TEXT_TYPES = TEXT_TYPES - {"password"}
NUMBER_TYPES = {"number", "range"}
CHOICE_TYPES = {"select", "radio"}


# --- the forms a page shows ----------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "textarea" or "select"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str  # the path it submits to
    htmx: bool
    fields: list[Field] = field(default_factory=list)
    user: User | None = None  # who was shown it

    def signature(self) -> tuple:
        return (self.method, self.action, tuple(sorted((f.name, f.kind) for f in self.fields)))


class FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page_path
            method = "post" if "hx-post" in a else (a.get("method") or "get").lower()
            self._form = Form(
                method=method,
                action=urlsplit(action).path or self.page_path,
                htmx="hx-post" in a or "hx-get" in a,
            )
            self.forms.append(self._form)
            return
        form = self._form
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.selected.append(value)
            return
        if form is None or a.get("name") == "csrfmiddlewaretoken" or "disabled" in a:
            return
        if tag == "button" and a.get("type", "submit") == "submit":
            form.fields.append(Field(a.get("name", ""), "submit", value=a.get("value", "")))
        if not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            form.fields.append(
                Field(a["name"], kind, value=a.get("value", ""), checked="checked" in a)
            )
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            form.fields.append(self._select)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


# --- payloads ------------------------------------------------------------------------------


def plausible(f: Field, world: TenantWorld) -> str:
    """A valid-looking value for an empty field, so a hostile one is what the form judges."""
    if "sku" in f.name:
        return world.product.sku
    now = timezone.localtime()
    return {
        "email": "walker@example.test",
        "url": "https://walker.example",
        "number": "1",
        "date": now.date().isoformat(),
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "password": DEFAULT_PASSWORD,
        "tel": "+49 40 123456",
        "textarea": "A line written by the form walker.",
    }.get(f.kind, f"Walker {f.name}")


def baseline(form: Form, world: TenantWorld) -> dict[str, list[str]]:
    data: dict[str, list[str]] = defaultdict(list)
    submits = [f for f in form.fields if f.kind == "submit"]
    radios_done: set[str] = set()
    for f in form.fields:
        if f.kind in {"submit", "reset", "button", "image", "file"}:
            continue
        if f.kind == "checkbox":
            if f.checked:
                data[f.name].append(f.value or "on")
        elif f.kind == "radio":
            if f.name in radios_done:
                continue
            group = [r for r in form.fields if r.name == f.name and r.kind == "radio"]
            chosen = next((r for r in group if r.checked), group[0])
            data[f.name].append(chosen.value)
            radios_done.add(f.name)
        elif f.kind == "select":
            if f.selected and any(f.selected):
                data[f.name].extend(f.selected)
            elif not f.multiple:
                data[f.name].append(next((o for o in f.options if o), ""))
        elif f.kind == "hidden":
            data[f.name].append(f.value)
        else:
            data[f.name].append(f.value.strip() or plausible(f, world))
    if len(submits) == 1 and submits[0].name:  # the one way to send the form
        data[submits[0].name].append(submits[0].value)
    return dict(data)


Payload = tuple[str, dict[str, list[str]], bool]


def hostile_payloads(form: Form, world: TenantWorld, foreign: TenantWorld) -> list[Payload]:
    """(label, data, must_change_nothing) for every class of hostile value the form has.

    Each payload is the form's valid values with one class of fields replaced: what the
    form then judges is the hostile value alone."""
    base = baseline(form, world)

    def names(kinds: set[str]) -> list[str]:
        return sorted({f.name for f in form.fields if f.kind in kinds})

    def variant(values: dict[str, str]) -> dict[str, list[str]]:
        return {**base, **{name: [value] for name, value in values.items()}}

    payloads: list[Payload] = []
    numbers, texts, choices = names(NUMBER_TYPES), names(TEXT_TYPES), names(CHOICE_TYPES)
    long_texts, hidden = names(LONG_TEXT_TYPES), names({"hidden"})
    for number in HUGE_NUMBERS if numbers else []:
        payloads.append((f"numbers={number}", variant(dict.fromkeys(numbers, number)), True))
    if long_texts:
        data = variant(dict.fromkeys(long_texts, LONG_TEXT))
        payloads.append(("text=10,000 characters", data, True))
    if texts:
        data = variant(dict.fromkeys(texts, CONTROL_TEXT))
        payloads.append(("text=control characters", data, True))
    # Ids travel in choices, and in hidden fields named after what they choose (the manual
    # order's `partnership`). A formset's `lines-0-product` is a `product` too.
    ids = foreign.choice_ids()
    id_fields = choices + [n for n in hidden if n.rsplit("-", 1)[-1] in ids]
    if id_fields:
        foreign_ids = {n: str(ids.get(n.rsplit("-", 1)[-1], 987654321)) for n in id_fields}
        payloads.append(("ids=tenant B's", variant(foreign_ids), True))
        payloads.append(("ids=30 digits", variant(dict.fromkeys(id_fields, OVERFLOW_ID)), True))
    if hidden:
        payloads.append(("hidden=junk", variant(dict.fromkeys(hidden, CONTROL_TEXT)), False))
    return payloads


# --- the walk ------------------------------------------------------------------------------


def concrete(route: str, kwargs: dict[str, object], token: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(2)
        return str(token if name == "token" else kwargs[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def tenant_kwarg(route: str) -> str | None:
    if route.startswith("m/"):
        return "manufacturer_slug"
    if route.startswith("r/"):
        return "reseller_public_id"
    return None


def user_for(path: str, world: TenantWorld) -> User | None:
    if path.startswith("/r/"):
        return world.reseller_user
    if path.startswith(("/m/", "/notifications/", "/password/change/", "/account/")) or path == "/":
        return world.owner
    return None  # payment, affiliate, invitation and login pages are public


def table_hashes() -> dict[str, str]:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and model._meta.db_table not in UNHASHED_TABLES
        and not model._meta.db_table.startswith(UNHASHED_PREFIXES)
    )
    quote = connection.ops.quote_name
    # Table names come from the model registry, quoted.
    hash_of = "(SELECT md5(coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '')) "
    parts = [hash_of + f"FROM {quote(table)} t)" for table in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


class Walker:
    def __init__(self, world: TenantWorld, foreign: TenantWorld) -> None:
        self.world, self.foreign = world, foreign
        self.clients: dict[int | None, Client] = {}
        for user in (world.owner, world.seller, world.reseller_user, None):
            self.client(user)  # logging in writes last_login: before the hashes are taken
        self.findings: list[str] = []
        self.requests = 0
        self.forms: dict[tuple, Form] = {}
        self.before = table_hashes()

    def client(self, user: User | None) -> Client:
        key = user.pk if user else None
        if key not in self.clients:
            client = Client()
            if user is not None:
                login_as(client, user)
            self.clients[key] = client
        return self.clients[key]

    def send(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        label: str,
        user: User | str | None = "default",
        htmx: bool = False,
        must_change_nothing: bool = False,
        expect: set[int] | None = None,
    ) -> Any:
        """One request in a savepoint that is rolled back; a 500 or a write is a finding.

        `user` is the one logged in, by default the one `user_for` picks for the path."""
        if isinstance(user, str):
            user = user_for(path, self.world)
        client = self.client(user)
        headers = {"HX-Request": "true"} if htmx else {}
        self.requests += 1
        # A request may cycle the session (a password change does); the rollback drops the
        # new one, so the client gets its cookies of before back, too.
        cookies = client.cookies
        client.cookies = SimpleCookie()
        for key, morsel in cookies.items():
            client.cookies[key] = morsel.value
        savepoint = transaction.savepoint()
        try:
            if method == "get":
                response = client.get(path, data or {}, headers=headers)
            else:
                response = client.post(path, data or {}, headers=headers)
        except Exception as error:  # the test client re-raises what a 500 would hide
            transaction.savepoint_rollback(savepoint)
            client.cookies = cookies
            who = f" as {user.email}" if user is not None else ""
            self.findings.append(f"500 {method.upper()} {path}{who} [{label}]: {error!r}"[:400])
            return None
        try:
            if response.status_code not in (expect or ALLOWED_STATUSES):
                self.findings.append(
                    f"{response.status_code} {method.upper()} {path} [{label}]"
                    + (f", expected {sorted(expect)}" if expect else "")
                )
            if must_change_nothing:
                after = table_hashes()
                changed = sorted(t for t, h in after.items() if self.before[t] != h)
                if changed:
                    self.findings.append(
                        f"write {method.upper()} {path} [{label}] "
                        f"({response.status_code}) changed {changed}"
                    )
        finally:
            transaction.savepoint_rollback(savepoint)
            client.cookies = cookies
        return response


def walk(world: TenantWorld, foreign: TenantWorld) -> Walker:
    walker = Walker(world, foreign)
    routes = [
        (route, view)
        for route, view in all_patterns()
        if not any(route.startswith(skipped) for skipped in SKIPPED_ROUTES)
    ]
    kwargs = world.url_kwargs()
    forms = walker.forms
    post_only: list[str] = []
    get_paths: list[tuple[str, User | None]] = []

    def collect(path: str, response: Any, user: User | None) -> list[Form]:
        if response is None or response.status_code != 200:
            return []
        if "html" not in response.get("Content-Type", ""):
            return []
        parser = FormParser(path)
        parser.feed(response.content.decode())
        found = [f for f in parser.forms if f.fields or f.method == "post"]
        new = [f for f in found if f.signature() not in forms]
        for form in new:
            form.user = user
            forms[form.signature()] = form
        return new

    # 1. every page, and the forms on it; a search or a step form (the manual order's
    # choice of reseller) is submitted once with its values, and the forms it shows are
    # collected too. The manufacturer's pages are walked again as a sales rep, whose
    # forms differ (a rep's new customer goes to their own portfolio).
    visits = [(route, None) for route, _view in routes]
    visits += [(route, world.seller) for route, _view in routes if route.startswith("m/")]
    for route, as_seller in visits:
        path = concrete(route, kwargs, world.token_for(route))
        user = as_seller or user_for(path, world)
        response = walker.send("get", path, label="page", user=user)
        if response is None:
            continue
        if response.status_code == 405:
            post_only.append(path)
            continue
        get_paths.append((path, user))
        for form in collect(path, response, user):
            if form.method == "get":
                data = baseline(form, world)
                shown = walker.send("get", form.action, data, label="get form", user=user)
                collect(form.action, shown, user)

    # 2. hostile query parameters on every page (once: the same view reads them for all)
    for path, user in dict(reversed(get_paths)).items():
        walker.send("get", path, HOSTILE_QUERY, label="hostile query", user=user)

    # 3. every form, one class of hostile values at a time
    posted: set[str] = set()
    for form in forms.values():
        if form.action.startswith(("/admin/", "/logout/")):
            continue
        posted.add(form.action)
        for label, data, must_change_nothing in hostile_payloads(form, world, foreign):
            walker.send(
                form.method,
                form.action,
                data,
                label=label,
                user=form.user,
                htmx=form.htmx and label.startswith(("text=control", "ids")),
                must_change_nothing=must_change_nothing and form.method == "post",
            )
    for path in dict.fromkeys(post_only):
        if path not in posted:
            walker.send("post", path, {}, label="empty body (form not found)")
            walker.send("post", path, {"x\x00": CONTROL_TEXT}, label="junk body")

    # 4. tenant B's ids under tenant A's prefix
    foreign_kwargs = foreign.url_kwargs()
    for route, _view in routes:
        own = tenant_kwarg(route)
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) - {own}
        if own is None or not names:
            continue
        mixed = {**kwargs, **{name: foreign_kwargs[name] for name in names}}
        path = concrete(route, mixed, "")
        response = walker.send("get", path, label="tenant B's ids", expect={404, 405})
        if response is not None and response.status_code == 405:
            walker.send(
                "post", path, {}, label="tenant B's ids", expect={404}, must_change_nothing=True
            )
    return walker


def test_every_form_refuses_hostile_input_without_a_500_or_a_write(db) -> None:
    world, foreign = build_worlds()

    walker = walk(world, foreign)

    posted_to = {form.action for form in walker.forms.values() if form.method == "post"}
    assert walker.requests > 500, "the walk reached the project's pages and forms"
    assert len(posted_to) > 50, sorted(posted_to)
    assert walker.findings == [], (
        f"{len(walker.findings)} of {walker.requests} requests failed "
        f"({sum(f.startswith('500') for f in walker.findings)} answered 500):\n"
        + "\n".join(walker.findings)
    )
