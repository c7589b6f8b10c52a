"""The page shell every signed-in page shares: scripts and styles from our own server."""

import re


def script_and_style_sources(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


def test_every_asset_is_served_by_the_portal_itself(client_for, manager, manufacturer):
    html = client_for(manager).get(f"/m/{manufacturer.slug}/").text

    sources = script_and_style_sources(html)
    assert any("htmx-2.min.js" in source for source in sources)
    assert all(source.startswith("/static/") for source in sources), sources


def test_htmx_refusals_are_swapped_in_place_even_in_debug(
    client_for, manager, manufacturer, settings
):
    # django-htmx's debug script would replace the whole page with any 400 answer, but a
    # 400 here carries a refusal that belongs in the card it came from.
    settings.DEBUG = True

    html = client_for(manager).get(f"/m/{manufacturer.slug}/").text

    assert "django-htmx.js" not in html
    assert (
        '"400","swap":true'
        in client_for(manager).get(f"/m/{manufacturer.slug}/communications/").text
    )
