"""The page shell every signed-in page shares: scripts and styles from our own server."""

import re

from django.test import Client


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


def test_every_htmx_request_carries_a_working_csrf_token(manager, manufacturer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    html = client.get(f"/m/{manufacturer.slug}/").text
    token = re.search(r"<body[^>]+hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert token, "the <body> sends the CSRF token with every htmx request"

    refused = client.post("/notifications/read-all/", headers={"HX-Request": "true"})
    assert refused.status_code == 403
    accepted = client.post(
        "/notifications/read-all/",
        headers={"HX-Request": "true", "X-CSRFToken": token.group(1)},
    )
    assert accepted.status_code == 302


def test_a_flash_message_is_shown_once_on_the_next_page(client_for, manager):
    client = client_for(manager)

    page = client.post("/notifications/read-all/", follow=True).text
    assert 'role="alert"' in page
    assert "Nothing was unread." in page
    assert "Nothing was unread." not in client.get("/notifications/").text
