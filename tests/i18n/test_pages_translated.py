"""Each role's main pages, in Italian, Spanish and French, show no English in their main
content: every text of the English page that is still there word for word is a finding,
except the data (names, codes, emails), numbers and the words every language shares.

These read the real catalogues (compiled by the session fixture): they fail until the three
translations are complete."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.i18n import language_choices
from accounts.models import User
from core.catalogues import compile_catalogues
from tests.accounts.factories import ResellerUserFactory
from tests.accounts.test_dashboards import channel  # noqa: F401 - the fixture
from tests.i18n.visible_text import english_left
from tests.test_factories import project_model_labels

LANGUAGES = ["it", "es", "fr"]
# Words a language writes exactly as English does: not a missing translation.
SAME_AS_ENGLISH = {
    "it": {"Emoji", "Email", "Partner", "Account", "Dashboard", "Feedback", "Standard", "Password"},
    "es": {"Emoji", "General", "Total", "Normal", "Final", "Error", "Local"},
    "fr": {
        "Date", "Type", "Consultant", "International", "Qualification", "Qualifications",
        "Commissions", "Messages", "Communications", "Notifications", "Total", "Client",
        "Clients", "Statut", "Code", "Description", "Actions", "Action", "Message", "Options",
        "Global", "Distribution", "Installation", "Service", "Services", "Catalogue", "Question",
        "Incidents", "Incident", "Satisfaction", "Payable", "Promotion",
    },
}  # fmt: skip
STAFF_PAGES = [
    "accounts_manufacturer:dashboard",
    "resellers_manufacturer:directory",
    "orders_manufacturer:list",
    "catalog_manufacturer:products",
    "qualifications_manufacturer:list",
    "communications_manufacturer:inbox",
    "commissions_manufacturer:overview",
    "salesreps_manufacturer:overview",
    "partners_manufacturer:leaderboard",
    "partners_manufacturer:announcements",
    "partners_manufacturer:announcement_create",
    "accounts_manufacturer:team",
]
REP_PAGES = [
    "accounts_manufacturer:dashboard",
    "resellers_manufacturer:directory",
    "orders_manufacturer:list",
    "salesreps_manufacturer:my_sales",
]
RESELLER_PAGES = ["accounts_reseller:dashboard", "orders_reseller:all_orders"]
PUBLIC_PAGES = ["accounts_public:login", "accounts_public:password_reset"]


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    for locale_dir in settings.LOCALE_PATHS:
        if Path(locale_dir).exists():
            compile_catalogues(Path(locale_dir))


def data_strings() -> set[str]:
    """Every text the test's rows hold: what a page shows of them is not the portal's words."""
    found: set[str] = set()
    for label in project_model_labels():
        model = apps.get_model(label)
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        manager = getattr(model.objects, "with_scopes_disabled", None)
        queryset = manager() if manager else model._default_manager.all()
        for row in queryset.values_list(*fields)[:2000]:
            found.update(str(value) for value in row if value)
    found.update(user.display_name for user in User.objects.all())
    return found


def speak(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)


def findings(client: Client, user: User | None, url: str, language: str) -> list[str]:
    if user is not None:
        speak(user, "en")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200, url
    if user is not None:
        speak(user, language)
    translated = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert translated.status_code == 200, url
    assert translated["Content-Language"].startswith(language)
    # The language menu names each language in itself, the same on every page.
    names = {name for _code, name in language_choices()}
    return english_left(
        english.content.decode(),
        translated.content.decode(),
        data=data_strings() | names,
        allowed=SAME_AS_ENGLISH[language],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_have_no_english_left(client_for, manufacturer, owner, channel, language):  # noqa: F811
    client = client_for(owner)
    left = {}
    for name in STAFF_PAGES:
        url = reverse(name, kwargs={"manufacturer_slug": manufacturer.slug})
        if found := findings(client, owner, url, language):
            left[name] = found
    assert not left, left


@pytest.mark.parametrize("language", LANGUAGES)
def test_sales_rep_pages_have_no_english_left(client_for, manufacturer, seller, channel, language):  # noqa: F811
    client = client_for(seller)
    left = {}
    for name in REP_PAGES:
        url = reverse(name, kwargs={"manufacturer_slug": manufacturer.slug})
        if found := findings(client, seller, url, language):
            left[name] = found
    assert not left, left


@pytest.mark.parametrize("language", LANGUAGES)
def test_reseller_pages_have_no_english_left(client_for, channel, language):  # noqa: F811
    reseller = channel["alpha"].reseller
    user = ResellerUserFactory(reseller=reseller).user
    client = client_for(user)
    left = {}
    for name in RESELLER_PAGES:
        url = reverse(name, kwargs={"reseller_public_id": reseller.public_id})
        if found := findings(client, user, url, language):
            left[name] = found
    assert not left, left


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_english_left(db, language):
    left = {}
    for name in PUBLIC_PAGES:
        if found := findings(Client(), None, reverse(name), language):
            left[name] = found
    assert not left, left


def test_the_comparison_finds_english_and_ignores_data():
    english = (
        "<main><h1>Orders</h1><p>Soundhouse GmbH</p><p>12 open</p><a title='Export'>x</a></main>"
    )
    italian = (
        "<main><h1>Ordini</h1><p>Soundhouse GmbH</p><p>12 open</p><a title='Esporta'>x</a></main>"
    )
    assert english_left(english, italian, data={"Soundhouse GmbH"}) == ["12 open"]
    assert english_left(english, english.replace("open", "aperti"), data={"Soundhouse GmbH"}) == [
        "Export",
        "Orders",
    ]
