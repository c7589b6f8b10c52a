from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts import i18n
from core import formatting

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, hx_target: str = "") -> str:
    """A column header that sorts by `field`, toggling direction, keeping other filters."""
    query = context["request"].GET.copy()
    current = query.get("sort", "")
    descending = current == field
    query["sort"] = f"-{field}" if descending else field
    query.pop("page", None)
    query.pop("cursor", None)  # a keyset cursor belongs to the sort it was made for
    arrow = ""
    if current == field:
        arrow = " ▲"
    elif current == f"-{field}":
        arrow = " ▼"
    url = "?" + query.urlencode()
    if hx_target:
        return format_html(
            '<a href="{}" hx-get="{}" hx-target="{}" hx-push-url="true" class="sort-link">{}{}</a>',
            url,
            url,
            hx_target,
            label,
            arrow,
        )
    return format_html('<a href="{}" class="sort-link">{}{}</a>', url, label, arrow)


@register.filter
def money(value, currency: str = "") -> str:
    """An amount in `currency`, written the reader's way (core.formatting.money)."""
    return formatting.money(value, currency)


@register.simple_tag
def yes_no(value) -> str:
    return _("Yes") if value else _("No")


@register.simple_tag
def portal_languages() -> dict:
    """The top bar's language menu: each language named in itself, and the one being read."""
    choices = [{"code": code, "name": name} for code, name in i18n.language_choices()]
    return {"choices": choices, "current": i18n.base_language(translation.get_language())}


# Dates through Babel (core.formatting), in the reader's locale and time zone.
@register.filter
def local_date(value, length: str = "long") -> str:
    return formatting.local_date(value, length or "long")


@register.filter
def local_datetime(value, length: str = "long") -> str:
    return formatting.local_datetime(value, length or "long")


@register.filter
def local_time(value) -> str:
    return formatting.local_time(value)


@register.filter
def local_month(value, length: str = "long") -> str:
    return formatting.local_month(value, length or "long")
