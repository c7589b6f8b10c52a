"""Webhook URLs cannot reach inside the portal's network: private, loopback, link-local
(cloud metadata) and other non-public addresses are refused when the URL is saved and again
when a delivery is sent, after DNS resolution; the request goes to the address checked."""

import socket

import pytest

from api import ssrf
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.webhooks import WebhookRefused, webhook_deliver, webhook_endpoint_create
from tests.api.test_webhooks import register
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

REFUSED_URLS = [
    "https://127.0.0.1/hooks",
    "https://127.1.2.3:8443/hooks",
    "https://10.0.0.5/hooks",
    "https://172.16.9.1/hooks",
    "https://192.168.1.20/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://[::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[fd00:ec2::254]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://localhost/hooks",
    "https://erp.localhost/hooks",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://intranet/hooks",
    "https://user:secret@erp.example.test/hooks",
]


def fake_dns(monkeypatch, answers):
    """Resolve every name to `answers` (a list, or a callable returning one)."""

    def getaddrinfo(host, port, *args, **kwargs):
        addresses = answers() if callable(answers) else answers
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(ssrf.socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_a_non_public_address_is_refused_at_save_time(url, tenant):
    with pytest.raises(WebhookRefused):
        register(tenant, url)
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_refused(tenant, monkeypatch):
    fake_dns(monkeypatch, ["203.0.113.7", "10.1.2.3"])  # one bad answer is enough

    with pytest.raises(WebhookRefused):
        register(tenant, "https://erp.example.test/hooks")


def test_a_public_address_is_accepted(tenant, monkeypatch):
    fake_dns(monkeypatch, ["93.184.215.14"])

    assert register(tenant, "https://erp.example.test/hooks").pk


def test_the_page_shows_the_refusal_and_saves_nothing(tenant, client_for):
    response = client_for(tenant.owner.user).post(
        f"/m/{tenant.manufacturer.slug}/webhooks/",
        {"url": "https://169.254.169.254/latest/", "events": ["order.created"]},
    )

    assert response.status_code == 400
    assert "not on the public internet" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_later_resolves_inside_is_not_called(tenant, monkeypatch, settings):
    """DNS rebinding: public when saved, loopback when sent. Nothing is sent."""
    answers = ["93.184.215.14"]
    fake_dns(monkeypatch, lambda: answers)
    register(tenant, "https://erp.example.test/hooks", [WebhookEvent.ORDER_CREATED])
    make_order(tenant.partnership, tenant.products[:1])
    answers[:] = ["127.0.0.1"]
    connected = []
    monkeypatch.setattr("urllib3.HTTPSConnectionPool.urlopen", lambda *a, **k: connected.append(a))

    assert webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk) is False

    delivery = WebhookDelivery.objects.get()
    assert connected == []
    assert delivery.status == "pending" and delivery.response_status is None
    assert "not on the public internet" in delivery.last_error


def test_the_request_goes_to_the_address_checked_with_the_name_for_tls(tenant, monkeypatch):
    fake_dns(monkeypatch, ["93.184.215.14"])
    register(tenant, "https://erp.example.test:8443/in?x=1", [WebhookEvent.ORDER_CREATED])
    make_order(tenant.partnership, tenant.products[:1])
    seen = {}

    class Answer:
        status = 204

        def read(self, *args, **kwargs):
            return b""

        def release_conn(self):
            pass

    def urlopen(pool, method, path, **kwargs):
        seen.update(
            host=pool.host, port=pool.port, path=path, sni=pool.conn_kw["server_hostname"],
            host_header=kwargs["headers"]["Host"], redirect=kwargs["redirect"],
        )  # fmt: skip
        return Answer()

    monkeypatch.setattr("urllib3.HTTPSConnectionPool.urlopen", urlopen)

    assert webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk) is True
    assert seen == {
        "host": "93.184.215.14", "port": 8443, "path": "/in?x=1", "sni": "erp.example.test",
        "host_header": "erp.example.test:8443", "redirect": False,
    }  # fmt: skip


def test_an_endpoint_saved_while_private_addresses_were_allowed_is_not_called_after(
    tenant, settings, monkeypatch
):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    webhook_endpoint_create(
        manufacturer=tenant.manufacturer, created_by=tenant.owner.user,
        url="http://127.0.0.1:9/hooks", events=[WebhookEvent.ORDER_CREATED],
    )  # fmt: skip
    make_order(tenant.partnership, tenant.products[:1])
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    assert webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk) is False
    assert "not on the public internet" in WebhookDelivery.objects.get().last_error


def test_production_settings_never_allow_http_or_private_addresses(tmp_path):
    from tests.test_settings import PRODUCTION, evaluate

    asked = {"WEBHOOK_ALLOW_HTTP": "true", "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}
    shown = "[s.WEBHOOK_ALLOW_HTTP, s.WEBHOOK_ALLOW_PRIVATE_ADDRESSES]"

    assert evaluate(tmp_path, shown, **asked) == [True, True]
    assert evaluate(tmp_path, shown, **PRODUCTION, **asked) == [False, False]
