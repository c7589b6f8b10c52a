"""The reseller's cart with checkout by payment link, and the public pay page.

Cart views live under /r/<id>/m/<slug>/cart/ (reseller_partner_view). The pay views under
/pay/<token>/ are public: no login and no tenant decorator. They resolve the link through
the one unscoped lookup (orders.selectors.payment_links.payment_link_resolve) and run every
other query inside `django_scopes.scope(manufacturer=link.manufacturer)`.
"""

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from accounts.i18n import LANGUAGE_QUERY_PARAMETER, supported_language
from accounts.tenancy import ResellerPartnerRequest, reseller_partner_view
from catalog.gate import orderable_products
from catalog.pricing import reseller_unit_prices
from channel.models import EndCustomer
from core.http import portal_url
from core.ratelimits import limited
from orders.forms_checkout import (
    CartAddForm,
    CartCustomerForm,
    CheckoutForm,
    PaymentLinkResendForm,
)
from orders.models import Cart, PaymentLink
from orders.payments import get_payment_provider
from orders.pricing import order_commission_estimate
from orders.selectors.carts import cart_find, cart_priced
from orders.selectors.orders import access_checkout_order, order_notes_for_customer
from orders.selectors.payment_links import (
    LinkState,
    PaymentLinkInvalid,
    payment_for_link,
    payment_link_resolve,
    payment_link_state,
)
from orders.services import carts, payment_links, payments  # by module: views share names
from orders.services.orders import OrderRefused

# --- reseller side: the cart ---------------------------------------------------------------


def _cart_redirect(request: ResellerPartnerRequest) -> HttpResponse:
    return redirect(
        "orders_reseller:cart",
        reseller_public_id=request.reseller.public_id,
        manufacturer_slug=request.tenant.slug,
    )


def _customers(request: ResellerPartnerRequest) -> QuerySet[EndCustomer]:
    # Reached through the reseller's relation (orders sits below resellers); scoped too.
    return request.reseller.end_customers.filter(reseller=request.reseller).order_by("name", "pk")


def _product_choices(request: ResellerPartnerRequest) -> list[tuple[str, list[tuple[int, str]]]]:
    """Orderable products grouped by category, each labelled with the reseller's price."""
    partnership = request.partnership
    products = list(
        orderable_products(manufacturer=request.tenant, reseller=request.reseller)
        .select_related("category")
        .order_by("category__name", "name", "pk")
    )
    prices = reseller_unit_prices(
        products=products,
        price_list=partnership.price_list,
        discount_percent=partnership.effective_discount_percent,
    )
    currency = request.tenant.currency
    return [
        (
            category,
            [(p.pk, f"{p.name} · {p.sku} · {currency} {prices[p.pk]:,.2f}") for p in group],
        )
        for category, group in groupby(products, key=lambda p: p.category.name)
    ]


def _find_cart(request: ResellerPartnerRequest) -> Cart | None:
    cart = cart_find(partnership=request.partnership, user=request.user)
    if cart is not None:
        cart.partnership = request.partnership  # already loaded by the decorator
    return cart


def _get_or_create_cart(request: ResellerPartnerRequest) -> Cart:
    cart = carts.cart_get_or_create(partnership=request.partnership, user=request.user)
    cart.partnership = request.partnership
    return cart


def _render_cart(
    request: ResellerPartnerRequest,
    cart: Cart | None = None,
    *,
    customer_form: CartCustomerForm | None = None,
    add_form: CartAddForm | None = None,
    checkout_form: CheckoutForm | None = None,
) -> HttpResponse:
    summary = cart_priced(cart=cart, partnership=request.partnership)
    end_customer = cart.end_customer if cart is not None else None
    context = {
        "cart": cart,
        "summary": summary,
        "end_customer": end_customer,
        "customer_form": customer_form
        or CartCustomerForm(
            customers=_customers(request),
            initial={"end_customer": end_customer.pk if end_customer else None},
        ),
        "add_form": add_form or CartAddForm(product_choices=_product_choices(request)),
        "checkout_form": checkout_form
        or CheckoutForm(initial={"recipient": end_customer.email if end_customer else ""}),
        "partnership_active": request.partnership.is_active,
        "valid_days": settings.PAYMENT_LINK_VALID_DAYS,
    }
    return render(request, "orders/cart/cart.html", context)


@reseller_partner_view
@require_GET
def cart(request: ResellerPartnerRequest) -> HttpResponse:
    return _render_cart(request, _find_cart(request))


@reseller_partner_view
@require_POST
def cart_customer(request: ResellerPartnerRequest) -> HttpResponse:
    form = CartCustomerForm(request.POST, customers=_customers(request))
    if not form.is_valid():
        return _render_cart(request, _find_cart(request), customer_form=form)
    cart = _get_or_create_cart(request)
    carts.cart_set_end_customer(cart=cart, end_customer=form.cleaned_data["end_customer"])
    messages.success(
        request,
        _("The cart is for %(customer)s.") % {"customer": form.cleaned_data["end_customer"]},
    )
    return _cart_redirect(request)


@reseller_partner_view
@require_POST
def cart_add(request: ResellerPartnerRequest) -> HttpResponse:
    form = CartAddForm(request.POST, product_choices=_product_choices(request))
    if not form.is_valid():
        return _render_cart(request, _find_cart(request), add_form=form)
    cart = _get_or_create_cart(request)
    try:
        carts.cart_add_line(
            cart=cart,
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
        )
    except OrderRefused as refusal:  # CheckoutRefused too
        form.add_error(None, refusal.user_message)
        return _render_cart(request, cart, add_form=form)
    messages.success(request, _("Added to the cart."))
    return _cart_redirect(request)


@reseller_partner_view
@require_POST
def cart_update(request: ResellerPartnerRequest) -> HttpResponse:
    """Save the quantities (0 removes a line); a `remove` button removes its line."""
    cart = _find_cart(request)
    if cart is None:
        return _cart_redirect(request)
    remove = request.POST.get("remove", "")
    if remove:
        if remove.isdigit():
            carts.cart_remove_line(cart=cart, product_id=int(remove))
            messages.success(request, _("Removed from the cart."))
        return _cart_redirect(request)
    quantities: dict[int, int] = {}
    for key, value in request.POST.dict().items():
        if not key.startswith("qty_") or not key[4:].isdigit():
            continue
        try:
            quantities[int(key[4:])] = int(value)
        except ValueError:
            messages.error(request, _("Quantities must be whole numbers."))
            return _cart_redirect(request)
    try:
        carts.cart_update(cart=cart, quantities=quantities)
    except OrderRefused as refusal:  # CheckoutRefused too
        messages.error(request, refusal.user_message)
    else:
        messages.success(request, _("Cart updated."))
    return _cart_redirect(request)


@reseller_partner_view
@require_POST
def cart_clear(request: ResellerPartnerRequest) -> HttpResponse:
    cart = _find_cart(request)
    if cart is not None:
        carts.cart_clear(cart=cart)
    messages.success(request, _("The cart is empty."))
    return _cart_redirect(request)


@reseller_partner_view
@require_POST
def cart_checkout(request: ResellerPartnerRequest) -> HttpResponse:
    cart = _find_cart(request)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        return _render_cart(request, cart, checkout_form=form)
    if cart is None:
        form.add_error(None, _("The cart is empty."))
        return _render_cart(request, cart, checkout_form=form)

    try:
        result = payment_links.checkout_with_payment_link(
            cart=cart,
            recipient=form.cleaned_data["recipient"],
            created_by=request.user,
            pay_url=_pay_url_builder(request),
            submission_key=form.cleaned_data["submission_key"],
        )
    except OrderRefused as refusal:  # CheckoutRefused too
        form.add_error(None, refusal.user_message)
        return _render_cart(request, _find_cart(request), checkout_form=form)
    messages.success(
        request,
        _("Order %(number)s created; the payment link is on its way to %(email)s.")
        % {"number": result.order.number, "email": result.link.recipient},
    )
    return redirect(
        "orders_reseller:cart_sent",
        reseller_public_id=request.reseller.public_id,
        manufacturer_slug=request.tenant.slug,
        order_id=result.order.pk,
    )


@reseller_partner_view
@require_GET
def cart_sent(request: ResellerPartnerRequest, order_id: int) -> HttpResponse:
    order = access_checkout_order(partnership=request.partnership, order_id=order_id)
    context = {
        "order": order,
        "link": order.payment_links.first(),
        "commission_estimate": order_commission_estimate(order),
    }
    return render(request, "orders/cart/sent.html", context)


# --- public: the pay page ------------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: never send it to other sites in the Referer header.
    # ("same-origin", not "no-referrer": with no referrer the browser posts `Origin: null`
    # and Django's CSRF origin check refuses the pay form.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _speak_customers_language(request: HttpRequest, link: PaymentLink) -> None:
    """The end customer reads the language of the reseller's record of them, unless they chose
    one on the page (`?lang=`, the language menu's cookie); without either, their browser's,
    which the middleware activated already."""
    if supported_language(request.GET.get(LANGUAGE_QUERY_PARAMETER)) or supported_language(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    ):
        return
    customer = link.order.end_customer
    language = supported_language(customer.language) if customer is not None else None
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _render_state(request: HttpRequest, link: PaymentLink, state: str) -> HttpResponse:
    templates = {
        LinkState.PAID: ("orders/pay/paid.html", 200),
        LinkState.EXPIRED: ("orders/pay/expired.html", 410),
        LinkState.CANCELLED: ("orders/pay/cancelled.html", 410),
    }
    template, status = templates[state]
    context = {
        "link": link,
        "order": link.order,
        "payment": payment_for_link(link) if state == LinkState.PAID else None,
        "provider": get_payment_provider(),
    }
    return _public(render(request, template, context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "10/10m"), ("ip", "30/d"), group="pay")
def pay(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = payment_link_resolve(token=token)
    except PaymentLinkInvalid:
        return _public(render(request, "orders/pay/invalid.html", status=404))
    _speak_customers_language(request, link)
    provider = get_payment_provider()
    with scope(manufacturer=link.manufacturer):
        state = payment_link_state(link)
        if state != LinkState.VALID:
            return _render_state(request, link, state)
        form = provider.form_class(request.POST or None)
        if getattr(provider, "hosted", False) and request.method == "POST":
            # The provider's own page takes the card; the portal never sees it.
            pay_page = request.build_absolute_uri(
                reverse("orders_public:pay", kwargs={"token": token})
            )
            try:
                url = payments.payment_link_checkout(
                    token=token,
                    success_url=request.build_absolute_uri(
                        reverse("orders_public:receipt", kwargs={"token": token})
                    )
                    + "?checkout=returned",
                    cancel_url=pay_page,
                    webhook_url=request.build_absolute_uri(reverse("orders_public:webhook")),
                    base_url=request.build_absolute_uri("/"),
                )
            except payments.PaymentLinkUnavailable as unavailable:
                link = payment_link_resolve(token=token)
                return _render_state(request, link, unavailable.state)
            return redirect(url)
        if request.method == "POST" and form.is_valid():
            try:
                # Only the provider's own fields are passed on; an "amount" is never read.
                payments.payment_link_pay(token=token, form_data=form.cleaned_data)
            except payments.PaymentDeclined as declined:
                form.add_error(None, declined.user_message)
            except payments.PaymentLinkUnavailable as unavailable:
                link = payment_link_resolve(token=token)
                return _render_state(request, link, unavailable.state)
            else:
                return redirect("orders_public:receipt", token=token)
        order = link.order
        context = {
            "link": link,
            "order": order,
            "lines": list(order.lines.all()),
            "customer_notes": order_notes_for_customer(order),
            "form": form,
            "provider": provider,
            "returned": request.GET.get("checkout") == "returned",
        }
        return _public(render(request, "orders/pay/pay.html", context))


@csrf_exempt
@require_POST
@limited(("ip", "120/m"), group="payment-webhook")
def webhook(request: HttpRequest) -> HttpResponse:
    """The provider's signed event (no session, no CSRF token: the signature is the proof)."""
    provider: Any = get_payment_provider()
    if not getattr(provider, "hosted", False):
        return HttpResponse(status=404)
    signature = request.headers.get(provider.signature_header, "")
    try:
        payments.payment_webhook_receive(body=request.body, signature=signature)
    except payments.WebhookRefused:
        return HttpResponse(status=400)
    return HttpResponse(status=200)


@never_cache
@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = payment_link_resolve(token=token)
    except PaymentLinkInvalid:
        return _public(render(request, "orders/pay/invalid.html", status=404))
    _speak_customers_language(request, link)
    with scope(manufacturer=link.manufacturer):
        if payment_link_state(link) != LinkState.PAID:
            # Back from the provider's page before its webhook: the pay page says it waits.
            returned = "?checkout=returned" if request.GET.get("checkout") == "returned" else ""
            return redirect(reverse("orders_public:pay", kwargs={"token": token}) + returned)
        context = {
            "link": link,
            "order": link.order,
            "lines": list(link.order.lines.all()),
            "customer_notes": order_notes_for_customer(link.order),
            "payment": payment_for_link(link),
            "provider": get_payment_provider(),
        }
        return _public(render(request, "orders/pay/receipt.html", context))


def _pay_url_builder(request: HttpRequest) -> Callable[[str], str]:
    """token -> the absolute /pay/<token>/ address on the configured PORTAL_BASE_URL."""

    def pay_url(token: str) -> str:
        return portal_url(reverse("orders_public:pay", kwargs={"token": token}))

    return pay_url


@reseller_partner_view
@require_POST
def payment_link_resend(request: ResellerPartnerRequest, pk: int) -> HttpResponse:
    """A fresh payment link for an order awaiting payment, to the same or a corrected address."""
    order = access_checkout_order(partnership=request.partnership, order_id=pk)
    detail = redirect(
        "orders_reseller:detail",
        reseller_public_id=request.reseller.public_id,
        manufacturer_slug=request.tenant.slug,
        pk=order.pk,
    )
    form = PaymentLinkResendForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(message) for message in form.errors.get("recipient", []))
        )
        return detail
    try:
        result = payment_links.payment_link_resend(
            order=order, recipient=form.cleaned_data["recipient"], pay_url=_pay_url_builder(request)
        )
    except OrderRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("A new payment link is on its way to %(email)s; earlier links no longer work.")
            % {"email": result.link.recipient},
        )
    return detail
