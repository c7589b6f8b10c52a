"""A retired affiliate link is refused by `affiliate_signup` itself, not only by the page.

The service is called with the link as the caller loaded it, which may be a moment old: the
reseller retires it (or the manufacturer ends the partnership) between the page's check and
the sign-up. The reseller partners with two manufacturers, each with its own link, so a
retirement at one must not touch the other.
"""

import pytest

from channel.models import EndCustomer, PartnershipStatus
from channel.services import partnership_set_status
from resellers import services
from resellers.models import AffiliateLink
from tests.accounts.factories import ResellerFactory
from tests.resellers.factories import PartnershipFactory

PERSON = {
    "name": "Jane Doe",
    "email": "jane@example.com",
    "company": "Doe AV",
    "phone": "",
}


@pytest.fixture
def links(manufacturer, other_manufacturer):
    reseller = ResellerFactory(name="Soundhouse GmbH")
    here = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    there = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    return {
        "here": services.affiliate_link_get_or_create(partnership=here),
        "there": services.affiliate_link_get_or_create(partnership=there),
    }


def loaded(link: AffiliateLink) -> AffiliateLink:
    """The link as a request would have loaded it, before anything below happened."""
    return AffiliateLink.objects.select_related("partnership", "manufacturer").get(pk=link.pk)


def test_a_retired_link_is_refused(links):
    link = links["here"]
    services.affiliate_link_retire(partnership=link.partnership, replace=False)
    with pytest.raises(services.AffiliateLinkRefused, match="retired"):
        services.affiliate_signup(link=loaded(link), **PERSON)
    assert not EndCustomer.objects.exists()


def test_a_link_retired_after_it_was_loaded_is_refused(links):
    stale = loaded(links["here"])
    replacement = services.affiliate_link_retire(partnership=stale.partnership)
    assert stale.retired_at is None  # the caller's copy still looks active
    with pytest.raises(services.AffiliateLinkRefused):
        services.affiliate_signup(link=stale, **PERSON)
    assert not EndCustomer.objects.exists()

    customer, created = services.affiliate_signup(link=loaded(replacement), **PERSON)
    assert created and customer.source_manufacturer == stale.manufacturer


@pytest.mark.parametrize("status", [PartnershipStatus.SUSPENDED, PartnershipStatus.ENDED])
def test_a_link_of_a_partnership_ended_after_it_was_loaded_is_refused(links, status):
    stale = loaded(links["here"])
    partnership_set_status(partnership=loaded(links["here"]).partnership, status=status)
    assert stale.partnership.status == PartnershipStatus.ACTIVE  # stale, too
    with pytest.raises(services.AffiliateLinkRefused):
        services.affiliate_signup(link=stale, **PERSON)
    assert not EndCustomer.objects.exists()


def test_retiring_one_manufacturers_link_leaves_the_others(links):
    services.affiliate_link_retire(partnership=links["here"].partnership, replace=False)
    customer, created = services.affiliate_signup(link=loaded(links["there"]), **PERSON)
    assert created
    assert customer.source_manufacturer == links["there"].manufacturer
    assert EndCustomer.objects.count() == 1
