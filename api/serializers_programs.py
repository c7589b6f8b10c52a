"""What the API reads of commissions (ledger entries, balances, payout requests) and of the
partner programme (tiers, offers). Read only: the ledger is append-only and written by its
services; the pages' actions on payouts (approve, pay) stay on the pages, behind
re-authentication and two-factor login."""

from rest_framework import serializers

from commissions.models import CommissionEntry, EntryKind, PayoutRequest, PayoutRequestStatus
from partners.models import Offer, Tier, Visibility

Serializer = serializers.Serializer


def money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class CommissionEntrySerializer(serializers.ModelSerializer):
    reseller = serializers.CharField(source="partnership.reseller.public_id", read_only=True)
    kind = serializers.ChoiceField(choices=EntryKind.choices, read_only=True)
    order = serializers.SerializerMethodField()
    payout_request = serializers.IntegerField(
        source="payout_request_id", read_only=True, allow_null=True
    )

    class Meta:
        model = CommissionEntry
        fields = [
            "id", "reseller", "kind", "credit", "debit", "currency", "base", "rate", "order",
            "payout_request", "eligible_from", "pay_by", "reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_order(self, entry: CommissionEntry) -> str | None:
        return entry.order.number if entry.order_id and entry.order else None


class BalanceSerializer(Serializer):
    """A ledger's figures (commissions.selectors.balances), as on the Commissions pages."""

    earned = money()
    voided = money()
    adjusted = money()
    paid = money()
    pending = money()
    payable = money()
    requested = money()
    owed = money()


class ResellerBalanceSerializer(Serializer):
    reseller = serializers.CharField(source="partnership.reseller.public_id")
    name = serializers.CharField(source="partnership.reseller.name")
    currency = serializers.CharField()
    balance = BalanceSerializer()


class PayoutRequestSerializer(serializers.ModelSerializer):
    reseller = serializers.CharField(source="partnership.reseller.public_id", read_only=True)
    status = serializers.ChoiceField(choices=PayoutRequestStatus.choices, read_only=True)
    batch = serializers.IntegerField(source="batch_id", read_only=True, allow_null=True)

    class Meta:
        model = PayoutRequest
        fields = ["id", "reseller", "amount", "currency", "status", "origin", "batch", "created_at"]
        read_only_fields = fields


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = [
            "id", "name", "rank", "description", "min_monthly_orders", "min_satisfaction",
            "months_held", "discount_percent", "early_access_days", "priority_support",
            "exclusive_offers", "account_manager", "co_marketing",
        ]  # fmt: skip
        read_only_fields = fields


class PartnerTierSerializer(TierSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta(TierSerializer.Meta):
        fields = [*TierSerializer.Meta.fields, "is_current"]
        read_only_fields = fields

    def get_is_current(self, tier: Tier) -> bool:
        return tier.pk == self.context.get("current_tier_id")


class OfferSerializer(serializers.ModelSerializer):
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    min_tier = serializers.CharField(source="min_tier.name", read_only=True, allow_null=True)

    class Meta:
        model = Offer
        fields = [
            "id", "title", "terms", "price", "visibility", "min_tier", "starts_on", "ends_on",
            "early_access", "is_published", "published_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class PartnerOfferSerializer(OfferSerializer):
    class Meta(OfferSerializer.Meta):
        fields = [
            "id", "title", "terms", "price", "visibility", "min_tier", "starts_on", "ends_on",
            "early_access",
        ]  # fmt: skip
        read_only_fields = fields
