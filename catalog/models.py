from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from core.bounds import (
    MAX_PRICE,
    MAX_TEXT_LENGTH,
    MONEY_PLACES,
    PRICE_DIGITS,
    between,
    price_validators,
)
from core.constraints import one_of

qualification_code_validator = RegexValidator(
    regex=r"^[A-Z0-9][A-Z0-9_-]{1,49}$",
    message=_("Use uppercase letters, digits, dashes and underscores, like PRO-AV-CERTIFIED."),
)


class Qualification(models.Model):
    """A permission a manufacturer defines; restricted catalog categories require one.

    Defined here, beside the categories it unlocks, so the catalog names it by class; the
    `qualifications` app grants, revokes and requests it.
    """

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="qualifications"
    )
    code = models.CharField(
        _("qualification ID"), max_length=50, validators=[qualification_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT_LENGTH)
    is_default = models.BooleanField(
        _("default qualifying code"),
        default=False,
        help_text=_("Granted by “Qualify” in the communications inbox."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "code"], name="unique_qualification_code"
            ),
            models.UniqueConstraint(
                fields=["manufacturer"],
                condition=models.Q(is_default=True),
                name="one_default_qualification_per_manufacturer",
            ),
        ]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.code


class Category(models.Model):
    """A group of products; a restricted one requires a qualification to see and order."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT_LENGTH)
    required_qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restricted_categories",
        verbose_name=_("required qualification"),
        help_text=_("Leave empty for an open category every reseller sees."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "name"], name="unique_category_name")
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def is_restricted(self) -> bool:
        return self.required_qualification_id is not None


class ProductKind(models.TextChoices):
    PHYSICAL = "physical", _("Physical goods")
    SERVICE = "service", _("Service / subscription")


class Product(models.Model):
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    sku = models.CharField(_("SKU"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT_LENGTH)
    price = models.DecimalField(
        _("list price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=price_validators(),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind, default=ProductKind.PHYSICAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "sku"], name="unique_product_sku"),
            between("price", 0, MAX_PRICE, name="product_price_bounded"),
            one_of("kind", ProductKind, name="product_kind_valid"),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"


class PriceList(models.Model):
    """Negotiated prices a partnership can be put on; products not on it keep the list price."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="price_lists"
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "name"], name="unique_price_list_name")
        ]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_list_items")
    price = models.DecimalField(
        _("price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=price_validators(),
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="unique_price_list_product"
            ),
            between("price", 0, MAX_PRICE, name="price_list_item_price_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.price_list}: {self.product.sku} {self.price}"


class RetailPrice(models.Model):
    """What an end customer in one market pays for a product, set by the manufacturer.

    A market is a country as the reseller writes it on its end customer (matched without
    regard to case); a product with no price for a customer's market cannot be sold to that
    customer through a payment link.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="retail_prices")
    market = models.CharField(_("market (country)"), max_length=100)
    price = models.DecimalField(
        _("retail price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=price_validators(),
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["market", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("market"), "product", name="unique_retail_price_market_product"
            ),
            between("price", 0, MAX_PRICE, name="retail_price_bounded"),
        ]
        verbose_name = _("retail price")
        verbose_name_plural = _("retail prices")

    def __str__(self) -> str:
        return f"{self.product_id} in {self.market}: {self.price}"
