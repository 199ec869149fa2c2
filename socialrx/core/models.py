"""People, organisations, roles, the audit log and outbound notifications."""

from __future__ import annotations

import datetime
import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; roles come from memberships."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    password_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="API tokens issued before this no longer work.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ("full_name", "email")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def set_password(self, raw_password: str | None) -> None:
        # Every way a password changes (reset, the admin, allauth, changepassword) comes
        # through here, so API tokens check this time when used. Django's rehash on
        # sign-in also calls this but saves only the password field: not a change.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """The user's current roles, loaded once per request. Signed in by session, the
        backend has filled this already; signed in by a token (the API, a GP system),
        the same raw query the backend runs, not the ORM's (issue 17)."""
        from socialrx.core.backends import active_memberships  # the backend imports us

        memberships = active_memberships(self.pk)
        for membership in memberships:
            membership.user = self
        return memberships

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def organisations_with_role(self, *roles: str) -> list[Organisation]:
        return [m.organisation for m in self.active_memberships if m.role in roles]


class OrganisationType(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    LINK_WORKER_SERVICE = "link_worker_service", "Link worker service"
    LINK_WORKER_TEAM = "link_worker_team", "Link worker team"
    VCSE = "vcse", "VCSE organisation"
    COUNCIL = "council", "Council"
    ICB = "icb", "Integrated care board"


# Which type of organisation may sit under which: practices in a PCN, link worker
# teams in a link worker service or a PCN (a PCN employs its own link workers).
ALLOWED_PARENT_TYPES: dict[str, set[str]] = {
    OrganisationType.GP_PRACTICE: {OrganisationType.PCN},
    OrganisationType.LINK_WORKER_TEAM: {
        OrganisationType.LINK_WORKER_SERVICE,
        OrganisationType.PCN,
    },
    OrganisationType.PCN: {OrganisationType.ICB},
    OrganisationType.LINK_WORKER_SERVICE: {
        OrganisationType.COUNCIL,
        OrganisationType.ICB,
        OrganisationType.VCSE,
    },
}


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def of_type(self, *types: str) -> OrganisationQuerySet:
        return self.filter(org_type__in=types)


class Organisation(TimeStampedModel):
    """Any body that takes part: practices, PCNs, link worker services and teams,
    VCSE organisations, councils and ICBs."""

    name = models.CharField(max_length=200)
    org_type = models.CharField("type", max_length=32, choices=OrganisationType.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=12,
        blank=True,
        help_text="Organisation Data Service code, where the organisation has one.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A practice's PCN, or the service a link worker team belongs to.",
    )
    is_active = models.BooleanField(default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [models.Index(fields=["org_type", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~Q(ods_code=""), name="organisation_ods_code_unique"
            ),
            models.UniqueConstraint(
                fields=["org_type", "name"], name="organisation_type_name_unique"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is None:
            return
        allowed = ALLOWED_PARENT_TYPES.get(self.org_type, set())
        if self.parent.org_type not in allowed:
            raise ValidationError(
                {
                    "parent": (
                        f"A {self.get_org_type_display().lower()} cannot belong to a "
                        f"{self.parent.get_org_type_display().lower()}."
                    )
                }
            )


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    LINK_WORKER = "link_worker", "Link worker"
    TRIAGE_LEAD = "triage_lead", "Triage lead"
    VCSE_EDITOR = "vcse_editor", "VCSE editor"
    DIRECTORY_ADMIN = "directory_admin", "Directory administrator"
    COMMISSIONER = "commissioner", "Commissioner"
    SERVICE_MANAGER = "service_manager", "Service manager"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    # Information governance (issue 13): access reports ("who has seen this person?"),
    # retention, erasure and restriction requests, subject access. Sees no record itself.
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"


class Profession(models.TextChoices):
    GP = "gp", "GP"
    NURSE = "nurse", "Nurse"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)

    def active_for(self, user_id: Any) -> MembershipQuerySet:
        """One user's current roles, in the order pages list them (``User.roles``)."""
        return self.filter(user_id=user_id, is_active=True, organisation__is_active=True).order_by(
            "role", "organisation__name"
        )

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)

    def holders_by_organisation(
        self, role: str, organisation_ids: Iterable[int]
    ) -> dict[int, list[User]]:
        """The active users holding ``role`` in each of these organisations, by email:
        who to tell about an organisation's work (its triage leads, its editors)."""
        holders: dict[int, list[User]] = defaultdict(list)
        memberships = (
            self.active()
            .with_role(role)
            .filter(organisation_id__in=list(organisation_ids))
            .select_related("user")
            .order_by("user__email", "pk")
        )
        for membership in memberships:
            holders[membership.organisation_id].append(membership.user)
        return holders


class Membership(TimeStampedModel):
    """A role a user holds in one organisation. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    profession = models.CharField(
        max_length=32,
        choices=Profession.choices,
        blank=True,
        help_text="For referrers: GP, nurse or other professional.",
    )
    target_caseload = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "For link workers: people supported a year. Full time is about 200-250; "
            "set pro rata for part-time workers."
        ),
    )
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ("organisation__name", "role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(target_caseload__isnull=True) | Q(role="link_worker"),
                name="membership_caseload_only_for_link_workers",
            ),
            models.CheckConstraint(
                condition=Q(profession="") | Q(role="referrer"),
                name="membership_profession_only_for_referrers",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.organisation}"

    @property
    def effective_target_caseload(self) -> int | None:
        if self.role != Role.LINK_WORKER:
            return None
        if self.target_caseload is not None:
            return self.target_caseload
        return settings.LINK_WORKER_DEFAULT_TARGET_CASELOAD


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    LOCKOUT = "lockout", "Sign-in refused: too many attempts"
    UNLOCK = "unlock", "Sign-in unlocked"
    MFA_ADDED = "mfa_added", "Second factor added"
    MFA_REMOVED = "mfa_removed", "Second factor removed"
    MFA_RESET = "mfa_reset", "Second factors reset by an administrator"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_FIRST_USED = "token_first_used", "API token used for the first time"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


class AuditSystemReason(models.TextChoices):
    """Why an audit entry names no user: who acted when no one was signed in."""

    SELF_REFERRAL = "self_referral", "Self-referral"
    DEADLINE_TASK = "deadline_task", "Deadline task"
    FAILED_SIGN_IN = "failed_sign_in", "Failed sign-in"
    # A safeguard acting on its own: a token revoked because its user changed password
    # or was deactivated.
    ACCOUNT_SAFEGUARD = "account_safeguard", "Account safeguard"
    # An operator at the server ran a management command (issue_api_token).
    MANAGEMENT_COMMAND = "management_command", "Management command"
    # GOV.UK Notify told us what became of a message: its callback, or our periodic
    # question to its API when no callback came (socialrx.core.notification_receipts).
    DELIVERY_RECEIPT = "delivery_receipt", "Delivery receipt from the provider"
    # Only on entries written before the reason was recorded (migration core 0002).
    UNRECORDED = "unrecorded", "Not recorded"


#: The most people whose entries one search of the audit log lists: a part of an email
#: address shared by more ("nhs.net") names most of the log, not someone.
AUDIT_SEARCH_MAX_PEOPLE = 1_000


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, object_type: str, object_id: object) -> AuditEventQuerySet:
        return self.filter(object_type=object_type, object_id=str(object_id))

    def matching(self, term: str, record_types: Iterable[str]) -> AuditEventQuerySet:
        """The entries a search names (ADR 0042): by people whose email address contains
        ``term`` (the first ``AUDIT_SEARCH_MAX_PEOPLE``, found in the user table), a
        record type, a record's id under any of ``record_types``, a request id or an IP
        address, all but the email exactly. Each is a condition an index answers, so
        PostgreSQL reads the entries found and not the table; a word inside six columns
        read every entry (4.4 s at 4 million, docs/scaling.md)."""
        term = term.strip()
        if not term:
            return self
        types = list(record_types)
        people = list(
            User.objects.filter(email__icontains=term)
            .order_by("email")
            .values_list("pk", flat=True)[:AUDIT_SEARCH_MAX_PEOPLE]
        )
        found = Q(request_id=term)
        if people:
            found |= Q(actor__in=people)
        if types:
            found |= Q(object_type__in=types, object_id=term)
        if term.lower() in types:
            found |= Q(object_type=term.lower())
        address = _ip_address(term)
        if address is not None:
            found |= Q(ip_address=address)
        return self.filter(found)


def _ip_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


class AuditEvent(models.Model):
    """Who viewed or changed which record, when and from where.

    Written only by ``socialrx.core.audit``; never updated or deleted by the app. It
    holds identifiers, not personal data: the record is looked up through its id.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    system_reason = models.CharField(
        max_length=32,
        choices=AuditSystemReason.choices,
        blank=True,
        help_text="Why no user is named: what the system was doing when it acted.",
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(
        default=dict, blank=True, help_text="Metadata only, such as the fields changed."
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            # For the admin's search (``AuditEventQuerySet.matching``): a request's
            # entries from the id in its log lines, an address's in an incident. The
            # entries of one request share both values, which PostgreSQL's b-tree keeps
            # once with a list of rows (ADR 0042 gives the size and the insert cost).
            models.Index(
                fields=["request_id"], name="core_audit_request_id", condition=~Q(request_id="")
            ),
            models.Index(
                fields=["ip_address"],
                name="core_audit_ip_address",
                condition=Q(ip_address__isnull=False),
            ),
        ]
        constraints = [
            # Never silently anonymous: a user, or the reason the system acted alone.
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(system_reason=""),
                name="audit_event_actor_or_system_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}".strip()


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Claimed by a worker and handed to the mail server; committed before the hand-over,
    # so a worker killed mid-send leaves the row saying so.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Left "sending" longer than a task may run: the worker died, and whether the server
    # took the message is unknown. Never sent again automatically (at most once): a
    # person checks and, if need be, sends it again.
    UNKNOWN = "unknown", "Unknown: needs review"
    # The provider refused it for good (a number that is not a mobile, a template that
    # does not exist): sending again would fail again, so it is never retried.
    REJECTED = "rejected", "Rejected by the provider"


class DeliveryStatus(models.TextChoices):
    """What the provider (GOV.UK Notify) says became of a message it accepted ("sent").
    Empty until it says; SMTP gives no receipts, so its email stays empty."""

    NONE = "", "No receipt yet"
    # A letter printed and handed to Royal Mail: as far as Notify follows a letter,
    # unless it comes back (returned).
    POSTED = "posted", "Posted"
    DELIVERED = "delivered", "Delivered"
    # Notify gave up for now: an inbox full, a phone switched off for days.
    TEMPORARY_FAILURE = "temporary_failure", "Not delivered (temporary)"
    # Notify's own or its provider's problem, not the person's details.
    TECHNICAL_FAILURE = "technical_failure", "Not delivered (technical problem)"
    # The number or address does not exist, or a letter could not be printed.
    PERMANENT_FAILURE = "permanent_failure", "Not delivered (permanent)"
    RETURNED_LETTER = "returned_letter", "Letter returned"


# Receipts may come late, twice, or out of order (Notify retries its callbacks, and we
# ask its API too): a status replaces another only if it ranks higher. A failure is news
# someone must act on, so a late "delivered" never hides one; a letter posted can still
# come back; an email delivered can still bounce.
DELIVERY_RANK: dict[str, int] = {
    DeliveryStatus.NONE: 0,
    DeliveryStatus.POSTED: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.TEMPORARY_FAILURE: 3,
    DeliveryStatus.TECHNICAL_FAILURE: 3,
    DeliveryStatus.PERMANENT_FAILURE: 4,
    DeliveryStatus.RETURNED_LETTER: 4,
}
# The person's number or address does not work: someone should try another way.
UNDELIVERABLE = frozenset({DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.RETURNED_LETTER})


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        return self.filter(
            status__in=[NotificationStatus.QUEUED, NotificationStatus.FAILED],
            attempts__lt=Notification.MAX_ATTEMPTS,
        )

    def about(self, object_type: str, object_ids: Iterable[object]) -> NotificationQuerySet:
        """The messages sent about these records (``about_type`` and ``about_id``)."""
        return self.filter(about_type=object_type, about_id__in=list(object_ids))

    def awaiting_receipt(
        self, *, sent_after: datetime.datetime, sent_before: datetime.datetime
    ) -> NotificationQuerySet:
        """Accepted by GOV.UK Notify between the two times with no final word since,
        least recently asked about first."""
        return (
            self.filter(
                status=NotificationStatus.SENT,
                delivery_status=DeliveryStatus.NONE,
                sent_at__gt=sent_after,
                sent_at__lte=sent_before,
            )
            .exclude(provider_reference="")
            .order_by(F("delivery_checked_at").asc(nulls_first=True), "pk")
        )

    def undeliverable(self) -> NotificationQuerySet:
        return self.filter(delivery_status__in=UNDELIVERABLE)


class Notification(TimeStampedModel):
    """A message: an email to a user, or an email, text or letter to a person referred.

    Either free text (``subject`` and ``body_text``, for staff) or a template of ours
    (``template_key``, e.g. ``referral_received``, in ``language``) filled with
    ``personalisation``, which the GOV.UK Notify backend sends as a Notify template and
    the SMTP backend renders itself. Bodies and personalisation are cleared once sent, so
    links, addresses and details do not linger in the database; what the provider calls
    it is kept (``provider_reference``)."""

    MAX_ATTEMPTS: ClassVar[int] = 5

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    channel = models.CharField(
        max_length=8, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )
    to_email = models.EmailField(blank=True)
    to_phone = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=64, help_text="Which message this is, e.g. password_reset.")
    template_key = models.CharField(
        max_length=64, blank=True, help_text="A message template of ours; empty for free text."
    )
    language = models.CharField(
        max_length=8, blank=True, help_text="The template's language: en, pl, ur..."
    )
    personalisation = models.JSONField(
        default=dict, blank=True, help_text="The template's fields; never clinical detail."
    )
    provider_reference = models.CharField(
        max_length=100, blank=True, help_text="The provider's id for it (GOV.UK Notify's)."
    )
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last took it to send."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # What the message is about, named as the audit log names records (core names no
    # app): "referrals.referral" and its id, so the pages about it can list it.
    about_type = models.CharField(max_length=64, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    delivery_status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, blank=True, default=DeliveryStatus.NONE
    )
    delivery_status_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider says the delivery status was reached."
    )
    delivery_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When we last asked the provider (no callback came)."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # A callback names the message by Notify's id.
            models.Index(fields=["provider_reference"]),
            models.Index(fields=["about_type", "about_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(status="sent"),
                name="notification_sent_at_only_when_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="notification_sending_was_claimed",
            ),
            # Somewhere to send it: an email address or a phone number for those
            # channels; a letter's address is in its personalisation, as Notify takes it.
            models.CheckConstraint(
                condition=Q(channel="letter")
                | (Q(channel="email") & ~Q(to_email=""))
                | (Q(channel="sms") & ~Q(to_phone="")),
                name="notification_has_an_address",
            ),
            # Only a message the provider accepted has a receipt.
            models.CheckConstraint(
                condition=Q(delivery_status="") | Q(status="sent"),
                name="notification_delivery_only_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to user {self.recipient_id or '-'} ({self.status})"

    @property
    def undeliverable(self) -> bool:
        return self.delivery_status in UNDELIVERABLE


# The API token table lives in its own module (socialrx/core/api_tokens/) and is imported
# here so that the core app, which owns it, registers it.
from socialrx.core.api_tokens.models import ApiToken  # noqa: E402, F401
from socialrx.core.data_protection.models import RetentionRun, RightsRequest  # noqa: E402, F401
