"""core.http.safe_next: the one check of `next` before a redirect, and every view that uses it.

The unit tests build requests with RequestFactory (host `testserver`); the view tests post a
`next` that leaves the tenant to each call site and expect its own default instead, and a
`next` inside the tenant to be followed (so the foreign one is ignored, not every one).
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Manufacturer, Reseller, Role
from communications.services.conversations import conversation_start
from core.http import safe_next
from notifications.models import Notification, NotificationKind
from notifications.services import notify
from qualifications.services import qualification_request_create
from tests.accounts.factories import MembershipFactory, ResellerUserFactory
from tests.qualifications.factories import QualificationFactory

ACME = Manufacturer(name="Acme Audio", slug="acme")
RESELLER = Reseller(name="Soundhouse GmbH", public_id="36G8J2Z")

# --- unit: the rules -----------------------------------------------------------------------


def post(next_url: str | None = None, **extra):
    data = {} if next_url is None else {"next": next_url}
    return RequestFactory().post("/m/acme/anything/", data, **extra)


@pytest.mark.parametrize(
    "next_url",
    [
        "/m/acme/",
        "/m/acme/communications/12/",
        "/m/acme/communications/?tab=done&page=2",
        "/m/acme/communications/?q=hello%20world",
        "/m/acme/resellers/36G8J2Z/#qualifications",
    ],
)
def test_a_path_inside_the_tenant_is_followed(next_url):
    assert safe_next(post(next_url), ACME) == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "",
        "//evil.com",
        "//evil.com/m/acme/",
        "///evil.com/m/acme/",
        "https://evil.com/m/acme/",
        "http://testserver/m/acme/",  # even this site's own absolute URL: paths only
        "javascript:alert(1)",
        "m/acme/",
        "?next=/m/acme/",
        "/m/borealis/orders/",
        "/m/acme-other/orders/",  # the slug is a whole segment
        "/m/acme",
        "/r/36G8J2Z/",
        "/notifications/",
        "/m/acme/../borealis/",
        "/m/acme/orders/../../borealis/",
        "/m/acme/./orders/",
        "/m/acme/%2e%2e/borealis/",
        "/m/acme/%2E%2E/borealis/",
        "/m/acme/.%2e/borealis/",
        "/m/acme/%252e%252e/borealis/",  # encoded twice
        "/m/acme/..%2fborealis/",
        "\\\\evil.com",
        "/\\evil.com",
        "/m/acme/\\..\\borealis/",
        "/m/acme/%5c..%5cborealis/",
        "/m/acme/%0a/",
        "/m/acme/\n/",
        "/m/acme/\t/",
        " /m/acme/",
        "/m/acme/ /",
        "/m/acme/" + "x" * 2000,
    ],
)
def test_anything_else_is_refused(next_url):
    assert safe_next(post(next_url), ACME) is None


def test_no_next_is_none():
    assert safe_next(post(), ACME) is None
    assert safe_next(RequestFactory().get("/m/acme/"), ACME) is None


def test_the_query_string_next_counts_and_the_form_field_wins():
    request = RequestFactory().get("/m/acme/x/", {"next": "/m/acme/orders/"})
    assert safe_next(request, ACME) == "/m/acme/orders/"
    request = RequestFactory().post(
        "/m/acme/x/?next=/m/acme/from-query/", {"next": "/m/acme/from-form/"}
    )
    assert safe_next(request, ACME) == "/m/acme/from-form/"
    foreign_form = RequestFactory().post(
        "/m/acme/x/?next=/m/acme/from-query/", {"next": "/m/borealis/"}
    )
    assert safe_next(foreign_form, ACME) is None


def test_the_host_must_be_this_one_on_https_too():
    request = post("https://testserver/m/acme/", secure=True)
    assert safe_next(request, ACME) is None
    assert safe_next(post("/m/acme/orders/", secure=True), ACME) == "/m/acme/orders/"


def test_a_reseller_portal_is_its_own_prefix():
    assert safe_next(post("/r/36G8J2Z/orders/"), RESELLER) == "/r/36G8J2Z/orders/"
    assert safe_next(post("/r/36G8J2Z/m/acme/cart/"), RESELLER) == "/r/36G8J2Z/m/acme/cart/"
    for foreign in ("/r/ZZZZZZZ/orders/", "/m/acme/", "/r/36G8J2Z/../ZZZZZZZ/"):
        assert safe_next(post(foreign), RESELLER) is None


def test_no_tenant_allows_any_plain_path_of_this_site():
    for path in ("/notifications/", "/m/borealis/orders/", "/r/36G8J2Z/"):
        assert safe_next(post(path), None) == path
    for foreign in ("//evil.com", "https://evil.com/", "/\\evil.com", "/m/acme/../x/", ""):
        assert safe_next(post(foreign), None) is None


def test_a_candidate_is_checked_instead_of_next():
    request = post("/m/acme/orders/")
    assert safe_next(request, ACME, candidate="/m/acme/stored/") == "/m/acme/stored/"
    assert safe_next(request, ACME, candidate="//evil.com") is None
    assert safe_next(request, ACME, candidate="") is None  # not a fallback to `next`


def test_the_prefixes_are_where_the_url_conf_puts_the_portals():
    inbox = reverse("communications_manufacturer:inbox", kwargs={"manufacturer_slug": ACME.slug})
    dashboard = reverse(
        "accounts_reseller:dashboard", kwargs={"reseller_public_id": RESELLER.public_id}
    )
    assert inbox.startswith(ACME.portal_path_prefix)
    assert dashboard == RESELLER.portal_path_prefix


# --- views: each call site ignores a foreign `next` ----------------------------------------

HTMX = {"HX-Request": "true"}
LEAVES = [
    "/m/borealis/",  # the other tenant
    "/m/acme/../borealis/",  # passed the old prefix check of the qualifications pages
    "https://evil.com/m/acme/",
]


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"manufacturer_slug": "acme", **kwargs})


@pytest.fixture
def conversation(partnership):
    author = ResellerUserFactory(reseller=partnership.reseller).user
    return conversation_start(
        partnership=partnership, kind="general", subject="", body="In stock?", author=author
    )


@pytest.mark.parametrize("foreign", LEAVES)
def test_communications_action_ignores_a_foreign_next(client_for, manager, conversation, foreign):
    client = client_for(manager)
    url = _url("communications_manufacturer:comment", conversation_id=conversation.pk)
    detail = _url("communications_manufacturer:detail", conversation_id=conversation.pk)
    response = client.post(url, {"body": "called them", "next": foreign})
    assert response.status_code == 302
    assert response["Location"] == detail
    inbox = _url("communications_manufacturer:inbox") + "?tab=done"
    response = client.post(url, {"body": "again", "next": inbox})
    assert response["Location"] == inbox


@pytest.mark.parametrize("foreign", LEAVES)
def test_communications_card_does_not_echo_a_foreign_next(
    client_for, manager, conversation, foreign
):
    response = client_for(manager).post(
        _url("communications_manufacturer:mark_done", conversation_id=conversation.pk),
        {"view": "card", "next": foreign},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="next" value=""' in html
    assert foreign not in html


@pytest.mark.parametrize("foreign", LEAVES)
def test_communications_delete_ignores_a_foreign_next(client_for, owner, conversation, foreign):
    response = client_for(owner).post(
        _url("communications_manufacturer:delete", conversation_id=conversation.pk),
        {"next": foreign},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("communications_manufacturer:inbox")


@pytest.mark.parametrize("foreign", LEAVES)
def test_salesreps_assignment_ignores_a_foreign_next(
    client_for, manager, seller, partnership, foreign
):
    client = client_for(manager)
    url = _url("salesreps_manufacturer:assign", partnership_id=partnership.pk)
    history = _url("salesreps_manufacturer:history", partnership_id=partnership.pk)
    response = client.post(url, {"rep": seller.pk, "next": foreign})
    assert response.status_code == 302
    assert response["Location"] == history
    coverage = _url("salesreps_manufacturer:coverage")
    response = client.post(url, {"rep": seller.pk, "next": coverage})
    assert response["Location"] == coverage


@pytest.mark.parametrize("foreign", LEAVES)
def test_salesreps_panel_does_not_echo_a_foreign_next(
    client_for, manager, seller, partnership, foreign
):
    response = client_for(manager).post(
        _url("salesreps_manufacturer:assign", partnership_id=partnership.pk),
        {"rep": seller.pk, "next": foreign},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert foreign not in response.content.decode()


@pytest.mark.parametrize("foreign", LEAVES)
def test_qualifications_section_ignores_a_foreign_next(client_for, manager, partnership, foreign):
    QualificationFactory(manufacturer=partnership.manufacturer, code="PRO-AV")
    public_id = partnership.reseller.public_id
    client = client_for(manager)
    url = _url("qualifications_manufacturer:grant", public_id=public_id)
    response = client.post(url, {"code": "PRO-AV", "next": foreign})
    assert response.status_code == 302
    assert response["Location"] == _url(
        "qualifications_manufacturer:partnership", public_id=public_id
    )
    profile = _url("resellers_manufacturer:profile", public_id=public_id)
    response = client.post(url, {"code": "PRO-AV", "next": profile})  # refused: already held
    assert response["Location"] == profile


@pytest.mark.parametrize("foreign", LEAVES)
def test_qualification_requests_ignore_a_foreign_next(client_for, manager, partnership, foreign):
    code = QualificationFactory(manufacturer=partnership.manufacturer, code="PRO-AV")
    asked = qualification_request_create(
        partnership=partnership, qualification=code, requested_by=None
    )
    client = client_for(manager)
    url = _url("qualifications_manufacturer:request_decline", request_id=asked.pk)
    response = client.post(url, {"reason": "", "next": foreign})  # refused: no reason
    assert response.status_code == 302
    assert response["Location"] == _url("qualifications_manufacturer:requests")
    all_tab = _url("qualifications_manufacturer:requests") + "?status=all"
    assert client.post(url, {"reason": "", "next": all_tab})["Location"] == all_tab


@pytest.mark.parametrize(
    "stored", ["//evil.com/m/acme/", "https://evil.com/", "/\\evil.com", "javascript:alert(1)"]
)
def test_notifications_open_ignores_a_foreign_link(client_for, manager, manufacturer, stored):
    notify(
        users=[manager],
        manufacturer=manufacturer,
        kind=NotificationKind.ORDER_CREATED,
        title="Order",
        url=stored,
    )
    note = Notification.objects.get(user=manager)
    client = client_for(manager)
    response = client.post(reverse("notifications_public:read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications_public:list")


def test_notifications_open_follows_a_link_to_any_of_the_users_portals(
    client_for, manager, manufacturer, other_manufacturer
):
    MembershipFactory(manufacturer=other_manufacturer, user=manager, role=Role.MANAGER)
    for tenant in (manufacturer, other_manufacturer):
        notify(
            users=[manager],
            manufacturer=tenant,
            kind=NotificationKind.ORDER_CREATED,
            title="Order",
            url=f"/m/{tenant.slug}/orders/",
        )
    client = client_for(manager)
    for note in Notification.objects.filter(user=manager):
        response = client.post(reverse("notifications_public:read", args=[note.pk]), {"open": "1"})
        assert response["Location"] == note.url
