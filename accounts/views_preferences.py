"""The language, formats and time zone a user reads in: the account's preferences page and
the top bar's language menu, which works for visitors too (it then keeps a cookie)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import i18n
from accounts.forms import LanguageSwitchForm, PreferencesForm
from accounts.services import user_preferences_update
from accounts.tenancy import UserRequest
from core.http import safe_next


def _remember_language(response: HttpResponseBase, language: str) -> HttpResponseBase:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: UserRequest) -> HttpResponseBase:
    user = request.user
    initial = {
        "language": i18n.base_language(user.language),
        "region": user.region,
        "time_zone": user.time_zone,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_preferences_update(user=user, **form.cleaned_data)
        code, _zone = i18n.user_locale(user)
        # The confirmation reads in the language just chosen.
        with translation.override(code):
            messages.success(request, _("Your preferences are saved."))
        return _remember_language(redirect("accounts_public:preferences"), user.language)
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
def language_switch(request: UserRequest) -> HttpResponseBase:
    """Switch the language from the top bar and go back to the page it was on.

    An unknown code changes nothing: the page comes back in the language it had."""
    back = safe_next(request, None) or reverse("accounts_public:home")
    form = LanguageSwitchForm(request.POST)
    response: HttpResponseBase = HttpResponseRedirect(back)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    user = request.user
    if user.is_authenticated:
        user_preferences_update(
            user=user, language=language, region=user.region, time_zone=user.time_zone
        )
    return _remember_language(response, language)
