"""Commissions (ledger entries, balances, payout requests) and the partner programme (tiers,
offers) in the API, for the manufacturer (/api/v1/m/<slug>/…) and for a reseller with one
manufacturer (/api/v1/r/<id>/m/<slug>/…). The same selectors as the Commissions, Tiers and
Offers pages, with the same rights: a sales rep reads the ledger of their portfolio only,
payouts, tiers and offers are for owners and managers (as their pages), and a reseller reads
its own ledger, requests, the tiers and the offers open to it. Read only: approving and
paying payouts stay on the pages, behind re-authentication and two-factor login."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import IdCursorPagination, PortalCursorPagination
from api.query import checked, form_parameters
from api.serializers_programs import (
    BalanceSerializer,
    CommissionEntrySerializer,
    OfferSerializer,
    PartnerOfferSerializer,
    PartnerTierSerializer,
    PayoutRequestSerializer,
    ResellerBalanceSerializer,
    TierSerializer,
)
from api.views.base import ManufacturerAPIView, ResellerAPIView
from channel.selectors import partnerships_visible_to
from commissions.models import EntryKind, PayoutRequestStatus
from commissions.selectors.balances import Balance, balance_of, balances_by_partnership
from commissions.selectors.ledger import (
    ResellerRow,
    access_entry,
    entries_visible_to,
    partnership_entries,
    partnership_requests,
    payout_requests_of,
)
from partners.selectors.offers import access_offer, access_open_offer, offers_of, offers_open_to
from partners.selectors.tiers import access_tier, current_tier, tiers_with_members

READ = frozenset({"list", "retrieve"})


def _id(raw: Any) -> int:
    try:
        return int(str(raw))
    except ValueError:
        raise NotFound() from None


class RankCursorPagination(PortalCursorPagination):
    """Tiers in their order, entry tier first."""

    ordering = ("rank", "pk")


class OfferCursorPagination(PortalCursorPagination):
    """Offers as the pages list them: the latest start first."""

    ordering = ("-starts_on", "-pk")


class _EntryQuery(forms.Form):
    reseller = forms.CharField(required=False, max_length=7, label="A reseller's 7-character ID")
    kind = forms.ChoiceField(
        required=False, choices=[("", ""), *EntryKind.choices], label="Entry kind"
    )


class _PayoutQuery(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", ""), *PayoutRequestStatus.choices], label="Request status"
    )


class _OfferQuery(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Words of the title")


def _filtered_entries(entries: Any, query: _EntryQuery) -> Any:
    reseller = query.cleaned_data.get("reseller")
    if reseller:
        entries = entries.filter(partnership__reseller__public_id=reseller.strip().upper())
    if query.cleaned_data.get("kind"):
        entries = entries.filter(kind=query.cleaned_data["kind"])
    return entries


# --- the manufacturer --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Commission ledger entries",
        description="The append-only ledger (accruals, reversals, clawbacks, adjustments, "
        "payouts) of the resellers the caller may see (a sales rep: their portfolio), "
        "newest first.",
        parameters=form_parameters(_EntryQuery),
    ),
    retrieve=extend_schema(summary="One ledger entry"),
)
class CommissionEntryViewSet(ManufacturerAPIView):
    serializer_class = CommissionEntrySerializer

    def _entries(self) -> Any:
        return entries_visible_to(
            manufacturer=self.tenant, membership=self.membership
        ).select_related("partnership__reseller", "order")

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_EntryQuery(request.query_params))
        page = self.paginate_queryset(_filtered_entries(self._entries(), query))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        entry = access_entry(entries=self._entries(), entry_id=_id(pk))
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        summary="Commission balances by reseller",
        description="Earned, voided, adjusted, paid, pending, payable, requested and owed, per "
        "reseller the caller may see (the Commissions page's table), in reseller order.",
        responses=ResellerBalanceSerializer(many=True),
    )
    @action(
        detail=False, methods=["get"], serializer_class=ResellerBalanceSerializer,
        pagination_class=IdCursorPagination,
    )  # fmt: skip
    def balances(self, request: Request, **kwargs: Any) -> Response:
        partnerships = partnerships_visible_to(
            manufacturer=self.tenant, membership=self.membership
        ).select_related("reseller")
        page = self.paginate_queryset(partnerships) or []
        entries = entries_visible_to(manufacturer=self.tenant, membership=self.membership)
        balances = balances_by_partnership(
            entries.filter(partnership__in=[p.pk for p in page]), today=timezone.localdate()
        )
        rows = [ResellerRow(partnership=p, balance=balances.get(p.pk, Balance())) for p in page]
        data = ResellerBalanceSerializer(
            [{"partnership": r.partnership, "currency": self.tenant.currency,
              "balance": r.balance} for r in rows],
            many=True,
        ).data  # fmt: skip
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(
        summary="Payout requests",
        description="Every payout request of the tenant, newest first (owners and managers, "
        "as the approvals page; a sales rep gets 403).",
        parameters=form_parameters(_PayoutQuery),
    ),
    retrieve=extend_schema(summary="One payout request"),
)
class PayoutRequestViewSet(ManufacturerAPIView):
    serializer_class = PayoutRequestSerializer
    staff_actions = READ

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_PayoutQuery(request.query_params))
        rows = payout_requests_of(manufacturer=self.tenant)
        if query.cleaned_data.get("status"):
            rows = rows.filter(status=query.cleaned_data["status"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        row = payout_requests_of(manufacturer=self.tenant).filter(pk=_id(pk)).first()
        if row is None:
            raise NotFound(_("No such payout request."))
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=extend_schema(
        summary="Partner tiers",
        description="The tiers with their published criteria and benefits, entry tier "
        "first (owners and managers).",
    ),
    retrieve=extend_schema(summary="One tier"),
)
class TierViewSet(ManufacturerAPIView):
    serializer_class = TierSerializer
    staff_actions = READ
    pagination_class = RankCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        page = self.paginate_queryset(tiers_with_members(self.tenant))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        tier = access_tier(manufacturer=self.tenant, tier_id=_id(pk))
        return Response(self.get_serializer(tier).data)


@extend_schema_view(
    list=extend_schema(
        summary="Offers",
        description="Every offer, published or draft, latest start first (owners and "
        "managers). `visibility` is `public`, `preferred` (from `min_tier`) or `selected`.",
        parameters=form_parameters(_OfferQuery),
    ),
    retrieve=extend_schema(summary="One offer"),
)
class OfferViewSet(ManufacturerAPIView):
    serializer_class = OfferSerializer
    staff_actions = READ
    pagination_class = OfferCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_OfferQuery(request.query_params))
        page = self.paginate_queryset(offers_of(self.tenant, query=query.cleaned_data["q"]))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        offer = access_offer(manufacturer=self.tenant, offer_id=_id(pk))
        return Response(self.get_serializer(offer).data)


# --- a reseller, with one manufacturer ---------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Your commission ledger with this manufacturer",
        description="Every entry, newest first.",
        parameters=form_parameters(_EntryQuery, skip=frozenset({"reseller"})),
    ),
    retrieve=extend_schema(summary="One ledger entry"),
)
class ResellerCommissionViewSet(ResellerAPIView):
    serializer_class = CommissionEntrySerializer

    def _entries(self) -> Any:
        return partnership_entries(self.partnership).select_related("partnership__reseller")

    def list(self, request: Request, **kwargs: Any) -> Response:
        query = checked(_EntryQuery(request.query_params))
        page = self.paginate_queryset(_filtered_entries(self._entries(), query))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        entry = access_entry(entries=self._entries(), entry_id=_id(pk))
        return Response(self.get_serializer(entry).data)

    @extend_schema(summary="Your commission balance with this manufacturer",
                   responses=BalanceSerializer)  # fmt: skip
    @action(detail=False, methods=["get"], serializer_class=BalanceSerializer,
            pagination_class=None)  # fmt: skip
    def balance(self, request: Request, **kwargs: Any) -> Response:
        return Response(BalanceSerializer(balance_of(partnership_entries(self.partnership))).data)


@extend_schema_view(
    list=extend_schema(summary="Your payout requests with this manufacturer"),
    retrieve=extend_schema(summary="One payout request"),
)
class ResellerPayoutViewSet(ResellerAPIView):
    serializer_class = PayoutRequestSerializer

    def list(self, request: Request, **kwargs: Any) -> Response:
        rows = partnership_requests(self.partnership).select_related("partnership__reseller")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        row = partnership_requests(self.partnership).filter(pk=_id(pk)).first()
        if row is None:
            raise NotFound(_("No such payout request."))
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=extend_schema(
        summary="The manufacturer's tiers and their criteria",
        description="`is_current` marks your tier.",
    )
)
class ResellerTierViewSet(ResellerAPIView):
    serializer_class = PartnerTierSerializer
    pagination_class = RankCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        tier = current_tier(self.partnership)
        page = self.paginate_queryset(tiers_with_members(self.partnership.manufacturer))
        context = {**self.get_serializer_context(), "current_tier_id": tier.pk if tier else None}
        return self.get_paginated_response(
            PartnerTierSerializer(page, many=True, context=context).data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Offers open to you",
        description="Published, running (or in your tier's early access), for your tier, "
        "area and qualification, and not blocked; latest start first.",
    ),
    retrieve=extend_schema(summary="One offer open to you"),
)
class ResellerOfferViewSet(ResellerAPIView):
    serializer_class = PartnerOfferSerializer
    pagination_class = OfferCursorPagination

    def list(self, request: Request, **kwargs: Any) -> Response:
        page = self.paginate_queryset(offers_open_to(partnership=self.partnership))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any, **kwargs: Any) -> Response:
        offer = access_open_offer(partnership=self.partnership, offer_id=_id(pk))
        return Response(self.get_serializer(offer).data)
