"""The audit log (ASVS 7.1, 7.2): logins, failed logins, account and team changes, grants and
revokes, settings and exports, with who, when and from where; owners read and export it;
nobody changes or deletes it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from accounts.audit import audit_record
from accounts.models import AuditAction, AuditEvent, AuditLogIsAppendOnly, Role
from qualifications import services as qualification_services
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.qualifications.factories import QualificationFactory


def actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def test_logins_and_failed_logins_are_recorded_with_the_client_address(settings, manager):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    client.post("/login/", {"username": manager.email, "password": "wrong"},
                REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "192.0.2.44"})  # fmt: skip
    client.post("/login/", {"username": manager.email, "password": DEFAULT_PASSWORD},
                REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "192.0.2.45"})  # fmt: skip

    failed, login = AuditEvent.objects.order_by("pk")
    assert (failed.action, failed.actor_email, failed.ip_address) == (
        AuditAction.LOGIN_FAILED, manager.email, "192.0.2.44",
    )  # fmt: skip
    assert (login.action, login.actor, login.ip_address) == (
        AuditAction.LOGIN, manager, "192.0.2.45",
    )  # fmt: skip


def test_grants_revokes_and_settings_are_recorded_in_their_tenant(
    manufacturer, partnership, owner, manager
):
    qualification = QualificationFactory(manufacturer=manufacturer, code="PRO-AV")
    qualification_services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=manager, reason="ok"
    )
    qualification_services.qualification_revoke(
        partnership=partnership, qualification=qualification, revoked_by=owner, reason="no"
    )

    grant, revoke = AuditEvent.objects.filter(manufacturer=manufacturer).order_by("pk")
    assert (grant.action, grant.actor, grant.target) == (
        AuditAction.QUALIFICATION_GRANTED, manager, f"PRO-AV → {partnership.reseller.public_id}",
    )  # fmt: skip
    assert (revoke.action, revoke.actor) == (AuditAction.QUALIFICATION_REVOKED, owner)


def test_owners_read_their_tenants_log_only(
    client_for, manufacturer, other_manufacturer, owner, manager, seller, make_member
):
    other_owner = make_member(other_manufacturer, Role.OWNER)
    audit_record(action=AuditAction.SETTINGS_CHANGED, actor=manager, manufacturer=manufacturer,
                 target="ours-changed")  # fmt: skip
    audit_record(action=AuditAction.SETTINGS_CHANGED, actor=other_owner,
                 manufacturer=other_manufacturer, target="theirs-changed")  # fmt: skip
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=manager)  # an account event
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=other_owner)
    url = f"/m/{manufacturer.slug}/audit/"

    page = client_for(owner).get(url)

    assert page.status_code == 200
    assert "ours-changed" in page.text
    assert "theirs-changed" not in page.text
    emails = [event.actor_email for event in page.context["page_obj"]]
    assert manager.email in emails and other_owner.email not in emails
    assert client_for(manager).get(url).status_code == 403
    assert client_for(seller).get(url).status_code == 403
    assert client_for(other_owner).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_log_filters_and_exports_and_the_export_is_recorded(client_for, manufacturer, owner):
    audit_record(action=AuditAction.SETTINGS_CHANGED, actor=owner, manufacturer=manufacturer,
                 target="currency")  # fmt: skip
    audit_record(action=AuditAction.MEMBER_INVITED, actor=owner, manufacturer=manufacturer,
                 target="new@example.test")  # fmt: skip
    client = client_for(owner)
    url = f"/m/{manufacturer.slug}/audit/"

    filtered = client.get(url, {"action": "member_invited"})
    assert [e.target for e in filtered.context["page_obj"]] == ["new@example.test"]
    searched = client.get(url, {"q": "curren"})
    assert [e.target for e in searched.context["page_obj"]] == ["currency"]
    assert client.get(url, {"q": "x\x00y", "action": "\x00"}).status_code == 200

    export = client.get(url, {"format": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    assert "new@example.test" in text and "Member invited" in text
    assert "no-store" in export["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=owner, manufacturer=manufacturer
    ).exists()


def test_removing_a_member_is_recorded(client_for, manufacturer, owner, seller):
    client = client_for(owner)
    response = client.post(f"/m/{manufacturer.slug}/salesreps/members/{seller.pk}/remove/")

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_REMOVED)
    assert (event.actor, event.manufacturer) == (owner, manufacturer)
    assert seller.email in event.target


def test_the_log_is_append_only(manufacturer, owner):
    event = audit_record(action=AuditAction.LOGIN, actor=owner)

    event.target = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(target="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_refuses_to_change_or_delete_an_event(owner):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = audit_record(action=AuditAction.LOGIN, actor=owner)

    for statement in (
        "UPDATE accounts_auditevent SET target = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, target="").exists()


def test_a_deleted_user_keeps_their_history(owner):
    audit_record(action=AuditAction.LOGIN, actor=owner)
    email = owner.email

    owner.delete()

    assert actions(actor_email=email) == [AuditAction.LOGIN]


def test_api_key_creation_and_revocation_are_recorded_in_their_tenant(manufacturer, owner):
    from accounts.models import ManufacturerMembership
    from api.services import api_key_create, api_key_revoke

    membership = ManufacturerMembership.objects.with_scopes_disabled().get(
        manufacturer=manufacturer, user=owner
    )
    key, _secret = api_key_create(
        manufacturer=manufacturer, membership=membership, name="ERP", access="read"
    )
    api_key_revoke(key=key, by=owner)
    api_key_revoke(key=key, by=owner)

    actions = list(
        AuditEvent.objects.filter(manufacturer=manufacturer, actor=owner)
        .filter(action__startswith="api_key")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["api_key_created", "api_key_revoked"]
