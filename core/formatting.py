"""Numbers and money in the active locale, through Babel's CLDR data.

The locale is the active Django language (`translation.get_language()`), with a region when
one is active: `fr-ca` formats as Babel's `fr_CA`. A request activates the user's (accounts
middleware), an email its recipient's (`translation.override`), so every caller formats for the
person who reads, without passing a locale around.
"""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError, localedata
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import timezone, translation

EMPTY = "—"


@lru_cache(maxsize=64)
def babel_locale(language: str | None) -> Locale:
    """Babel's locale for a Django language code (`fr-ca`, `it`); English when unknown."""
    code = translation.to_locale(language or settings.LANGUAGE_CODE)
    for candidate in (code, code.split("_")[0], translation.to_locale(settings.LANGUAGE_CODE)):
        if localedata.exists(candidate):
            try:
                return Locale.parse(candidate)
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse("en")


def active_locale() -> Locale:
    return babel_locale(translation.get_language())


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value: object, currency: str = "") -> str:
    """`1.234,56 €` in Italian, `$1,234.56` in English, `1 234,56 $` in Canadian French.

    Without a currency the amount is a number with two decimals, grouped the local way."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    locale = active_locale()
    code = (currency or "").strip().upper()
    if len(code) == 3 and code.isalpha():
        return format_currency(amount, code, locale=locale)
    return format_decimal(amount, format="#,##0.00", locale=locale)


def number(value: object, decimals: int = 0) -> str:
    """A number grouped and with a decimal sign the local way, rounded to `decimals`."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(amount, format=pattern, locale=active_locale())


def _aware_local(value):
    """A datetime in the active time zone (naive ones are taken as UTC, like Django)."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return timezone.localtime(value)


def local_date(value: object, length: str = "long") -> str:
    """A date as CLDR writes it in the reader's locale: `3 maggio 2025`, `May 3, 2025`,
    `3 de mayo de 2025`, `3 mai 2025` (Django's Italian and Mexican month names are
    capitalised, which CLDR does not do). A datetime is first moved to the reader's zone."""
    if isinstance(value, datetime):
        value = _aware_local(value).date()
    if not isinstance(value, date):
        return ""
    return format_date(value, format=length, locale=active_locale())


def local_datetime(value: object, length: str = "long") -> str:
    """A moment in the reader's time zone and locale: the date at `length`, the time short."""
    if not isinstance(value, datetime):
        return local_date(value, length)
    locale = active_locale()
    moment = _aware_local(value)
    day = format_date(moment.date(), format=length, locale=locale)
    time = format_time(moment.time(), format="short", locale=locale)
    return locale.datetime_formats[length if length != "long" else "medium"].format(time, day)


def local_time(value: object) -> str:
    if not isinstance(value, datetime):
        return ""
    return format_time(_aware_local(value).time(), format="short", locale=active_locale())


def local_month(value: object, length: str = "long") -> str:
    """A month of a year: `maggio 2025`, `May 2025` (`short`: `mag 2025`)."""
    if isinstance(value, datetime):
        value = _aware_local(value).date()
    if not isinstance(value, date):
        return ""
    skeleton = "yMMMM" if length == "long" else "yMMM"
    return format_skeleton(skeleton, value, locale=active_locale())
