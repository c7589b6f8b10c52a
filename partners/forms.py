"""Forms of partners. Every number has its bounds; choices stay in the tenant."""

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer, User
from core.bounds import MAX_TEXT_LENGTH
from partners.models import MAX_SATISFACTION, MIN_SATISFACTION, Tier
from partners.selectors.tiers import account_manager_candidates

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
