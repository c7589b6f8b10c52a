"""Forms of the manufacturer's reseller directory and profile. Choices stay in the tenant."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    Manufacturer,
    Region,
    Reseller,
    ResellerType,
    public_id_validator,
)
from catalog.models import PriceList
from channel.models import Partnership, PartnershipStatus, QualifyingStatus
from channel.services import RESELLER_DETAIL_FIELDS
from resellers.directory import UNASSIGNED, DirectoryFilters
from resellers.statistics import DEFAULT_PERIOD_DAYS, GRANULARITIES, PERIOD_CHOICES, Period

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    Choices = list[tuple[str, StrOrPromise]]

MAX_PERIOD_DAYS = 366 * 5
MAX_DAILY_POINTS = 366


def _with_default_days(data: QueryDict | None, *, custom: bool = False) -> QueryDict | None:
    """The query data with the period a page shows when none was chosen."""
    if data is None or data.get("days"):
        return data
    data = data.copy()
    data["days"] = (
        "0" if custom and (data.get("from") or data.get("to")) else str(DEFAULT_PERIOD_DAYS)
    )
    return data


def _with_all(choices: "Iterable[tuple[str, StrOrPromise]]") -> "Choices":
    return [("", _("All")), *choices]


def _days_choices() -> "Choices":
    labels = {7: _("Last 7 days"), 30: _("Last 30 days"), 90: _("Last 90 days"),
              365: _("Last 365 days")}  # fmt: skip
    return [(str(days), labels[days]) for days in PERIOD_CHOICES]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    days = forms.TypedChoiceField(
        label=_("Sales period"), choices=_days_choices, coerce=int, required=False
    )
    reseller_type = forms.ChoiceField(
        label=_("Type"), choices=_with_all(ResellerType.choices), required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=_with_all(Region.choices), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=_with_all(PartnershipStatus.choices), required=False
    )
    qualifying_status = forms.ChoiceField(
        label=_("Qualifying status"), choices=_with_all(QualifyingStatus.choices), required=False
    )

    rep = forms.ChoiceField(label=_("Sales rep"), required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        *args: Any,
        rep_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(_with_default_days(data), *args, **kwargs)
        if rep_choices is None:
            del self.fields["rep"]
        else:
            cast(forms.ChoiceField, self.fields["rep"]).choices = [
                ("", _("All")),
                (UNASSIGNED, _("No sales rep")),
                *rep_choices,
            ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["q"].widget.attrs["placeholder"] = _("Name or reseller ID")

    def filters(self) -> DirectoryFilters:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()

        def text(name: str) -> str:
            value: str = self.cleaned_data.get(name) or ""
            return "" if name in self.errors else value

        days = None if "days" in self.errors else self.cleaned_data.get("days")
        return DirectoryFilters(
            query=text("q"),
            reseller_type=text("reseller_type"),
            region=text("region"),
            status=text("status"),
            qualifying_status=text("qualifying_status"),
            rep=text("rep"),
            days=days or DEFAULT_PERIOD_DAYS,
        )


class PartnerExistingForm(forms.Form):
    public_id = forms.CharField(
        label=_("Reseller ID"),
        max_length=20,
        help_text=_("The 7-character ID the reseller sees in their dashboard, like 36G8J2Z."),
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manufacturer = manufacturer

    def clean_public_id(self) -> str:
        public_id = self.cleaned_data["public_id"].strip().upper()
        public_id_validator(public_id)
        # Whether it exists and is already a partner is the service's rule
        # (channel.services.partnership_add_existing); the view shows its refusal here.
        return public_id


class ResellerDetailsForm(forms.ModelForm):
    """A reseller's business and contact data, for a new reseller or a correction."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Reseller
        fields = list(RESELLER_DETAIL_FIELDS)


class ConditionsForm(forms.ModelForm):
    # Declared (not generated) so the class never queries PriceList without a tenant.
    price_list: "forms.ModelChoiceField[PriceList]" = forms.ModelChoiceField(
        label=_("Price list"), queryset=PriceList.objects.none(), required=False
    )

    class Meta:
        model = Partnership
        fields = ["price_list", "discount_percent", "payment_method", "shipping_method"]

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # This form's copy of the field (`self.fields` holds plain Fields).
        field = cast("forms.ModelChoiceField[PriceList]", self.fields["price_list"])
        field.queryset = PriceList.objects.filter(manufacturer=manufacturer)
        field.empty_label = _("None: list prices")


class PartnershipStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)


class StatisticsPeriodForm(forms.Form):
    """?days=7|30|90|365, or ?from=YYYY-MM-DD&to=YYYY-MM-DD; ?by=day|week|month."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[*_days_choices(), ("0", _("Custom"))],
        coerce=int,
        required=False,
    )
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[("", _("Automatic")), *[(g, g) for g in GRANULARITIES]],
        required=False,
    )

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(_with_default_days(data, custom=True), *args, **kwargs)
        date_widget = forms.DateInput(attrs={"type": "date", "class": "form-control"})
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=date_widget)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=date_widget)
        cast(forms.ChoiceField, self.fields["by"]).choices = [
            ("", _("Automatic")), ("day", _("Day")), ("week", _("Week")), ("month", _("Month"))
        ]  # fmt: skip
        for name in ("days", "by"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("from"), cleaned.get("to")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Choose both a start and an end date."))
            if start > end:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most five years."))
            period = Period(start=start, end=end)
        else:
            period = Period.last_days(cleaned.get("days") or DEFAULT_PERIOD_DAYS)
        if cleaned.get("by") == "day" and period.days > MAX_DAILY_POINTS:
            self.add_error("by", _("Group a period longer than a year by week or month."))
        cleaned["period"] = period
        return cleaned

    def period(self) -> tuple[Period, str | None]:
        """The chosen period and grouping; the default (last 30 days, automatic) on errors."""
        if self.is_valid():
            return self.cleaned_data["period"], self.cleaned_data.get("by") or None
        return Period.last_days(DEFAULT_PERIOD_DAYS), None

    @property
    def custom(self) -> bool:
        return bool(self.data.get("from") or self.data.get("to"))
