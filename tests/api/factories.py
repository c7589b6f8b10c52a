"""API keys, made through the services the settings pages use. The secret is kept on the
object as `raw` (the service returns it once)."""

import factory

from accounts.models import Role
from api.models import (
    ApiKey,
    KeyAccess,
    ResellerApiKey,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from api.services import api_key_create, reseller_api_key_create
from api.webhooks import webhook_endpoint_create, webhook_event_record
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerUserFactory,
    UserFactory,
)


class ApiKeyFactory(factory.Factory):
    class Meta:
        model = ApiKey

    membership = factory.SubFactory(MembershipFactory, role=Role.OWNER)
    name = factory.Sequence(lambda n: f"ERP sync {n}")
    access = KeyAccess.WRITE
    expires_at = None

    @classmethod
    def _create(cls, model_class, membership, **kwargs) -> ApiKey:
        key, raw = api_key_create(
            manufacturer=membership.manufacturer, membership=membership, **kwargs
        )
        key.raw = raw
        return key


class ResellerApiKeyFactory(factory.Factory):
    class Meta:
        model = ResellerApiKey

    reseller_membership = factory.SubFactory(ResellerUserFactory)
    name = factory.Sequence(lambda n: f"Shop sync {n}")
    access = KeyAccess.WRITE
    expires_at = None

    @classmethod
    def _create(cls, model_class, reseller_membership, **kwargs) -> ResellerApiKey:
        key, raw = reseller_api_key_create(
            reseller=reseller_membership.reseller, user=reseller_membership.user, **kwargs
        )
        key.raw = raw
        return key


class WebhookEndpointFactory(factory.Factory):
    class Meta:
        model = WebhookEndpoint

    manufacturer = factory.SubFactory(ManufacturerFactory)
    created_by = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://erp{n}.example.test/hooks")
    events = factory.LazyFunction(lambda: list(WebhookEvent.values))
    description = ""

    @classmethod
    def _create(cls, model_class, **kwargs) -> WebhookEndpoint:
        return webhook_endpoint_create(**kwargs)


class WebhookDeliveryFactory(factory.Factory):
    """An order-created event queued for a new endpoint of the tenant."""

    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)

    @classmethod
    def _create(cls, model_class, endpoint) -> WebhookDelivery:
        return webhook_event_record(
            manufacturer=endpoint.manufacturer,
            event_type=WebhookEvent.ORDER_CREATED,
            data={"order": {"number": "TEST-1"}},
        )[-1]
