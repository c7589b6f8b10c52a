"""Who hears about a reseller's message: the tenant's owners and managers and the reps who
may see that customer, never every rep.

Two reps of the tenant each have a customer; the reseller also partners with a second
manufacturer, whose own rep has it in their portfolio; and rep B manages that second
manufacturer, so a role held elsewhere must not count here.
"""

from dataclasses import dataclass

import pytest

from accounts.models import Manufacturer, Role, User
from channel.models import Partnership
from communications.models import Conversation, ConversationType
from communications.services.conversations import conversation_start, reseller_reply
from notifications.models import Notification
from qualifications.services import qualification_request_create
from salesreps.services import portfolio_assign
from tests.accounts.factories import MembershipFactory, ResellerFactory, ResellerUserFactory
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory


@dataclass
class People:
    tenant: Manufacturer
    owner: User
    manager: User
    rep_a: User
    rep_b: User
    other_manager: User
    other_rep: User
    writer: User  # a user of the reseller
    customer_a: Partnership  # rep A's, the reseller that writes
    customer_b: Partnership  # rep B's
    elsewhere: Partnership  # the same reseller with the other manufacturer, the other rep's


@pytest.fixture
def people(manufacturer, other_manufacturer, owner, manager, make_member) -> People:
    rep_a = make_member(manufacturer, Role.SELLER)
    rep_b = make_member(manufacturer, Role.SELLER)
    MembershipFactory(manufacturer=other_manufacturer, user=rep_b, role=Role.MANAGER)
    other_manager = make_member(other_manufacturer, Role.MANAGER)
    other_rep = make_member(other_manufacturer, Role.SELLER)
    reseller = ResellerFactory(name="Soundhouse GmbH")
    customer_a = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    customer_b = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    elsewhere = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    for partnership, rep, by in (
        (customer_a, rep_a, owner),
        (customer_b, rep_b, owner),
        (elsewhere, other_rep, other_manager),
    ):
        portfolio_assign(
            manufacturer=partnership.manufacturer, partnership=partnership, rep=rep, by=by
        )
    return People(
        tenant=manufacturer,
        owner=owner,
        manager=manager,
        rep_a=rep_a,
        rep_b=rep_b,
        other_manager=other_manager,
        other_rep=other_rep,
        writer=ResellerUserFactory(reseller=reseller).user,
        customer_a=customer_a,
        customer_b=customer_b,
        elsewhere=elsewhere,
    )


def notified() -> set[int]:
    users = set(Notification.objects.values_list("user_id", flat=True))
    Notification.objects.all().delete()
    return users


def start(people: People) -> Conversation:
    return conversation_start(
        partnership=people.customer_a,
        kind=ConversationType.GENERAL,
        subject="",
        body="Do you have the AX-200 in stock?",
        author=people.writer,
    )


def test_a_new_conversation_notifies_staff_and_only_that_customers_rep(people):
    start(people)
    assert notified() == {people.owner.pk, people.manager.pk, people.rep_a.pk}


def test_a_reply_notifies_staff_and_only_that_customers_rep(people):
    conversation = start(people)
    notified()
    reseller_reply(conversation=conversation, author=people.writer, body="Any news?")
    assert notified() == {people.owner.pk, people.manager.pk, people.rep_a.pk}


def test_a_qualification_request_notifies_staff_and_only_that_customers_rep(people):
    code = QualificationFactory(manufacturer=people.tenant, code="PRO-AV")
    qualification_request_create(
        partnership=people.customer_a, qualification=code, requested_by=people.writer
    )
    assert notified() == {people.owner.pk, people.manager.pk, people.rep_a.pk}


def test_the_recipients_follow_the_portfolio(people):
    portfolio_assign(
        manufacturer=people.tenant, partnership=people.customer_a, rep=people.rep_b, by=people.owner
    )
    start(people)
    assert notified() == {people.owner.pk, people.manager.pk, people.rep_b.pk}

    portfolio_assign(
        manufacturer=people.tenant, partnership=people.customer_a, rep=None, by=people.owner
    )
    start(people)
    assert notified() == {people.owner.pk, people.manager.pk}


def test_the_same_resellers_message_to_the_other_manufacturer_stays_there(people):
    conversation_start(
        partnership=people.elsewhere,
        kind=ConversationType.GENERAL,
        subject="",
        body="Hello",
        author=people.writer,
    )
    # rep B manages the other manufacturer and hears about it there, as staff
    assert notified() == {people.other_manager.pk, people.other_rep.pk, people.rep_b.pk}
