"""The preferences page: per user, per manufacturer."""

from django.urls import reverse

from notifications.models import RESELLER_KINDS, NotificationChannel, NotificationPreference
from notifications.selectors import preference_choices


def url(manufacturer):
    return reverse(
        "notifications_public:preferences", kwargs={"manufacturer_slug": manufacturer.slug}
    )


def test_defaults_are_shown_and_a_choice_is_saved(manufacturer, manager, client_for):
    client = client_for(manager)
    response = client.get(url(manufacturer))
    assert response.status_code == 200
    assert 'name="message_received" value="email" id="id_message_received_1" checked' in (
        response.content.decode()
    )
    data = dict.fromkeys(preference_choices(user=manager, manufacturer=manufacturer), "in_app")
    data["message_received"] = "digest"
    response = client.post(url(manufacturer), data)
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=manager, kind="message_received")
    assert saved.channel == NotificationChannel.DIGEST
    assert saved.manufacturer == manufacturer


def test_an_unknown_channel_is_refused(manufacturer, manager, client_for):
    data = dict.fromkeys(preference_choices(user=manager, manufacturer=manufacturer), "in_app")
    data["message_received"] = "carrier-pigeon"
    response = client_for(manager).post(url(manufacturer), data)
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_another_manufacturer_is_404(manufacturer, other_manufacturer, manager, client_for):
    client = client_for(manager)
    assert client.get(url(other_manufacturer)).status_code == 404
    assert client.post(url(other_manufacturer), {"message_received": "off"}).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_index_redirects_to_the_first_membership(manufacturer, manager, client_for):
    response = client_for(manager).get(reverse("notifications_public:preferences_index"))
    assert response.status_code == 302
    assert response["Location"] == url(manufacturer)


def test_a_reseller_user_chooses_per_partner_manufacturer_among_reseller_kinds(
    manufacturer, other_manufacturer, partnership, reseller_user, client_for
):
    client = client_for(reseller_user)
    index = client.get(reverse("notifications_public:preferences_index"))
    assert index["Location"] == url(manufacturer)
    page = client.get(url(manufacturer)).content.decode()
    assert 'name="staff_replied"' in page
    assert 'name="order_cancelled"' in page
    # Staff-only events are not offered to a reseller.
    assert 'name="message_received"' not in page
    assert 'name="email_failed"' not in page
    data = dict.fromkeys(RESELLER_KINDS, "email")
    data["staff_replied"] = "digest"
    assert client.post(url(manufacturer), data).status_code == 302
    assert (
        preference_choices(user=reseller_user, manufacturer=manufacturer, kinds=RESELLER_KINDS)[
            "staff_replied"
        ]
        == NotificationChannel.DIGEST
    )
    assert not NotificationPreference.objects.filter(kind="message_received").exists()
    # A manufacturer the reseller does not partner with is 404, like any other.
    assert client.get(url(other_manufacturer)).status_code == 404
    assert client.post(url(other_manufacturer), data).status_code == 404
    assert not NotificationPreference.objects.filter(manufacturer=other_manufacturer).exists()


def test_the_notification_list_offers_preferences_to_a_reseller_user(
    partnership, reseller_user, client_for
):
    page = client_for(reseller_user).get(reverse("notifications_public:list")).content.decode()
    assert reverse("notifications_public:preferences_index") in page
