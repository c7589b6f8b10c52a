from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("That email and password do not match an account."),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lowercase (UserManager), so match them the same way.
        return self.cleaned_data["username"].lower()


class ChannelSettingsForm(forms.ModelForm):
    """The business settings of a manufacturer; later issues read them (commissions)."""

    class Meta:
        model = Manufacturer
        fields = [
            "name",
            "currency",
            "default_commission_rate",
            "commission_holding_weeks",
            "payout_deadline_weeks",
            "resellers_fulfil_orders",
            "require_two_factor",
        ]

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter currency code such as EUR."))
        return currency
