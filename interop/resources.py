"""Our records as FHIR resources: the ServiceRequest, the Task that follows it, and the
Bundles that carry search results."""

from __future__ import annotations

from typing import Any

from interop import terminology as t
from interop.models import PracticeMessage
from referrals import codes
from referrals.models import Referral

SERVICE_REQUEST_STATUS: dict[str, str] = {
    codes.Status.CLOSED: "completed",
    codes.Status.DECLINED: "revoked",
    codes.Status.WITHDRAWN: "revoked",
}


def _instant(value: Any) -> str:
    return value.isoformat()


def _organisation_ref(organisation: Any) -> dict[str, Any]:
    ref: dict[str, Any] = {"display": organisation.name}
    if organisation.ods_code:
        ref["identifier"] = {"system": t.ODS_SYSTEM, "value": organisation.ods_code}
    return ref


def patient_for(referral: Referral) -> dict[str, Any]:
    person = referral.person
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "birthDate": person.date_of_birth.isoformat(),
    }
    if person.nhs_number:
        patient["identifier"] = [{"system": t.NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    return patient


def _requester(referral: Referral) -> dict[str, Any]:
    requester: dict[str, Any] = {"display": referral.requester_name or str(referral.referrer)}
    ods = referral.requester_ods_code or (
        referral.referring_organisation.ods_code if referral.referring_organisation else ""
    )
    if ods:
        requester["identifier"] = {"system": t.ODS_SYSTEM, "value": ods}
    return requester


def service_request_for(referral: Referral, base_url: str) -> dict[str, Any]:
    """Our ServiceRequest, with the person contained; its Task is at Task/<same id>."""
    identifiers: list[dict[str, str]] = [
        {"system": f"{base_url}/referrals", "value": referral.reference}
    ]
    if referral.sender_identifier_value:
        sender = {"value": referral.sender_identifier_value}
        if referral.sender_identifier_system:
            sender["system"] = referral.sender_identifier_system
        identifiers.insert(0, sender)
    reasons: list[dict[str, Any]] = [
        {
            "coding": [
                {"system": t.REASON_SYSTEM, "code": r.reason, "display": r.get_reason_display()}
            ]
        }
        for r in referral.reasons.all()
    ]
    if referral.reason_other:
        reasons.append({"text": referral.reason_other})
    body: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "meta": {"lastUpdated": _instant(referral.updated_at)},
        "contained": [patient_for(referral)],
        "identifier": identifiers,
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "priority": "urgent" if referral.urgency == codes.Urgency.URGENT else "routine",
        "code": {
            "coding": [
                {
                    "system": t.SNOMED_SYSTEM,
                    "code": t.SNOMED_ACCEPTED,
                    "display": t.SNOMED_DISPLAY[t.SNOMED_ACCEPTED],
                }
            ]
        },
        "reasonCode": reasons,
        "subject": {"reference": "#patient"},
        "authoredOn": _instant(referral.created_at),
        "requester": _requester(referral),
        "performer": [_organisation_ref(referral.triage_service)],
    }
    if referral.consent_to_confirm:
        body["note"] = [{"text": "Consent to be confirmed at first contact."}]
    return body


def _snomed_of_moment(referral: Referral) -> str:
    events = list(referral.events.all())
    return next((e.snomed_code for e in reversed(events) if e.snomed_code), "")


def task_for(
    referral: Referral, base_url: str, messages: list[PracticeMessage] | None = None
) -> dict[str, Any]:
    """The Task that follows a referral: its status, why, and the messages back."""
    business: dict[str, Any] = {
        "coding": [
            {
                "system": t.TASK_BUSINESS_STATUS_SYSTEM,
                "code": referral.status,
                "display": referral.get_status_display(),
            }
        ],
        "text": referral.get_status_display(),
    }
    snomed = _snomed_of_moment(referral)
    if snomed:
        business["coding"].append(
            {"system": t.SNOMED_SYSTEM, "code": snomed, "display": t.SNOMED_DISPLAY[snomed]}
        )
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.uuid),
        "meta": {"lastUpdated": _instant(referral.updated_at)},
        "basedOn": [{"reference": f"ServiceRequest/{referral.uuid}"}],
        "focus": {"reference": f"ServiceRequest/{referral.uuid}"},
        "status": referral.fhir_task_status,
        "businessStatus": business,
        "intent": "order",
        "authoredOn": _instant(referral.created_at),
        "lastModified": _instant(referral.updated_at),
        "requester": _requester(referral),
        "owner": _organisation_ref(referral.assigned_team or referral.triage_service),
    }
    if referral.status == codes.Status.DECLINED:
        task["statusReason"] = {"text": referral.get_decline_reason_display()}
    elif referral.status == codes.Status.WITHDRAWN:
        task["statusReason"] = {"text": "Withdrawn by the referrer"}
    if messages:
        task["output"] = [
            {
                "type": {"text": f"Message back: {m.get_moment_display()}"},
                "valueReference": {
                    "reference": f"Bundle/{m.uuid}",
                    "display": "PRSB social prescribing message back",
                },
            }
            for m in messages
        ]
    return task


def searchset(
    resources: list[dict[str, Any]], *, base_url: str, self_url: str, total: int
) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base_url}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
