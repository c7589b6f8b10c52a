"""Demo affiliate links, sign-ups through them, and an interaction log for end customers.

Runs after the demo orders (which create the resellers' first end customers). Idempotent:
a link is made only where a partnership has none, sign-ups are skipped when the email is
already a customer, and interactions are logged only for customers that have none.
"""

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Reseller
from channel.models import EndCustomer, PartnershipStatus
from resellers.models import AffiliateLink, CustomerInteraction, InteractionKind
from resellers.services import affiliate_link_get_or_create, affiliate_signup, interaction_add

if TYPE_CHECKING:
    from demo.channel import DemoReport

SIGNUPS = [  # (name, company, email local part)
    ("Katrin Vogel", "Vogel Eventtechnik", "katrin.vogel"),
    ("Mehmet Aydın", "", "m.aydin"),
    ("Sophie Brandt", "Brandt Architektur", "sophie"),
    ("Lukas Neumann", "", "lukas.neumann"),
    ("Ingrid Sørensen", "Nordhavn Café", "ingrid"),
    ("Tobias Kern", "", "tkern"),
    ("Aylin Demir", "Demir Zahnarztpraxis", "praxis.demir"),
    ("Jan Petersen", "", "jan.petersen"),
]
NOTES = {
    InteractionKind.CALL: [
        "Called about the showroom demo; interested in a multi-room setup.",
        "Follow-up call: waiting for the installer's quote.",
    ],
    InteractionKind.EMAIL: [
        "Sent the product sheet and the price list.",
        "Confirmed the delivery date by email.",
    ],
    InteractionKind.MEETING: [
        "On-site visit: measured the living room, two ceiling speakers planned.",
        "Met at the trade fair; wants an offer for the office.",
    ],
    InteractionKind.NOTE: [
        "Prefers to be contacted in the afternoon.",
        "Pays by card; send payment links rather than invoices.",
    ],
}


def build_demo_affiliate(resellers: list[Reseller], report: "DemoReport") -> None:
    now = timezone.now()
    for index, reseller in enumerate(resellers[:12]):
        partnerships = reseller.partnerships.filter(status=PartnershipStatus.ACTIVE)
        for partnership in partnerships.select_related("manufacturer", "reseller"):
            if not AffiliateLink.objects.filter(partnership=partnership).exists():
                affiliate_link_get_or_create(partnership=partnership)
                report.count("affiliate links")
            link = AffiliateLink.objects.filter(
                partnership=partnership, retired_at__isnull=True
            ).first()
            if link is None or index > 2:
                continue
            # One generator per partnership and per customer: a re-run draws the same values.
            rng = random.Random(f"affiliate-{partnership.manufacturer.slug}-{reseller.name}")  # noqa: S311
            start = rng.randrange(len(SIGNUPS))
            for offset in range(2 + index):
                name, company, local = SIGNUPS[(start + offset) % len(SIGNUPS)]
                email = f"{local}@{partnership.manufacturer.slug}-fans.example"
                _, created = affiliate_signup(link=link, name=name, email=email, company=company)
                if created:
                    report.count("affiliate sign-ups")
        author = reseller.memberships.select_related("user").first()
        customers = EndCustomer.objects.filter(reseller=reseller).order_by("pk")[:6]
        for customer in customers:
            if CustomerInteraction.objects.filter(end_customer=customer).exists():
                continue
            rng = random.Random(f"interactions-{customer.email}")  # noqa: S311
            for step in range(rng.randint(1, 3)):
                kind = rng.choice(list(NOTES))
                interaction_add(
                    customer=customer,
                    author=author.user if author else None,
                    kind=kind,
                    body=rng.choice(NOTES[kind]),
                    occurred_at=now - timedelta(days=rng.randint(1, 90), hours=step),
                )
                report.count("customer interactions")
