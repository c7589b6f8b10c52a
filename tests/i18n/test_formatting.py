"""Money in the manufacturer's currency, written the reader's way (Babel's CLDR data); dates
and times in the reader's locale and time zone."""

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
DATES = Template('{{ when|date:"DATE_FORMAT" }} {{ when|date:"TIME_FORMAT" }}')


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        (Reader("en", "", "UTC"), "March 4, 2026 5:30 p.m."),
        (Reader("it", "", "Europe/Rome"), "04 Marzo 2026 18:30"),
        (Reader("es", "MX", "America/Mexico_City"), "4 de Marzo de 2026 11:30"),
        # Quebec's "12 h 30" (config/formats corrects Django's fr_CA, which showed "12 12 30").
        (Reader("fr", "CA", "America/Toronto"), "4 mars 2026 12 h 30"),
    ],
)
def test_dates_and_times_follow_the_readers_locale_and_time_zone(reader, expected):
    with override_for(reader):
        assert plain(DATES.render(Context({"when": MOMENT}))) == expected
    assert timezone.get_current_timezone_name() == "UTC"
