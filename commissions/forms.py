from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer
from catalog.models import Category, Product
from core.bounds import MAX_AMOUNT, MAX_PERCENT, MAX_WEEKS


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


class PeriodForm(forms.Form):
    """A period of at most two years for the reseller's statistics."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > 731:
                raise forms.ValidationError(_("Choose a period of at most two years."))
        return data


class RateForm(forms.Form):
    """A rate from a day on: the default, one reseller's, or one category's."""

    rate = forms.DecimalField(
        label=_("Rate (%)"), min_value=0, max_value=MAX_PERCENT, decimal_places=2, max_digits=5
    )
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput({"type": "date"})
    )
    public_id = forms.CharField(
        label=_("Reseller ID (for one reseller's rate)"), max_length=7, required=False
    )
    category: "forms.ModelChoiceField[Category]" = forms.ModelChoiceField(
        label=_("Category (for its own rate)"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            manufacturer=manufacturer
        ).order_by("name")

    def clean_effective_from(self) -> date:
        day: date = self.cleaned_data["effective_from"]
        today = timezone.localdate()
        if abs((day - today).days) > 3660:
            raise forms.ValidationError(_("Choose a day within ten years of today."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public_id") and data.get("category"):
            raise forms.ValidationError(_("A rate is for one reseller or one category, not both."))
        return data


class CommissionFreeForm(forms.Form):
    category: "forms.ModelChoiceField[Category]" = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    sku = forms.CharField(label=_("or a product's SKU"), max_length=60, required=False)
    free = forms.BooleanField(label=_("Earns no commission"), required=False, initial=True)

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manufacturer = manufacturer
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            manufacturer=manufacturer
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sku = (data.get("sku") or "").strip()
        if bool(sku) == bool(data.get("category")):
            raise forms.ValidationError(_("Choose a category or enter a product's SKU."))
        if sku:
            product = Product.objects.filter(manufacturer=self.manufacturer, sku=sku).first()
            if product is None:
                self.add_error("sku", _("No product has this SKU."))
            data["product"] = product
        return data
