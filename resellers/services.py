import secrets
from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, Reseller, User
from channel.models import EndCustomer, Partnership, PartnershipStatus
from core.bounds import MAX_TEXT_LENGTH
from core.exceptions import DomainRefused
from core.http import portal_url
from notifications.services import email_enqueue
from resellers.models import AffiliateLink, AffiliateSignup, CustomerInteraction, InteractionKind
from resellers.selectors.affiliate_links import affiliate_link_usable
from resellers.selectors.end_customers import end_customer_email_taken


class EndCustomerRefused(DomainRefused):
    """The change breaks a rule (e.g. a duplicate email); the message is user-facing."""


class InteractionRefused(DomainRefused):
    """The interaction cannot be logged as given; the message is user-facing."""


class AffiliateLinkRefused(DomainRefused):
    """The affiliate link cannot be used or created; the message is user-facing."""


END_CUSTOMER_FIELDS = (
    "name",
    "company",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "country",
    "notes",
    "language",
)


def normalize_email(email: str) -> str:
    """One spelling per address, so the unique (reseller, email) constraint catches duplicates."""
    return email.strip().lower()


# --- end customers -------------------------------------------------------------------------


def end_customer_create(
    *,
    reseller: Reseller,
    name: str,
    email: str,
    company: str = "",
    phone: str = "",
    street: str = "",
    postal_code: str = "",
    city: str = "",
    country: str = "",
    notes: str = "",
    language: str = "",
    source_manufacturer: Manufacturer | None = None,
) -> EndCustomer:
    """Add a customer to the reseller's book; an email already there is refused."""
    email = normalize_email(email)
    if end_customer_email_taken(reseller=reseller, email=email):
        raise EndCustomerRefused(_("You already have a customer with this email address."))
    try:
        with transaction.atomic():
            return EndCustomer.objects.create(
                reseller=reseller,
                name=name.strip(),
                email=email,
                company=company.strip(),
                phone=phone.strip(),
                street=street.strip(),
                postal_code=postal_code.strip(),
                city=city.strip(),
                country=country.strip(),
                notes=notes,
                language=language,
                source_manufacturer=source_manufacturer,
            )
    except IntegrityError as error:  # the same email added at the same moment
        raise EndCustomerRefused(
            _("You already have a customer with this email address.")
        ) from error


def end_customer_update(*, customer: EndCustomer, **fields: str) -> EndCustomer:
    """Change the contact data; only the fields in END_CUSTOMER_FIELDS may be changed."""
    unknown = set(fields) - set(END_CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"end_customer_update() got unexpected fields: {sorted(unknown)}")
    if "email" in fields:
        fields["email"] = normalize_email(fields["email"])
        if end_customer_email_taken(
            reseller=customer.reseller, email=fields["email"], exclude_id=customer.pk
        ):
            raise EndCustomerRefused(_("You already have a customer with this email address."))
    for name, value in fields.items():
        setattr(customer, name, value.strip() if name != "notes" else value)
    try:
        with transaction.atomic():
            customer.save(update_fields=list(fields))
    except IntegrityError as error:
        raise EndCustomerRefused(
            _("You already have a customer with this email address.")
        ) from error
    return customer


@transaction.atomic
def interaction_add(
    *,
    customer: EndCustomer,
    author: User | None,
    kind: str,
    body: str,
    occurred_at: datetime | None = None,
) -> CustomerInteraction:
    """Log a call, email, meeting or note in the reseller's book, of at most
    MAX_TEXT_LENGTH characters (a page of text; the form says so first)."""
    body = body.strip()
    if not body:
        raise InteractionRefused(_("Write what happened."))
    if len(body) > MAX_TEXT_LENGTH:
        raise InteractionRefused(
            _("Keep it to %(max)s characters; this has %(length)s.")
            % {"max": MAX_TEXT_LENGTH, "length": len(body)}
        )
    if kind not in InteractionKind.values:
        raise InteractionRefused(_("Unknown kind of interaction."))
    return CustomerInteraction.objects.create(
        reseller_id=customer.reseller_id,
        end_customer=customer,
        author=author,
        kind=kind,
        body=body,
        occurred_at=occurred_at or timezone.now(),
    )


# --- affiliate links -----------------------------------------------------------------------


def _new_affiliate_token() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def affiliate_link_get_or_create(*, partnership: Partnership) -> AffiliateLink:
    """The partnership's active link, made on first use; only active partnerships get one."""
    # Lock the partnership so two first views cannot both create a link.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    link = AffiliateLink.objects.filter(partnership=partnership, retired_at__isnull=True).first()
    if link is not None:
        return link
    if partnership.status != PartnershipStatus.ACTIVE:
        raise AffiliateLinkRefused(
            _("Your partnership with this manufacturer is not active, so it has no sign-up link.")
        )
    return AffiliateLink.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        token=_new_affiliate_token(),
    )


@transaction.atomic
def affiliate_link_retire(
    *, partnership: Partnership, replace: bool = True
) -> AffiliateLink | None:
    """Retire the active link (it then says so when opened) and, by default, make a new one."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    AffiliateLink.objects.filter(partnership=partnership, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    if not replace:
        return None
    return affiliate_link_get_or_create(partnership=partnership)


@transaction.atomic
def affiliate_signup(
    *, link: AffiliateLink, name: str, email: str, company: str = "", phone: str = ""
) -> tuple[EndCustomer, bool]:
    """Make the person a customer of the link's reseller; (customer, created).

    Signing up twice with the same email does not duplicate the customer: the existing one
    is returned unchanged (the person sees the same thank-you page either way, so the page
    does not reveal who is already a customer).
    """
    # The caller's copy may be stale: the link retired or the partnership ended since it was
    # loaded. Lock the partnership (as retiring and status changes do) and read both again.
    partnership = Partnership.objects.select_for_update().get(pk=link.partnership_id)
    link = AffiliateLink.objects.select_related("manufacturer").get(pk=link.pk)
    link.partnership = partnership
    if not affiliate_link_usable(link):
        raise AffiliateLinkRefused(_("This sign-up link has been retired."))
    reseller = partnership.reseller
    existing = EndCustomer.objects.filter(
        reseller=reseller, email__iexact=normalize_email(email)
    ).first()
    if existing is not None:
        return existing, False
    try:
        customer = end_customer_create(
            reseller=reseller,
            name=name,
            email=email,
            company=company,
            phone=phone,
            source_manufacturer=link.manufacturer,
        )
    except EndCustomerRefused:  # signed up at the same moment in another request
        customer = EndCustomer.objects.get(reseller=reseller, email__iexact=normalize_email(email))
        return customer, False
    return customer, True


# --- email confirmation of affiliate sign-ups ------------------------------------------------

CONFIRM_SALT = "resellers.affiliate-signup"
# A confirmation link works for two days; "send it again" makes a new one.
CONFIRM_MAX_AGE = 2 * 24 * 3600
# At most one email per sign-up in this many seconds, whoever asks for it again.
RESEND_AFTER = 60


class SignupTokenInvalid(DomainRefused):
    """The confirmation link is unknown, altered or used up; the message is user-facing."""


class SignupTokenExpired(SignupTokenInvalid):
    """The confirmation link was real but is too old."""


def affiliate_signup_token(signup: AffiliateSignup) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"id": signup.pk, "email": normalize_email(signup.email)}
    )


def _confirm_url(signup: AffiliateSignup) -> str:
    return portal_url(
        reverse("resellers_public:confirm", kwargs={"token": affiliate_signup_token(signup)})
    )


def _send_confirmation(signup: AffiliateSignup, reseller: Reseller) -> None:
    link = _confirm_url(signup)
    values = {"reseller": reseller.name, "name": signup.name, "link": link}
    email_enqueue(
        recipient=signup.email,
        subject=_("Confirm your sign-up with %(reseller)s") % values,
        body=_(
            "Hello %(name)s,\n\nyou asked to become a customer of %(reseller)s. Confirm your "
            "email address here (the link works for two days):\n%(link)s\n\n"
            "If this was not you, ignore this email: nothing is kept without the confirmation.\n"
        )
        % values,
        kind="resellers.affiliate_confirm",
        manufacturer=signup.link.manufacturer,
        secrets=[link],
    )
    AffiliateSignup.objects.filter(pk=signup.pk).update(sent_at=timezone.now())


def _tell_existing_customer(*, email: str, reseller: Reseller, link: AffiliateLink) -> None:
    email_enqueue(
        recipient=email,
        subject=_("You are already a customer of %(reseller)s") % {"reseller": reseller.name},
        body=_(
            "Someone (probably you) signed up with this address at %(reseller)s, where you "
            "are already a customer. Nothing changed.\n"
        )
        % {"reseller": reseller.name},
        kind="resellers.affiliate_known",
        manufacturer=link.manufacturer,
    )


@transaction.atomic
def affiliate_signup_request(
    *, link: AffiliateLink, name: str, email: str, company: str = "", phone: str = ""
) -> None:
    """The public form was sent: email a confirmation link; nothing reaches the reseller yet.

    Whoever the address belongs to, the person sees the same page ("check your email"), so
    the form does not reveal who is a customer: an existing customer is told by email that
    nothing changed, a pending sign-up gets its link again (at most once a minute).
    """
    partnership = Partnership.objects.select_for_update().get(pk=link.partnership_id)
    link = AffiliateLink.objects.select_related("manufacturer").get(pk=link.pk)
    link.partnership = partnership
    if not affiliate_link_usable(link):
        raise AffiliateLinkRefused(_("This sign-up link has been retired."))
    reseller = partnership.reseller
    email = normalize_email(email)
    if EndCustomer.objects.filter(reseller=reseller, email__iexact=email).exists():
        _tell_existing_customer(email=email, reseller=reseller, link=link)
        return
    pending = (
        AffiliateSignup.objects.filter(link=link, email__iexact=email, confirmed_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        if (timezone.now() - pending.sent_at).total_seconds() >= RESEND_AFTER:
            _send_confirmation(pending, reseller)
        return
    signup = AffiliateSignup.objects.create(
        manufacturer_id=link.manufacturer_id, link=link, name=name.strip(), email=email,
        company=company.strip(), phone=phone.strip(), sent_at=timezone.now(),
    )  # fmt: skip
    signup.link = link
    _send_confirmation(signup, reseller)


@transaction.atomic
def affiliate_signup_resend(*, link: AffiliateLink, email: str) -> None:
    """ "Send the link again": the same answer whether or not the address signed up."""
    signup = (
        AffiliateSignup.objects.filter(
            link=link, email__iexact=normalize_email(email), confirmed_at__isnull=True
        )
        .select_related("link__manufacturer", "link__partnership__reseller")
        .order_by("-pk")
        .first()
    )
    if signup is None:
        return
    if (timezone.now() - signup.sent_at).total_seconds() >= RESEND_AFTER:
        _send_confirmation(signup, signup.link.partnership.reseller)


def affiliate_signup_by_token_unscoped(signed: str) -> AffiliateSignup:
    """The sign-up a confirmation link names (before any tenant is known: the token tells
    it), or SignupTokenInvalid / SignupTokenExpired."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            signed, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise SignupTokenExpired(_("This confirmation link has expired.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise SignupTokenInvalid(_("This confirmation link is not valid.")) from error
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        raise SignupTokenInvalid(_("This confirmation link is not valid."))
    signup: AffiliateSignup | None = (
        AffiliateSignup.objects.with_scopes_disabled()
        .select_related("link__manufacturer", "link__partnership__reseller")
        .filter(pk=value["id"])
        .first()
    )
    if signup is None or normalize_email(signup.email) != value.get("email"):
        raise SignupTokenInvalid(_("This confirmation link is not valid."))
    return signup


@transaction.atomic
def affiliate_signup_confirm(*, signup: AffiliateSignup) -> EndCustomer:
    """The person confirmed their address: they become the reseller's customer, once (a
    second use of the link finds the customer made by the first)."""
    locked = AffiliateSignup.objects.select_for_update().get(pk=signup.pk)
    customer, _created = affiliate_signup(
        link=signup.link, name=locked.name, email=locked.email,
        company=locked.company, phone=locked.phone,
    )  # fmt: skip
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
    return customer
