import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from socialrx.core.audit import audit_list, audit_record, audit_view
from socialrx.core.models import AuditAction, AuditEvent, AuditSystemReason


@pytest.mark.django_db
def test_viewing_a_record_writes_who_what_when_and_where(referrer, practice):
    request = RequestFactory().get(
        "/somewhere/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Test browser"
    )
    request.user = referrer

    event = audit_view(request=request, obj=practice)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == referrer
    assert stored.action == AuditAction.VIEW
    assert (stored.object_type, stored.object_id) == ("core.organisation", str(practice.pk))
    assert stored.ip_address == "10.1.2.3"
    assert stored.user_agent == "Test browser"
    assert stored.path == "/somewhere/"
    assert stored.occurred_at is not None


@pytest.mark.django_db
def test_forwarded_address_is_believed_only_from_our_own_proxy(settings, referrer):
    # The client forged 198.51.100.7; our one proxy appended the address it really saw.
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.2"
    )
    settings.TRUSTED_PROXY_COUNT = 1
    assert audit_record(actor=referrer, action=AuditAction.EXPORT, request=request).ip_address == (
        "203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is ignored entirely
    assert audit_record(actor=referrer, action=AuditAction.EXPORT, request=request).ip_address == (
        "10.0.0.2"
    )


@pytest.mark.django_db
def test_unknown_actions_are_refused(referrer):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=referrer, action="peek")


@pytest.mark.django_db
def test_history_of_one_record_is_found_by_type_and_id(referrer, practice, pcn):
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    audit_record(
        actor=referrer, action=AuditAction.UPDATE, obj=practice, detail={"fields": ["name"]}
    )
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=pcn)
    history = AuditEvent.objects.for_object("core.organisation", practice.pk)
    assert [e.action for e in history] == [AuditAction.UPDATE, AuditAction.VIEW]


@pytest.mark.django_db
def test_audit_log_admin_is_searchable_and_read_only(client, referrer, practice):
    admin_user = referrer.__class__.objects.create_superuser(
        "root@test.example", "pw", full_name="Root"
    )
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    client.force_login(admin_user)

    found = client.get("/admin/core/auditevent/", {"q": referrer.email})
    missing = client.get("/admin/core/auditevent/", {"q": "nobody@nowhere.example"})
    add = client.get("/admin/core/auditevent/add/")

    assert found.status_code == 200
    assert [e.object_id for e in found.context["cl"].result_list] == [str(practice.pk)]
    assert list(missing.context["cl"].result_list) == []
    assert add.status_code == 403


@pytest.mark.django_db
def test_an_entry_with_no_user_must_name_the_system_reason(practice):
    # Refused by the one audit service...
    with pytest.raises(ValueError, match="system reason"):
        audit_record(actor=None, action=AuditAction.UPDATE, obj=practice)
    with pytest.raises(ValueError, match="system reason"):
        audit_record(actor=AnonymousUser(), action=AuditAction.VIEW, obj=practice)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown audit system reason"):
        audit_record(actor=None, action=AuditAction.UPDATE, obj=practice, system_reason="magic")
    # ... and by the database, for anything that writes around it.
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(action=AuditAction.UPDATE, object_type="core.organisation")

    event = audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=practice,
        system_reason=AuditSystemReason.DEADLINE_TASK,
    )
    assert AuditEvent.objects.get(pk=event.pk).get_system_reason_display() == "Deadline task"


@pytest.mark.django_db
def test_a_failed_sign_in_is_recorded_as_one(client):
    client.post(reverse("login"), {"login": "nobody@test.example", "password": "wrong"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.system_reason == AuditSystemReason.FAILED_SIGN_IN


@pytest.mark.django_db
def test_a_list_page_writes_an_entry_findable_by_each_record_and_person_on_it(
    referrer, django_assert_num_queries
):
    from tests.referrals.factories import ReferralFactory

    referrals = ReferralFactory.create_batch(3, source="self")
    request = RequestFactory().get("/referrals/")
    request.user = referrer

    with django_assert_num_queries(1):  # one INSERT however many rows the page shows
        audit_list(
            request=request, listing="test", records=referrals, person_of=lambda r: r.person_id
        )

    for referral in referrals:
        (seen,) = AuditEvent.objects.for_object("referrals.referral", referral.pk)
        assert seen.actor == referrer
        assert seen.path == "/referrals/"
        assert seen.detail == {"listing": "test"}
        assert AuditEvent.objects.for_object("referrals.person", referral.person_id).count() == 1
    # An empty page showed no one: nothing is written.
    assert audit_list(request=request, listing="test", records=[], person_of=int) == 0
    assert AuditEvent.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["203.0.113.9", ""])  # "": no address, a NULL column
def test_a_list_entry_holds_what_a_single_entry_holds_for_the_same_request(referrer, address):
    """A list's entries are written without model instances: each column must still be
    stored as ``save()`` stores it (same values, same stored types), only the record and
    the time differing."""
    from socialrx.core.logging import reset_request_id, set_request_id
    from tests.referrals.factories import ReferralFactory

    referral = ReferralFactory(source="self")
    request = RequestFactory().get(
        "/referrals/", REMOTE_ADDR=address, HTTP_USER_AGENT="Test browser"
    )
    request.user = referrer
    token = set_request_id("req-list-1")
    try:
        single = audit_record(
            actor=referrer,
            action=AuditAction.VIEW,
            obj=referral,
            request=request,
            detail={"listing": "test"},
        )
        written = audit_list(
            request=request, listing="test", records=[referral], person_of=lambda r: r.person_id
        )
    finally:
        reset_request_id(token)
    assert written == 2  # the referral and its person

    columns = [f.column for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {AuditEvent._meta.db_table}"
            " WHERE object_type = %s AND object_id = %s ORDER BY id",
            ["referrals.referral", str(referral.pk)],
        )
        from_single, from_list = (dict(zip(columns, row, strict=True)) for row in cursor)
    assert from_single.pop("occurred_at").__class__ is from_list.pop("occurred_at").__class__
    assert from_list == from_single
    assert from_single["request_id"] == "req-list-1"
    assert (from_single["ip_address"] is None) == (address == "")
    (person_entry,) = AuditEvent.objects.for_object("referrals.person", referral.person_id)
    assert person_entry.detail == {"listing": "test"}
    assert person_entry.request_id == "req-list-1"
    assert person_entry.occurred_at >= single.occurred_at
