from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Reseller
from channel.models import EndCustomer
from resellers.models import CustomerInteraction, InteractionKind


class EndCustomerForm(forms.ModelForm):
    """Contact data of one of the reseller's customers; the email is unique per reseller."""

    class Meta:
        model = EndCustomer
        fields = [
            "name",
            "company",
            "email",
            "phone",
            "street",
            "postal_code",
            "city",
            "country",
            "language",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, reseller: Reseller, **kwargs: Any) -> None:
        self.reseller = reseller
        super().__init__(*args, **kwargs)

    def validate_unique(self) -> None:
        # An email already in the reseller's book is the service's refusal
        # (end_customer_create / end_customer_update); the view shows it on the field.
        pass


class InteractionForm(forms.ModelForm):
    class Meta:
        model = CustomerInteraction
        fields = ["kind", "occurred_at", "body"]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "body": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = InteractionKind.choices
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_occurred_at(self) -> datetime:
        occurred_at: datetime = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(days=1):
            raise forms.ValidationError(_("Log what happened, not what is planned."))
        return occurred_at


class AffiliateSignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_("I agree that the reseller keeps these details to contact me about my purchase."),
        required=True,
        error_messages={"required": _("Tick the box to agree, or we cannot keep your details.")},
    )


class SignupResendForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
