"""Forms of the reseller's cart. Choices are built by the view from the request's reseller
and manufacturer, so a form can never offer another tenant's customer or product."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from channel.models import EndCustomer
from core.forms import OnceForm
from orders.services.carts import MAX_LINE_QUANTITY

PAYMENT_LINK = "payment_link"


class CartCustomerForm(forms.Form):
    end_customer: "forms.ModelChoiceField[EndCustomer]" = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, empty_label=_("Choose a customer…")
    )

    def __init__(self, *args: Any, customers: QuerySet[EndCustomer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[EndCustomer]", self.fields["end_customer"])
        field.queryset = customers


class CartAddForm(forms.Form):
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1
    )

    # Grouped by category: (category name, [(product id, label), ...]).
    def __init__(
        self, *args: Any, product_choices: list[tuple[str, list[tuple[int, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["product"]).choices = [
            ("", _("Choose a product…")),
            *product_choices,
        ]


class CheckoutForm(OnceForm):
    payment_method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[(PAYMENT_LINK, _("Payment link: the customer pays online by card"))],
        initial=PAYMENT_LINK,
        widget=forms.RadioSelect,
    )
    recipient = forms.EmailField(
        label=_("Send the payment link to"),
        help_text=_("The customer's email address unless you change it."),
    )


class PaymentLinkResendForm(forms.Form):
    recipient = forms.EmailField(
        label=_("Send a new link to"),
        error_messages={"required": _("Enter the email address to send the new link to.")},
    )
