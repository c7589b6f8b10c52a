"""Each user's language, formats and time zone: chosen on the account page and in the top bar,
defaulting from the browser at the first login, kept across sessions; bad input changes
nothing and shows no error page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

PREFERENCES = reverse("accounts_public:preferences")
SWITCH = reverse("accounts_public:language_switch")
LOGIN = reverse("accounts_public:login")
ORDERS = {"Language and time zone": "Lingua e fuso orario", "Security": "Sicurezza"}


@pytest.fixture
def italian_words(temporary_catalogue):
    temporary_catalogue("it", ORDERS)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_account_page_saves_language_region_and_time_zone(client_for, manager, italian_words):
    client = client_for(manager)
    response = client.post(
        PREFERENCES, {"language": "it", "region": "CH", "time_zone": "Europe/Rome"}
    )
    assert response.status_code == 302
    manager = fresh(manager)
    assert (manager.language, manager.region, manager.time_zone) == ("it", "CH", "Europe/Rome")
    page = client.get(PREFERENCES)
    assert page["Content-Language"] == "it-ch"
    assert "Lingua e fuso orario" in page.content.decode()


@pytest.mark.parametrize(
    "values",
    [
        {"language": "xx", "region": "", "time_zone": "Europe/Rome"},
        {"language": "it-IT" * 20, "region": "", "time_zone": "Europe/Rome"},
        {"language": "it", "region": "ZZZ", "time_zone": "Europe/Rome"},
        {"language": "it", "region": "", "time_zone": "Mars/Olympus_Mons"},
        {"language": "it\x00", "region": "", "time_zone": "Europe/Rome"},
    ],
)
def test_bad_preferences_re_render_with_an_error_and_change_nothing(client_for, manager, values):
    client = client_for(manager)
    before = fresh(manager)
    response = client.post(PREFERENCES, values)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    after = fresh(manager)
    assert (after.language, after.region, after.time_zone) == (
        before.language,
        before.region,
        before.time_zone,
    )


def test_the_account_page_needs_a_login():
    response = Client().get(PREFERENCES)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_top_bar_switch_saves_the_language_and_returns_to_the_page(
    client_for, manager, italian_words
):
    client = client_for(manager)
    response = client.post(SWITCH, {"language": "it", "next": PREFERENCES})
    assert response.status_code == 302
    assert response["Location"] == PREFERENCES
    assert fresh(manager).language == "it"
    assert "Lingua e fuso orario" in client.get(PREFERENCES).content.decode()


def test_the_top_bar_has_a_plain_post_form_with_each_language_named_in_itself(client_for, manager):
    page = client_for(manager).get(PREFERENCES).content.decode()
    assert f'action="{SWITCH}"' in page
    assert 'method="post"' in page
    for name in ("English", "Italiano", "Español", "Français"):
        assert name in page


@pytest.mark.parametrize("language", ["xx", "", "it" * 40, "../../etc", "<script>"])
def test_an_unknown_language_from_the_top_bar_changes_nothing(client_for, manager, language):
    client = client_for(manager)
    client.post(SWITCH, {"language": "fr"})
    response = client.post(SWITCH, {"language": language, "next": PREFERENCES})
    assert response.status_code == 302
    assert response["Location"] == PREFERENCES
    assert fresh(manager).language == "fr"
    assert client.get(PREFERENCES)["Content-Language"] == "fr"


def test_the_switch_follows_no_foreign_next(client_for, manager):
    response = client_for(manager).post(SWITCH, {"language": "it", "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts_public:home")


def test_a_visitor_switches_with_a_cookie_and_the_login_page_follows_it(italian_words):
    client = Client()
    response = client.post(SWITCH, {"language": "it", "next": LOGIN})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    assert client.get(LOGIN)["Content-Language"] == "it"


def test_the_first_login_takes_the_browsers_language_and_region(db):
    user = UserFactory(email="nadia@example.test")
    assert user.language == ""
    client = Client(headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"})
    response = client.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    user = fresh(user)
    assert (user.language, user.region) == ("fr", "CA")


def test_a_later_login_keeps_the_chosen_language_whatever_the_browser(db, italian_words):
    user = UserFactory(email="giulia@example.test")
    first = Client(headers={"accept-language": "it-IT"})
    first.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    first.post(reverse("accounts_public:logout"))
    second = Client(headers={"accept-language": "en-US,en;q=0.9"})
    second.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert fresh(user).language == "it"
    page = second.get(PREFERENCES)
    assert page["Content-Language"] == "it"
    assert "Lingua e fuso orario" in page.content.decode()


@pytest.mark.parametrize(
    "header",
    ["xx;q=abc,,,;;", "en-US;q=2", "*", "\x00\x01", "a" * 600, "it-IT;q=0.5;q=0.9,;=,", "中文"],
)
def test_a_malformed_accept_language_is_ignored(db, header):
    response = Client(headers={"accept-language": header}).get(LOGIN)
    assert response.status_code == 200
    assert response["Content-Language"] in {"en", "it"}


def test_a_malformed_accept_language_at_the_first_login_gives_the_default(db):
    user = UserFactory(email="ada@example.test")
    client = Client(headers={"accept-language": "xx;q=abc,,,"})
    client.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert fresh(user).language == settings.LANGUAGE_CODE


@pytest.mark.parametrize("code", ["xx", "../it", "it" * 30, ""])
def test_an_unknown_language_in_the_url_falls_back_to_the_users(client_for, manager, code):
    client = client_for(manager)
    client.post(SWITCH, {"language": "es"})
    response = client.get(PREFERENCES, {"lang": code})
    assert response.status_code == 200
    assert response["Content-Language"] == "es"


def test_a_known_language_in_the_url_shows_that_page_only(client_for, manager, italian_words):
    client = client_for(manager)
    response = client.get(PREFERENCES, {"lang": "it"})
    assert response["Content-Language"] == "it"
    assert client.get(PREFERENCES)["Content-Language"] == "en"
    assert fresh(manager).language == "en"


def test_two_users_each_read_their_own_language(client_for, manager, owner, italian_words):
    italian, english = client_for(manager), client_for(owner)
    italian.post(SWITCH, {"language": "it"})
    english.post(SWITCH, {"language": "en"})
    assert "Lingua e fuso orario" in italian.get(PREFERENCES).content.decode()
    assert "Language and time zone" in english.get(PREFERENCES).content.decode()


@pytest.mark.parametrize(
    ("zone", "expected"), [("Europe/Rome", "Europe/Rome"), ("Bogus/Zone", settings.TIME_ZONE)]
)
def test_each_request_runs_in_the_users_time_zone_and_leaves_none_behind(
    rf, manager, zone, expected
):
    from django.utils import timezone

    from accounts.middleware import UserLocaleMiddleware

    # A bogus zone can only come from a raw UPDATE (the form refuses it): it reads as UTC.
    User.objects.filter(pk=manager.pk).update(time_zone=zone, language="it")
    seen = {}

    def view(request):
        from django.http import HttpResponse
        from django.utils import translation

        seen["zone"] = timezone.get_current_timezone_name()
        seen["language"] = translation.get_language()
        return HttpResponse()

    request = rf.get("/")
    request.user = fresh(manager)
    UserLocaleMiddleware(view)(request)
    assert seen == {"zone": expected, "language": "it"}
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
