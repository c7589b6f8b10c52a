"""The manufacturer's API, /api/v1/m/<manufacturer_slug>/…: the same selectors and services
as the portal's pages, in the same tenant scope (api.views.base)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import ConversationCursorPagination, IdCursorPagination
from api.query import checked, form_parameters
from api.serializers import (
    AssignInputSerializer,
    CategorySerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    GrantInputSerializer,
    GrantSerializer,
    NoteInputSerializer,
    OrderDetailSerializer,
    OrderNoteSerializer,
    OrderSerializer,
    PartnershipSerializer,
    ProductSerializer,
    QualificationSerializer,
    ReplyInputSerializer,
    StatisticsSerializer,
    TransitionSerializer,
)
from api.views.base import ManufacturerAPIView
from catalog import selectors as catalog_selectors
from catalog.forms import ProductFilterForm
from channel import selectors as channel_selectors
from communications import selectors as communications_selectors
from communications.models import ConversationType
from communications.services.conversations import staff_reply
from communications.services.marks import conversation_mark_done
from orders.forms import ManufacturerOrderFilterForm
from orders.models import NoteSide, Order
from orders.selectors.orders import (
    access_order_for_manufacturer,
    order_notes_for_manufacturer,
    order_timeline,
    orders_for_manufacturer,
)
from orders.services.orders import order_note_add, order_transition
from orders.workflow import MANUFACTURER, available_transitions
from qualifications.forms import GrantForm, RevokeForm
from qualifications.selectors import partnership_active_grants, qualification_list
from qualifications.services import qualification_grant, qualification_revoke
from resellers import directory
from resellers.forms_manufacturer import DirectoryFilterForm, StatisticsPeriodForm
from resellers.statistics import partnership_statistics
from salesreps import selectors as salesreps_selectors
from salesreps.forms import AssignForm
from salesreps.services import portfolio_assign

PUBLIC_ID = OpenApiParameter(
    "public_id", str, OpenApiParameter.PATH, description="The reseller's 7-character ID."
)
DIRECTORY_PARAMETERS = form_parameters(
    DirectoryFilterForm,
    extra={"rep": forms.CharField(label="A sales rep's user id, or `none` (owners, managers).")},
    descriptions={"q": "Name or reseller ID.", "days": "The sales period in days."},
)
STATISTICS_PARAMETERS = form_parameters(
    StatisticsPeriodForm,
    extra={"from": forms.DateField(label="Start day"), "to": forms.DateField(label="End day")},
    descriptions={"days": "The last N days (default 30), unless `from` and `to` are given."},
)
ORDER_PARAMETERS = form_parameters(
    ManufacturerOrderFilterForm,
    extra={"reseller": forms.IntegerField(label="Only this reseller's orders (its id).")},
    descriptions={"q": "Order number, reseller name or reseller ID."},
)
PRODUCT_PARAMETERS = form_parameters(
    ProductFilterForm,
    extra={"category": forms.IntegerField(label="Only this category (its id).")},
    descriptions={"active": "`yes` or `no`."},
)


@extend_schema_view(
    list=extend_schema(
        summary="List resellers (partnerships)",
        description="The directory: every partnership the caller may see (a sales rep: "
        "their portfolio), with sales figures for the period.",
        parameters=DIRECTORY_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One reseller (partnership)", parameters=[PUBLIC_ID]),
)
class PartnershipViewSet(ManufacturerAPIView):
    serializer_class = PartnershipSerializer
    staff_actions = frozenset({"grant", "revoke", "assign"})
    pagination_class = IdCursorPagination
    lookup_field = "public_id"
    lookup_value_converter = "str"

    def _rows(self) -> Any:
        form = DirectoryFilterForm(
            self.request.query_params,
            rep_choices=directory.sales_rep_choices(manufacturer=self.tenant)
            if self.membership.is_staff_role
            else None,
        )
        return directory.directory_rows(
            manufacturer=self.tenant, membership=self.membership, filters=checked(form).filters()
        ).select_related("price_list")

    def list(self, request: Request, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self._rows())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        row = self._rows().filter(reseller__public_id=public_id.upper()).first()
        if row is None:
            raise NotFound(_("No such reseller."))
        return Response(PartnershipSerializer(row, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="A reseller's sales statistics",
        description="Sales, orders, average order value, a series and the best sellers "
        "for a period, each compared with the period before (the profile page's figures).",
        parameters=[PUBLIC_ID, *STATISTICS_PARAMETERS],
        responses=StatisticsSerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=StatisticsSerializer)
    def statistics(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        partnership = channel_selectors.access_partnership(
            manufacturer=self.tenant, membership=self.membership, public_id=public_id
        )
        form = checked(StatisticsPeriodForm(request.query_params))
        period, granularity = form.period()
        stats = partnership_statistics(
            partnership=partnership, period=period, granularity=granularity
        )
        return Response(StatisticsSerializer(stats).data)

    def _partnership(self, public_id: str) -> Any:
        return channel_selectors.access_partnership(
            manufacturer=self.tenant, membership=self.membership, public_id=public_id
        )

    def _grants(self, partnership: Any) -> Response:
        grants = partnership_active_grants(partnership=partnership)
        return Response(GrantSerializer(grants, many=True).data)

    @extend_schema(
        summary="The qualifications a reseller holds",
        parameters=[PUBLIC_ID],
        responses=GrantSerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=GrantSerializer, pagination_class=None)
    def qualifications(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        return self._grants(self._partnership(public_id))

    def _qualification_change(self, request: Request, public_id: str, *, grant: bool) -> Response:
        partnership = self._partnership(public_id)
        data = GrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form_class = GrantForm if grant else RevokeForm
        form = checked(form_class(data.validated_data, manufacturer=self.tenant))
        change = qualification_grant if grant else qualification_revoke
        change(
            partnership=partnership,
            qualification=form.cleaned_data["qualification"],
            reason=form.cleaned_data["reason"],
            **({"granted_by": self.actor} if grant else {"revoked_by": self.actor}),
        )
        return self._grants(partnership)

    @extend_schema(
        summary="Grant a qualification",
        description="Its restricted categories appear for the reseller at once; an open "
        "request for it is answered. Owners and managers; a reseller that already holds it "
        "is a 400.",
        parameters=[PUBLIC_ID],
        request=GrantInputSerializer,
        responses=GrantSerializer(many=True),
    )
    @action(detail=True, methods=["post"], serializer_class=GrantInputSerializer)
    def grant(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        return self._qualification_change(request, public_id, grant=True)

    @extend_schema(
        summary="Revoke a qualification",
        description="The grant stays in the history with who, when and why. Owners and "
        "managers; a qualification the reseller does not hold is a 400.",
        parameters=[PUBLIC_ID],
        request=GrantInputSerializer,
        responses=GrantSerializer(many=True),
    )
    @action(detail=True, methods=["post"], serializer_class=GrantInputSerializer)
    def revoke(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        return self._qualification_change(request, public_id, grant=False)

    @extend_schema(
        summary="Assign the reseller to a sales rep",
        description="The customer moves to the rep's portfolio (the previous rep loses it; "
        "the history keeps who, when and by whom). Owners and managers; a user who is not "
        "one of this manufacturer's reps is a 400.",
        parameters=[PUBLIC_ID],
        request=AssignInputSerializer,
        responses=PartnershipSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=AssignInputSerializer)
    def assign(self, request: Request, public_id: str, **kwargs: Any) -> Response:
        partnership = self._partnership(public_id)
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = checked(
            AssignForm(
                {"rep": str(data.validated_data["rep"])},
                sellers=salesreps_selectors.sellers(manufacturer=self.tenant),
            )
        )
        portfolio_assign(
            manufacturer=self.tenant,
            partnership=partnership,
            rep=form.cleaned_data["rep"].user,
            by=self.actor,
        )
        return self.retrieve(request, public_id)


@extend_schema_view(
    list=extend_schema(
        summary="Qualification definitions",
        description="With how many resellers hold each (of those the caller may see).",
    )
)
class QualificationViewSet(ManufacturerAPIView):
    serializer_class = QualificationSerializer
    pagination_class = IdCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        rows = qualification_list(manufacturer=self.tenant, membership=self.membership)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="List orders",
        description="The tenant's orders the caller may see (a sales rep: their customers'), "
        "newest first.",
        parameters=ORDER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One order, with lines, timeline and notes"),
)
class OrderViewSet(ManufacturerAPIView):
    serializer_class = OrderSerializer
    staff_actions = frozenset({"transition"})

    def _order(self, pk: str) -> Order:
        try:
            number = int(pk)
        except ValueError:
            raise NotFound(_("No such order.")) from None
        return access_order_for_manufacturer(
            manufacturer=self.tenant, membership=self.membership, pk=number
        )

    def _detail(self, order: Order) -> Response:
        context = {
            **self.get_serializer_context(),
            "timeline": order_timeline(order).select_related("changed_by"),
            "notes": order_notes_for_manufacturer(order),
            "transitions": available_transitions(from_status=order.status, side=MANUFACTURER)
            if self.membership.is_staff_role
            else [],
        }
        return Response(OrderDetailSerializer(order, context=context).data)

    def list(self, request: Request, **kwargs: Any) -> Response:
        form = ManufacturerOrderFilterForm(
            request.query_params,
            resellers=channel_selectors.resellers_visible_to(
                manufacturer=self.tenant, membership=self.membership
            ),
        )
        orders = orders_for_manufacturer(
            manufacturer=self.tenant, membership=self.membership, filters=checked(form).to_filters()
        )
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=OrderDetailSerializer)
    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._detail(self._order(pk))

    @extend_schema(
        summary="Change an order's status",
        description="Accept, reject, fulfil, complete or cancel, by the order workflow's "
        "rules (owners and managers; a sales rep gets 403). Rejecting and cancelling need "
        "a reason. A move the workflow does not allow is a 400 and changes nothing.",
        request=TransitionSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request: Request, pk: str, **kwargs: Any) -> Response:
        order = self._order(pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_transition(
            order=order,
            to_status=data.validated_data["to_status"],
            side=MANUFACTURER,
            changed_by=self.actor,
            reason=data.validated_data["reason"].strip(),
        )
        return self._detail(self._order(pk))

    @extend_schema(
        summary="Add a note to an order",
        description="An internal note is seen only by your organisation; otherwise the "
        "reseller reads it too.",
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
            side=NoteSide.MANUFACTURER,
            body=data.validated_data["body"],
            is_internal=data.validated_data["is_internal"],
        )
        return Response(OrderNoteSerializer(note).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="List catalog categories"),
    retrieve=extend_schema(summary="One category"),
)
class CategoryViewSet(ManufacturerAPIView):
    serializer_class = CategorySerializer
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        return catalog_selectors.category_list(manufacturer=self.tenant)

    def list(self, request: Request, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        row = self.get_queryset().filter(pk=_id(pk)).first()
        if row is None:
            raise NotFound(_("No such category."))
        return Response(self.get_serializer(row).data)


def _id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotFound() from None


@extend_schema_view(
    list=extend_schema(summary="List products with list prices", parameters=PRODUCT_PARAMETERS),
    retrieve=extend_schema(summary="One product"),
)
class ProductViewSet(ManufacturerAPIView):
    serializer_class = ProductSerializer
    pagination_class = IdCursorPagination

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "currency": self.tenant.currency}

    def list(self, request: Request, **kwargs: Any) -> Response:
        form = checked(ProductFilterForm(request.query_params, manufacturer=self.tenant))
        products = catalog_selectors.product_list(manufacturer=self.tenant, **form.filters())
        page = self.paginate_queryset(products)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str, **kwargs: Any) -> Response:
        product = catalog_selectors.access_product(manufacturer=self.tenant, product_id=_id(pk))
        return Response(self.get_serializer(product).data)


@extend_schema_view(
    list=extend_schema(
        summary="Conversations (the inbox)",
        description="The conversations the caller may see (a sales rep: their customers'), "
        "latest message first.",
        parameters=form_parameters(
            forms.Form,
            extra={
                "kind": forms.ChoiceField(
                    label="Conversation type", choices=ConversationType.choices
                ),
                "q": forms.CharField(label="Reseller, subject or message text"),
            },
        ),
    ),
    retrieve=extend_schema(summary="One conversation with its messages",
                           responses=ConversationDetailSerializer),
)  # fmt: skip
class ConversationViewSet(ManufacturerAPIView):
    serializer_class = ConversationSerializer
    pagination_class = ConversationCursorPagination

    def _conversation(self, pk: int) -> Any:
        return communications_selectors.access_conversation(
            membership=self.membership, conversation_id=_id(str(pk))
        )

    def _detail(self, conversation: Any) -> Response:
        context = {"thread": communications_selectors.conversation_thread(conversation)}
        return Response(ConversationDetailSerializer(conversation, context=context).data)

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_ConversationQuery(request.query_params))
        rows = communications_selectors.visible_conversations(
            membership=self.membership
        ).select_related("partnership__reseller")
        if query.cleaned_data.get("kind"):
            rows = rows.filter(kind=query.cleaned_data["kind"])
        if query.cleaned_data.get("q"):
            rows = communications_selectors.conversation_search(rows, query.cleaned_data["q"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int, **kwargs: Any) -> Response:
        return self._detail(self._conversation(pk))

    @extend_schema(
        summary="Reply to the reseller",
        request=ReplyInputSerializer,
        responses={201: ConversationDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=ReplyInputSerializer)
    def reply(self, request: Request, pk: int, **kwargs: Any) -> Response:
        conversation = self._conversation(pk)
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        staff_reply(conversation=conversation, author=self.actor, body=data.validated_data["body"])
        response = self._detail(self._conversation(pk))
        response.status_code = 201
        return response

    @extend_schema(
        summary="Mark the conversation as done",
        description="It leaves the new leads (✅), as on the inbox page.",
        request=None,
        responses=ConversationDetailSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=ConversationDetailSerializer)
    def done(self, request: Request, pk: int, **kwargs: Any) -> Response:
        conversation_mark_done(conversation=self._conversation(pk))
        return self._detail(self._conversation(pk))


class _ConversationQuery(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", ""), *ConversationType.choices])
    q = forms.CharField(required=False, max_length=200)
