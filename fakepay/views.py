"""The fake provider's hosted checkout page: the only page that ever sees a card number."""

import re

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.ratelimits import limited
from fakepay import api
from fakepay.models import FakeCheckoutSession, SessionStatus


class CardForm(forms.Form):
    card_number = forms.CharField(label=_("Card number"), max_length=23)

    def clean_card_number(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter the card number as digits."))
        return digits


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "20/10m"), group="fakepay")
def checkout(request: HttpRequest, session_id: str) -> HttpResponse:
    session = FakeCheckoutSession.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    if session.status == SessionStatus.PAID:
        return HttpResponseRedirect(session.success_url)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paid = api.session_pay(
            session_id=str(session.pk), card_number=form.cleaned_data["card_number"]
        )
        if paid is not None:
            return HttpResponseRedirect(session.success_url)
        form.add_error("card_number", _("The card was declined."))
    context = {"session": session, "form": form}
    return render(request, "fakepay/checkout.html", context, status=400 if form.errors else 200)
