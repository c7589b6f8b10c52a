"""Forms of partners. Every number has its bounds; choices stay in the tenant."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer, Region, User
from catalog.models import Product
from channel.models import EndCustomer, Partnership
from core.bounds import MAX_PRICE, MAX_QUANTITY, MAX_TEXT_LENGTH
from partners.models import (
    MAX_FOLLOW_UP_LENGTH,
    MAX_MONTHLY_ORDERS,
    MAX_SATISFACTION,
    MIN_SATISFACTION,
    STEP_ORDER,
    Announcement,
    AnnouncementKind,
    Audience,
    ExclusiveKind,
    IncidentKind,
    IncidentThresholds,
    Offer,
    ReviewPeriod,
    Tier,
    Visibility,
)
from partners.selectors.tiers import account_manager_candidates
from partners.services.announcements import AnnouncementValues
from partners.services.meetings import FollowUpValues
from partners.services.offers import OfferValues

# A chosen period of the scorecard: at most five years.
MAX_PERIOD_DAYS = 366 * 5
DEFAULT_PERIOD_DAYS = 90


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Customer satisfaction"),
        choices=[("", _("Not rated"))]
        + [(str(n), str(n)) for n in range(MIN_SATISFACTION, MAX_SATISFACTION + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 (very unhappy) to 5 (very happy), as the end customer told you."),
    )
    address_accurate = forms.NullBooleanField(
        label=_("Delivery address"),
        required=False,
        widget=forms.Select(
            choices=[
                ("unknown", _("Not checked")),
                ("true", _("Accurate")),
                ("false", _("Wrong or incomplete")),
            ]
        ),
    )


class PeriodForm(forms.Form):
    """The scorecard's chosen period (`?from=…&to=…`); bad dates fall back to the default."""

    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["end"].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return cleaned

    def period(self) -> tuple[date, date]:
        """The chosen [start, end] days (inclusive), or the last 90 days."""
        today = timezone.localdate()
        if self.is_bound and self.is_valid():
            end = self.cleaned_data.get("end") or today
            start = self.cleaned_data.get("start") or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
            if start <= end and (end - start).days <= MAX_PERIOD_DAYS:
                return start, end
        return today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


class TierForm(forms.ModelForm):
    """A tier's criteria and benefits; the model's validators give every number its bounds."""

    class Meta:
        model = Tier
        fields = [
            "name",
            "rank",
            "description",
            "min_monthly_orders",
            "min_completion_rate",
            "max_cancellation_rate",
            "min_satisfaction",
            "months_held",
            "discount_percent",
            "commission_rate",
            "early_access_days",
            "priority_support",
            "exclusive_offers",
            "account_manager",
            "co_marketing",
            "check_ins",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.manufacturer = manufacturer

    def validate_unique(self) -> None:
        """The service refuses a taken name or rank with its own message."""


class IncidentThresholdsForm(forms.ModelForm):
    """When the nightly check raises an incident; the model's validators bound every number."""

    class Meta:
        model = IncidentThresholds
        fields = [
            "max_cancellation_rate",
            "min_address_accuracy",
            "min_satisfaction",
            "max_response_hours",
            "min_orders",
            "min_ratings",
            "min_responses",
        ]


class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TierSetForm(forms.Form):
    tier = TierChoiceField(label=_("Tier"), queryset=Tier.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reseller reads it with the news of the change."),
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Tier]", self.fields["tier"])
        field.queryset = Tier.objects.filter(manufacturer=manufacturer).order_by("rank")


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("Note to the reseller (optional)"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccountManagerForm(forms.Form):
    account_manager = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[User]", self.fields["account_manager"])
        field.queryset = account_manager_candidates(manufacturer)


class PartnershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reseller.name} ({obj.reseller.public_id})"


def _limit_audience_to(form: forms.Form, manufacturer: Manufacturer) -> None:
    """The minimum tier and the named partners an offer or announcement may choose: the
    tenant's own."""
    tiers = cast("forms.ModelChoiceField[Tier]", form.fields["min_tier"])
    tiers.queryset = Tier.objects.filter(manufacturer=manufacturer).order_by("rank")
    recipients = cast("forms.ModelMultipleChoiceField[Partnership]", form.fields["recipients"])
    recipients.queryset = (
        Partnership.objects.filter(manufacturer=manufacturer)
        .select_related("reseller")
        .order_by("reseller__name")
    )


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    terms = forms.CharField(
        label=_("Terms"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    price = forms.DecimalField(
        label=_("Offer price"), min_value=Decimal("0"), max_value=MAX_PRICE, decimal_places=2
    )
    products: "forms.ModelMultipleChoiceField[Product]" = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.none(), required=False
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    min_tier = TierChoiceField(
        label=_("Minimum tier (preferred offers)"), queryset=Tier.objects.none(), required=False
    )
    recipients = PartnershipChoiceField(
        label=_("Named partners (selected offers)"),
        queryset=Partnership.objects.none(),
        required=False,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        help_text=_("Leave empty for everywhere."),
    )
    postal_prefixes = forms.CharField(
        label=_("Postal-code prefixes"),
        max_length=500,
        required=False,
        help_text=_("Comma-separated, e.g. 20, 21, 22"),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    early_access = forms.BooleanField(
        label=_("Early access for tiers that have it"), required=False, initial=True
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = cast("forms.ModelMultipleChoiceField[Product]", self.fields["products"])
        products.queryset = Product.objects.filter(manufacturer=manufacturer).order_by("name")
        _limit_audience_to(self, manufacturer)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned

    def values(self) -> "OfferValues":
        data = self.cleaned_data
        return OfferValues(
            title=data["title"],
            terms=data["terms"],
            price=data["price"],
            visibility=data["visibility"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            min_tier=data["min_tier"],
            early_access=data["early_access"],
            items={product.pk: 1 for product in data["products"]},
            regions=list(data["regions"]),
            postal_prefixes=[p for p in data["postal_prefixes"].split(",") if p.strip()],
            recipient_ids=[p.pk for p in data["recipients"]],
        )

    @classmethod
    def initial_for(cls, offer: Any) -> dict[str, Any]:
        return {
            "title": offer.title,
            "terms": offer.terms,
            "price": offer.price,
            "visibility": offer.visibility,
            "min_tier": offer.min_tier_id,
            "starts_on": offer.starts_on,
            "ends_on": offer.ends_on,
            "early_access": offer.early_access,
            "products": [item.product_id for item in offer.items.all()],
            "regions": [a.value for a in offer.areas.all() if a.kind == "region"],
            "postal_prefixes": ", ".join(a.value for a in offer.areas.all() if a.kind == "postal"),
            "recipients": [r.partnership_id for r in offer.recipients.all()],
        }


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=[(s.value, s.label) for s in STEP_ORDER])
    offer: "forms.ModelChoiceField[Offer]" = forms.ModelChoiceField(
        label=_("Offer to block (for a block from specific offers)"),
        queryset=Offer.objects.none(),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offers = cast("forms.ModelChoiceField[Offer]", self.fields["offer"])
        offers.queryset = Offer.objects.filter(manufacturer=manufacturer).order_by("title")


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=300)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExclusiveForm(forms.Form):
    offer: "forms.ModelChoiceField[Offer]" = forms.ModelChoiceField(
        label=_("Selected offer"), queryset=Offer.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ExclusiveKind.choices)
    scope = forms.CharField(
        label=_("Region or service"),
        max_length=100,
        help_text=_("For a regional exclusive, a region code: north, south, east, west, central."),
    )
    min_monthly_orders = forms.IntegerField(
        label=_("Minimum orders per month"), min_value=0, max_value=MAX_MONTHLY_ORDERS, initial=20
    )
    min_completion_rate = forms.DecimalField(
        label=_("Minimum completion rate (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        required=False,
        initial=Decimal("95"),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=120, initial=12
    )
    review_period = forms.ChoiceField(label=_("Review period"), choices=ReviewPeriod.choices)
    renewal_criteria = forms.CharField(
        label=_("Renewal criteria"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, manufacturer: Manufacturer, partnership: Partnership, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offers = cast("forms.ModelChoiceField[Offer]", self.fields["offer"])
        offers.queryset = Offer.objects.filter(
            manufacturer=manufacturer,
            visibility=Visibility.SELECTED,
            recipients__partnership=partnership,
        ).order_by("title")


class OfferOrderForm(forms.Form):
    """Order an offer: how many, and for which end customer (none: the reseller's own use)."""

    bundles = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    end_customer: "forms.ModelChoiceField[EndCustomer]" = forms.ModelChoiceField(
        label=_("For"),
        queryset=EndCustomer.objects.none(),
        required=False,
        empty_label=_("My own use (no commission)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, end_customers: QuerySet[EndCustomer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[EndCustomer]", self.fields["end_customer"]
        ).queryset = end_customers


def _team_members(manufacturer: Manufacturer) -> QuerySet[User]:
    return User.objects.filter(
        manufacturer_memberships__manufacturer=manufacturer, is_active=True
    ).order_by("first_name", "last_name", "email")


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Follow-up"), max_length=MAX_FOLLOW_UP_LENGTH)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = _team_members(
            manufacturer
        )


class MeetingHoldForm(FollowUpForm):
    """Hold a meeting: what was discussed, and optionally the first follow-up."""

    notes = forms.CharField(
        label=_("Notes"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["notes", "description", "owner"]

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, manufacturer=manufacturer, **kwargs)
        self.fields["description"].required = False
        self.fields["description"].label = _("Follow-up (optional)")

    def follow_ups(self) -> list[FollowUpValues]:
        text = self.cleaned_data.get("description") or ""
        if not text.strip():
            return []
        return [FollowUpValues(description=text, owner=self.cleaned_data.get("owner"))]


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    min_tier = TierChoiceField(
        label=_("Minimum tier (for partners from a tier)"),
        queryset=Tier.objects.none(),
        required=False,
    )
    recipients = PartnershipChoiceField(
        label=_("Named partners"), queryset=Partnership.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=_datetime_input(),
        help_text=_("For planned downtime or a promotion: when it starts."),
    )
    ends_at = forms.DateTimeField(label=_("Until"), required=False, widget=_datetime_input())

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_audience_to(self, manufacturer)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end is not after the start."))
        if cleaned.get("kind") == AnnouncementKind.DOWNTIME:
            for name in ("starts_at", "ends_at"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Planned downtime needs the time it starts and ends."))
        if cleaned.get("audience") == Audience.MIN_TIER and not cleaned.get("min_tier"):
            self.add_error("min_tier", _("Choose the minimum tier the announcement is for."))
        if cleaned.get("audience") == Audience.NAMED and not cleaned.get("recipients"):
            self.add_error("recipients", _("Name at least one partner."))
        return cleaned

    def values(self) -> AnnouncementValues:
        data = self.cleaned_data
        audience = data["audience"]
        return AnnouncementValues(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            audience=audience,
            min_tier=data["min_tier"] if audience == Audience.MIN_TIER else None,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            recipient_ids=[p.pk for p in data["recipients"]] if audience == Audience.NAMED else [],
        )

    @classmethod
    def initial_for(cls, announcement: Announcement) -> dict[str, Any]:
        return {
            "kind": announcement.kind,
            "title": announcement.title,
            "body": announcement.body,
            "audience": announcement.audience,
            "min_tier": announcement.min_tier_id,
            "starts_at": announcement.starts_at,
            "ends_at": announcement.ends_at,
            "recipients": [r.partnership_id for r in announcement.recipients.all()],
        }
