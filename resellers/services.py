import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, Reseller, User
from channel.models import EndCustomer, Partnership, PartnershipStatus
from core.bounds import MAX_TEXT_LENGTH
from core.exceptions import DomainRefused
from resellers.models import AffiliateLink, CustomerInteraction, InteractionKind
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
