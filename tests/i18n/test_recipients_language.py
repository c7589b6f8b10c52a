"""Emails and notifications are written in the recipient's language, not the sender's, also
when a Celery worker writes them; an end customer's payment page and emails are in the
language of the reseller's record of them, else their browser's."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from channel.models import EndCustomer
from notifications.models import Notification, NotificationChannel, NotificationKind, OutboxEmail
from notifications.services import digest_send, notify
from notifications.tasks import notifications_digest_task
from orders.services.payment_links import checkout_with_payment_link
from tests.accounts.factories import ResellerUserFactory
from tests.orders.checkout_helpers import PAY_URL_RE, filled_cart, make_channel, pay_url
from tests.qualifications.factories import QualificationFactory

GRANTED_TITLE = "%(code)s granted"
GRANTED_BODY = (
    "%(manufacturer)s granted you the qualification %(code)s – %(name)s. "
    "Its restricted products are in your catalog now."
)
ITALIAN = {
    GRANTED_TITLE: "%(code)s concessa",
    GRANTED_BODY: (
        "%(manufacturer)s ti ha concesso la qualifica %(code)s – %(name)s. "
        "I suoi prodotti riservati sono ora nel tuo catalogo."
    ),
    "Qualification %(code)s granted.": "Qualifica %(code)s concessa.",
    ("Your daily summary: %(count)d notification", "Your daily summary: %(count)d notifications"): (
        "Il tuo riepilogo: %(count)d notifica",
        "Il tuo riepilogo: %(count)d notifiche",
    ),
    "Secure payment link · Channel Portal": "Link di pagamento sicuro · Channel Portal",
}


def speaks(user: User, language: str) -> User:
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return user


@pytest.fixture
def italian(temporary_catalogue):
    temporary_catalogue("it", ITALIAN)


def test_an_italian_reseller_reads_italian_when_an_english_manager_grants(
    client_for,
    manager,
    partnership,
    reseller_user,
    italian,
    settings,
    django_capture_on_commit_callbacks,
):
    """The manager works in English; the two users of the reseller get their own language."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    QualificationFactory(manufacturer=partnership.manufacturer, code="PRO-AV", name="Pro AV")
    italian_user = speaks(reseller_user, "it")
    english_user = speaks(ResellerUserFactory(reseller=partnership.reseller).user, "en")
    client = client_for(manager)
    speaks(manager, "en")
    url = reverse(
        "qualifications_manufacturer:grant",
        kwargs={
            "manufacturer_slug": partnership.manufacturer.slug,
            "public_id": partnership.reseller.public_id,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"code": "PRO-AV"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    to_italian = OutboxEmail.objects.get(recipient=italian_user.email)
    to_english = OutboxEmail.objects.get(recipient=english_user.email)
    assert to_italian.subject == "PRO-AV concessa"
    assert "ti ha concesso la qualifica PRO-AV – Pro AV" in to_italian.body
    assert to_english.subject == "PRO-AV granted"
    assert "granted you the qualification PRO-AV – Pro AV" in to_english.body
    # What the worker sent is what the outbox holds.
    sent = {message.to[0]: message.subject for message in mail.outbox}
    assert sent[italian_user.email] == "PRO-AV concessa"
    assert sent[english_user.email] == "PRO-AV granted"
    in_app = Notification.objects.get(user=italian_user)
    assert in_app.title == "PRO-AV concessa"


def test_notify_writes_each_recipients_text_in_their_language(
    manufacturer, manager, owner, italian
):
    from django.utils.translation import gettext as _

    speaks(manager, "it")
    speaks(owner, "en")
    notify(
        users=[manager, owner],
        manufacturer=manufacturer,
        kind="qualification_granted",
        title=lambda: _("Qualification %(code)s granted.") % {"code": "X-1"},
    )
    titles = dict(Notification.objects.values_list("user__email", "title"))
    assert titles == {
        manager.email: "Qualifica X-1 concessa.",
        owner.email: "Qualification X-1 granted.",
    }


def test_the_workers_daily_digest_is_in_the_recipients_language(
    manufacturer, manager, owner, italian, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    speaks(manager, "it")
    speaks(owner, "en")
    for user in (manager, owner):
        Notification.objects.create(
            user=user,
            manufacturer=manufacturer,
            kind=NotificationKind.QUALIFICATION_GRANTED,
            channel=NotificationChannel.DIGEST,
            title="A",
        )
    assert notifications_digest_task.delay().get() == 2
    subjects = dict(OutboxEmail.objects.values_list("recipient", "subject"))
    assert subjects[manager.email] == "Il tuo riepilogo: 1 notifica"
    assert subjects[owner.email] == "Your daily summary: 1 notification"
    assert digest_send(user_id=manager.pk) is None


def _link_for(manufacturer, language: str) -> tuple[EndCustomer, str]:
    channel = make_channel(manufacturer)
    EndCustomer.objects.filter(pk=channel.customer.pk).update(language=language)
    channel.customer.refresh_from_db()
    result = checkout_with_payment_link(
        cart=filled_cart(channel),
        recipient="jane@example.com",
        created_by=channel.user,
        pay_url=pay_url,
    )
    return channel.customer, PAY_URL_RE.search(result.url).group(1)


def test_the_pay_page_is_in_the_customer_records_language(manufacturer, italian):
    _customer, token = _link_for(manufacturer, "it")
    page = Client(headers={"accept-language": "en-US"}).get(
        reverse("orders_public:pay", args=[token])
    )
    assert page.status_code == 200
    assert page["Content-Language"] == "it"
    assert "Link di pagamento sicuro" in page.content.decode()


def test_without_a_language_on_the_record_the_pay_page_follows_the_browser(manufacturer, italian):
    _customer, token = _link_for(manufacturer, "")
    url = reverse("orders_public:pay", args=[token])
    assert (
        Client(headers={"accept-language": "it-IT,it;q=0.9"}).get(url)["Content-Language"] == "it"
    )
    assert Client(headers={"accept-language": "en-GB"}).get(url)["Content-Language"] == "en-gb"
    assert Client(headers={"accept-language": "xx;q=abc,,"}).get(url)["Content-Language"] == "en"


def test_the_customers_own_choice_on_the_pay_page_wins_over_the_record(manufacturer, italian):
    _customer, token = _link_for(manufacturer, "it")
    url = reverse("orders_public:pay", args=[token])
    assert Client().get(url, {"lang": "en"})["Content-Language"] == "en"
    assert Client().get(url, {"lang": "zz"})["Content-Language"] == "it"


def test_an_unknown_pay_token_answers_404_in_any_language(db):
    response = Client(headers={"accept-language": "fr-CA"}).get(
        reverse("orders_public:pay", args=["not-a-token"])
    )
    assert response.status_code == 404
