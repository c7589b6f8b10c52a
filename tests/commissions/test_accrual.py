"""What a reseller earns on a completed order: each rule by a hand-computed case."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from catalog.models import Product
from commissions.models import CommissionEntry, EntryKind, RateRule
from commissions.selectors.balances import balance_of
from commissions.services.ledger import (
    commission_accrue,
    commission_free_set,
    commission_rate_set,
    partnership_holding_set,
)
from orders.models import OrderNote, OrderStatus
from orders.services.orders import order_transition
from orders.workflow import MANUFACTURER
from partners.services.tiers import partner_tier_set, tier_save
from tests.accounts.factories import ResellerFactory, ResellerUserFactory, UserFactory
from tests.commissions.conftest import complete, completed_order
from tests.orders.factories import make_end_customer, make_order
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

D = Decimal


def entries_of(order):
    return list(CommissionEntry.objects.filter(order=order).order_by("pk"))


def test_a_completed_order_for_an_end_customer_earns_the_default_ten_percent(
    partnership, speaker, customer
):
    # 2 × 100.00 at the reseller's price = 200.00; 10% = 20.00
    order = completed_order(partnership, [speaker], customer=customer, quantities=[2])

    [entry] = entries_of(order)
    assert (entry.kind, entry.credit, entry.debit) == (EntryKind.ACCRUAL, D("20.00"), D("0.00"))
    assert (entry.base, entry.rate, entry.rule) == (D("200.00"), D("10.00"), RateRule.DEFAULT)
    assert entry.currency == "EUR"
    assert entry.partnership == partnership


def test_the_commission_is_on_what_the_customer_pays_when_the_customer_pays(
    partnership, speaker, cable, customer
):
    from catalog.services import retail_price_set

    retail_price_set(product=speaker, market="Germany", price=D("149.00"))
    retail_price_set(product=cable, market="Germany", price=D("29.90"))
    # 149.00 + 2 × 29.90 = 208.80; 10% = 20.88
    order = completed_order(
        partnership, [speaker, cable], customer=customer, quantities=[1, 2], customer_pays=True
    )

    assert [(e.base, e.credit) for e in entries_of(order)] == [(D("208.80"), D("20.88"))]


def test_the_manufacturers_currency_is_the_entrys(manufacturer, partnership, speaker, customer):
    manufacturer.currency = "CHF"
    manufacturer.save()
    order = completed_order(partnership, [speaker], customer=customer)

    assert [e.currency for e in entries_of(order)] == ["CHF"]


def test_own_use_earns_nothing(partnership, speaker, customer):
    order = complete(make_order(partnership, [speaker], own_use=True))

    assert entries_of(order) == []


@pytest.mark.parametrize(
    ("email", "street", "why"),
    [
        ("info@soundhouse.example", "", "email address info@soundhouse.example"),
        ("boss@soundhouse.example", "", "email domain soundhouse.example"),
        ("julia@weber.example", "Hafenstraße  1", "address is the reseller's own"),
    ],
)
def test_a_reseller_cannot_earn_on_itself_and_the_order_says_why(
    partnership, speaker, email, street, why
):
    self_customer = make_end_customer(
        partnership.reseller, email=email, street=street, postal_code="20457"
    )
    order = completed_order(partnership, [speaker], customer=self_customer)

    assert entries_of(order) == []
    [note] = OrderNote.objects.filter(order=order)
    assert "No commission on this order: it is a self-referral" in note.body
    assert why in note.body
    assert not note.is_internal  # the reseller reads it on the order


def test_a_user_of_the_reseller_buying_as_a_customer_is_a_self_referral(partnership, speaker):
    staff = ResellerUserFactory(
        reseller=partnership.reseller, user=UserFactory(email="anna@soundhouse-shop.example")
    ).user
    self_customer = make_end_customer(partnership.reseller, email=staff.email)

    order = completed_order(partnership, [speaker], customer=self_customer)

    assert entries_of(order) == []


def test_a_shared_public_email_domain_is_not_a_self_referral(reseller, partnership, speaker):
    reseller.public_email = "soundhouse@gmail.com"
    reseller.save()
    stranger = make_end_customer(reseller, email="julia.weber@gmail.com")

    order = completed_order(partnership, [speaker], customer=stranger)

    assert [e.credit for e in entries_of(order)] == [D("10.00")]


def test_commission_free_lines_earn_nothing(manufacturer, partnership, speaker, cable, customer):
    commission_free_set(manufacturer=manufacturer, product=cable, free=True, created_by=None)
    # speaker 100.00 earns 10.00; the cable (19.99) none
    order = completed_order(partnership, [speaker, cable], customer=customer)

    assert [(e.base, e.credit) for e in entries_of(order)] == [(D("100.00"), D("10.00"))]


def test_a_commission_free_category_earns_nothing(
    manufacturer, partnership, speaker, cable, cables, customer
):
    commission_free_set(manufacturer=manufacturer, category=cables, free=True, created_by=None)
    order = completed_order(partnership, [cable], customer=customer, quantities=[3])

    assert entries_of(order) == []


def test_a_category_rate_applies_to_its_lines_and_the_rest_keep_the_partnership_rate(
    manufacturer, partnership, speaker, cable, cables, customer
):
    day = date(2026, 1, 1)
    commission_rate_set(
        manufacturer=manufacturer,
        category=cables,
        rate=D("5.00"),
        effective_from=day,
        created_by=None,
    )
    commission_rate_set(
        manufacturer=manufacturer,
        partnership=partnership,
        rate=D("12.00"),
        effective_from=day,
        created_by=None,
    )
    # cables: 3 × 19.99 = 59.97 at 5% = 2.9985 → 3.00; speaker: 100.00 at 12% = 12.00
    order = completed_order(partnership, [speaker, cable], customer=customer, quantities=[1, 3])

    got = {(e.rule, e.rule_detail, e.base, e.rate, e.credit) for e in entries_of(order)}
    assert got == {
        (RateRule.CATEGORY, "Cables", D("59.97"), D("5.00"), D("3.00")),
        (RateRule.PARTNERSHIP, "", D("100.00"), D("12.00"), D("12.00")),
    }


def test_a_rate_change_mid_period_leaves_frozen_rates_alone(
    manufacturer, partnership, speaker, customer
):
    before = datetime(2026, 3, 10, 12, tzinfo=UTC)
    after = datetime(2026, 3, 20, 12, tzinfo=UTC)
    commission_rate_set(
        manufacturer=manufacturer,
        rate=D("8.00"),
        effective_from=date(2026, 3, 15),
        created_by=None,
    )
    early = completed_order(partnership, [speaker], customer=customer, at=before)
    late = completed_order(partnership, [speaker], customer=customer, at=after)
    commission_rate_set(
        manufacturer=manufacturer,
        rate=D("20.00"),
        effective_from=date(2026, 3, 1),
        created_by=None,
    )

    assert [(e.rate, e.credit) for e in entries_of(early)] == [(D("10.00"), D("10.00"))]
    assert [(e.rate, e.credit) for e in entries_of(late)] == [(D("8.00"), D("8.00"))]


def test_the_partnerships_own_rate_beats_the_tiers_and_the_tier_beats_the_default(
    manufacturer, partnership, other_partnership, speaker, customer, manager
):
    third = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Third"))
    other_customer = make_end_customer(other_partnership.reseller, email="max@example.test")
    third_customer = make_end_customer(third.reseller, email="eva@example.test")
    gold = tier_named(manufacturer, "Gold")
    tier_save(
        manufacturer=manufacturer,
        tier=gold,
        values={"name": "Gold", "rank": 2, "commission_rate": D("15.00")},
    )
    partner_tier_set(partnership=partnership, tier=gold, by=manager, reason="Top seller")
    partner_tier_set(partnership=other_partnership, tier=gold, by=manager, reason="Top seller")
    commission_rate_set(
        manufacturer=manufacturer,
        partnership=partnership,
        rate=D("11.00"),
        effective_from=date(2020, 1, 1),
        created_by=None,
    )

    own = completed_order(partnership, [speaker], customer=customer)
    tiered = completed_order(other_partnership, [speaker], customer=other_customer)
    untiered = completed_order(third, [speaker], customer=third_customer)  # Bronze: no rate

    # Gold's 10% better pricing: 100.00 → 90.00; 11% of it = 9.90, 15% = 13.50.
    assert [(e.rule, e.credit) for e in entries_of(own)] == [(RateRule.PARTNERSHIP, D("9.90"))]
    assert [(e.rule, e.rate, e.credit) for e in entries_of(tiered)] == [
        (RateRule.TIER, D("15.00"), D("13.50"))
    ]
    assert [(e.rule, e.credit) for e in entries_of(untiered)] == [(RateRule.DEFAULT, D("10.00"))]


def test_the_tier_rate_is_frozen_on_the_entry_when_the_tier_or_its_rate_changes(
    manufacturer, other_partnership, speaker, manager
):
    buyer = make_end_customer(other_partnership.reseller, email="max@example.test")
    gold, bronze = tier_named(manufacturer, "Gold"), tier_named(manufacturer, "Bronze")
    tier_save(
        manufacturer=manufacturer,
        tier=gold,
        values={"name": "Gold", "rank": 2, "commission_rate": D("15.00")},
    )
    partner_tier_set(partnership=other_partnership, tier=gold, by=manager, reason="Top seller")
    first = completed_order(other_partnership, [speaker], customer=buyer)
    tier_save(
        manufacturer=manufacturer,
        tier=gold,
        values={"name": "Gold", "rank": 2, "commission_rate": D("20.00")},
    )
    second = completed_order(other_partnership, [speaker], customer=buyer)
    partner_tier_set(partnership=other_partnership, tier=bronze, by=manager, reason="Slipped")
    third = completed_order(other_partnership, [speaker], customer=buyer)

    # At Gold's price of 90.00: 15% = 13.50, then 20% = 18.00; back in Bronze 10% of 100.00.
    assert [(e.rate, e.credit) for e in entries_of(first)] == [(D("15.00"), D("13.50"))]
    assert [(e.rate, e.credit) for e in entries_of(second)] == [(D("20.00"), D("18.00"))]
    assert [(e.rule, e.credit) for e in entries_of(third)] == [(RateRule.DEFAULT, D("10.00"))]
    first_entry = entries_of(first)[0]
    first_entry.refresh_from_db()
    assert (first_entry.rule, first_entry.rate) == (RateRule.TIER, D("15.00"))


def test_the_tier_rate_follows_the_tier_held_on_the_day_asked(manufacturer, partnership, manager):
    from channel.benefits import tier_commission_rates

    silver = tier_named(manufacturer, "Silver")
    tier_save(
        manufacturer=manufacturer,
        tier=silver,
        values={"name": "Silver", "rank": 1, "commission_rate": D("12.00")},
    )
    partner_tier_set(partnership=partnership, tier=silver, by=manager, reason="Grew")
    today = timezone.localdate()

    assert tier_commission_rates(partnerships=[partnership], on=today) == {
        partnership.pk: D("12.00")
    }
    # Before the promotion the partner was in Bronze, which sets no rate.
    assert tier_commission_rates(partnerships=[partnership], on=today - timedelta(days=1)) == {}


def test_a_thousand_small_lines_are_rounded_once(manufacturer, partnership, category, customer):
    products = Product.objects.bulk_create(
        Product(
            manufacturer=manufacturer,
            category=category,
            sku=f"CLIP-{n}",
            name=f"Clip {n}",
            price=D("0.35"),
        )
        for n in range(1000)
    )
    # 1,000 × 0.35 = 350.00; 10% = 35.00 (each line rounded alone would give 0.04 × 1,000)
    order = completed_order(partnership, products, customer=customer)

    assert [(e.base, e.credit) for e in entries_of(order)] == [(D("350.00"), D("35.00"))]


def test_half_a_cent_rounds_up(manufacturer, partnership, category, customer):
    product = Product.objects.create(
        manufacturer=manufacturer, category=category, sku="HALF", name="Half", price=D("0.05")
    )
    order = completed_order(partnership, [product], customer=customer)  # 10% of 0.05 = 0.005

    assert [e.credit for e in entries_of(order)] == [D("0.01")]


@pytest.mark.parametrize(
    ("zone", "eligible", "pay_by"),
    [
        # 23:30 UTC on 1 March is still 1 March in UTC …
        ("UTC", date(2026, 3, 29), date(2026, 5, 10)),
        # … and already 2 March in Berlin: the windows count from the local day.
        ("Europe/Berlin", date(2026, 3, 30), date(2026, 5, 11)),
    ],
)
def test_windows_count_whole_local_days(
    settings, partnership, speaker, customer, zone, eligible, pay_by
):
    settings.TIME_ZONE = zone
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)

    order = completed_order(partnership, [speaker], customer=customer, at=at)

    [entry] = entries_of(order)
    assert (entry.eligible_from, entry.pay_by) == (eligible, pay_by)


def test_payable_from_the_eligible_day_not_the_day_before(partnership, speaker, customer):
    order = completed_order(
        partnership, [speaker], customer=customer, at=datetime(2026, 3, 1, 10, tzinfo=UTC)
    )
    entries = CommissionEntry.objects.filter(order=order)

    day_before = balance_of(entries, today=date(2026, 3, 28))
    on_the_day = balance_of(entries, today=date(2026, 3, 29))

    assert (day_before.pending, day_before.payable) == (D("10.00"), D("0.00"))
    assert (on_the_day.pending, on_the_day.payable) == (D("0.00"), D("10.00"))


def test_a_trusted_partnership_holds_for_less(partnership, other_partnership, speaker, customer):
    partnership_holding_set(
        partnership=partnership, holding_weeks=1, reason="Ten clean years", updated_by=None
    )
    at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    trusted = completed_order(partnership, [speaker], customer=customer, at=at)
    other_customer = make_end_customer(other_partnership.reseller, email="max@example.test")
    usual = completed_order(other_partnership, [speaker], customer=other_customer, at=at)

    assert [e.eligible_from for e in entries_of(trusted)] == [date(2026, 3, 8)]
    assert [e.eligible_from for e in entries_of(usual)] == [date(2026, 3, 29)]
    assert [e.pay_by for e in entries_of(trusted)] == [date(2026, 5, 10)]


def test_a_cancelled_order_never_accrues(partnership, speaker, customer):
    order = make_order(partnership, [speaker], end_customer=customer)
    order_transition(
        order=order,
        to_status=OrderStatus.CANCELLED,
        side=MANUFACTURER,
        changed_by=None,
        reason="Customer changed their mind",
    )

    assert entries_of(order) == []
    assert commission_accrue(order=order) == []


def test_an_order_accrues_once(partnership, speaker, customer):
    order = completed_order(partnership, [speaker], customer=customer)

    with pytest.raises(IntegrityError), transaction.atomic():
        commission_accrue(order=order)
    assert len(entries_of(order)) == 1


def test_an_order_not_completed_earns_nothing_yet(partnership, speaker, customer):
    order = make_order(partnership, [speaker], end_customer=customer)

    assert commission_accrue(order=order) == []


def test_the_ledger_refuses_update_and_delete_in_the_database(partnership, speaker, customer):
    assert connection.vendor == "postgresql"
    order = completed_order(partnership, [speaker], customer=customer)
    [entry] = entries_of(order)

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        CommissionEntry.objects.filter(pk=entry.pk).update(credit=D("999.00"))
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        CommissionEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE commissions_commissionentry SET credit = 0 WHERE id = %s", [entry.pk]
        )

    entry.refresh_from_db()
    assert entry.credit == D("10.00")


def test_balances_of_two_partnerships_stay_apart(partnership, other_partnership, speaker, customer):
    other_customer = make_end_customer(other_partnership.reseller, email="max@example.test")
    completed_order(partnership, [speaker], customer=customer, quantities=[3])
    completed_order(other_partnership, [speaker], customer=other_customer)

    ours = balance_of(CommissionEntry.objects.filter(partnership=partnership))
    theirs = balance_of(CommissionEntry.objects.filter(partnership=other_partnership))

    assert (ours.earned, ours.pending) == (D("30.00"), D("30.00"))
    assert (theirs.earned, theirs.pending) == (D("10.00"), D("10.00"))


def test_a_day_in_the_past_completion_uses_its_own_dates(partnership, speaker, customer):
    at = datetime(2025, 12, 31, 9, tzinfo=UTC)
    order = completed_order(partnership, [speaker], customer=customer, at=at)

    [entry] = entries_of(order)
    assert entry.created_at == at
    assert entry.eligible_from == date(2025, 12, 31) + timedelta(weeks=4)
