import pytest
from django.core import mail
from django.urls import reverse

from socialrx.core.models import AuditAction, AuditEvent, Notification, NotificationStatus
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_home_for_a_visitor_offers_self_referral_the_directory_and_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("referrals:self_referral", "directory:search", "login"):
        assert f'href="{reverse(name)}"' in page
    assert "<h1>Your work</h1>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "heading"),
    [
        ("referrer", "Referrer"),
        ("link_worker", "Link worker"),
        ("triage_lead", "Triage lead"),
        ("vcse_editor", "VCSE editor"),
        ("directory_admin", "Directory administrator"),
        ("commissioner", "Commissioner"),
        ("service_manager", "Service manager"),
        ("system_admin", "System administrator"),
    ],
)
def test_home_shows_each_user_the_work_of_their_roles(client, request, fixture, heading):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert f">{heading}</h2>" in page
    other_headings = {"Referrer", "Commissioner"} - {heading}
    assert not any(f">{other}</h2>" in page for other in other_headings)


@pytest.mark.django_db
def test_user_without_roles_is_told_how_to_get_one(client, user_without_roles):
    client.force_login(user_without_roles)
    assert "do not hold a role" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_sign_in_with_email_records_an_audit_entry(client, referrer):
    response = client.post(reverse("login"), {"login": referrer.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=referrer, action=AuditAction.LOGIN).exists()


@pytest.mark.django_db
def test_failed_sign_in_shows_an_error_and_audits_without_the_address(client, referrer):
    response = client.post(reverse("login"), {"login": referrer.email, "password": "wrong"})
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert referrer.email not in str(event.detail)


@pytest.mark.django_db
def test_sign_out_is_a_post_and_is_audited(client, referrer):
    client.force_login(referrer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=referrer, action=AuditAction.LOGOUT).exists()
    assert "<h1>Your work</h1>" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_password_reset_email_goes_through_the_notification_queue(
    client, referrer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": referrer.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [referrer.email]
    assert "/accounts/reset/" in mail.outbox[0].body
    notification = Notification.objects.get(recipient=referrer)
    assert notification.status == NotificationStatus.SENT
    assert notification.body_text == ""  # the reset link does not linger in the database


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "stranger@test.example"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_responses_carry_request_id_and_a_same_origin_csp(client):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="abc12345-proxy")
    assert response["X-Request-ID"] == "abc12345-proxy"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp  # no other origin is allowed


@pytest.mark.django_db
def test_unsafe_request_ids_are_replaced(client):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_system_admin_home_links_to_administration_and_audit_log(client, system_admin, referrer):
    client.force_login(system_admin)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/admin/"' in page
    assert 'href="/admin/core/auditevent/"' in page

    client.force_login(referrer)
    assert 'href="/admin/core/auditevent/"' not in client.get(reverse("home")).content.decode()
