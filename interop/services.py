"""Setting up a GP system's connection. No referral workflow lives here: interop calls
the referrals and linkworkers services for that."""

from __future__ import annotations

import dataclasses
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from oauth2_provider.models import Application

from interop.models import SystemClient
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, Membership, Organisation, OrganisationType, Role, User


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
    audit_record(actor=actor, action=AuditAction.CREATE, obj=client)
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)
