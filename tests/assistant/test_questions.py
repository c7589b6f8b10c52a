"""The other questions, each answered with its page's data, and every answer's query budget
(with enough rows that one query per row would break it)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import OrderStatus
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.assistant.helpers import answer_html, ask, title
from tests.commissions.factories import CommissionEntryFactory
from tests.communications.factories import ConversationFactory
from tests.orders.factories import OrderFactory, force_status
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = 12


@pytest.fixture
def channel(manufacturer, partnership, rep, other_rep, owner, foreign_partnership):
    """Soundhouse (Sara's) with placed and accepted orders; twelve more resellers, the even
    ones Tom's, each with an order, a conversation waiting and a commission due this week."""
    customers = [
        PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name=f"Shop {n:02}"))
        for n in range(CUSTOMERS)
    ]
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=rep, by=owner)
    today = timezone.localdate()
    for n, customer in enumerate(customers):
        if n % 2 == 0:
            portfolio_assign(
                manufacturer=manufacturer, partnership=customer, rep=other_rep, by=owner
            )
        order = OrderFactory(partnership=customer)
        force_status(order, OrderStatus.COMPLETED)
        ConversationFactory(
            partnership=customer, subject=f"Question {n}", awaiting_since=timezone.now()
        )
        CommissionEntryFactory(
            partnership=customer, pay_by=today + timedelta(days=0), credit=Decimal(10 + n)
        )
    placed = OrderFactory(partnership=partnership)
    accepted = OrderFactory(partnership=partnership)
    force_status(accepted, OrderStatus.ACCEPTED)
    OrderFactory(partnership=foreign_partnership)
    ConversationFactory(partnership=foreign_partnership, awaiting_since=timezone.now())
    return {"customers": customers, "placed": placed, "accepted": accepted}


# (request, what the answer shows, query budget)
QUESTIONS = [
    ("Show me a list of all my resellers", "Shop 00", 17),
    ("tell me about soundhouse", "Business and contact", 17),
    ("sales statistics of soundhouse last quarter", "Sales statistics", 22),
    ("open orders of soundhouse", "Open orders of Soundhouse GmbH", 19),
    ("orders waiting for acceptance", "Orders waiting for acceptance", 17),
    ("conversations waiting for an answer", "Question 0", 18),
    ("who is due a payout this week", "Shop 00", 17),
    ("tom's portfolio", "Shop 10", 18),
    ("resellers without a rep", "Shop 01", 17),
    ("top resellers this year", "Shop 00", 17),
    ("what changed for soundhouse since 1 january", "Order", 21),
    ("grant PRO-AV-CERTIFIED to soundhouse", "will hold PRO-AV-CERTIFIED", 20),
    ("assign soundhouse to tom", "Tom Okafor", 20),
]


@pytest.mark.parametrize(("text", "shows", "budget"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_each_answer_keeps_its_query_budget(
    client_for, manager, channel, qualification, text, shows, budget, django_assert_max_num_queries
):
    client = client_for(manager)
    ask(client, "resellers")  # the session and the recent list are warm
    # Queries: the session, the user, the membership, the recent request (read, write and
    # trim, in savepoints), the recent list, the bell's count (twice: the answer is rendered
    # inside the response), then the page's selectors; none grows with the number of rows.
    with django_assert_max_num_queries(budget):
        response = ask(client, text)
    assert response.status_code == 200
    assert shows in answer_html(response)
    assert "Helios Partner" not in answer_html(response)


def test_open_orders_are_the_resellers_open_ones(client_for, manager, channel):
    html = answer_html(ask(client_for(manager), "open orders of soundhouse"))
    assert channel["placed"].number in html and channel["accepted"].number in html
    assert channel["customers"][0].reseller.name not in html


def test_orders_waiting_for_acceptance_are_the_placed_ones(client_for, manager, channel):
    html = answer_html(ask(client_for(manager), "orders waiting for acceptance"))
    assert channel["placed"].number in html
    assert channel["accepted"].number not in html


def test_a_rep_sees_only_their_portfolio_in_every_list(client_for, rep, channel):
    client = client_for(rep)
    for text in ("conversations waiting for an answer", "who is due a payout this week",
                 "show me all resellers", "top resellers this year"):  # fmt: skip
        html = answer_html(ask(client, text))
        assert "Shop 00" not in html and "Shop 01" not in html, text


def test_payouts_due_this_week_leave_out_later_ones(client_for, manager, channel, partnership):
    CommissionEntryFactory(
        partnership=partnership, pay_by=timezone.localdate() + timedelta(days=30)
    )
    html = answer_html(ask(client_for(manager), "who is due a payout this week"))
    assert "Shop 00" in html
    assert "Soundhouse GmbH" not in html


def test_resellers_without_a_rep_leave_out_covered_ones(client_for, manager, channel):
    html = answer_html(ask(client_for(manager), "resellers without a rep"))
    assert "Shop 01" in html and "Shop 03" in html
    assert "Shop 00" not in html and "Soundhouse GmbH" not in html


def test_a_reps_portfolio_is_theirs(client_for, manager, channel):
    response = ask(client_for(manager), "portfolio of tom")
    assert title(response) == "Portfolio of Tom Okafor"
    html = answer_html(response)
    assert "Shop 00" in html and "Shop 01" not in html and "Soundhouse GmbH" not in html


def test_top_resellers_of_a_period_without_sales_is_empty(client_for, manager, channel):
    response = ask(client_for(manager), "top resellers last year")
    assert "No reseller matches these filters." in answer_html(response)


def test_what_changed_lists_the_assignment_and_orders(client_for, manager, channel, rep):
    html = answer_html(ask(client_for(manager), "what changed for soundhouse since 1 january"))
    assert f"Sales rep: {rep.display_name}" in html
    assert channel["placed"].number in html


def test_italian_requests_get_the_same_answers(client_for, manager, channel):
    client = client_for(manager)
    assert title(ask(client, "ordini in attesa di accettazione")) == "Orders waiting for acceptance"
    assert title(ask(client, "rivenditori senza agente")) == "Resellers without a sales rep"
