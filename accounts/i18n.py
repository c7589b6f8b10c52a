"""Who reads in which language, region and time zone.

A user's language (`User.language`, one of settings.LANGUAGES), region (`User.region`, a
country code that picks the local number and date formats: French in Canada) and time zone
(`User.time_zone`). `user_language_code` joins the first two into the Django language that is
activated (`fr-ca`): Django falls back to the `fr` catalogue for the words and uses Babel's
`fr_CA` (core.formatting) and Django's regional formats, where it has them, for the numbers.
"""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from babel import localedata
from babel.core import get_global
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from core.formatting import babel_locale

# `?lang=it` shows one page in another language, for the visit only.
LANGUAGE_QUERY_PARAMETER = "lang"
REGION_LENGTH = 2


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: object) -> str | None:
    """The portal's language for `code` (`it`, `IT-it`, `fr-CA` → `fr`), None when it has none."""
    if not isinstance(code, str) or not code or len(code) > 35:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in language_codes() else None


def region_for(language: str, code: object) -> str:
    """`code` as a region of `language` that the locale data knows (`CA` for French), else ""."""
    if not isinstance(code, str) or len(code) != REGION_LENGTH or not code.isalpha():
        return ""
    region = code.upper()
    if not localedata.exists(f"{language}_{region}"):
        return ""
    # The language's home region (IT for Italian) adds nothing the language does not imply.
    likely = get_global("likely_subtags").get(language, "")
    return "" if likely.endswith(f"_{region}") else region


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_time_zone(name: object) -> bool:
    return isinstance(name, str) and name in time_zone_names()


def user_language_code(language: str, region: str = "") -> str:
    """The Django language to activate: `it`, or `fr-ca` with a region."""
    base = supported_language(language) or settings.LANGUAGE_CODE
    region = region_for(base, region)
    return f"{base}-{region.lower()}" if region else base


def base_language(code: str | None) -> str:
    """`fr-ca` → `fr`; the default language for anything the portal does not speak."""
    return supported_language(code) or settings.LANGUAGE_CODE


def language_from_header(header: str) -> tuple[str, str] | None:
    """The first language of an Accept-Language header the portal speaks, with its region.

    A malformed header (bad weights, junk, too long) counts as no header."""
    try:
        ranked = parse_accept_lang_header(header or "")
    except (ValueError, TypeError):
        return None
    for tag, _weight in ranked:
        language = supported_language(tag)
        if language:
            parts = tag.replace("_", "-").split("-")
            return language, region_for(language, parts[1] if len(parts) > 1 else "")
    return None


def language_from_request(request: HttpRequest) -> tuple[str, str]:
    """What an anonymous visitor reads: the language picked in the top bar (cookie), else the
    browser's (Accept-Language, with its region), else the portal's default."""
    cookie = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    found = language_from_header(request.headers.get("Accept-Language", ""))
    if cookie:
        # The browser's region still says how numbers read (fr-CA), if it is of that language.
        return cookie, found[1] if found and found[0] == cookie else ""
    return found or (settings.LANGUAGE_CODE, "")


def user_locale(user: Any) -> tuple[str, str]:
    """The language code to activate and the time zone of `user`, whatever their rows hold."""
    language = supported_language(getattr(user, "language", "")) or settings.LANGUAGE_CODE
    zone = getattr(user, "time_zone", "")
    code = user_language_code(language, getattr(user, "region", ""))
    return code, zone if valid_time_zone(zone) else settings.TIME_ZONE


@contextmanager
def override_for(user: Any) -> Iterator[None]:
    """Write in `user`'s language, formats and time zone (emails, notifications, workers)."""
    language, zone = user_locale(user) if user is not None else (settings.LANGUAGE_CODE, "")
    with translation.override(language), timezone.override(zone or settings.TIME_ZONE):
        yield


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself (Italiano, Español), as a switcher shows them."""
    return [
        (code, translation.get_language_info(code)["name_local"].capitalize())
        for code in language_codes()
    ]


def region_choices() -> list[tuple[str, str]]:
    """The regions any of the portal's languages has formats for, named in the reader's
    language, sorted by that name."""
    names = babel_locale(translation.get_language()).territories
    regions: set[str] = set()
    for language in language_codes():
        for identifier in localedata.locale_identifiers():
            parts = identifier.split("_")
            if parts[0] == language and len(parts) == 2 and len(parts[1]) == REGION_LENGTH:
                regions.add(parts[1])
    choices = [(code, names.get(code, code)) for code in regions]
    return sorted(choices, key=lambda choice: choice[1])


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


@receiver(user_logged_in, dispatch_uid="accounts.i18n.language_default")
def _language_at_first_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """A user's first login (a sign-up's included) gives them the language they arrived with:
    the one picked in the top bar, else their browser's. Every login path sends this signal
    (password, two-factor step, invitation), so none of them can forget it."""
    if request is None or getattr(user, "language", None) != "":
        return
    from accounts.services import user_locale_default

    language, region = language_from_request(request)
    user_locale_default(user=user, language=language, region=region)
    translation.activate(user_language_code(user.language, user.region))
