from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User

CODE_MAX_LENGTH = 20


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return "".join(value.split()) if value else value


class TwoFactorLoginForm(forms.Form):
    code = CodeField(
        label=_("Authentication code"),
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
    )


class TotpConfirmForm(forms.Form):
    code = CodeField(
        label=_("Code shown by the app"),
        help_text=_("Enter the 6-digit code to confirm the app is set up."),
    )


class ReauthForm(forms.Form):
    """Either the password or a code: one of them, typed again now."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = CodeField(label=_("or a code from your authenticator app"), required=False)

    def __init__(self, *args, request: HttpRequest, user: User, **kwargs):
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        from django_otp import match_token

        cleaned = super().clean() or {}
        password = cleaned.get("password")
        code = cleaned.get("code")
        if not password and not code:
            raise forms.ValidationError(_("Enter your password or a code."))
        if password:
            # Through authenticate(), so a wrong password counts towards the lockout.
            if authenticate(self.request, username=self.user.email, password=password) is None:
                raise forms.ValidationError(_("That password is not right."))
            return cleaned
        if match_token(self.user, code) is None:
            raise forms.ValidationError(_("That code is not right, or was used already."))
        return cleaned


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New email address"), max_length=254)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if email == self.user.email:
            raise forms.ValidationError(_("That is already your email address."))
        return email


class UnlockRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
