"""Money in the manufacturer's currency, written the reader's way (Babel's CLDR data); dates
and times in the reader's locale and time zone."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from accounts.i18n import override_for, user_language_code
from core.formatting import money, number

AMOUNT = Decimal("1234.56")


def plain(text: str) -> str:
    """CLDR separates with no-break and narrow no-break spaces; compare with plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("it", "EUR", "1.234,56 €"),
        ("en", "USD", "$1,234.56"),
        ("en", "EUR", "€1,234.56"),
        ("fr-ca", "CAD", "1 234,56 $"),
        ("fr", "EUR", "1 234,56 €"),
        ("es", "EUR", "1.234,56 €"),
        ("es-mx", "MXN", "$1,234.56"),
    ],
)
def test_money_follows_the_locale(language, currency, expected):
    with translation.override(language):
        assert plain(money(AMOUNT, currency)) == expected


def test_the_money_filter_is_the_same_formatting():
    template = Template("{% load portal %}{{ amount|money:'EUR' }}|{{ missing|money:'EUR' }}")
    with translation.override("it"):
        assert plain(template.render(Context({"amount": AMOUNT}))) == "1.234,56 €|—"


@pytest.mark.parametrize("value", [None, "", "abc", "NaN-ish", object()])
def test_money_of_nothing_or_junk_is_a_dash_not_an_error(value):
    assert money(value, "EUR") == "—"


def test_money_without_a_currency_is_a_local_number_and_junk_currency_is_ignored():
    with translation.override("it"):
        assert money(AMOUNT) == "1.234,56"
        assert money(AMOUNT, "€€€€") == "1.234,56"
        assert number(Decimal("12345.678"), 1) == "12.345,7"


def test_an_unknown_language_formats_the_default_way():
    with translation.override("xx"):
        assert money(AMOUNT, "EUR") == "€1,234.56"


@pytest.mark.parametrize(
    ("language", "region", "expected"),
    [("fr", "CA", "fr-ca"), ("it", "IT", "it"), ("it", "ZZ", "it"), ("xx", "ZZ", "en")],
)
def test_the_activated_language_joins_a_known_region(language, region, expected):
    assert user_language_code(language, region) == expected


class Reader:
    def __init__(self, language: str, region: str, time_zone: str) -> None:
        self.language, self.region, self.time_zone = language, region, time_zone


MOMENT = datetime(2026, 3, 4, 17, 30, tzinfo=ZoneInfo("UTC"))
DATES = Template("{{ when|local_date }} {{ when|local_time }}")


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        (Reader("en", "", "UTC"), "March 4, 2026 5:30 PM"),
        # CLDR writes month names in lower case where the language does (Django's Italian and
        # Mexican month names are capitalised: "04 Marzo 2026").
        (Reader("it", "", "Europe/Rome"), "4 marzo 2026 18:30"),
        (Reader("es", "MX", "America/Mexico_City"), "4 de marzo de 2026 11:30 a.m."),
        # Quebec's "12 h 30".
        (Reader("fr", "CA", "America/Toronto"), "4 mars 2026 12 h 30"),
    ],
)
def test_dates_and_times_follow_the_readers_locale_and_time_zone(reader, expected):
    with override_for(reader):
        assert plain(DATES.render(Context({"when": MOMENT}))) == expected
    assert timezone.get_current_timezone_name() == "UTC"


@pytest.mark.parametrize(
    ("language", "long", "medium", "month"),
    [
        ("en", "May 3, 2025", "May 3, 2025", "May 2025"),
        ("it", "3 maggio 2025", "3 mag 2025", "maggio 2025"),
        ("es", "3 de mayo de 2025", "3 may 2025", "mayo de 2025"),
        ("fr", "3 mai 2025", "3 mai 2025", "mai 2025"),
    ],
)
def test_dates_are_written_as_cldr_writes_them(language, long, medium, month):
    day = datetime(2025, 5, 3, 9, 0, tzinfo=ZoneInfo("UTC"))
    template = Template("{{ d|local_date }}|{{ d|local_date:'medium' }}|{{ d|local_month }}")
    with translation.override(language):
        assert plain(template.render(Context({"d": day.date()}))) == f"{long}|{medium}|{month}"


def test_a_moment_is_dated_in_the_readers_time_zone():
    late = datetime(2025, 5, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    with override_for(Reader("it", "", "Europe/Rome")):
        assert plain(Template("{{ d|local_datetime }}").render(Context({"d": late}))) == (
            "4 maggio 2025, 01:30"
        )


def test_no_template_formats_a_date_with_djangos_month_names():
    from pathlib import Path

    from django.conf import settings

    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
        if re.search(r"\|date:(?![\"']?(?:c|Y-m-d)[\"'])", path.read_text())
    ]
    assert offenders == []
