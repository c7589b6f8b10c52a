"""Numbers and money in the active locale, through Babel's CLDR data.

The locale is the active Django language (`translation.get_language()`), with a region when
one is active: `fr-ca` formats as Babel's `fr_CA`. A request activates the user's (accounts
middleware), an email its recipient's (`translation.override`), so every caller formats for the
person who reads, without passing a locale around.
"""

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError, localedata
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import translation

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
