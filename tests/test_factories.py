"""Every model of the project's own apps has a factory, and each factory saves a valid row.

A new model without an entry in FACTORIES fails `test_every_project_model_has_a_factory`.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from tests.accounts.factories import (
    AuditEventFactory,
    ExportJobFactory,
    ManufacturerFactory,
    MembershipFactory,
    RecoveryCodeDeviceFactory,
    RecoveryCodeFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
    UserSessionFactory,
)
from tests.api.factories import (
    ApiKeyFactory,
    ResellerApiKeyFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from tests.assistant.factories import RecentRequestFactory
from tests.catalog.factories import (
    CategoryFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    RetailPriceFactory,
)
from tests.commissions.factories import (
    CommissionEntryFactory,
    CommissionFreeFactory,
    CommissionJobRunFactory,
    CommissionRateFactory,
    CommissionSettingsFactory,
    PartnershipPayoutTermsFactory,
    PayoutBatchFactory,
    PayoutDetailsFactory,
    PayoutItemFactory,
    PayoutRequestFactory,
    WindowExtensionFactory,
)
from tests.communications.factories import (
    AttachmentFactory,
    ConversationFactory,
    ConversationReadFactory,
    MessageFactory,
    SavedViewFactory,
    StaffCommentFactory,
)
from tests.fakepay.factories import FakeCheckoutSessionFactory
from tests.notifications.factories import (
    NotificationFactory,
    NotificationPreferenceFactory,
    OutboxEmailFactory,
)
from tests.orders.factories import (
    CartFactory,
    CartLineFactory,
    OrderFactory,
    OrderLineFactory,
    OrderNoteFactory,
    OrderNumberCounterFactory,
    OrderReturnFactory,
    OrderReturnLineFactory,
    OrderStatusChangeFactory,
    OrderSubmissionFactory,
    OrderTallyFactory,
    PaymentAttemptFactory,
    PaymentFactory,
    PaymentLinkFactory,
    ProcessedWebhookFactory,
    TestProviderChargeFactory,
)
from tests.partners.factories import (
    AnnouncementDeliveryFactory,
    AnnouncementFactory,
    AnnouncementRecipientFactory,
    ExclusiveFactory,
    FollowUpFactory,
    IncidentFactory,
    IncidentStepFactory,
    IncidentThresholdsFactory,
    MeetingFactory,
    OfferAnnouncementFactory,
    OfferAreaFactory,
    OfferFactory,
    OfferItemFactory,
    OfferRecipientFactory,
    OrderRatingFactory,
    PartnerBlockFactory,
    PartnerNoteFactory,
    PartnerTierFactory,
    ScorecardFactory,
    TierChangeFactory,
    TierFactory,
    TierProposalFactory,
)
from tests.qualifications.factories import (
    QualificationFactory,
    QualificationGrantFactory,
    QualificationRequestFactory,
    QualifyingStatusChangeFactory,
)
from tests.resellers.factories import (
    AffiliateLinkFactory,
    AffiliateSignupFactory,
    CustomerInteractionFactory,
    EndCustomerFactory,
    PartnershipFactory,
)
from tests.salesreps.factories import (
    PartnershipGroupObjectPermissionFactory,
    PartnershipUserObjectPermissionFactory,
    PortfolioAssignmentFactory,
    RepInvitationFactory,
)

FACTORIES = {
    "accounts.User": UserFactory,
    "accounts.Manufacturer": ManufacturerFactory,
    "accounts.Reseller": ResellerFactory,
    "accounts.RecoveryCodeDevice": RecoveryCodeDeviceFactory,
    "accounts.RecoveryCode": RecoveryCodeFactory,
    "accounts.UserSession": UserSessionFactory,
    "accounts.AuditEvent": AuditEventFactory,
    "fakepay.FakeCheckoutSession": FakeCheckoutSessionFactory,
    "orders.ProcessedWebhook": ProcessedWebhookFactory,
    "accounts.ManufacturerMembership": MembershipFactory,
    "accounts.ResellerMembership": ResellerUserFactory,
    "accounts.ExportJob": ExportJobFactory,
    "notifications.OutboxEmail": OutboxEmailFactory,
    "notifications.NotificationPreference": NotificationPreferenceFactory,
    "notifications.Notification": NotificationFactory,
    "catalog.Category": CategoryFactory,
    "catalog.Product": ProductFactory,
    "catalog.PriceList": PriceListFactory,
    "catalog.PriceListItem": PriceListItemFactory,
    "catalog.RetailPrice": RetailPriceFactory,
    "orders.Order": OrderFactory,
    "orders.OrderLine": OrderLineFactory,
    "orders.OrderStatusChange": OrderStatusChangeFactory,
    "orders.OrderNote": OrderNoteFactory,
    "orders.OrderNumberCounter": OrderNumberCounterFactory,
    "orders.OrderReturn": OrderReturnFactory,
    "orders.OrderReturnLine": OrderReturnLineFactory,
    "orders.OrderSubmission": OrderSubmissionFactory,
    "orders.OrderTally": OrderTallyFactory,
    "orders.Cart": CartFactory,
    "orders.CartLine": CartLineFactory,
    "orders.PaymentLink": PaymentLinkFactory,
    "orders.Payment": PaymentFactory,
    "orders.PaymentAttempt": PaymentAttemptFactory,
    "orders.TestProviderCharge": TestProviderChargeFactory,
    "channel.Partnership": PartnershipFactory,
    "channel.EndCustomer": EndCustomerFactory,
    "resellers.CustomerInteraction": CustomerInteractionFactory,
    "resellers.AffiliateLink": AffiliateLinkFactory,
    "resellers.AffiliateSignup": AffiliateSignupFactory,
    "catalog.Qualification": QualificationFactory,
    "qualifications.QualificationGrant": QualificationGrantFactory,
    "qualifications.QualifyingStatusChange": QualifyingStatusChangeFactory,
    "qualifications.QualificationRequest": QualificationRequestFactory,
    "channel.PartnershipUserObjectPermission": PartnershipUserObjectPermissionFactory,
    "channel.PartnershipGroupObjectPermission": PartnershipGroupObjectPermissionFactory,
    "salesreps.PortfolioAssignment": PortfolioAssignmentFactory,
    "salesreps.RepInvitation": RepInvitationFactory,
    "communications.Conversation": ConversationFactory,
    "communications.Message": MessageFactory,
    "communications.StaffComment": StaffCommentFactory,
    "commissions.CommissionSettings": CommissionSettingsFactory,
    "commissions.CommissionRate": CommissionRateFactory,
    "commissions.CommissionFree": CommissionFreeFactory,
    "commissions.PartnershipPayoutTerms": PartnershipPayoutTermsFactory,
    "commissions.PayoutDetails": PayoutDetailsFactory,
    "commissions.PayoutBatch": PayoutBatchFactory,
    "commissions.PayoutRequest": PayoutRequestFactory,
    "commissions.CommissionEntry": CommissionEntryFactory,
    "commissions.PayoutItem": PayoutItemFactory,
    "commissions.WindowExtension": WindowExtensionFactory,
    "commissions.CommissionJobRun": CommissionJobRunFactory,
    "partners.OrderRating": OrderRatingFactory,
    "partners.Scorecard": ScorecardFactory,
    "partners.Tier": TierFactory,
    "partners.PartnerTier": PartnerTierFactory,
    "partners.IncidentThresholds": IncidentThresholdsFactory,
    "partners.TierProposal": TierProposalFactory,
    "partners.TierChange": TierChangeFactory,
    "partners.Offer": OfferFactory,
    "partners.OfferItem": OfferItemFactory,
    "partners.OfferArea": OfferAreaFactory,
    "partners.OfferRecipient": OfferRecipientFactory,
    "partners.OfferAnnouncement": OfferAnnouncementFactory,
    "partners.Announcement": AnnouncementFactory,
    "partners.AnnouncementRecipient": AnnouncementRecipientFactory,
    "partners.AnnouncementDelivery": AnnouncementDeliveryFactory,
    "partners.Incident": IncidentFactory,
    "partners.IncidentStep": IncidentStepFactory,
    "partners.PartnerBlock": PartnerBlockFactory,
    "partners.PartnerNote": PartnerNoteFactory,
    "partners.Exclusive": ExclusiveFactory,
    "partners.Meeting": MeetingFactory,
    "partners.FollowUp": FollowUpFactory,
    "communications.ConversationRead": ConversationReadFactory,
    "communications.SavedView": SavedViewFactory,
    "communications.Attachment": AttachmentFactory,
    "api.ApiKey": ApiKeyFactory,
    "api.ResellerApiKey": ResellerApiKeyFactory,
    "api.WebhookEndpoint": WebhookEndpointFactory,
    "api.WebhookDelivery": WebhookDeliveryFactory,
    "assistant.RecentRequest": RecentRequestFactory,
}

# The tenant keys a row may carry; every related row that carries one must agree with it.
TENANT_FIELDS = ("manufacturer_id", "reseller_id")


def project_model_labels() -> set[str]:
    """Models of the apps that live in this repository (not Django's, not third parties')."""
    base_dir = Path(settings.BASE_DIR).resolve()
    venv_dir = base_dir / ".venv"
    labels = set()
    for model in apps.get_models():
        app_path = Path(model._meta.app_config.path).resolve()
        if app_path.is_relative_to(base_dir) and not app_path.is_relative_to(venv_dir):
            labels.add(model._meta.label)
    return labels


def test_project_apps_are_found():
    labels = project_model_labels()
    assert "accounts.Manufacturer" in labels
    assert "auth.Group" not in labels
    assert "guardian.UserObjectPermission" not in labels


def test_every_project_model_has_a_factory():
    labels = project_model_labels()
    missing = sorted(labels - FACTORIES.keys())
    stale = sorted(FACTORIES.keys() - labels)
    assert not missing, f"Models without a factory in tests/test_factories.py: {missing}"
    assert not stale, f"Factories for models that no longer exist: {stale}"


def test_each_factory_builds_its_own_model():
    wrong = {
        label: factory._meta.model._meta.label
        for label, factory in FACTORIES.items()
        if factory._meta.model._meta.label != label
    }
    assert not wrong


def tenant_disagreements(obj: models.Model) -> list[str]:
    """Related rows (one step away) whose manufacturer/reseller differs from the row's."""
    problems = []
    for field in obj._meta.concrete_fields:
        if not field.is_relation or getattr(obj, field.attname) is None:
            continue
        related = getattr(obj, field.name)
        for key in TENANT_FIELDS:
            mine = getattr(obj, key, None)
            theirs = getattr(related, key, None)
            if mine is not None and theirs is not None and mine != theirs:
                problems.append(f"{field.name}.{key}={theirs} but {key}={mine}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_factory_saves_a_valid_tenant_consistent_row(label):
    obj = FACTORIES[label]()

    assert obj.pk is not None
    saved = type(obj)._base_manager.get(pk=obj.pk)
    saved.full_clean()
    assert tenant_disagreements(saved) == []


@pytest.mark.django_db
def test_factories_make_distinct_rows():
    """Two calls give two rows (sequences keep unique fields apart)."""
    for label, factory in FACTORIES.items():
        first, second = factory(), factory()
        assert first.pk != second.pk, label
