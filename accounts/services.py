from decimal import Decimal

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import hooks, i18n
from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    Role,
    User,
)


@transaction.atomic
def user_create(
    *, email: str, password: str | None, first_name: str = "", last_name: str = ""
) -> User:
    return User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )


@transaction.atomic
def manufacturer_create(*, name: str, slug: str, currency: str = "EUR") -> Manufacturer:
    manufacturer = Manufacturer.objects.create(name=name, slug=slug, currency=currency)
    hooks.manufacturer_created.send(manufacturer=manufacturer)
    return manufacturer


@transaction.atomic
def membership_add(
    *, manufacturer: Manufacturer, user: User, role: Role | str
) -> ManufacturerMembership:
    return ManufacturerMembership.objects.create(manufacturer=manufacturer, user=user, role=role)


@transaction.atomic
def reseller_create(
    *,
    name: str,
    reseller_type: str,
    public_email: str = "",
    website: str = "",
    phone: str = "",
    street: str = "",
    postal_code: str = "",
    city: str = "",
    country: str = "",
    region: str = "",
) -> Reseller:
    """Create a reseller company; its public ID is drawn until it is unique."""
    reseller = Reseller(
        name=name,
        reseller_type=reseller_type,
        public_email=public_email,
        website=website,
        phone=phone,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        region=region,
    )
    while Reseller.objects.filter(public_id=reseller.public_id).exists():
        reseller.public_id = Reseller._meta.get_field("public_id").default()
    reseller.full_clean()
    reseller.save()
    return reseller


@transaction.atomic
def reseller_user_add(*, reseller: Reseller, user: User) -> ResellerMembership:
    return ResellerMembership.objects.create(reseller=reseller, user=user)


@transaction.atomic
def manufacturer_settings_update(
    *,
    manufacturer: Manufacturer,
    name: str,
    currency: str,
    default_commission_rate: Decimal,
    commission_holding_weeks: int,
    payout_deadline_weeks: int,
    resellers_fulfil_orders: bool | None = None,
    require_two_factor: bool | None = None,
) -> Manufacturer:
    """Save the channel settings. The currency is fixed once prices or orders exist: they
    are amounts in it, and nothing converts them."""
    if currency != manufacturer.currency and (
        manufacturer.products.exists() or manufacturer.orders.exists()
    ):
        raise ValidationError(
            {
                "currency": _(
                    "The currency cannot change once you have products or orders: their "
                    "prices and totals are amounts in %(currency)s."
                )
                % {"currency": manufacturer.currency}
            }
        )
    manufacturer.name = name
    manufacturer.currency = currency
    manufacturer.default_commission_rate = default_commission_rate
    manufacturer.commission_holding_weeks = commission_holding_weeks
    manufacturer.payout_deadline_weeks = payout_deadline_weeks
    if resellers_fulfil_orders is not None:  # None: the caller does not set it
        manufacturer.resellers_fulfil_orders = resellers_fulfil_orders
    if require_two_factor is not None:
        manufacturer.require_two_factor = require_two_factor
    manufacturer.full_clean()
    manufacturer.save()
    return manufacturer


@transaction.atomic
def user_sessions_end(*, user: User) -> int:
    """Log the user out everywhere now: delete their database sessions; returns how many.

    A session row does not name its user outside its encoded data, so every live session is
    decoded once. Removing a member is rare; the scan is the price of ending it at once.
    """
    user_key = str(user.pk)
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(
            chunk_size=500
        )
        if str(session.get_decoded().get(SESSION_KEY)) == user_key
    ]
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """The user may no longer log in; their next request is anonymous (ModelBackend refuses
    an inactive user) and their sessions end now."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    user_sessions_end(user=user)
    return user


@transaction.atomic
def user_locale_default(*, user: User, language: str, region: str = "") -> User:
    """Give a user who has no language yet the one they arrived with (their browser's).

    Runs at the first request after the first login or sign-up; a language once set, by this
    or by the user, is never overwritten here."""
    code = i18n.supported_language(language) or settings.LANGUAGE_CODE
    updated = User.objects.filter(pk=user.pk, language="").update(
        language=code, region=i18n.region_for(code, region)
    )
    if updated:
        user.language, user.region = code, i18n.region_for(code, region)
    return user


@transaction.atomic
def user_preferences_update(*, user: User, language: str, region: str, time_zone: str) -> User:
    """The language, region and time zone the user reads the portal and their emails in."""
    user.language = i18n.supported_language(language) or settings.LANGUAGE_CODE
    user.region = region.upper() if region else ""
    user.time_zone = time_zone if i18n.valid_time_zone(time_zone) else settings.TIME_ZONE
    user.full_clean(validate_unique=False, validate_constraints=False, exclude=["password"])
    user.save(update_fields=["language", "region", "time_zone"])
    return user
