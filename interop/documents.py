"""The PRSB social prescribing message back as a FHIR document Bundle.

A Composition with the headings of the PRSB Social Prescribing Information Standard's
message back to the GP (person, referral, status with its SNOMED CT code, what matters,
needs and concerns, goals, support and services connected, outcome measures, link
worker), each section with a plain-language narrative; the code of the moment
(871731000000106 accepted, 871711000000103 declined) is the Composition's event code.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from html import escape, unescape
from typing import Any

from django.utils import timezone

from interop import terminology as t
from interop.models import MessageMoment
from linkworkers import codes as lw_codes
from linkworkers.models import Case
from referrals.models import Referral
from socialrx.core.measures import MeasureSummary, measure_summaries

TITLE = "Social prescribing: message back to the GP"


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    lines: list[str]
    code: dict[str, Any] | None = None


def _div(lines: list[str]) -> str:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines) or "<p>None recorded.</p>"
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def _measure_line(m: MeasureSummary) -> str:
    line = f"{m.name}: baseline {m.baseline}"
    if m.baseline_on:
        line += f" ({m.baseline_on:%-d %B %Y})"
    if m.latest:
        line += f"; latest {m.latest}" + (f" ({m.latest_on:%-d %B %Y})" if m.latest_on else "")
    return line


def _case_sections(case: Case | None, referral: Referral) -> list[Section]:
    if case is None:
        return [Section("What matters to the person", [referral.what_matters or "Not recorded"])]
    message = getattr(case, "message_back", None)
    latest = case.assessments.last()
    what_matters = (latest.what_matters if latest else "") or referral.what_matters
    plan = getattr(case, "plan", None)
    goals = (
        [f"{g.description} ({g.get_status_display().lower()})" for g in plan.goals.all()]
        if plan
        else []
    )
    connected = [
        f"{c.service.name}: {c.get_status_display().lower()}"
        for c in case.connections.select_related("service").exclude(
            status=lw_codes.ConnectionStatus.SUGGESTED
        )
    ]
    sections = [
        Section("What matters to the person", [what_matters or "Not recorded"]),
    ]
    if message is not None:
        sections.append(Section("Needs and concerns", message.needs_and_concerns.splitlines()))
        sections.append(Section("Support offered", message.support_offered.splitlines()))
    sections += [
        Section("Goals", goals),
        Section("Activities and services connected to", connected),
        Section("Outcome measures", [_measure_line(m) for m in measure_summaries(case.pk)]),
        Section("Link worker", [f"{case.link_worker}, {case.team}"]),
    ]
    return sections


def document_for(
    referral: Referral, *, moment: str, snomed_code: str, message_id: uuid.UUID, base_url: str
) -> dict[str, Any]:
    """The document Bundle for one moment of one referral (a snapshot: stored as sent)."""
    person = referral.person
    practice = person.registered_practice
    case: Case | None = getattr(referral, "case", None)
    # Entries are referred to by urn:uuid, one stable uuid per entry of this message.
    ref = {name: str(uuid.uuid5(message_id, name)) for name in ("patient", "practice", "service")}
    now = timezone.now().isoformat()
    status_line = MessageMoment(moment).label
    if referral.closure_outcome:
        status_line += f": {referral.get_closure_outcome_display().lower()}"
    moment_code = (
        {"system": t.SNOMED_SYSTEM, "code": snomed_code, "display": t.SNOMED_DISPLAY[snomed_code]}
        if snomed_code
        else None
    )
    sections = [
        Section(
            "Referral",
            [
                f"Referral {referral.reference}, received {referral.created_at:%-d %B %Y}",
                f"Referred by {referral.requester_name or referral.referrer or 'self-referral'}"
                + (
                    f", {referral.referring_organisation}"
                    if referral.referring_organisation
                    else ""
                ),
            ],
        ),
        Section(
            "Social prescribing status",
            [status_line]
            + (
                [
                    "Record in the GP record: SNOMED CT "
                    f"{snomed_code} {t.SNOMED_DISPLAY[snomed_code]}"
                ]
                if snomed_code
                else []
            ),
            {"coding": [moment_code]} if moment_code else None,
        ),
        *_case_sections(case, referral),
    ]
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": ref["patient"],
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "birthDate": person.date_of_birth.isoformat(),
    }
    if person.nhs_number:
        patient["identifier"] = [{"system": t.NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    # FHIR forbids empty strings: only the parts of the address we hold.
    address = {k: v for k, v in (("text", person.address), ("postalCode", person.postcode)) if v}
    if address:
        patient["address"] = [address]
    organisation: dict[str, Any] = {
        "resourceType": "Organization",
        "id": ref["practice"],
        "name": practice.name if practice else "Not known",
    }
    if practice and practice.ods_code:
        organisation["identifier"] = [{"system": t.ODS_SYSTEM, "value": practice.ods_code}]
        patient["generalPractitioner"] = [{"reference": f"urn:uuid:{ref['practice']}"}]
    service = {
        "resourceType": "Organization",
        "id": ref["service"],
        "name": str(referral.assigned_team or referral.triage_service),
    }
    composition: dict[str, Any] = {
        "resourceType": "Composition",
        "id": str(uuid.uuid5(message_id, "composition")),
        "status": "final",
        "type": {"text": TITLE},
        "subject": {"reference": f"urn:uuid:{ref['patient']}"},
        "date": now,
        "author": [{"reference": f"urn:uuid:{ref['service']}"}],
        "title": TITLE,
        "custodian": {"reference": f"urn:uuid:{ref['service']}"},
        "section": [
            {
                "title": s.title,
                **({"code": s.code} if s.code else {}),
                "text": {"status": "generated", "div": _div(s.lines)},
            }
            for s in sections
        ],
    }
    if moment_code:
        composition["event"] = [{"code": [{"coding": [moment_code]}]}]
    return {
        "resourceType": "Bundle",
        "id": str(message_id),
        "meta": {"lastUpdated": now},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{message_id}"},
        "type": "document",
        "timestamp": now,
        "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
            for r in (composition, patient, organisation, service)
        ],
        "link": [{"relation": "self", "url": f"{base_url}/Bundle/{message_id}"}],
    }


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def sections_of(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(title, lines of text) of each section, for the inbox page and the PDF: the lines
    are unescaped back to text, so templates escape them again and no stored HTML is
    ever rendered as HTML."""
    composition = document["entry"][0]["resource"]
    return [
        (s["title"], [unescape(p) for p in _PARAGRAPH.findall(s["text"]["div"])])
        for s in composition.get("section", [])
    ]
