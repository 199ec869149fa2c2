"""FHIR R4 ServiceRequest in and out, as a GP system would send and poll it.

Structure is checked with ``fhir.resources`` (its R4B models are the closest to R4); the
coded values that decide what we store (status, intent, the SNOMED code, the NHS number,
consent) are checked here, because a structurally valid resource can still be nonsense.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError as PydanticValidationError

from referrals import codes
from referrals.models import Referral, normalise_nhs_number, validate_not_future
from referrals.services import PersonInput, ReferralInput

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
REASON_SYSTEM = "https://socialrx.example/fhir/CodeSystem/referral-reason"
ACCEPTED_INTENTS = {"order", "proposal"}
URGENT_PRIORITIES = {"urgent", "asap", "stat"}
SEX_FROM_GENDER = {"male": codes.Sex.MALE, "female": codes.Sex.FEMALE, "unknown": ""}


class FhirError(Exception):
    """Becomes an OperationOutcome. ``code`` is a FHIR issue-type code."""

    def __init__(self, message: str, *, code: str = "invalid", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def operation_outcome(message: str, code: str = "invalid", severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def _validated(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FhirError(
            f"{data.get('resourceType')} is not valid FHIR: {where}: {first['msg']}",
            code="structure",
        ) from error


def _split(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The ServiceRequest and the other resources it may reference, by reference."""
    resource_type = body.get("resourceType")
    if resource_type == "ServiceRequest":
        others = {f"#{r.get('id')}": r for r in body.get("contained", [])}
        return body, others
    if resource_type == "Bundle":
        requests, others = [], {}
        for entry in body.get("entry", []):
            resource = entry.get("resource", {})
            if resource.get("resourceType") == "ServiceRequest":
                requests.append(resource)
            else:
                for ref in (
                    entry.get("fullUrl"),
                    f"{resource.get('resourceType')}/{resource.get('id')}",
                ):
                    if ref:
                        others[ref] = resource
        if len(requests) != 1:
            raise FhirError("The Bundle must hold exactly one ServiceRequest")
        # Resources contained in the ServiceRequest itself (such as its Consent) count too.
        others.update({f"#{r.get('id')}": r for r in requests[0].get("contained", [])})
        return requests[0], others
    raise FhirError("Send a ServiceRequest, or a Bundle holding one", code="not-supported")


def _resolve(reference: Any, others: dict[str, dict[str, Any]], kind: str) -> dict[str, Any]:
    target = others.get((reference or {}).get("reference", "")) if reference else None
    if not target or target.get("resourceType") != kind:
        raise FhirError(f"The ServiceRequest must reference a {kind}", code="required", status=422)
    return target


def _check_codes(request: ServiceRequest) -> None:
    if request.status != "active":
        raise FhirError("ServiceRequest.status must be 'active'", code="code-invalid", status=422)
    if request.intent not in ACCEPTED_INTENTS:
        raise FhirError(
            "ServiceRequest.intent must be 'order' or 'proposal'", code="code-invalid", status=422
        )
    codings = request.code.coding if request.code and request.code.coding else []
    if not any(
        c.system == codes.SNOMED_SYSTEM and c.code == codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
        for c in codings
    ):
        raise FhirError(
            "ServiceRequest.code must be SNOMED CT 871731000000106 "
            "(Referral to social prescribing service)",
            code="code-invalid",
            status=422,
        )


def _person(patient: Patient, practice_id: int | None) -> PersonInput:
    numbers = [i.value for i in patient.identifier or [] if i.system == NHS_NUMBER_SYSTEM]
    if not numbers:
        raise FhirError("The Patient needs an NHS number identifier", code="required", status=422)
    try:
        nhs_number = normalise_nhs_number(numbers[0] or "")
        if patient.birthDate is None:
            raise ValidationError("The Patient needs a birthDate")
        validate_not_future(patient.birthDate)
    except ValidationError as error:
        raise FhirError(" ".join(error.messages), code="value", status=422) from error
    name = patient.name[0] if patient.name else None
    if name is None or not name.family or not name.given or not name.given[0]:
        raise FhirError("The Patient needs a family and given name", code="required", status=422)
    address = patient.address[0] if patient.address else None
    return PersonInput(
        given_name=name.given[0],
        family_name=name.family,
        date_of_birth=patient.birthDate,
        nhs_number=nhs_number,
        sex=SEX_FROM_GENDER.get(patient.gender or "", codes.Sex.INDETERMINATE),
        postcode=(address.postalCode or "") if address else "",
        address=", ".join(line for line in address.line or [] if line) if address else "",
        registered_practice_id=practice_id,
    )


def _reasons(request: ServiceRequest) -> tuple[tuple[str, ...], str]:
    """Our reason codes where the sender used our code system; anything else is 'other'."""
    reasons: list[str] = []
    other: list[str] = []
    for concept in request.reasonCode or []:
        codings = concept.coding or []
        ours = [
            c.code for c in codings if c.system == REASON_SYSTEM and c.code in codes.Reason.values
        ]
        if ours:
            reasons.append(ours[0])
            continue
        displays = [c.display for c in codings if c.display]
        other.append(concept.text or (displays[0] if displays else "Not stated"))
    if not reasons and not other:
        other.append("Not stated")
    if other:
        reasons.append(codes.Reason.OTHER)
    return tuple(dict.fromkeys(reasons)), "; ".join(other)[:200]


def _consent(request: ServiceRequest, others: dict[str, dict[str, Any]]) -> Consent:
    for info in request.supportingInfo or []:
        target = others.get(info.reference or "")
        if target and target.get("resourceType") == "Consent":
            consent = _validated(Consent, target)
            if consent.status == "active":
                return consent
    raise FhirError(
        "Record the person's consent as an active Consent in supportingInfo",
        code="required",
        status=422,
    )


def referral_input_from_fhir(
    body: dict[str, Any], *, practice_lookup: Any
) -> tuple[ReferralInput, str]:
    """The referral a FHIR body describes, and its idempotency key (from its identifier)."""
    request_json, others = _split(body)
    request = _validated(ServiceRequest, request_json)
    _check_codes(request)
    patient = _validated(Patient, _resolve(request.subject.model_dump(), others, "Patient"))
    practice = None
    for gp in patient.generalPractitioner or []:
        if gp.identifier and gp.identifier.value:
            practice = practice_lookup(gp.identifier.value)
    consent = _consent(request, others)
    reasons, reason_other = _reasons(request)
    recorded_on = consent.dateTime.date() if consent.dateTime else timezone.localdate()
    recorder = (request.requester.display if request.requester else "") or "Requesting clinician"
    notes = " ".join(n.text for n in request.note or [] if n.text)
    data = ReferralInput(
        person=_person(patient, practice.pk if practice else None),
        reasons=reasons,
        reason_other=reason_other,
        what_matters=request.patientInstruction or notes,
        urgency=codes.Urgency.URGENT
        if request.priority in URGENT_PRIORITIES
        else codes.Urgency.ROUTINE,
        consent_to_referral=True,
        consent_to_share=True,
        consent_recorded_on=recorded_on,
        consent_recorded_by=recorder[:150],
        source=codes.ReferralSource.GP,
    )
    identifiers = [f"{i.system}|{i.value}" for i in request.identifier or [] if i.value]
    return data, ("fhir:" + identifiers[0])[:100] if identifiers else ""


SERVICE_REQUEST_STATUS: dict[str, str] = {
    codes.Status.CLOSED: "completed",
    codes.Status.DECLINED: "revoked",
}


def service_request_for(referral: Referral, base_url: str) -> dict[str, Any]:
    """Our ServiceRequest, with a contained Task saying where the referral is."""
    person = referral.person
    events = list(referral.events.all())
    snomed = next((e.snomed_code for e in reversed(events) if e.snomed_code), "")
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": "task",
        "status": referral.fhir_task_status,
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{referral.uuid}"},
        "authoredOn": referral.created_at.isoformat(),
        "lastModified": (events[-1].occurred_at if events else referral.updated_at).isoformat(),
        "businessStatus": {"text": referral.get_status_display()},
        "owner": {"display": str(referral.assigned_team or referral.triage_service)},
    }
    if snomed:
        task["businessStatus"]["coding"] = [
            {"system": codes.SNOMED_SYSTEM, "code": snomed, "display": codes.SNOMED_DISPLAY[snomed]}
        ]
    if referral.status == codes.Status.DECLINED:
        task["statusReason"] = {"text": referral.get_decline_reason_display()}
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "birthDate": person.date_of_birth.isoformat(),
    }
    if person.nhs_number:
        patient["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    return {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "contained": [patient, task],
        "identifier": [{"system": f"{base_url}/referrals", "value": referral.reference}],
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "priority": "urgent" if referral.urgency == codes.Urgency.URGENT else "routine",
        "code": {
            "coding": [
                {
                    "system": codes.SNOMED_SYSTEM,
                    "code": codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING,
                    "display": codes.SNOMED_DISPLAY[codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING],
                }
            ]
        },
        "reasonCode": [
            {
                "coding": [
                    {"system": REASON_SYSTEM, "code": r.reason, "display": r.get_reason_display()}
                ]
            }
            for r in referral.reasons.all()
        ],
        "subject": {"reference": "#patient"},
        "supportingInfo": [{"reference": "#task", "display": "Where the referral is now"}],
        "authoredOn": referral.created_at.isoformat(),
        "performer": [{"display": referral.triage_service.name}],
    }
