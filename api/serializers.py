"""What the API reads and writes. Read serializers only present rows the selectors found;
write serializers check the shape of the input (types, bounds, unknown fields) and leave
every rule to the service the view calls."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Reseller
from catalog.models import Category, Product, Qualification
from channel.models import EndCustomer, Partnership
from communications.models import MAX_BODY_LENGTH, Conversation, ConversationType, Message
from core.bounds import MAX_TEXT_LENGTH
from orders.models import Order, OrderLine, OrderNote, OrderStatus, OrderStatusChange
from qualifications.models import QualificationGrant

Serializer = serializers.Serializer


class StrictSerializer(Serializer):
    """Refuses fields it does not know (a typo would otherwise be ignored in silence)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


# --- resellers and partnerships -------------------------------------------------------------


class ResellerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reseller
        fields = [
            "public_id",
            "name",
            "reseller_type",
            "public_email",
            "website",
            "phone",
            "street",
            "postal_code",
            "city",
            "country",
            "region",
        ]
        read_only_fields = fields


class CategoryRefSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SalesRepSerializer(Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


class PartnershipSerializer(serializers.ModelSerializer):
    """A partnership as the directory shows it, with its figures for the sales period."""

    reseller = ResellerSerializer(read_only=True)
    price_list = serializers.SerializerMethodField()
    sales_rep = serializers.SerializerMethodField()
    sales = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True,
        help_text="Sales in the period: orders that count as sales, less returns.",
    )  # fmt: skip
    gross_sales = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    returned = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    order_count = serializers.IntegerField(read_only=True, help_text="Orders in the period.")
    open_orders = serializers.IntegerField(read_only=True)
    last_invoice_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Partnership
        fields = [
            "reseller",
            "status",
            "qualifying_status",
            "price_list",
            "discount_percent",
            "payment_method",
            "shipping_method",
            "sales_rep",
            "sales",
            "gross_sales",
            "returned",
            "order_count",
            "open_orders",
            "last_invoice_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CategoryRefSerializer(allow_null=True))
    def get_price_list(self, obj: Partnership) -> dict[str, Any] | None:
        if obj.price_list_id is None:
            return None
        return {"id": obj.price_list_id, "name": obj.price_list.name if obj.price_list else ""}

    @extend_schema_field(SalesRepSerializer(allow_null=True))
    def get_sales_rep(self, obj: Any) -> dict[str, str] | None:
        email = getattr(obj, "current_rep_email", None)
        if not email:
            return None
        name = " ".join(
            part for part in [obj.current_rep_first, obj.current_rep_last] if part
        ).strip()
        return {"name": name or email, "email": email}


class FigureSerializer(Serializer):
    current = serializers.DecimalField(max_digits=18, decimal_places=2)
    previous = serializers.DecimalField(max_digits=18, decimal_places=2)
    delta_percent = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, source="delta",
        help_text="Change against the previous period in %; null when it had nothing.",
    )  # fmt: skip


class CountFigureSerializer(FigureSerializer):
    current = serializers.IntegerField()  # type: ignore[assignment]
    previous = serializers.IntegerField()  # type: ignore[assignment]


class PeriodSerializer(Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class BucketSerializer(Serializer):
    start = serializers.DateField()
    sales = serializers.DecimalField(max_digits=18, decimal_places=2)
    gross = serializers.DecimalField(max_digits=18, decimal_places=2)
    returns = serializers.DecimalField(max_digits=18, decimal_places=2)
    orders = serializers.IntegerField()
    previous_sales = serializers.DecimalField(max_digits=18, decimal_places=2)


class RankedSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    quantity = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)


class StatisticsSerializer(Serializer):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    granularity = serializers.ChoiceField(choices=["day", "week", "month"])
    sales = FigureSerializer()
    gross = FigureSerializer()
    returns = FigureSerializer()
    orders = CountFigureSerializer()
    average_order_value = FigureSerializer()
    series = BucketSerializer(many=True)
    top_products = RankedSerializer(many=True)
    top_categories = RankedSerializer(many=True)


# --- catalog --------------------------------------------------------------------------------


class QualificationRefSerializer(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    required_qualification = QualificationRefSerializer(read_only=True, allow_null=True)
    product_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "description", "required_qualification", "product_count"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    list_price = serializers.DecimalField(
        source="price", max_digits=12, decimal_places=2, read_only=True
    )
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "description",
            "category",
            "kind",
            "list_price",
            "currency",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields

    def get_currency(self, obj: Product) -> str:
        return str(self.context["currency"])


class ResellerProductSerializer(ProductSerializer):
    """A product as the reseller buys it: its price list, else the list price, less its
    discount (catalog.pricing.reseller_unit_prices)."""

    price = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "price"]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_price(self, obj: Product) -> str:
        return str(self.context["prices"][obj.pk])


# --- orders ---------------------------------------------------------------------------------


class ResellerRefSerializer(Serializer):
    public_id = serializers.CharField()
    name = serializers.CharField()


class EndCustomerRefSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    company = serializers.CharField()


class ManufacturerRefSerializer(Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


ORDER_FIELDS = [
    "id",
    "number",
    "status",
    "manufacturer",
    "reseller",
    "end_customer",
    "own_use",
    "sale_kind",
    "currency",
    "subtotal",
    "discount_total",
    "total",
    "retail_total",
    "payment_method",
    "shipping_method",
    "is_manual",
    "created_at",
    "updated_at",
]


class OrderSerializer(serializers.ModelSerializer):
    manufacturer = ManufacturerRefSerializer(read_only=True)
    reseller = ResellerRefSerializer(read_only=True)
    end_customer = EndCustomerRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = ORDER_FIELDS
        read_only_fields = fields


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "product_id",
            "sku",
            "name",
            "quantity",
            "unit_price",
            "line_total",
            "retail_unit_price",
            "retail_line_total",
        ]
        read_only_fields = fields


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SerializerMethodField()

    class Meta:
        model = OrderStatusChange
        fields = ["from_status", "to_status", "reason", "changed_by", "created_at"]
        read_only_fields = fields

    def get_changed_by(self, obj: OrderStatusChange) -> str | None:
        return obj.changed_by.display_name if obj.changed_by else None


class OrderNoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = OrderNote
        fields = ["id", "side", "is_internal", "body", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj: OrderNote) -> str | None:
        return obj.author.display_name if obj.author else None


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True, source="lines.all")
    timeline = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField(
        help_text="The statuses this caller may move the order to now."
    )

    class Meta(OrderSerializer.Meta):
        fields = [*ORDER_FIELDS, "lines", "timeline", "notes", "available_transitions"]
        read_only_fields = fields

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_timeline(self, obj: Order) -> Any:
        return StatusChangeSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(OrderNoteSerializer(many=True))
    def get_notes(self, obj: Order) -> Any:
        return OrderNoteSerializer(self.context["notes"], many=True).data

    def get_available_transitions(self, obj: Order) -> list[str]:
        return list(self.context["transitions"])


class TransitionSerializer(StrictSerializer):
    to_status = serializers.ChoiceField(choices=OrderStatus.choices)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Required to reject or cancel: the other side reads it on the timeline.",
    )  # fmt: skip


class NoteInputSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_TEXT_LENGTH)
    is_internal = serializers.BooleanField(
        default=True, help_text="Internal notes are seen only by your side."
    )


# --- qualifications -------------------------------------------------------------------------


class QualificationSerializer(serializers.ModelSerializer):
    holder_count = serializers.IntegerField(
        read_only=True, help_text="Resellers holding it that the caller may see."
    )
    category_count = serializers.IntegerField(
        read_only=True, help_text="Restricted categories it unlocks."
    )

    class Meta:
        model = Qualification
        fields = [
            "id", "code", "name", "description", "is_default", "holder_count", "category_count",
        ]  # fmt: skip
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    qualification = QualificationRefSerializer(read_only=True)
    granted_by = serializers.SerializerMethodField()

    class Meta:
        model = QualificationGrant
        fields = ["qualification", "granted_at", "granted_by", "grant_reason"]
        read_only_fields = fields

    def get_granted_by(self, obj: QualificationGrant) -> str | None:
        return obj.granted_by.display_name if obj.granted_by else None


class GrantInputSerializer(StrictSerializer):
    code = serializers.CharField(max_length=50, help_text="The qualification's ID.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- end customers and sales reps -----------------------------------------------------------


class EndCustomerSerializer(serializers.ModelSerializer):
    order_count = serializers.IntegerField(read_only=True, required=False)
    last_order_at = serializers.DateTimeField(read_only=True, allow_null=True, required=False)

    class Meta:
        model = EndCustomer
        fields = [
            "id", "name", "company", "email", "phone", "street", "postal_code", "city",
            "country", "notes", "created_at", "order_count", "last_order_at",
        ]  # fmt: skip
        read_only_fields = fields


class EndCustomerInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)


class AssignInputSerializer(StrictSerializer):
    rep = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1,
        help_text="The user id of one of this manufacturer's sales reps.",
    )  # fmt: skip


# --- conversations --------------------------------------------------------------------------


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "kind", "body", "emoji", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj: Message) -> str | None:
        return obj.author.display_name if obj.author else None


class ConversationSerializer(serializers.ModelSerializer):
    reseller = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ["id", "kind", "subject", "reseller", "mark", "marked_at", "last_message_at",
                  "created_at"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ResellerRefSerializer)
    def get_reseller(self, obj: Conversation) -> dict[str, str]:
        reseller = obj.partnership.reseller
        return {"public_id": reseller.public_id, "name": reseller.name}


class ConversationDetailSerializer(ConversationSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]
        read_only_fields = fields

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, obj: Conversation) -> Any:
        return MessageSerializer(self.context["thread"], many=True).data


class ReplyInputSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_BODY_LENGTH)


class ConversationStartSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ConversationType.choices)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(max_length=MAX_BODY_LENGTH)
