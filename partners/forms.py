"""Forms of partners. Every number has its bounds; choices stay in the tenant."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import MAX_SATISFACTION, MIN_SATISFACTION

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
