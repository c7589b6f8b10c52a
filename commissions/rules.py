"""The rules of what a reseller earns on an order (pure functions, no writes).

- Own use earns nothing; neither does an order whose end customer is the reseller itself
  (`self_referral_reason`: the same email, a company email domain or the same address).
- A line of a commission-free product or category earns nothing.
- Otherwise a line earns at the first rate that applies on the day the order completed:
  its category's own rate, else the partnership's own rate, else the partner tier's
  (`channel.benefits.tier_commission_rates`), else the manufacturer's default (10% unless
  changed). A
  category's rate comes first because it is the most specific: it is set for exactly
  those products.
- The commission of the lines that share a rate is rounded once, half-up to the cent
  (`quantize_money`), so a thousand small lines do not each lose a fraction of a cent.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from accounts.models import Reseller
from channel.models import EndCustomer

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

# Addresses at these domains belong to anyone: the same domain says nothing about who it is.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "mail.com",
        # Reserved for examples (RFC 2606): anyone's address, never one company's domain.
        "example.com",
        "example.net",
        "example.org",
        "example.test",
    }
)


def quantize_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def commission_of(base: Decimal, rate: Decimal) -> Decimal:
    """`rate` % of `base`, rounded once."""
    return quantize_money(base * rate / HUNDRED)


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def website_domain(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.")


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def self_referral_reason(
    *, end_customer: EndCustomer, reseller: Reseller, reseller_emails: list[str]
) -> str:
    """Why this end customer is the reseller itself, or "" when it is not.

    `reseller_emails`: the addresses of the reseller's users.
    """
    customer_email = end_customer.email.strip().lower()
    own_emails = {e.strip().lower() for e in [reseller.public_email, *reseller_emails] if e}
    if customer_email in own_emails:
        return _("the end customer's email address %(email)s is the reseller's own") % {
            "email": customer_email
        }
    domain = email_domain(customer_email)
    own_domains = {email_domain(e) for e in own_emails} | (
        {website_domain(reseller.website)} if reseller.website else set()
    )
    if domain and domain not in PUBLIC_EMAIL_DOMAINS and domain in own_domains:
        return _("the end customer's email domain %(domain)s is the reseller's own") % {
            "domain": domain
        }
    if (
        end_customer.street.strip()
        and reseller.street.strip()
        and _normal(end_customer.street) == _normal(reseller.street)
        and _normal(end_customer.postal_code) == _normal(reseller.postal_code)
    ):
        return _("the end customer's address is the reseller's own")
    return ""


@dataclass(frozen=True)
class Window:
    eligible_from: date
    pay_by: date


def payout_window(*, completed_on: date, holding_weeks: int, deadline_weeks: int) -> Window:
    """Payable no earlier than `holding_weeks` after completion, due `deadline_weeks` after."""
    eligible = completed_on + timedelta(weeks=holding_weeks)
    pay_by = completed_on + timedelta(weeks=max(deadline_weeks, holding_weeks))
    return Window(eligible_from=eligible, pay_by=pay_by)
