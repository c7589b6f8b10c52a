"""Every template's user-visible text goes through a translation tag."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.template_scan import scan_directory, scan_source

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_shows_text_outside_translation_tags() -> None:
    findings = scan_directory(TEMPLATES)
    assert not findings, "Wrap these in {% translate %} or {% blocktranslate %}:\n" + "\n".join(
        map(str, findings)
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Orders</p>", "Orders"),
        ("<p>{{ count }} orders</p>", "orders"),
        ('<a href="#" title="Open the order">{% translate "Open" %}</a>', "title=Open the order"),
        ('<input type="search" placeholder="Search resellers">', "placeholder=Search resellers"),
        ('<nav aria-label="breadcrumb"></nav>', "aria-label=breadcrumb"),
        ('<img src="x.png" alt="Company logo">', "alt=Company logo"),
        ('<input type="submit" value="Save">', "value=Save"),
        ('{% include "includes/page_header.html" with title="Orders" %}', "title=Orders"),
        ('{{ order.note|default:"No note" }}', "default=No note"),
        ("<td>{% if x %}Paid{% else %}{% translate 'Open' %}{% endif %}</td>", "Paid"),
        ("<p>\n\n  Commission\n</p>", "Commission"),
    ],
)
def test_the_scan_finds_text_outside_translation_tags(source: str, expected: str) -> None:
    assert expected in [finding.text for finding in scan_source(source)]


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p>{% translate "Orders" %}</p>',
        "<p>{% blocktranslate count n=n %}{{ n }} order{% plural %}{{ n }} orders"
        "{% endblocktranslate %}</p>",
        '<a title="{% translate "Open the order" %}" href="/m/x/orders/">{{ order.number }}</a>',
        "<p>{{ amount }} € · 42 × 3 — {{ name }}</p>",
        '<input type="hidden" name="next" value="dashboard">',
        '<input type="text" value="{{ form.q.value }}">',
        "{# A note for developers #}<p></p>{% comment %}Also a note{% endcomment %}",
        "<script>const label = 'Not shown as text';</script>"
        "<style>.a::after { content: 'x'; }</style>",
        '{% include "includes/page_header.html" with title=_("Orders") %}',
        '<span class="font-monospace">…/join/{{ token }}/</span>',
        '{% block body_class %}auth{% endblock %}<tr{% if x %} class="table-warning"{% endif %}>',
        '<span class="brand-mark">CP</span>',
        "<kbd>Ctrl K</kbd>",
        '{{ value|date:"Y-m-d" }}{% url "orders:detail" pk=order.pk %}',
    ],
)
def test_the_scan_leaves_translated_and_non_text_alone(source: str) -> None:
    assert scan_source(source) == []


def test_no_colon_follows_a_translate_tag():
    """French writes a no-break space before a colon ("Assigné à :"): the colon belongs to the
    translated text, never after the tag."""
    import re
    from pathlib import Path

    from django.conf import settings

    pattern = re.compile(r"\{%\s*(translate|trans)\s+[\"'][^\"']*[\"'][^%]*%\}\s*:")
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []
