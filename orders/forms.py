"""Forms of the order pages. Choices are always built from the request's tenant/reseller.

Prices never come from a form: order lines carry product ids (or SKUs) and quantities only;
orders.services.orders.order_create prices them.
"""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer, Reseller
from catalog.models import Product
from channel.models import EndCustomer
from core.bounds import MAX_ORDER_LINES, MAX_QUANTITY
from core.forms import OnceForm
from orders.models import OrderStatus
from orders.selectors.orders import OrderFilters
from orders.services.orders import LineRequest, ReturnLineRequest, quantity_refusal
from orders.workflow import ACTION_LABELS

QUANTITY_ERROR = _("Quantities must be at least 1.")
# "Quantities must be between 1 and 9,999.", in the language of the request.
QUANTITY_MAX_ERROR = lazy(quantity_refusal, str)()


class DateInput(forms.DateInput):
    input_type = "date"


class OrderFilterForm(forms.Form):
    """Filters of the reseller's list; the manufacturer's adds the reseller choice."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OrderStatus.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    customer = forms.CharField(label=_("Customer"), required=False, max_length=100)

    def to_filters(self) -> OrderFilters:
        """The valid filters; an invalid value filters nothing rather than failing."""
        if not self.is_bound:
            return OrderFilters()
        self.is_valid()
        data = self.cleaned_data  # holds the valid fields only
        reseller = data.get("reseller")
        manufacturer = data.get("manufacturer")
        return OrderFilters(
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            reseller_id=reseller.pk if reseller else None,
            manufacturer_id=manufacturer.pk if manufacturer else None,
            customer=data.get("customer") or "",
            q=data.get("q") or "",
        )


class AutocompleteInput(forms.TextInput):
    """A text field with a <datalist> that htmx fills from `options_url` as the user types
    (`reseller_options`); without JavaScript it is a plain text field."""

    template_name = "forms/widgets/autocomplete.html"

    def __init__(self, options_url: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.options_url = options_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        datalist_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["datalist_id"] = datalist_id
        context["widget"]["attrs"].update({"list": datalist_id, "autocomplete": "off"})
        if self.options_url:
            context["widget"]["attrs"].update(
                {
                    "hx-get": self.options_url,
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": f"#{datalist_id}",
                    "hx-swap": "innerHTML",
                }
            )
        return context


class ResellerLookupField(forms.CharField):
    """One of `queryset`'s resellers, typed as its reseller ID (what the autocomplete puts
    in) or given by its id (links, the API). A list of every reseller as <option>s cost a
    template include each, thousands per page."""

    default_error_messages = {
        "invalid_choice": _("No reseller of yours has this reseller ID."),
    }

    def __init__(self, *, queryset: QuerySet[Reseller] | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=100, **kwargs)
        self.queryset = queryset

    def clean(self, value: Any) -> Reseller | None:
        text = (super().clean(value) or "").strip()
        if not text or self.queryset is None:
            return None
        found = self.queryset.filter(public_id__iexact=text).first()
        if found is None and text.isdigit() and len(text) < 12:
            found = self.queryset.filter(pk=int(text)).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class ManufacturerOrderFilterForm(OrderFilterForm):
    reseller = ResellerLookupField(
        label=_("Reseller"),
        required=False,
        help_text=_("Reseller ID; type a name to pick one."),
    )
    field_order = ["q", "status", "reseller", "customer", "date_from", "date_to"]

    def __init__(
        self,
        *args: Any,
        resellers: QuerySet[Reseller],
        options_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ResellerLookupField, self.fields["reseller"])
        field.queryset = resellers
        field.widget = AutocompleteInput(
            options_url, attrs={"placeholder": _("All resellers"), "maxlength": "100"}
        )


class ResellerAllOrdersFilterForm(OrderFilterForm):
    manufacturer: "forms.ModelChoiceField[Manufacturer]" = forms.ModelChoiceField(
        label=_("Manufacturer"), required=False, queryset=None, empty_label=_("All manufacturers")
    )
    field_order = ["q", "status", "manufacturer", "customer", "date_from", "date_to"]

    def __init__(self, *args: Any, manufacturers: QuerySet[Manufacturer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Manufacturer]", self.fields["manufacturer"])
        field.queryset = manufacturers


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (s, ACTION_LABELS[s]) for s in allowed
        ]
        self.fields["to_status"].error_messages["invalid_choice"] = _(
            "This order cannot make that change in its current status."
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_internal = forms.BooleanField(
        label=_("Internal: only your organisation sees it"), required=False, initial=True
    )


class ReturnForm(forms.Form):
    """One quantity field per order line (`qty_<line id>`), bounded by what can still come back."""

    returned_at = forms.DateField(label=_("Returned on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    # `lines` come from `order_lines_with_returns`: OrderLines that carry `returnable`.
    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.fields["returned_at"].initial = timezone.localdate()
        for line in lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku} · {line.name}",
                required=False,
                min_value=0,
                max_value=line.returnable,
                disabled=line.returnable <= 0,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            line.return_field = self[f"qty_{line.pk}"]

    def clean_returned_at(self) -> date:
        value = self.cleaned_data["returned_at"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A return cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not any(cleaned.get(f"qty_{line.pk}") for line in self.lines):
            raise forms.ValidationError(_("Enter how many of at least one line came back."))
        return cleaned

    def line_requests(self) -> list[ReturnLineRequest]:
        return [
            ReturnLineRequest(order_line_id=line.pk, quantity=self.cleaned_data[f"qty_{line.pk}"])
            for line in self.lines
            if self.cleaned_data.get(f"qty_{line.pk}")
        ]


class OrderRecipientForm(OnceForm):
    """For whom: one of the reseller's own end customers, or the reseller's own use."""

    end_customer: "forms.ModelChoiceField[EndCustomer]" = forms.ModelChoiceField(
        label=_("End customer"), required=False, queryset=None, empty_label=_("— choose —")
    )
    own_use = forms.BooleanField(label=_("For our own use (earns no commission)"), required=False)

    def __init__(self, *args: Any, end_customers: QuerySet[EndCustomer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[EndCustomer]", self.fields["end_customer"])
        field.queryset = end_customers
        field.error_messages["invalid_choice"] = _(
            "That customer does not belong to this reseller."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "end_customer" in self.errors:
            return cleaned
        customer, own_use = cleaned.get("end_customer"), cleaned.get("own_use")
        if own_use and customer is not None:
            raise forms.ValidationError(
                _("An order for the reseller's own use has no end customer.")
            )
        if not own_use and customer is None:
            raise forms.ValidationError(
                _("Choose the end customer, or mark the order for own use.")
            )
        return cleaned


class SkuLineForm(forms.Form):
    sku = forms.CharField(
        label=_("SKU"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "product-skus", "autocomplete": "off"}),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        required=False,
        max_value=MAX_QUANTITY,
        error_messages={"max_value": QUANTITY_MAX_ERROR},
        widget=forms.NumberInput(attrs={"min": 1}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        sku = (cleaned.get("sku") or "").strip()
        quantity = cleaned.get("quantity")
        if not sku and quantity is None:
            return cleaned
        if not sku:
            self.add_error("sku", _("Enter the SKU of this line."))
        if quantity is None:
            self.add_error("quantity", _("Enter a quantity."))
        elif quantity < 1:
            self.add_error("quantity", QUANTITY_ERROR)
        cleaned["sku"] = sku
        return cleaned


LINES_LIMIT_ERROR = lazy(
    lambda: (
        _("An order has at most %(max)d lines; split it into several orders.")
        % {"max": MAX_ORDER_LINES}
    ),
    str,
)()


class BaseSkuLineFormSet(forms.BaseFormSet):
    """SKU + quantity rows, resolved against the products this reseller may order."""

    default_error_messages = {"too_many_forms": LINES_LIMIT_ERROR}

    def __init__(
        self, *args: Any, products: QuerySet[Product], extra: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if extra is not None:  # how many empty lines an unbound form shows
            self.extra = extra
        self.products = products
        self.line_requests: list[LineRequest] = []

    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [
            (form, form.cleaned_data["sku"], form.cleaned_data["quantity"])
            for form in self.forms
            if form.cleaned_data.get("sku")
        ]
        if not rows:
            raise forms.ValidationError(_("An order needs at least one product."))
        # SKUs match case-insensitively, within the products this reseller may order.
        wanted = Q()
        for _form, sku, _quantity in rows:
            wanted |= Q(sku__iexact=sku)
        by_sku = {p.sku.lower(): p for p in self.products.filter(wanted).only("pk", "sku")}
        for form, sku, _quantity in rows:
            if sku.lower() not in by_sku:
                form.add_error(
                    "sku",
                    _("No product with SKU “%(sku)s” is available to this reseller.")
                    % {"sku": sku},
                )
        if any(self.errors):
            return
        self.line_requests = [
            LineRequest(product_id=by_sku[sku.lower()].pk, quantity=quantity)
            for _form, sku, quantity in rows
        ]


LINES_LIMIT_ERROR = lazy(
    lambda: (
        _("An order has at most %(max)d lines; split it into several orders.")
        % {"max": MAX_ORDER_LINES}
    ),
    str,
)()

# Any number of lines up to MAX_ORDER_LINES: the page adds empty ones on demand.
# `formset_factory` is typed to return the base class; it returns a subclass of `formset`.
SkuLineFormSet = cast(
    "type[BaseSkuLineFormSet]",
    forms.formset_factory(
        SkuLineForm,
        formset=BaseSkuLineFormSet,
        extra=3,
        max_num=MAX_ORDER_LINES,
        absolute_max=MAX_ORDER_LINES,
        validate_max=True,
    ),
)


def posted_lines(data: Mapping[str, Any], *, prefix: str) -> list[dict[str, Any]]:
    """The SKU and quantity of each posted line, raw, to show them again in a longer form."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    return [
        {
            "sku": data.get(f"{prefix}-{index}-sku", ""),
            "quantity": data.get(f"{prefix}-{index}-quantity", ""),
        }
        for index in range(min(max(total, 0), MAX_ORDER_LINES))
    ]


class ProductQuantitiesForm(forms.Form):
    """Quantities keyed by product id (`qty_<product id>`) for the reseller's order form.

    Every posted `qty_<id>` is read, not only the fields shown: an id outside the orderable
    products is refused by name instead of silently dropped.
    """

    QTY_KEY = re.compile(r"^qty_(\d+)$")

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Products that also carry, for the template, `qty_field` and the view's `your_price`.
        self.products: list[Any] = list(products)
        self.line_requests: list[LineRequest] = []
        for product in self.products:
            self.fields[f"qty_{product.pk}"] = forms.IntegerField(
                label=product.name,
                required=False,
                max_value=MAX_QUANTITY,
                error_messages={"max_value": QUANTITY_MAX_ERROR},
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "min": 1,
                        "inputmode": "numeric",
                    }
                ),
            )
            product.qty_field = self[f"qty_{product.pk}"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        allowed = {p.pk for p in self.products}
        requests = []
        for key, raw in (self.data or {}).items():
            match = self.QTY_KEY.match(key)
            if not match or str(raw).strip() == "":
                continue
            product_id = int(match.group(1))
            if product_id not in allowed:
                raise forms.ValidationError(
                    _("One or more products are not available to this reseller, or do not exist.")
                )
            quantity = cleaned.get(key)
            if quantity is None or quantity < 1:
                self.add_error(key, QUANTITY_ERROR)
                continue
            requests.append(LineRequest(product_id=product_id, quantity=quantity))
        if self.errors:
            raise forms.ValidationError(QUANTITY_ERROR)
        if not requests:
            raise forms.ValidationError(_("An order needs at least one product."))
        self.line_requests = requests
        return cleaned
