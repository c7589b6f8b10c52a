"""The reseller's API, /api/v1/r/<reseller_public_id>/…: its partnerships and all its
orders, and per manufacturer (…/m/<manufacturer_slug>/…) the orders, the catalog at its
prices and the order moves the workflow lets a reseller make."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Manufacturer
from api.pagination import IdCursorPagination
from api.query import checked, form_parameters
from api.serializers import (
    CategorySerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    ConversationStartSerializer,
    EndCustomerInputSerializer,
    EndCustomerSerializer,
    GrantSerializer,
    ManufacturerRefSerializer,
    NoteInputSerializer,
    OrderDetailSerializer,
    OrderNoteSerializer,
    OrderSerializer,
    ReplyInputSerializer,
    ResellerProductSerializer,
    TransitionSerializer,
)
from api.views.base import ResellerAPIView
from catalog import selectors as catalog_selectors
from catalog.pricing import reseller_unit_prices
from communications.selectors import (
    reseller_access_conversation,
    reseller_conversations,
    reseller_thread,
)
from communications.services.conversations import (
    conversation_start,
    reseller_reply,
)
from orders.forms import OrderFilterForm, ResellerAllOrdersFilterForm
from orders.models import NoteSide, Order
from orders.selectors.orders import (
    access_order_for_reseller,
    order_notes_for_reseller,
    order_timeline,
    orders_for_reseller,
    orders_for_reseller_partnership,
)
from orders.services.orders import order_note_add
from orders.services.reseller_moves import order_reseller_move
from orders.workflow import RESELLER, available_transitions
from qualifications.selectors import partnership_active_grants
from resellers.forms import EndCustomerForm
from resellers.selectors.dashboard import reseller_partnerships
from resellers.selectors.end_customers import access_end_customer, end_customer_list
from resellers.services import end_customer_create


def _id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotFound() from None


class ResellerPartnershipSerializer(serializers.Serializer):
    manufacturer = ManufacturerRefSerializer()
    status = serializers.CharField()
    qualifying_status = serializers.CharField()
    discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    payment_method = serializers.CharField()
    shipping_method = serializers.CharField()
    recent_orders = serializers.IntegerField(help_text="Sales orders in the last 30 days.")
    recent_value = serializers.DecimalField(max_digits=18, decimal_places=2)
    open_orders = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary="The reseller's manufacturers",
        description="Every partnership of the reseller, with its orders of the last 30 days.",
    )
)
class ResellerPartnershipViewSet(ResellerAPIView):
    serializer_class = ResellerPartnershipSerializer
    pagination_class = None

    def list(self, request: Request, **kwargs: Any) -> Response:
        rows = reseller_partnerships(reseller=self.reseller)
        return Response(self.get_serializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="The reseller's end customers",
        description="With their order count and last order, across manufacturers.",
        parameters=form_parameters(
            forms.Form, extra={"q": forms.CharField(label="Name, company or email")}
        ),
    ),
    retrieve=extend_schema(summary="One end customer"),
    create=extend_schema(
        summary="Add an end customer",
        description="An email already in the reseller's book is a 400.",
        request=EndCustomerInputSerializer,
        responses={201: EndCustomerSerializer},
    ),
)
class EndCustomerViewSet(ResellerAPIView):
    serializer_class = EndCustomerSerializer
    pagination_class = IdCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_SearchQuery(request.query_params))
        rows = end_customer_list(reseller=self.reseller, query=query.cleaned_data.get("q") or "")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        customer = access_end_customer(reseller=self.reseller, customer_id=_id(pk))
        return Response(self.get_serializer(customer).data)

    def create(self, request: Request, **kwargs: Any) -> Response:
        data = EndCustomerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = checked(EndCustomerForm(data.validated_data, reseller=self.reseller))
        customer = end_customer_create(reseller=self.reseller, **form.cleaned_data)
        return Response(self.get_serializer(customer).data, status=201)


class _SearchQuery(forms.Form):
    q = forms.CharField(required=False, max_length=200)


@extend_schema_view(
    list=extend_schema(
        summary="All the reseller's orders, with every manufacturer",
        parameters=form_parameters(
            ResellerAllOrdersFilterForm,
            extra={"manufacturer": forms.IntegerField(label="Only this manufacturer (its id).")},
        ),
    )
)
class ResellerAllOrdersViewSet(ResellerAPIView):
    serializer_class = OrderSerializer

    def list(self, request: Request, **kwargs: Any) -> Response:
        manufacturers = Manufacturer.objects.filter(partnerships__reseller=self.reseller)
        form = checked(
            ResellerAllOrdersFilterForm(request.query_params, manufacturers=manufacturers)
        )
        orders = orders_for_reseller(reseller=self.reseller, filters=form.to_filters())
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="The reseller's orders with this manufacturer",
        parameters=form_parameters(OrderFilterForm),
    ),
    retrieve=extend_schema(summary="One order", responses=OrderDetailSerializer),
)
class ResellerOrderViewSet(ResellerAPIView):
    serializer_class = OrderSerializer

    def _order(self, pk: str) -> Order:
        return access_order_for_reseller(
            reseller=self.reseller, manufacturer=self.partnership.manufacturer, pk=_id(pk)
        )

    def _detail(self, order: Order) -> Response:
        context = {
            **self.get_serializer_context(),
            "timeline": order_timeline(order).select_related("changed_by"),
            "notes": order_notes_for_reseller(order),
            "transitions": available_transitions(
                from_status=order.status,
                side=RESELLER,
                reseller_fulfils=self.partnership.manufacturer.resellers_fulfil_orders,
            ),
        }
        return Response(OrderDetailSerializer(order, context=context).data)

    def list(self, request: Request, **kwargs: Any) -> Response:
        form = checked(OrderFilterForm(request.query_params))
        orders = orders_for_reseller_partnership(
            partnership=self.partnership, filters=form.to_filters()
        )
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._detail(self._order(pk))

    @extend_schema(
        summary="Move an order on as its reseller",
        description="Cancel before the manufacturer accepts (with a reason); mark fulfilled "
        "and completed where the manufacturer lets resellers fulfil their own orders. The "
        "workflow's rules decide; a move it does not allow is a 400 and changes nothing.",
        request=TransitionSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request: Request, pk: str, **kwargs: Any) -> Response:
        order = self._order(pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_reseller_move(
            order=order,
            to_status=data.validated_data["to_status"],
            user=self.actor,
            reason=data.validated_data["reason"].strip(),
        )
        return self._detail(self._order(pk))

    @extend_schema(
        summary="Add a note to an order",
        request=NoteInputSerializer,
        responses={201: OrderNoteSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=NoteInputSerializer)
    def notes(self, request: Request, pk: str, **kwargs: Any) -> Response:
        order = self._order(pk)
        data = NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = order_note_add(
            order=order,
            author=self.actor,
            side=NoteSide.RESELLER,
            body=data.validated_data["body"],
            is_internal=data.validated_data["is_internal"],
        )
        return Response(OrderNoteSerializer(note).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="The qualifications the reseller holds with this manufacturer")
)
class ResellerQualificationViewSet(ResellerAPIView):
    serializer_class = GrantSerializer
    pagination_class = None

    def list(self, request: Request, **kwargs: Any) -> Response:
        grants = partnership_active_grants(partnership=self.partnership)
        return Response(self.get_serializer(grants, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Categories the reseller may see"),
    retrieve=extend_schema(summary="One category"),
)
class ResellerCategoryViewSet(ResellerAPIView):
    serializer_class = CategorySerializer
    pagination_class = IdCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        rows = catalog_selectors.reseller_categories(
            manufacturer=self.partnership.manufacturer, reseller=self.reseller
        ).select_related("required_qualification")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        row = (
            catalog_selectors.reseller_categories(
                manufacturer=self.partnership.manufacturer, reseller=self.reseller
            )
            .select_related("required_qualification")
            .filter(pk=_id(pk))
            .first()
        )
        if row is None:
            raise NotFound(_("No such category."))
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=extend_schema(
        summary="Products the reseller may order, at its prices",
        parameters=form_parameters(
            forms.Form, extra={"q": forms.CharField(label="SKU or name"),
                               "category": forms.IntegerField(label="A category id")},
        ),
    ),
    retrieve=extend_schema(summary="One product, at the reseller's price"),
)  # fmt: skip
class ResellerProductViewSet(ResellerAPIView):
    serializer_class = ResellerProductSerializer
    pagination_class = IdCursorPagination

    def _with_prices(self, products: list[Any]) -> dict[str, Any]:
        partnership = self.partnership
        return {
            **self.get_serializer_context(),
            "currency": partnership.manufacturer.currency,
            "prices": reseller_unit_prices(
                products=products,
                price_list=partnership.price_list,
                discount_percent=partnership.discount_percent,
            ),
        }

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_ProductQuery(request.query_params))
        category = None
        if query.cleaned_data.get("category") is not None:
            category = catalog_selectors.reseller_access_category(
                manufacturer=self.partnership.manufacturer,
                reseller=self.reseller,
                category_id=query.cleaned_data["category"],
            )
        products = catalog_selectors.reseller_product_list(
            manufacturer=self.partnership.manufacturer,
            reseller=self.reseller,
            q=query.cleaned_data.get("q") or "",
            category=category,
        )
        page = list(self.paginate_queryset(products) or [])
        data = ResellerProductSerializer(page, many=True, context=self._with_prices(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        product = catalog_selectors.reseller_access_product(
            manufacturer=self.partnership.manufacturer, reseller=self.reseller, product_id=_id(pk)
        )
        return Response(
            ResellerProductSerializer(product, context=self._with_prices([product])).data
        )


class _ProductQuery(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    category = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


@extend_schema_view(
    list=extend_schema(summary="The reseller's conversations with this manufacturer"),
    retrieve=extend_schema(
        summary="One conversation, as the reseller reads it",
        responses=ConversationDetailSerializer,
    ),
    create=extend_schema(
        summary="Start a conversation",
        request=ConversationStartSerializer,
        responses={201: ConversationDetailSerializer},
    ),
)
class ResellerConversationViewSet(ResellerAPIView):
    serializer_class = ConversationSerializer
    pagination_class = IdCursorPagination

    def _conversation(self, pk: int) -> Any:
        return reseller_access_conversation(
            partnership=self.partnership, conversation_id=_id(str(pk))
        )

    def _detail(self, conversation: Any, status: int = 200) -> Response:
        context = {"thread": reseller_thread(conversation)}
        data = ConversationDetailSerializer(conversation, context=context).data
        return Response(data, status=status)

    def list(self, request: Request, **kwargs: Any) -> Response:
        rows = reseller_conversations(partnership=self.partnership).select_related(
            "partnership__reseller"
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int, **kwargs: Any) -> Response:
        return self._detail(self._conversation(pk))

    def create(self, request: Request, **kwargs: Any) -> Response:
        data = ConversationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversation_start(
            partnership=self.partnership,
            kind=data.validated_data["kind"],
            subject=data.validated_data.get("subject", ""),
            body=data.validated_data["body"],
            author=self.actor,
        )
        return self._detail(self._conversation(conversation.pk), status=201)

    @extend_schema(
        summary="Reply in the conversation",
        request=ReplyInputSerializer,
        responses={201: ConversationDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=ReplyInputSerializer)
    def reply(self, request: Request, pk: int, **kwargs: Any) -> Response:
        conversation = self._conversation(pk)
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reseller_reply(
            conversation=conversation, author=self.actor, body=data.validated_data["body"]
        )
        return self._detail(self._conversation(pk), status=201)
