"""Setting up a GP system's connection. No referral workflow lives here: interop calls
the referrals and linkworkers services for that."""

from __future__ import annotations

import dataclasses
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from oauth2_provider.models import Application

from interop import terminology as t
from interop.documents import document_for
from interop.models import MessageMoment, PracticeIntegration, PracticeMessage, SystemClient
from referrals import codes as referral_codes
from referrals.models import Referral
from socialrx.core.audit import audit_record
from socialrx.core.links import absolute_url
from socialrx.core.models import (
    AuditAction,
    AuditSystemReason,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from socialrx.core.services import notification_queue


@dataclasses.dataclass(frozen=True)
class Credentials:
    client: SystemClient
    client_id: str
    client_secret: str  # shown once: the toolkit stores only a hash


@transaction.atomic
def system_client_register(
    *, name: str, practice: Organisation, actor: User | None = None
) -> Credentials:
    """A GP system acting for ``practice`` through OAuth 2.0 client credentials.

    Its service user is a referrer of the practice who cannot sign in, so referrals it
    sends pass the same checks as a person's and the audit log names the system."""
    if practice.org_type != OrganisationType.GP_PRACTICE or not practice.is_active:
        raise ValidationError({"practice": ["Choose an active GP practice"]})
    tag = secrets.token_hex(4)
    user = User.objects.create_user(
        email=f"system-{slugify(name)[:40]}-{tag}@clients.socialrx.invalid",
        full_name=f"{name} (GP system)",
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, organisation=practice, role=Role.REFERRER)
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=f"{name} for {practice.name}"[:255],
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    client = SystemClient.objects.create(
        application=application, organisation=practice, service_user=user
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=client,
        system_reason="" if actor else AuditSystemReason.MANAGEMENT_COMMAND,
    )
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)


# The referral events that produce a message back, and the moment each stands for.
def moment_for(kind: str, closure_outcome: str) -> str | None:
    if kind == referral_codes.EventKind.FIRST_CONTACT:
        return MessageMoment.ACCEPTED
    if kind == referral_codes.EventKind.CLOSED:
        if closure_outcome == referral_codes.ClosureOutcome.DECLINED_BY_PERSON:
            return MessageMoment.DECLINED
        return MessageMoment.CLOSED
    return None


def practice_inbox_url(message: PracticeMessage) -> str:
    return absolute_url(reverse("interop:inbox_message", args=[message.pk]))


@transaction.atomic
def practice_message_write(*, referral_id: int, kind: str) -> PracticeMessage | None:
    """Write the PRSB message back to the person's registered practice for this event,
    and tell the practice's shared mailbox (a link only). Idempotent: one message per
    referral and moment, so a retried task does nothing more. None when no message is due
    (another event, or no registered practice)."""
    referral = (
        Referral.objects.select_related(
            "person__registered_practice", "referrer", "referring_organisation"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.person.registered_practice is None:
        return None
    moment = moment_for(kind, referral.closure_outcome)
    if moment is None:
        return None
    existing = PracticeMessage.objects.filter(referral=referral, moment=moment).first()
    if existing is not None:
        return existing
    snomed = {
        MessageMoment.ACCEPTED: t.SNOMED_ACCEPTED,
        MessageMoment.DECLINED: t.SNOMED_DECLINED,
    }.get(MessageMoment(moment), "")
    message_id = uuid.uuid4()
    base = absolute_url("/fhir")
    message = PracticeMessage.objects.create(
        uuid=message_id,
        referral=referral,
        practice=referral.person.registered_practice,
        moment=moment,
        snomed_code=snomed,
        document=document_for(
            referral, moment=moment, snomed_code=snomed, message_id=message_id, base_url=base
        ),
    )
    # Written on behalf of whoever recorded the event (the link worker).
    event = referral.events.filter(kind=kind).order_by("-occurred_at", "-id").first()
    actor = event.actor if event else None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=message,
        system_reason="" if actor else AuditSystemReason.DEADLINE_TASK,
    )
    _tell_shared_mailbox(message)
    return message


def _tell_shared_mailbox(message: PracticeMessage) -> None:
    integration = PracticeIntegration.objects.filter(practice=message.practice_id).first()
    if integration is None or not integration.shared_mailbox:
        return
    context = {"practice": message.practice.name, "url": practice_inbox_url(message)}
    notification_queue(
        to_email=integration.shared_mailbox,
        kind="practice_message",
        subject=" ".join(
            loader.render_to_string("interop/email/practice_message_subject.txt", context).split()
        ),
        body_text=loader.render_to_string("interop/email/practice_message_body.txt", context),
    )


@transaction.atomic
def practice_message_file(*, message: PracticeMessage, actor: User) -> PracticeMessage:
    """Practice staff filed the message into the GP record. Filing twice changes nothing."""
    message = PracticeMessage.objects.select_for_update().get(pk=message.pk)
    if message.filed_at is None:
        message.filed_at = timezone.now()
        message.filed_by = actor
        message.save(update_fields=["filed_at", "filed_by", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=message, detail={"filed": True})
    return message
