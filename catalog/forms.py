"""Catalog forms. Every choice field is limited to the tenant's own rows."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer
from catalog.models import Category, PriceList, Product, ProductKind
from core.bounds import MAX_PRICE, MONEY_PLACES, PRICE_DIGITS
from core.listing import MAX_SEARCH_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TenantModelForm(forms.ModelForm):
    """A model form for one manufacturer: its choices and uniqueness checks stay inside it."""

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manufacturer = manufacturer

    def _unique_in_tenant(self, field: str, message: "StrOrPromise") -> str:
        value = self.cleaned_data[field]
        clash = self._meta.model.objects.filter(
            manufacturer=self.manufacturer, **{f"{field}__iexact": value}
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(message)
        return value


def _foreign_key(model: type[models.Model], name: str) -> "models.ForeignKey[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, models.ForeignKey):
        raise TypeError(f"{model.__name__}.{name} is not a foreign key")
    return field


def _related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model a foreign key points to, reached without importing it."""
    related = _foreign_key(model, name).related_model
    if not isinstance(related, type):  # "self" only before the app registry is ready
        raise TypeError(f"{model.__name__}.{name} is not resolved yet")
    return related


def _tenant_choice(
    model: type[models.Model], name: str, **kwargs: Any
) -> "forms.ModelChoiceField[Any]":
    """A choice field for a scoped foreign key, empty until the form knows its tenant (the
    default field would query every tenant's rows, which the scoped manager refuses)."""
    model_field = _foreign_key(model, name)
    return forms.ModelChoiceField(
        queryset=_related_model(model, name)._default_manager.none(),
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        **kwargs,
    )


class CategoryForm(TenantModelForm):
    required_qualification = _tenant_choice(Category, "required_qualification", required=False)

    class Meta:
        model = Category
        fields = ["name", "description", "required_qualification"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Any]", self.fields["required_qualification"])
        # Qualifications sit above catalog: reach the model through the relation.
        qualification = _related_model(Category, "required_qualification")
        field.queryset = qualification._default_manager.filter(manufacturer=self.manufacturer)
        field.empty_label = _("None: every reseller sees it")

    def clean_name(self) -> str:
        return self._unique_in_tenant("name", _("A category with this name already exists."))


class ProductForm(TenantModelForm):
    category = _tenant_choice(Product, "category")

    class Meta:
        model = Product
        fields = ["sku", "name", "category", "kind", "price", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast("forms.ModelChoiceField[Category]", self.fields["category"])
        category.queryset = Category.objects.filter(manufacturer=self.manufacturer)
        self.fields["price"].help_text = _("In %(currency)s, before any reseller discount.") % {
            "currency": self.manufacturer.currency
        }

    def clean_sku(self) -> str:
        self.cleaned_data["sku"] = self.cleaned_data["sku"].strip()
        return self._unique_in_tenant("sku", _("Another product already has this SKU."))


class PriceListForm(TenantModelForm):
    class Meta:
        model = PriceList
        fields = ["name"]

    def clean_name(self) -> str:
        return self._unique_in_tenant("name", _("A price list with this name already exists."))


class PriceListItemForm(forms.Form):
    product: "forms.ModelChoiceField[Product]" = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none()
    )
    price = forms.DecimalField(
        label=_("Price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=0,
        max_value=MAX_PRICE,
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = cast("forms.ModelChoiceField[Product]", self.fields["product"])
        product.queryset = Product.objects.filter(manufacturer=manufacturer)


class ProductFilterForm(forms.Form):
    """The product list's search and filters; invalid values are ignored, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_SEARCH_LENGTH)
    category: "forms.ModelChoiceField[Category]" = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ProductKind.choices], required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))],
        required=False,
    )

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast("forms.ModelChoiceField[Category]", self.fields["category"])
        category.queryset = Category.objects.filter(manufacturer=manufacturer)
        category.empty_label = _("All categories")
        for name in ("category", "kind", "active"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        category = data.get("category")
        return {
            "q": data.get("q", ""),
            "category_id": category.pk if category else None,
            "kind": data.get("kind", ""),
            "active": {"yes": True, "no": False}.get(data.get("active", "")),
        }
