from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, ResellerType, Role
from channel.models import PaymentMethod, ShippingMethod
from core.forms import OnceForm

DEFAULT_PERIOD_DAYS = 90


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.display_name


def seller_field(sellers: QuerySet, *, required: bool = True, empty_label=None):
    """A choice of the tenant's reps; the value is the user id (never another tenant's)."""
    return RepChoiceField(
        queryset=sellers,
        to_field_name="user_id",
        required=required,
        empty_label=empty_label or _("Choose a sales rep"),
        label=_("Sales rep"),
    )


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        return cleaned

    def period(self):
        """(from, to): the chosen dates, or the last 90 days when missing or invalid."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("date_to") or today
        start = data.get("date_from") or (end - timedelta(days=DEFAULT_PERIOD_DAYS))
        return start, end


class SalesReportForm(PeriodForm):
    def __init__(self, *args, sellers: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if sellers is not None:
            self.fields["rep"] = seller_field(
                sellers, required=False, empty_label=_("All sales reps")
            )


class AssignForm(forms.Form):
    def __init__(self, *args, sellers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"] = seller_field(sellers)


class ReassignForm(forms.Form):
    """Move a rep's customers: all of them, or the ticked ones, to another rep (or nobody)."""

    def __init__(self, *args, sellers: QuerySet, customers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_rep"] = seller_field(
            sellers, required=False, empty_label=_("Nobody (leave unassigned)")
        )
        self.fields["to_rep"].label = _("Move to")
        self.fields["customers"] = forms.ModelMultipleChoiceField(
            queryset=customers,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Customers"),
            help_text=_("Leave all unticked to move every customer."),
        )

    def selected(self, all_customers: QuerySet) -> list:
        chosen = list(self.cleaned_data.get("customers") or [])
        return chosen or list(all_customers)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices, widget=forms.RadioSelect)


class MemberRemoveForm(forms.Form):
    """Who takes over a leaving member's customers; asked only when they have some."""

    def __init__(self, *args, sellers: QuerySet, needs_rep: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_rep:
            self.fields["to_rep"] = seller_field(sellers)
            self.fields["to_rep"].label = _("Their customers move to")

    def to_rep(self):
        chosen = self.cleaned_data.get("to_rep")
        return chosen.user if chosen else None


class CustomerCreateForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    reseller_type = forms.ChoiceField(label=_("Reseller type"), choices=ResellerType.choices)
    public_email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", "—"), *Region.choices], required=False
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    shipping_method = forms.ChoiceField(label=_("Shipping method"), choices=ShippingMethod.choices)

    RESELLER_FIELDS = (
        "name",
        "reseller_type",
        "public_email",
        "phone",
        "website",
        "street",
        "postal_code",
        "city",
        "country",
        "region",
    )
    PARTNERSHIP_FIELDS = ("payment_method", "shipping_method")

    def __init__(self, *args, sellers: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if sellers is not None:  # staff choose the rep (or none); a seller gets the customer
            self.fields["rep"] = seller_field(
                sellers, required=False, empty_label=_("No sales rep yet")
            )

    def reseller_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RESELLER_FIELDS}

    def partnership_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PARTNERSHIP_FIELDS}


class InviteForm(OnceForm):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
