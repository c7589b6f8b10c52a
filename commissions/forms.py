from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_WEEKS


class PayoutRequestForm(forms.Form):
    """The payable balance the reseller was shown; the service checks it is still that."""

    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
        max_digits=14,
    )


class PayoutDetailsForm(forms.Form):
    account_holder = forms.CharField(label=_("Account holder"), max_length=140)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        required=False,
        help_text=_("Spaces are fine. Or leave it empty and give an account number below."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(label=_("BIC"), max_length=14, required=False)
    account_number = forms.CharField(
        label=_("Account number (outside the IBAN countries)"), max_length=40, required=False
    )
    bank_code = forms.CharField(label=_("Bank or routing code"), max_length=20, required=False)


class AdjustmentForm(forms.Form):
    CREDIT, DEBIT = "credit", "debit"

    direction = forms.ChoiceField(
        label=_("Adjustment"),
        choices=[(CREDIT, _("Credit the reseller")), (DEBIT, _("Debit the reseller"))],
        widget=forms.RadioSelect,
        initial=CREDIT,
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
        max_digits=14,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reseller reads it in its ledger."),
    )

    def signed_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        return -amount if self.cleaned_data["direction"] == self.DEBIT else amount


class WindowExtensionForm(forms.Form):
    pay_by = forms.DateField(label=_("New pay-by date"), widget=forms.DateInput({"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_pay_by(self) -> date:
        pay_by: date = self.cleaned_data["pay_by"]
        if pay_by <= timezone.localdate():
            raise forms.ValidationError(_("The new pay-by date must be in the future."))
        if pay_by.year > timezone.localdate().year + 5:
            raise forms.ValidationError(_("At most five years ahead."))
        return pay_by


class HoldingTermsForm(forms.Form):
    holding_weeks = forms.IntegerField(
        label=_("Holding period (weeks)"),
        min_value=0,
        max_value=MAX_WEEKS,
        required=False,
        help_text=_("Empty: the manufacturer's holding period applies."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("holding_weeks") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this partnership holds for less (or more)."))
        return data


class MarkPaidForm(forms.Form):
    reference = forms.CharField(label=_("Bank payment reference"), max_length=120)


class CommissionSettingsForm(forms.Form):
    minimum_payout = forms.DecimalField(
        label=_("Minimum payout"), min_value=0, max_value=MAX_AMOUNT, decimal_places=2
    )
    service_returns_void = forms.BooleanField(
        label=_("A returned service voids the commission"), required=False
    )
