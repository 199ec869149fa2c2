"""Display logic for referrals, kept out of templates and models."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from django.utils.safestring import SafeString

from referrals import codes
from referrals.models import Person, PersonDetailsEvent, Referral, ReferralStatusEvent
from referrals.notifications import person_messages
from socialrx.core.presenters import message_presenters
from socialrx.core.templatetags.nhsuk import tag_html

# NHS.UK tag colour for each status (includes/tag.html).
STATUS_TAG: dict[str, str] = {
    codes.Status.RECEIVED: "blue",
    codes.Status.INFO_REQUESTED: "yellow",
    codes.Status.TRIAGED: "aqua-green",
    codes.Status.ASSIGNED: "aqua-green",
    codes.Status.FIRST_CONTACT: "green",
    codes.Status.IN_PROGRESS: "green",
    codes.Status.CLOSED: "grey",
    codes.Status.DECLINED: "red",
    codes.Status.WITHDRAWN: "grey",
}

# Labels looked up once: Django's get_FOO_display() rebuilds the field's whole choices
# dict on every call, and the triage queue makes some sixty a page (issue 17).
_REASON_LABELS: dict[str, str] = dict(codes.Reason.choices)
_STATUS_LABELS: dict[str, str] = dict(codes.Status.choices)
_SOURCE_LABELS: dict[str, str] = dict(codes.ReferralSource.choices)


@dataclass(frozen=True)
class Row:
    key: str
    value: str


class EventPresenter:
    def __init__(self, event: ReferralStatusEvent) -> None:
        self.event = event

    @property
    def title(self) -> str:
        return self.event.get_kind_display()

    @property
    def snomed(self) -> str:
        """The code to record in the GP record, with its display name."""
        code = self.event.snomed_code
        return f"{code} {codes.SNOMED_DISPLAY.get(code, '')}".strip() if code else ""

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG.get(self.event.to_status, "")


class ReferralPresenter:
    def __init__(self, referral: Referral, url: str = "") -> None:
        self.referral = referral
        self.url = url  # the referral's page, where a list links to it

    @property
    def status_label(self) -> str:
        if self.referral.status == codes.Status.CLOSED:
            return f"Closed: {self.referral.get_closure_outcome_display().lower()}"
        return _STATUS_LABELS.get(self.referral.status, self.referral.status)

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG.get(self.referral.status, "")

    @property
    def reasons(self) -> str:
        labels = [_REASON_LABELS.get(r.reason, r.reason) for r in self.referral.reasons.all()]
        if self.referral.reason_other:
            labels.append(f"({self.referral.reason_other})")
        return ", ".join(labels)

    @property
    def urgent(self) -> bool:
        return self.referral.urgency == codes.Urgency.URGENT

    @property
    def open_question(self) -> str:
        """What the triage team last asked, while the referral waits for the answer."""
        if self.referral.status != codes.Status.INFO_REQUESTED:
            return ""
        asked = [e for e in self.referral.events.all() if e.kind == codes.EventKind.INFO_REQUESTED]
        return asked[-1].note if asked else ""

    def events(self) -> list[EventPresenter]:
        return [EventPresenter(e) for e in self.referral.events.all()]


class QueueRow:
    """One row of the triage queue, its cells worked out once as finished text: the
    template then reads one name per cell, where it spent a quarter of the page's time
    walking ``row.referral.person.full_name`` and formatting numbers (issue 17)."""

    __slots__ = ("referral", "url", "reference", "person", "waiting", "reasons", "source", "tags")

    def __init__(self, referral: Referral, now: datetime.datetime, url: str = "") -> None:
        presenter = ReferralPresenter(referral, url)
        self.referral = referral
        self.url = url
        self.reference = referral.reference
        self.person = referral.person.full_name
        days = referral.days_waiting_at(now)
        self.waiting = f"{days} day{pluralize(days)}"
        self.reasons = presenter.reasons
        organisation = referral.referring_organisation
        source = _SOURCE_LABELS.get(referral.source, referral.source)
        self.source = str(organisation) if organisation else source
        status = tag_html(presenter.status_label, presenter.tag_colour)
        self.tags: SafeString = (
            format_html("{} {}", tag_html("Urgent", "red"), status) if presenter.urgent else status
        )


def person_rows(person: Person) -> list[Row]:
    rows = [
        Row("Name", person.full_name),
        Row("Date of birth", person.date_of_birth.strftime("%-d %B %Y")),
        Row("NHS number", person.nhs_number_display or "Not given"),
        Row("Registered GP practice", str(person.registered_practice or "Not known")),
        Row("Postcode", person.postcode or "Not given"),
        Row("Phone", person.phone or "Not given"),
        Row("Email", person.email or "Not given"),
    ]
    if person.preferred_contact_method:
        rows.append(Row("Preferred contact", person.get_preferred_contact_method_display()))
    if person.interpreter_needed:
        rows.append(Row("Interpreter", f"Needed ({person.language or 'language not given'})"))
    if person.accessible_formats:
        formats = dict(codes.AccessibleFormat.choices)
        rows.append(
            Row(
                "Accessible formats",
                ", ".join(formats.get(f, f) for f in person.accessible_formats),
            )
        )
    if person.accessibility_needs:
        rows.append(Row("Accessibility needs", person.accessibility_needs))
    return rows


def _field_label(name: str) -> str:
    return str(getattr(Person._meta.get_field(name), "verbose_name", name)).capitalize()


@dataclass(frozen=True)
class DetailsChange:
    """One correction in a person's history: when, by whom, which details, and why."""

    when: str
    by: str
    fields: str
    note: str


def details_history(events: Iterable[PersonDetailsEvent]) -> list[DetailsChange]:
    """Newest first. The values themselves stay in the event: the page names what changed."""
    return [
        DetailsChange(
            when=event.occurred_at.strftime("%-d %B %Y at %-I:%M%p")
            .replace("AM", "am")
            .replace("PM", "pm"),
            by=str(event.actor) if event.actor else "The system",
            fields=", ".join(_field_label(name) for name in event.changes),
            note=event.note,
        )
        for event in sorted(events, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    ]


@dataclass(frozen=True)
class Answer:
    key: str
    value: str
    action_url: str


def _display(value: object, choices: dict[str, str]) -> str:
    if value in (None, "", [], ()):
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(choices.get(str(v), str(v)) for v in value)
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return choices.get(str(value), str(value))


def answer_rows(form: object, change_url: str, skip: Collection[str] = ()) -> list[Answer]:
    """Check-your-answers rows from a valid form, in the form's order, less ``skip``."""
    rows = []
    for name, field in form.fields.items():  # type: ignore[attr-defined]
        if field.widget.is_hidden or name in skip:
            continue
        choices = {str(k): str(v) for k, v in getattr(field, "choices", [])}
        value = _display(form.cleaned_data.get(name), choices)  # type: ignore[attr-defined]
        if name == "nhs_number" and value != "Not given":
            value = f"{value[:3]} {value[3:6]} {value[6:]}"
        rows.append(Answer(str(field.label), value, f"{change_url}#id_{name}"))
    return rows


def person_messages_context(referral: Referral) -> dict[str, object]:
    """What a page about the referral shows of the messages to the person: each with
    what became of it, and those that did not reach them (one query)."""
    shown = message_presenters(person_messages(referral))
    return {
        "person_messages": shown,
        "undelivered": [m for m in shown if m.undeliverable],
    }
