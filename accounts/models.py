import hashlib
import secrets
import string
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin
from django_scopes import ScopedManager

from accounts.i18n import valid_time_zone
from core.bounds import MAX_PERCENT, MAX_WEEKS, between, percent_validators
from core.constraints import currency_code, one_of

PUBLIC_ID_ALPHABET = string.ascii_uppercase + string.digits
PUBLIC_ID_LENGTH = 7
public_id_validator = RegexValidator(
    regex=r"^[A-Z0-9]{7}$",
    message=_("A reseller ID is 7 characters, uppercase letters and digits (like 36G8J2Z)."),
)


def generate_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def validate_time_zone(value: str) -> None:
    if not valid_time_zone(value):
        raise ValidationError(_("Choose a time zone from the list."), code="time_zone")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with their email address."""

    # Removes AbstractUser's field; the stubs declare it as a `str`.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    # Blank until the first login, which takes the browser's (accounts.middleware).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    region = models.CharField(
        _("region"),
        max_length=2,
        blank=True,
        default="",
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Choose a region from the list."))],
        help_text=_("How numbers, money and dates are written (French in Canada, for example)."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # AbstractUser declares its username-based manager; this one creates users by email.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        constraints = [
            one_of(
                "language",
                [code for code, _name in settings.LANGUAGES],
                name="user_language_valid",
                blank=True,
            ),
            models.CheckConstraint(
                condition=models.Q(region__regex=r"^([A-Z]{2})?$"), name="user_region_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Manufacturer(models.Model):
    """The tenant: a manufacturer running its reseller channel."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    default_commission_rate = models.DecimalField(
        _("default commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=percent_validators(),
    )
    commission_holding_weeks = models.PositiveSmallIntegerField(
        _("commission holding period (weeks)"),
        default=4,
        validators=[MaxValueValidator(MAX_WEEKS)],
    )
    payout_deadline_weeks = models.PositiveSmallIntegerField(
        _("payout deadline (weeks)"), default=10, validators=[MaxValueValidator(MAX_WEEKS)]
    )
    resellers_fulfil_orders = models.BooleanField(
        _("resellers fulfil their own orders"),
        default=False,
        help_text=_(
            "Resellers mark their accepted orders fulfilled and completed themselves, "
            "for example when they deliver and install. Otherwise your team does."
        ),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor login for all staff"),
        default=False,
        help_text=_(
            "Everyone on your team, sales reps included, must set up an authenticator app "
            "before they can use the portal. Owners always need one."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            between(
                "default_commission_rate", 0, MAX_PERCENT, name="manufacturer_commission_bounded"
            ),
            between("commission_holding_weeks", 0, MAX_WEEKS, name="manufacturer_holding_bounded"),
            between("payout_deadline_weeks", 0, MAX_WEEKS, name="manufacturer_payout_bounded"),
            currency_code("currency", name="manufacturer_currency_valid"),
        ]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")

    def __str__(self) -> str:
        return self.name

    @property
    def portal_path_prefix(self) -> str:
        """Where every page of this manufacturer's portal lives (config/urls.py)."""
        return f"/m/{self.slug}/"


class ResellerType(models.TextChoices):
    RETAILER = "retailer", _("Retailer")
    ONLINE_SHOP = "online_shop", _("Online shop")
    INSTALLER = "installer", _("Installer / integrator")
    DISTRIBUTOR = "distributor", _("Distributor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    CONSULTANT = "consultant", _("Consultant")


class Region(models.TextChoices):
    NORTH = "north", _("North")
    SOUTH = "south", _("South")
    EAST = "east", _("East")
    WEST = "west", _("West")
    CENTRAL = "central", _("Central")
    INTERNATIONAL = "international", _("International")


class Reseller(models.Model):
    """A reselling company, shared across the manufacturers it partners with."""

    public_id = models.CharField(
        _("reseller ID"),
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        default=generate_public_id,
        validators=[public_id_validator],
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    reseller_type = models.CharField(
        _("reseller type"),
        max_length=30,
        choices=ResellerType,
        default=ResellerType.RETAILER,
    )
    public_email = models.EmailField(_("public email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            one_of("reseller_type", ResellerType, name="reseller_type_valid"),
            one_of("region", Region, name="reseller_region_valid", blank=True),
        ]
        verbose_name = _("reseller")
        verbose_name_plural = _("resellers")

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"

    @property
    def portal_path_prefix(self) -> str:
        """Where every page of this reseller's dashboard lives (config/urls.py)."""
        return f"/r/{self.public_id}/"


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    SELLER = "seller", _("Sales rep")


STAFF_ROLES = frozenset({Role.OWNER, Role.MANAGER})


class ManufacturerMembership(models.Model):
    """A user's role in a manufacturer."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="manufacturer_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["manufacturer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "user"], name="unique_membership_per_manufacturer"
            ),
            one_of("role", Role, name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.manufacturer} · {self.get_role_display()}"

    @property
    def is_staff_role(self) -> bool:
        """Owners and managers see the whole tenant; a seller sees their portfolio."""
        return self.role in STAFF_ROLES

    @property
    def is_seller(self) -> bool:
        return self.role == Role.SELLER


class ResellerMembership(models.Model):
    """A user who works for a reseller and uses the reseller dashboard."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reseller_memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reseller__name"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "user"], name="unique_reseller_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.reseller}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A user's one-time recovery codes, a django-otp device beside their authenticator app.

    django-otp's own static device keeps its codes in clear; these are kept as SHA-256
    digests (each code carries 60 random bits, so a salted slow hash buys nothing), and a
    code is deleted when it is used.
    """

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: Any) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        digest = recovery_code_digest(str(token))
        used = self.codes.filter(digest=digest).delete()[0] > 0
        if used:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return used


def recovery_code_digest(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="unique_recovery_code")
        ]

    def __str__(self) -> str:
        return f"{self.device} · {self.digest[:8]}…"


class UserSession(models.Model):
    """One logged-in browser of a user: what their "active sessions" list shows and ends.

    Django's session row does not name its user outside its encoded data; this row does, so
    a user's sessions are one indexed query and ending one deletes both rows.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="usersession_user_seen")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A large CSV export made in the background, with its progress (accounts.services.exports).

    Only the member who asked sees it; the file is read back through a permission check.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="export_jobs"
    )
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="export_jobs")
    # The name a domain registered its builder under (core.exports), and the list's filters.
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved on at every progress report: a running job that has not moved for a while lost
    # its worker, and the sweep starts it again.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            one_of("status", ExportStatus, name="export_job_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.requested_by} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED}


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    EMAIL_CHANGED = "email_changed", _("Email address changed")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor login turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor login turned off")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Recovery codes renewed")
    SESSION_ENDED = "session_ended", _("Session ended")
    MEMBER_INVITED = "member_invited", _("Member invited")
    MEMBER_JOINED = "member_joined", _("Member joined")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    ROLE_CHANGED = "role_changed", _("Role changed")
    SETTINGS_CHANGED = "settings_changed", _("Settings changed")
    QUALIFICATION_GRANTED = "qualification_granted", _("Qualification granted")
    QUALIFICATION_REVOKED = "qualification_revoked", _("Qualification revoked")
    PAYOUT_APPROVED = "payout_approved", _("Payout approved")
    PAYOUT_DETAILS_CHANGED = "payout_details_changed", _("Payout details changed")
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    EXPORT = "export", _("Data exported")


class AuditLogIsAppendOnly(Exception):
    """An audit event is never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("audit events are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit events are never deleted")


class AuditEvent(models.Model):
    """Who did what, when and from where (ASVS 7.1/7.2): append-only.

    The model refuses updates and deletes, and on PostgreSQL a trigger refuses them too
    (accounts/migrations). Its relations are not database constraints and never cascade, so
    removing a user or a tenant leaves their history; the actor's email is kept as text.
    """

    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    actor_email = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction)
    target = models.CharField(_("what"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["manufacturer", "-at"], name="audit_tenant_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]
        constraints = [one_of("action", AuditAction, name="audit_action_valid")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit events are never deleted")
