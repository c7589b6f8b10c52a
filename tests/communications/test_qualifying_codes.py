"""The inbox's two qualifying actions when a tenant has several codes.

"Qualify 👍" grants the tenant's default qualifying code and nothing else: not another code
of the tenant (which sorts first), not the other tenant's default (which sorts first too),
and not for the same reseller's partnership with the other tenant. "More actions" on a code
the reseller already holds says so, naming the code, and grants nothing twice.
"""

from dataclasses import dataclass

import pytest

from catalog.models import Qualification
from channel.models import QualifyingStatus
from communications.models import Message
from communications.services.qualifying import conversation_qualify
from qualifications.models import QualificationGrant
from qualifications.services import qualification_grant, qualification_update
from tests.communications.conftest import start
from tests.qualifications.factories import QualificationFactory

HTMX = {"HX-Request": "true"}


@dataclass
class Codes:
    basic: Qualification  # this tenant, not the default; sorts before PARTNER
    partner: Qualification  # this tenant's default qualifying code
    foreign_default: Qualification  # the other tenant's default; sorts first of all


@pytest.fixture
def codes(inbox) -> Codes:
    return Codes(
        foreign_default=QualificationFactory(
            manufacturer=inbox.other, code="AAA-FOREIGN", is_default=True
        ),
        basic=QualificationFactory(manufacturer=inbox.tenant, code="BASIC"),
        partner=QualificationFactory(manufacturer=inbox.tenant, code="PARTNER", is_default=True),
    )


@pytest.fixture
def conversation(inbox):
    return start(inbox.partnership, body="Can we become a certified partner?")


def held(partnership) -> set[str]:
    return set(
        QualificationGrant.objects.filter(
            partnership=partnership, revoked_at__isnull=True
        ).values_list("qualification__code", flat=True)
    )


def status(partnership) -> str:
    partnership.refresh_from_db(fields=["qualifying_status"])
    return partnership.qualifying_status


# --- Qualify 👍 -----------------------------------------------------------------------------


def test_qualify_grants_the_default_code_and_nothing_else(inbox, codes, client_for, conversation):
    response = client_for(inbox.manager).post(
        inbox.url("qualify", conversation_id=conversation.pk), follow=True
    )
    assert response.status_code == 200
    assert "granted PARTNER" in response.content.decode()
    assert held(inbox.partnership) == {"PARTNER"}
    assert QualificationGrant.objects.filter(partnership=inbox.partnership).count() == 1
    assert status(inbox.partnership) == QualifyingStatus.QUALIFIED
    # the same reseller's partnership with the other manufacturer is untouched
    assert held(inbox.foreign_partnership) == set()
    assert status(inbox.foreign_partnership) == QualifyingStatus.PENDING


def test_the_qualify_service_picks_this_tenants_default(inbox, codes, conversation):
    """Without a request's tenant scope too (the assistant, a task): the tenant's own default."""
    summary = conversation_qualify(conversation=conversation, user=inbox.manager)
    assert summary == "granted PARTNER, set the status to qualified"
    assert held(inbox.partnership) == {"PARTNER"}
    assert held(inbox.foreign_partnership) == set()


def test_qualify_adds_the_default_beside_a_code_already_held(
    inbox, codes, client_for, conversation
):
    basic = qualification_grant(
        partnership=inbox.partnership, qualification=codes.basic, granted_by=inbox.owner
    )
    response = client_for(inbox.manager).post(
        inbox.url("qualify", conversation_id=conversation.pk), {"view": "card"}, headers=HTMX
    )
    assert response.status_code == 200
    assert held(inbox.partnership) == {"BASIC", "PARTNER"}
    basic.refresh_from_db()
    assert basic.revoked_at is None


def test_qualify_with_the_default_held_only_sets_the_status(inbox, codes, client_for, conversation):
    qualification_grant(
        partnership=inbox.partnership, qualification=codes.partner, granted_by=inbox.owner
    )
    response = client_for(inbox.manager).post(
        inbox.url("qualify", conversation_id=conversation.pk), follow=True
    )
    text = response.content.decode()
    assert "set the status to qualified" in text and "granted" not in text
    assert QualificationGrant.objects.filter(partnership=inbox.partnership).count() == 1
    assert status(inbox.partnership) == QualifyingStatus.QUALIFIED


def test_qualify_follows_the_default_when_it_moves(inbox, codes, client_for, conversation):
    qualification_update(qualification=codes.basic, name=codes.basic.name, is_default=True)
    client_for(inbox.manager).post(inbox.url("qualify", conversation_id=conversation.pk))
    assert held(inbox.partnership) == {"BASIC"}


# --- More actions ---------------------------------------------------------------------------


def _more_actions(inbox, client_for, conversation, code, new_status, *, data=(), **kwargs):
    return client_for(inbox.owner).post(
        inbox.url("qualifying", conversation_id=conversation.pk),
        {"qualification": code.pk, "status": new_status, **dict(data)},
        **kwargs,
    )


def test_more_actions_on_a_code_already_held_says_so_and_changes_nothing(
    inbox, codes, client_for, conversation
):
    qualification_grant(
        partnership=inbox.partnership, qualification=codes.basic, granted_by=inbox.owner
    )
    events = Message.objects.filter(event__gt="").count()

    response = _more_actions(inbox, client_for, conversation, codes.basic, "pending")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Soundhouse GmbH already holds BASIC" in text
    assert "nothing was changed" in text

    card = _more_actions(
        inbox, client_for, conversation, codes.basic, "pending", data={"view": "card"}, headers=HTMX
    )
    assert card.status_code == 400
    assert "already holds BASIC" in card.content.decode()

    assert QualificationGrant.objects.filter(partnership=inbox.partnership).count() == 1
    assert status(inbox.partnership) == QualifyingStatus.PENDING
    assert Message.objects.filter(event__gt="").count() == events


def test_more_actions_with_a_held_code_and_a_new_status_sets_the_status_and_says_so(
    inbox, codes, client_for, conversation
):
    qualification_grant(
        partnership=inbox.partnership, qualification=codes.basic, granted_by=inbox.owner
    )
    response = _more_actions(inbox, client_for, conversation, codes.basic, "qualified", follow=True)
    text = response.content.decode()
    assert "qualifying status set to Qualified" in text
    assert "BASIC was already held" in text
    assert QualificationGrant.objects.filter(partnership=inbox.partnership).count() == 1
    assert status(inbox.partnership) == QualifyingStatus.QUALIFIED


def test_more_actions_grants_the_other_code_only(inbox, codes, client_for, conversation):
    qualification_grant(
        partnership=inbox.partnership, qualification=codes.basic, granted_by=inbox.owner
    )
    response = _more_actions(inbox, client_for, conversation, codes.partner, "pending")
    assert response.status_code == 302
    assert held(inbox.partnership) == {"BASIC", "PARTNER"}
    assert held(inbox.foreign_partnership) == set()


def test_more_actions_with_nothing_to_change_names_the_status(
    inbox, codes, client_for, conversation
):
    response = client_for(inbox.owner).post(
        inbox.url("qualifying", conversation_id=conversation.pk), {"status": "pending"}
    )
    assert response.status_code == 400
    assert "already “Pending”" in response.content.decode()
