"""Error pages: friendly, and the 500 page renders even with nothing to lean on."""

from django.test import RequestFactory
from django.urls import get_resolver


def test_unknown_url_renders_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert "We could not find that page" in response.text


def test_unknown_url_for_logged_in_user_renders_friendly_404(client_for, manager):
    response = client_for(manager).get("/m/acme/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.text


def test_handler500_renders():
    handler = get_resolver().resolve_error_handler(500)

    response = handler(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
