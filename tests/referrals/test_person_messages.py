"""The person is told how their referral goes (received, accepted, declined, expired; a
service that cannot take them), in their language where we have it, by the channel they
prefer, with no clinical detail: through GOV.UK Notify (its API answered by a local
server) or SMTP (Django's outbox)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from linkworkers import codes as lw_codes
from linkworkers.connections.services import lifecycle
from referrals import codes
from referrals.services import referral_assign, referral_decline, referral_submit
from referrals.services.triage import referral_decline_expired
from socialrx.core.models import Notification
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.linkworkers.factories import CaseFactory
from tests.referrals.factories import ReferralFactory

POLISH_TEXTS = {
    "language": "Polish, interpreter needed",
    "interpreter_needed": True,
    "preferred_contact_method": codes.ContactMethod.TEXT,
    "phone": "07700 900123",
    "email": "",
}


@pytest.fixture
def submit(referrer, practice, route, make_input, django_capture_on_commit_callbacks):
    def go(**person):
        data = make_input(practice)
        data = type(data)(
            **{**data.__dict__, "person": type(data.person)(**{**data.person.__dict__, **person})}
        )
        with django_capture_on_commit_callbacks(execute=True):
            return referral_submit(data=data, referrer=referrer, organisation=practice).referral

    return go


def _referral(django_capture_on_commit_callbacks, **person):
    defaults = {"email": "sam@person.example", "given_name": "Sam"}
    return ReferralFactory(
        source=codes.ReferralSource.SELF,
        contact_consent=True,
        **{f"person__{k}": v for k, v in (defaults | person).items()},
    )


@pytest.mark.django_db
def test_received_by_text_in_polish_through_notify(notify, settings, submit):
    referral = submit(**POLISH_TEXTS)
    [sent] = notify.sent
    assert sent.channel == "sms"
    assert sent.template_id == settings.NOTIFY_TEMPLATE_IDS["referral_received.sms.pl"]
    assert sent.body["phone_number"] == "07700 900123"
    assert sent.personalisation == {
        "name": "Ada",
        "reference": referral.reference,
        "service": referral.triage_service.name,
        "interpreter": "no",
    }
    # Nothing clinical leaves: no reasons, what matters, NHS number or date of birth.
    body = json.dumps(sent.body)
    for detail in ("loneliness", "bereavement", "husband", "9990000018", "1948"):
        assert detail not in body.lower()


@pytest.mark.django_db
def test_where_unreviewed_drafts_are_off_polish_gets_english_and_an_interpreter(
    notify, settings, submit
):
    # Production's default until a qualified translator signs the Polish words off.
    settings.NOTIFICATION_UNREVIEWED_TRANSLATIONS = False
    submit(**POLISH_TEXTS)
    [sent] = notify.sent
    assert sent.template_id == settings.NOTIFY_TEMPLATE_IDS["referral_received.sms.en"]
    assert sent.personalisation["interpreter"] == "yes"


@pytest.mark.django_db
def test_a_language_we_have_no_words_for_gets_english_and_an_interpreter(notify, settings, submit):
    submit(language="Tigrinya", interpreter_needed=True)
    [sent] = notify.sent
    assert sent.template_id == settings.NOTIFY_TEMPLATE_IDS["referral_received.email.en"]
    assert sent.personalisation["interpreter"] == "yes"


@pytest.mark.django_db
def test_the_smtp_email_in_urdu(submit):
    submit(language="Urdu")
    [message] = mail.outbox
    assert message.subject.startswith("آپ کا ریفرل")
    assert message.extra_headers["Content-Language"] == "ur"


@pytest.mark.django_db
def test_the_smtp_fallback_says_an_interpreter_will_call(submit):
    submit(language="Tigrinya")
    assert "An interpreter will call you" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_letter_to_the_address_with_notify_and_email_with_smtp(notify, settings, submit):
    submit(
        preferred_contact_method=codes.ContactMethod.LETTER, address="1 High Street\nNorthampton"
    )
    [sent] = notify.sent
    assert sent.channel == "letter"
    assert sent.personalisation["address_line_1"] == "Ada Lane"
    assert sent.personalisation["address_line_2"] == "1 High Street"
    assert sent.personalisation["address_line_4"] == "NN1 1AA"
    # SMTP sends no letters: the email they gave instead.
    settings.NOTIFICATION_BACKEND = "smtp"
    submit(
        preferred_contact_method=codes.ContactMethod.LETTER,
        address="1 High Street",
        nhs_number="",
        given_name="Bea",
    )
    assert mail.outbox[-1].to == ["ada.lane@person.example"]


@pytest.mark.django_db
def test_nothing_when_contact_is_through_the_gp_or_nothing_can_reach_them(submit):
    submit(preferred_contact_method=codes.ContactMethod.GP_PRACTICE)
    submit(email="", phone="01632 960001", nhs_number="", given_name="Cy")  # a landline
    assert mail.outbox == []
    assert not Notification.objects.filter(kind__startswith="person_").exists()


@pytest.mark.django_db
def test_accepted_and_declined(
    notify, settings, triage_lead, link_worker_team, django_capture_on_commit_callbacks
):
    accepted = _referral(None, **POLISH_TEXTS)
    accepted.triage_service = link_worker_team.parent
    accepted.save()
    declined = _referral(None)
    quiet = _referral(None)
    with django_capture_on_commit_callbacks(execute=True):
        referral_assign(referral=accepted, team=link_worker_team, actor=triage_lead)
        referral_decline(
            referral=declined, actor=triage_lead, reason=codes.DeclineReason.NO_CAPACITY
        )
        # They said no themselves: nothing to tell them.
        referral_decline(referral=quiet, actor=triage_lead, reason=codes.DeclineReason.NO_CONSENT)
    ids = settings.NOTIFY_TEMPLATE_IDS
    assert [s.template_id for s in notify.sent] == [
        ids["referral_accepted.sms.pl"],
        ids["referral_declined.email.en"],
    ]


@pytest.mark.django_db
def test_expired_unaccepted_the_person_is_told_too(django_capture_on_commit_callbacks):
    referral = _referral(None)
    with django_capture_on_commit_callbacks(execute=True):
        referral_decline_expired(
            referral_id=referral.pk, received_before=timezone.now() + datetime.timedelta(days=1)
        )
    to_person = [m for m in mail.outbox if m.to == ["sam@person.example"]]
    assert [m.subject for m in to_person] == ["About your referral"]
    assert "was not picked up in time" in to_person[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "told"),
    [
        (lw_codes.ConnectionDeclineReason.NO_CAPACITY, True),
        (lw_codes.ConnectionDeclineReason.NOT_ELIGIBLE, True),
        (lw_codes.ConnectionDeclineReason.COULD_NOT_CONTACT, False),
        (lw_codes.ConnectionDeclineReason.NO_LONGER_INTERESTED, False),
    ],
)
def test_a_service_that_cannot_take_them(
    reason, told, link_worker, link_worker_team, vcse_org, vcse_editor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    case = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__contact_consent=True,
        referral__person__email="sam@person.example",
    )
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    service = service_with(organization=listing, name="Walk and talk")
    connection = lifecycle.connection_create(
        case=case, service=service, actor=link_worker, domain=lw_codes.LifeDomain.SOCIAL_CONNECTION,
        consent_to_share=True, send_now=True,
    )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.connection_decline(connection=connection, actor=vcse_editor, reason=reason)
    to_person = [m for m in mail.outbox if m.to == ["sam@person.example"]]
    assert [m.subject for m in to_person] == (
        ["A service cannot take you at the moment"] if told else []
    )
    # Which service, and why, stay with the link worker.
    assert all("Walk and talk" not in m.body for m in to_person)
