"""The user's own account security: two-step login, two-factor setup, recovery codes,
re-authentication, active sessions, email change. None of these pages belongs to a tenant."""

from typing import Any

import segno
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from accounts.forms import EmailAuthenticationForm
from accounts.forms_security import (
    EmailChangeForm,
    ReauthForm,
    TotpConfirmForm,
    TwoFactorLoginForm,
    UnlockRequestForm,
)
from accounts.hooks import security_changed
from accounts.models import User
from accounts.reauth import mark_reauthenticated, recent_auth_required
from accounts.sessions import now_ts, user_session_end, user_sessions, user_sessions_end_all
from accounts.tenancy import UserRequest
from accounts.throttling import (
    address_over_failure_limit,
    axes_username,
    mark_browser_unlocked,
)
from accounts.two_factor import (
    STATE_KEY,
    pending_totp_device,
    recovery_codes_left,
    recovery_codes_renew,
    totp_device_confirm,
    totp_device_start,
    two_factor_disable,
    two_factor_enabled,
    two_factor_required,
)
from accounts.views import too_many_requests
from core.http import safe_next
from core.ratelimits import limited

PENDING_KEY = "two_factor_pending"
PENDING_MAX_AGE = 300  # seconds between the password and the code
PENDING_MAX_TRIES = 5
RECOVERY_CODES_KEY = "recovery_codes_to_show"
EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600


@method_decorator(limited(("ip", "60/h"), group="login"), name="post")
class PortalLoginView(auth_views.LoginView):
    """Step one: email and password. A user with a second factor goes on to step two
    without being logged in; the others are logged in here. An address with too many
    wrong passwords across accounts gets 429 (accounts.throttling)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_over_failure_limit(request):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor_enabled(user):
            self.request.session.cycle_key()
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": now_ts(),
                "tries": 0,
                "next": self.get_redirect_url(),
            }
            return redirect("accounts_public:login_verify")
        return super().form_valid(form)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or now_ts() - int(pending.get("at", 0)) > PENDING_MAX_AGE:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None
    return user, pending


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "30/h"), group="login-code")
def login_verify(request: HttpRequest) -> HttpResponseBase:
    """Step two: a code of the authenticator app or a recovery code."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Log in with your email and password first."))
        return redirect("accounts_public:login")
    user, pending = found
    form = TwoFactorLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=pending["backend"] or None)
            otp_login(request, device)
            if device.__class__.__name__ == "RecoveryCodeDevice":
                left = recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones in Security.")
                    % {"left": left},
                )
            return redirect(
                safe_next(request, None, candidate=pending.get("next") or "")
                or reverse("accounts_public:home")
            )
        pending["tries"] = int(pending.get("tries", 0)) + 1
        if pending["tries"] >= PENDING_MAX_TRIES:
            del request.session[PENDING_KEY]
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("accounts_public:login")
        request.session[PENDING_KEY] = pending
        form.add_error("code", _("That code is not right, or was used already."))
    status = 400 if form.errors else 200
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


@login_required
@never_cache
@require_http_methods(["GET"])
def security(request: UserRequest) -> HttpResponse:
    context = {
        "two_factor_enabled": two_factor_enabled(request.user),
        "two_factor_required": two_factor_required(request.user),
        "recovery_codes_left": recovery_codes_left(request.user),
        "sessions": user_sessions(user=request.user),
        "current_session": request.session.session_key,
        "recovery_codes": request.session.pop(RECOVERY_CODES_KEY, None),
    }
    return render(request, "accounts/security.html", context)


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, title=_("QR code for your app"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: UserRequest) -> HttpResponseBase:
    next_url = safe_next(request, None)
    if two_factor_enabled(request.user):
        messages.info(request, _("Two-factor login is already on."))
        return redirect("accounts_public:security")
    device = pending_totp_device(user=request.user)
    if device is None or request.method == "GET":
        device = totp_device_start(user=request.user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = totp_device_confirm(
            user=request.user, device=device, token=form.cleaned_data["code"]
        )
        if enrolment is not None:
            otp_login(request, enrolment.device)
            mark_reauthenticated(request)
            request.session.pop(STATE_KEY, None)
            user_sessions_end_all(user=request.user, keep=request.session.session_key)
            request.session[RECOVERY_CODES_KEY] = enrolment.recovery_codes
            messages.success(
                request,
                _("Two-factor login is on. Keep these recovery codes somewhere safe: "
                  "they are shown only now."),
            )  # fmt: skip
            if next_url:
                request.session["after_codes_next"] = next_url
            return redirect("accounts_public:security")
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": _secret_text(device.bin_key),
        "required": two_factor_required(request.user),
        "next": next_url or "",
    }
    return render(
        request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200
    )


def _secret_text(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_POST
@recent_auth_required
def recovery_codes_new(request: UserRequest) -> HttpResponseBase:
    if not two_factor_enabled(request.user):
        raise Http404
    request.session[RECOVERY_CODES_KEY] = recovery_codes_renew(user=request.user)
    messages.success(request, _("New recovery codes are ready; the old ones no longer work."))
    return redirect("accounts_public:security")


@login_required
@require_POST
@recent_auth_required
def two_factor_off(request: UserRequest) -> HttpResponseBase:
    if two_factor_required(request.user):
        messages.error(
            request,
            _("Your role requires two-factor login, so it cannot be turned off."),
        )
        return redirect("accounts_public:security")
    two_factor_disable(user=request.user)
    messages.success(request, _("Two-factor login is off."))
    return redirect("accounts_public:security")


@login_required
@require_POST
def session_end(request: UserRequest, session_id: int) -> HttpResponseBase:
    if not user_session_end(user=request.user, session_id=session_id):
        raise Http404
    messages.success(request, _("That session has ended."))
    return redirect("accounts_public:security")


@login_required
@require_POST
def sessions_end_others(request: UserRequest) -> HttpResponseBase:
    count = user_sessions_end_all(user=request.user, keep=request.session.session_key)
    messages.success(request, _("%(count)d other session(s) ended.") % {"count": count})
    return redirect("accounts_public:security")


@login_required
@require_POST
def keep_alive(request: UserRequest) -> HttpResponse:
    """The idle warning's "Stay logged in": a request is activity (the middleware counts it)."""
    return HttpResponse(status=204)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reauth(request: UserRequest) -> HttpResponseBase:
    next_url = safe_next(request, None)
    form = ReauthForm(request.POST or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        mark_reauthenticated(request)
        return redirect(next_url or reverse("accounts_public:security"))
    context = {
        "form": form,
        "next": next_url or "",
        "has_two_factor": two_factor_enabled(request.user),
    }
    return render(request, "accounts/reauth.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@recent_auth_required
def email_change(request: UserRequest) -> HttpResponseBase:
    """Send a confirmation link to the new address; nothing changes until it is opened.
    The answer is the same whether or not the address belongs to another account."""
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["email"]
        token = signing.dumps(
            {"user": request.user.pk, "old": request.user.email, "new": new_email},
            salt=EMAIL_CHANGE_SALT,
        )
        link = request.build_absolute_uri(
            reverse("accounts_public:email_change_confirm", kwargs={"token": token})
        )
        with transaction.atomic():
            security_changed.send(
                user=request.user, change="email_change_requested", recipient=new_email, link=link
            )
        messages.success(
            request,
            _("We sent a link to %(email)s. Your address changes when you open it.")
            % {"email": new_email},
        )
        return redirect("accounts_public:security")
    return render(
        request, "accounts/email_change.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm(request: UserRequest, token: str) -> HttpResponseBase:
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        data = None
    user = request.user
    if not data or data.get("user") != user.pk or data.get("old") != user.email:
        return render(request, "accounts/email_change_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "accounts/email_change_confirm.html", {"new_email": data["new"]})
    with transaction.atomic():
        taken = User.objects.filter(email__iexact=data["new"]).exclude(pk=user.pk).exists()
        if taken:
            return render(request, "accounts/email_change_invalid.html", status=400)
        old = user.email
        user.email = data["new"]
        user.save(update_fields=["email"])
        security_changed.send(user=user, change="email_changed", recipient=old)
    messages.success(request, _("Your email address is now %(email)s.") % {"email": user.email})
    return redirect("accounts_public:security")


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts_public:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.user
        with transaction.atomic():
            response = super().form_valid(form)
            security_changed.send(user=user, change="password_changed", recipient=user.email)
        # The other sessions ended with the password's hash; their rows go too.
        user_sessions_end_all(user=user, keep=self.request.session.session_key)
        update_session_auth_hash(self.request, user)
        return response


@method_decorator(
    limited(("ip", "10/h"), ("post:email", "3/h"), group="password-reset"), name="post"
)
class PortalPasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts_public:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


@method_decorator(limited(("ip", "20/h"), group="password-reset-confirm"), name="post")
class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts_public:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            security_changed.send(
                user=form.user, change="password_reset", recipient=form.user.email
            )
        user_sessions_end_all(user=form.user)
        return response


UNLOCK_SALT = "accounts.unlock-link"
UNLOCK_LINK_MAX_AGE = 3600


def _unlock_fingerprint(user: User) -> str:
    # The link dies with a password change or a login (both change these).
    return salted_hmac(UNLOCK_SALT, f"{user.password}{user.last_login}").hexdigest()[:16]


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "5/h"), ("post:email", "3/h"), group="unlock")
def unlock_request(request: HttpRequest) -> HttpResponseBase:
    """The locked-out page's "email me an unlock link": the same answer for any address."""
    form = UnlockRequestForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            token = signing.dumps(
                {"u": user.email, "f": _unlock_fingerprint(user)}, salt=UNLOCK_SALT
            )
            link = request.build_absolute_uri(
                reverse("accounts_public:unlock", kwargs={"token": token})
            )
            with transaction.atomic():
                security_changed.send(
                    user=user, change="unlock_requested", recipient=user.email, link=link
                )
        messages.success(
            request,
            _("If an account uses %(email)s, we sent it a link that unlocks it in this browser.")
            % {"email": email},
        )
        return redirect("accounts_public:login")
    return render(
        request, "accounts/unlock_request.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@require_http_methods(["GET"])
@limited(("ip", "20/h"), group="unlock-link", method="GET")
def unlock(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_LINK_MAX_AGE)
    except signing.BadSignature:
        data = None
    user = User.objects.filter(email=data.get("u"), is_active=True).first() if data else None
    if user is None or data.get("f") != _unlock_fingerprint(user):
        return render(request, "accounts/unlock_invalid.html", status=400)
    username = axes_username(None, {"username": user.email})
    axes_reset(username=username)
    messages.success(request, _("Your account is unlocked in this browser. Log in."))
    response = redirect("accounts_public:login")
    mark_browser_unlocked(response, username)
    return response
