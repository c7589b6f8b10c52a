"""Headers (ASVS 14.4, 8.2.1, 3.4.4): a strict Content-Security-Policy, a Permissions-Policy,
no-store on every logged-in page, export and token page; __Host- cookies in production; the
demo loader refuses production."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Manufacturer
from tests.test_settings import manage


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_every_page_has_a_strict_content_security_policy(client_for, manager, manufacturer):
    for response in (Client().get("/login/"), client_for(manager).get(f"/m/{manufacturer.slug}/")):
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["style-src-elem"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)
INLINE_STYLE_ELEMENT = re.compile(r"<style\b", re.I)


@pytest.mark.parametrize(
    "path",
    [
        "/m/acme/",
        "/m/acme/team/",
        "/m/acme/communications/",
        "/m/acme/resellers/",
        "/account/security/",
    ],
)
def test_pages_need_no_inline_script_or_style_element(client_for, owner, manufacturer, path):
    page = client_for(owner).get(path, follow=True)

    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(page.text)
    assert not INLINE_HANDLER.search(page.text)
    assert not INLINE_STYLE_ELEMENT.search(page.text)
    assert '"allowEval":false' in page.text  # htmx runs without eval


def test_every_response_has_a_permissions_policy(client):
    policy = client.get("/login/")["Permissions-Policy"]

    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "payment=()" in policy


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_logged_in_pages_and_exports_are_not_stored(client_for, manager, manufacturer):
    client = client_for(manager)

    assert no_store(client.get(f"/m/{manufacturer.slug}/"))
    assert no_store(client.get(f"/m/{manufacturer.slug}/team/?format=csv"))
    assert no_store(client.get("/notifications/"))


def test_token_and_login_pages_are_not_stored(client, db):
    assert no_store(client.get("/login/"))
    assert no_store(client.get("/pay/not-a-token/"))
    assert no_store(client.get("/join/not-a-token/"))


def test_production_cookies_are_host_prefixed(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_NAME, "
        "settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE)",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="portal.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
    ]


def test_the_demo_loader_refuses_production(settings, db):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="not loaded on production"):
        call_command("demo_channel")
    assert not Manufacturer.objects.exists()
