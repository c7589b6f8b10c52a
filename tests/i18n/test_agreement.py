"""One English word, two nouns: a status reads in the gender of what it describes."""

import pytest
from django.utils import translation

from notifications.models import OutboxStatus
from orders.models import OrderStatus
from partners.models import AnnouncementStatus, ProposalStatus


@pytest.mark.parametrize(
    ("language", "label", "expected"),
    [
        ("fr", OrderStatus.CANCELLED.label, "Annulée"),  # une commande
        ("fr", OutboxStatus.CANCELLED.label, "Annulé"),  # un courriel
        ("it", OrderStatus.CANCELLED.label, "Annullato"),  # un ordine
        ("it", OutboxStatus.CANCELLED.label, "Annullata"),  # un'email
        ("es", AnnouncementStatus.PUBLISHED.label, "Publicado"),  # un anuncio
        ("it", AnnouncementStatus.PUBLISHED.label, "Pubblicato"),
        ("fr", ProposalStatus.APPROVED.label, "Approuvée"),  # une proposition
        ("es", ProposalStatus.APPROVED.label, "Aprobada"),
    ],
)
def test_a_status_agrees_with_its_noun(language, label, expected):
    with translation.override(language):
        assert str(label) == expected
