from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import i18n
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


class PreferencesForm(forms.Form):
    """The language, formats and time zone a user reads the portal and their emails in."""

    language = forms.ChoiceField(label=_("Language"), choices=i18n.language_choices)
    region = forms.ChoiceField(
        label=_("Formats of numbers, money and dates"),
        required=False,
        help_text=_("Leave it as usual for the language unless you write numbers differently."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=i18n.time_zone_choices,
        help_text=_("Dates and times on the pages and in your emails follow it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        usual = ("", _("As usual for the language"))
        region: forms.ChoiceField = self.fields["region"]  # type: ignore[assignment]  # declared above
        region.choices = [usual, *i18n.region_choices()]


class LanguageSwitchForm(forms.Form):
    """The top bar's language menu: any code the portal does not speak is refused."""

    language = forms.ChoiceField(choices=i18n.language_choices)
