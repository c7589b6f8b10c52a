"""Two-factor login in tests: an authenticator for a user, its current code, and a test
client's session marked as verified (what the two-step login does)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import two_factor_required


def enrol(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def verify_session(client: Client, user: User) -> TOTPDevice:
    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def login_as(client: Client, user: User) -> Client:
    """force_login, plus the second factor when the user's role requires one."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if two_factor_required(user):
        verify_session(client, user)
    return client
