from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Reseller
from resellers.models import CustomerInteraction, EndCustomer, InteractionKind
from resellers.selectors.end_customers import end_customer_email_taken


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
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, reseller: Reseller, **kwargs) -> None:
        self.reseller = reseller
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if end_customer_email_taken(
            reseller=self.reseller, email=email, exclude_id=self.instance.pk
        ):
            raise forms.ValidationError(_("You already have a customer with this email address."))
        return email

    def validate_unique(self) -> None:
        # The reseller is not a form field; clean_email already checked (reseller, email).
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = InteractionKind.choices
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(days=1):
            raise forms.ValidationError(_("Log what happened, not what is planned."))
        return occurred_at


class AffiliateSignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
