"""Accepting an invitation: the single-use link sets the new rep's password.

The token is Django's default_token_generator (the password-reset one): its hash covers
the password and the last login, so it stops working as soon as the password is set.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.ratelimits import limited
from salesreps.services import (
    InvitationUnavailable,
    rep_invitation_accept,
    rep_invitation_decline,
    rep_invitation_pending,
)


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "10/h"), group="invite-accept")
def accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "salesreps/invite_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your password is set. Log in with your email address."))
        return redirect("accounts_public:login")
    return render(
        request,
        "salesreps/invite_accept.html",
        {"form": form, "invited_user": user},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@limited(("ip", "20/h"), group="invite-join")
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Someone who already has a login accepts (or declines) an invitation to a team."""
    user = cast(User, request.user)
    invitation = rep_invitation_pending(token=token, user=user)
    if invitation is None:
        return render(request, "salesreps/invite_invalid.html", status=404)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "accept":
                rep_invitation_accept(token=token, user=user)
                messages.success(
                    request,
                    _("You joined %(manufacturer)s as a sales rep.")
                    % {"manufacturer": invitation.manufacturer.name},
                )
                return redirect(
                    "accounts_manufacturer:dashboard",
                    manufacturer_slug=invitation.manufacturer.slug,
                )
            rep_invitation_decline(token=token, user=user)
        except InvitationUnavailable:
            return render(request, "salesreps/invite_invalid.html", status=404)
        messages.info(request, _("You declined the invitation."))
        return redirect("accounts_public:home")
    return render(request, "salesreps/invite_join.html", {"invitation": invitation})
