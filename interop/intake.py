"""A FHIR ServiceRequest (alone, or in a transaction or collection Bundle) read into the
referral it describes. Translation only: ``referrals.services.referral_submit`` stores it.

Structure is checked with ``fhir.resources`` (R4B models, the closest to R4); the coded
values that decide what we store (status, intent, priority, the SNOMED code, the NHS
number) are checked here against their value sets, because a structurally valid resource
can still be nonsense.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from fhir.resources.R4B import fhirtypes
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError as PydanticValidationError

from interop import terminology as t
from interop.errors import FhirError, expect_list, expect_object
from referrals import codes
from referrals.models import Person, normalise_nhs_number, validate_not_future
from referrals.services import PersonInput, ReferralInput
from socialrx.core.models import Organisation

SEX_FROM_GENDER = {"male": codes.Sex.MALE, "female": codes.Sex.FEMALE, "unknown": ""}
BUNDLE_TYPES = {"transaction", "collection"}
CONSENT_TO_CONFIRM = "To be confirmed at first contact"

# Finds a person socialrx already knows, by NHS number or by Patient id, among the people
# the sender may refer (scoped by the caller); None when there is no such person.
PersonLookup = Callable[..., Person | None]


@dataclasses.dataclass(frozen=True)
class Intake:
    data: ReferralInput
    known_person: Person | None
    sender_system: str
    sender_value: str


def _validated(model: Any, data: dict[str, Any]) -> Any:
    _check_contained(data)
    try:
        return model.model_validate(data)
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FhirError(
            f"{data.get('resourceType')} is not valid FHIR: {where}: {first['msg']}",
            code="structure",
        ) from error


def _index(resources: list[Any], where: str) -> dict[str, dict[str, Any]]:
    """Contained resources by their local reference (``#id``)."""
    found: dict[str, dict[str, Any]] = {}
    for item in resources:
        resource = expect_object(item, where)
        found[f"#{resource.get('id')}"] = resource
    return found


def _split(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The ServiceRequest and the other resources it may reference, by reference."""
    resource_type = body.get("resourceType")
    if resource_type == "ServiceRequest":
        return body, _index(expect_list(body.get("contained"), "contained"), "A contained item")
    if resource_type != "Bundle":
        raise FhirError("Send a ServiceRequest, or a Bundle holding one", code="not-supported")
    if body.get("type") not in BUNDLE_TYPES:
        raise FhirError("The Bundle must be a transaction or a collection", code="code-invalid")
    requests, others = [], {}
    for item in expect_list(body.get("entry"), "Bundle.entry"):
        entry = expect_object(item, "A Bundle entry")
        resource = expect_object(entry.get("resource"), "A Bundle entry's resource")
        if resource.get("resourceType") == "ServiceRequest":
            requests.append(resource)
            continue
        for ref in (entry.get("fullUrl"), f"{resource.get('resourceType')}/{resource.get('id')}"):
            if isinstance(ref, str) and ref:
                others[ref] = resource
    if len(requests) != 1:
        raise FhirError("The Bundle must hold exactly one ServiceRequest")
    contained = expect_list(requests[0].get("contained"), "contained")
    # Resources contained in the ServiceRequest itself (such as its Consent) count too.
    others.update(_index(contained, "A contained item"))
    return requests[0], others


def _is_resource_type(kind: Any) -> bool:
    """A name of an R4 resource (not a data type such as Coding or String: the library's
    table holds no primitives, so those fail the same way)."""
    found = getattr(fhirtypes, f"{kind}Type", None) if isinstance(kind, str) else None
    if found is None or not kind.isalpha():
        return False
    try:
        model = found.get_model_klass()
    except AttributeError:  # primitive types name no model class
        return False
    return isinstance(model, type) and issubclass(model, Resource)


def _check_contained(resource: dict[str, Any]) -> None:
    """fhir.resources looks each contained item's resourceType up in a table of its own and
    raises KeyError or TypeError, not a validation error, for one it does not know (empty,
    not text, a misspelt name): refused here first, as the item's error."""
    for item in expect_list(resource.get("contained"), "contained"):
        if not isinstance(item, dict) or "resourceType" not in item:
            continue  # the model validation says what is wrong with these
        _check_contained(item)  # nested no deeper than the JSON depth limit allows
        kind = item["resourceType"]
        if not _is_resource_type(kind):
            raise FhirError(
                f"A contained item's resourceType {str(kind)[:60]!r} is not a FHIR resource",
                code="structure",
            )


def _check_value_sets(request: dict[str, Any]) -> None:
    """Codes outside their FHIR value set are refused before anything else is read."""
    for field, allowed in (
        ("status", t.REQUEST_STATUS),
        ("intent", t.REQUEST_INTENT),
        ("priority", t.REQUEST_PRIORITY),
    ):
        value = request.get(field)
        if field == "priority" and value is None:
            continue
        if value not in allowed:
            raise FhirError(
                f"ServiceRequest.{field} {value!r} is not in the FHIR value set: "
                f"use one of {', '.join(sorted(allowed))}",
                code="code-invalid",
            )


def _check_codes(request: ServiceRequest) -> None:
    if request.status != "active":
        raise FhirError("ServiceRequest.status must be 'active'", code="business-rule", status=422)
    if request.intent not in t.ACCEPTED_INTENTS:
        raise FhirError(
            "ServiceRequest.intent must be 'order' or 'proposal'",
            code="business-rule",
            status=422,
        )
    codings = request.code.coding if request.code and request.code.coding else []
    if not any(c.system == t.SNOMED_SYSTEM and c.code == t.SNOMED_ACCEPTED for c in codings):
        raise FhirError(
            "ServiceRequest.code must be SNOMED CT 871731000000106 "
            "(Referral to social prescribing service)",
            code="code-invalid",
            status=422,
        )


def _nhs_number(value: str | None) -> str:
    try:
        return normalise_nhs_number(value or "")
    except ValidationError as error:
        raise FhirError(" ".join(error.messages), code="value", status=422) from error


def _person(patient: Patient, practice_id: int | None) -> PersonInput:
    numbers = [i.value for i in patient.identifier or [] if i.system == t.NHS_NUMBER_SYSTEM]
    if not numbers:
        raise FhirError("The Patient needs an NHS number identifier", code="required", status=422)
    nhs_number = _nhs_number(numbers[0])
    if patient.birthDate is None:
        raise FhirError("The Patient needs a birthDate", code="required", status=422)
    try:
        validate_not_future(patient.birthDate)
    except ValidationError as error:
        raise FhirError(" ".join(error.messages), code="value", status=422) from error
    name = patient.name[0] if patient.name else None
    if name is None or not name.family or not name.given or not name.given[0]:
        raise FhirError("The Patient needs a family and given name", code="required", status=422)
    address = patient.address[0] if patient.address else None
    return PersonInput(
        given_name=name.given[0][:100],
        family_name=name.family[:100],
        date_of_birth=patient.birthDate,
        nhs_number=nhs_number,
        sex=SEX_FROM_GENDER.get(patient.gender or "", codes.Sex.INDETERMINATE),
        postcode=((address.postalCode or "") if address else "")[:8],
        address=", ".join(line for line in address.line or [] if line) if address else "",
        registered_practice_id=practice_id,
    )


def _person_input_from(person: Person) -> PersonInput:
    """The input a known person stands for: what the referral's fingerprint is made of."""
    return PersonInput(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        registered_practice_id=person.registered_practice_id,
    )


def _subject(
    request_json: dict[str, Any],
    others: dict[str, dict[str, Any]],
    *,
    practice_lookup: Callable[[str], Organisation | None],
    person_lookup: PersonLookup,
) -> tuple[PersonInput, Person | None]:
    """A Patient sent with the request, else a person socialrx already knows."""
    subject = expect_object(request_json.get("subject"), "ServiceRequest.subject")
    reference = subject.get("reference")
    target = others.get(reference) if isinstance(reference, str) else None
    if target is not None and target.get("resourceType") == "Patient":
        patient = _validated(Patient, target)
        practice = None
        for gp in patient.generalPractitioner or []:
            if gp.identifier and gp.identifier.value:
                practice = practice_lookup(gp.identifier.value)
        return _person(patient, practice.pk if practice else None), None
    known: Person | None = None
    identifier = subject.get("identifier")
    if isinstance(identifier, dict) and identifier.get("system") == t.NHS_NUMBER_SYSTEM:
        known = person_lookup(nhs_number=_nhs_number(identifier.get("value")))
        asked = "with that NHS number"
    elif isinstance(reference, str) and reference.startswith("Patient/"):
        known = person_lookup(pk=reference.removeprefix("Patient/"))
        asked = f"with the id {reference}"
    else:
        raise FhirError(
            "ServiceRequest.subject must reference a Patient in the request, a Patient/<id>, "
            "or carry an NHS number identifier",
            code="required",
            status=422,
        )
    if known is None:
        raise FhirError(
            f"socialrx does not know a person {asked} whom you may refer: send the Patient "
            "resource with the request (contained, or in a Bundle)",
            code="not-found",
            status=422,
        )
    return _person_input_from(known), known


def _reasons(request: ServiceRequest) -> tuple[tuple[str, ...], str]:
    """Reasons from the SNOMED CT table (or our own code system); anything else is kept as
    the text of an 'other' reason."""
    reasons: list[str] = []
    other: list[str] = []
    for concept in request.reasonCode or []:
        codings = concept.coding or []
        ours = [
            t.SNOMED_REASONS[c.code][0]
            for c in codings
            if c.system == t.SNOMED_SYSTEM and c.code in t.SNOMED_REASONS
        ] + [
            c.code for c in codings if c.system == t.REASON_SYSTEM and c.code in codes.Reason.values
        ]
        if ours:
            reasons.append(ours[0])
            continue
        displays = [c.display or f"SNOMED CT {c.code}" for c in codings if c.display or c.code]
        other.append(concept.text or (displays[0] if displays else "Not stated"))
    if not reasons and not other:
        other.append("Not stated")
    if other:
        reasons.append(codes.Reason.OTHER)
    return tuple(dict.fromkeys(reasons)), "; ".join(other)[:200]


def _consent(request: ServiceRequest, others: dict[str, dict[str, Any]]) -> Consent | None:
    """An active Consent among the supporting information, if the sender sent one."""
    for info in request.supportingInfo or []:
        target = others.get(info.reference or "")
        if target and target.get("resourceType") == "Consent":
            consent = _validated(Consent, target)
            if consent.status == "active":
                return consent
    return None


def _first_identifier(resource: dict[str, Any], system: str | None = None) -> str:
    for item in expect_list(resource.get("identifier"), "identifier"):
        if isinstance(item, dict) and item.get("value") and system in (None, item.get("system")):
            return f"{item.get('system', '')}|{item['value']}" if system is None else item["value"]
    return ""


def _requester(
    request_json: dict[str, Any], others: dict[str, dict[str, Any]]
) -> tuple[str, str, str]:
    """Who asked (name and identifier of the Practitioner) and from where (ODS code)."""
    requester = request_json.get("requester")
    if requester is None:
        return "", "", ""
    requester = expect_object(requester, "ServiceRequest.requester")
    target = others.get(requester.get("reference") or "", {})
    practitioner: dict[str, Any] = target
    organisation: dict[str, Any] = {}
    if target.get("resourceType") == "PractitionerRole":
        practitioner = others.get((target.get("practitioner") or {}).get("reference") or "", {})
        organisation = target.get("organization") or {}
        organisation = others.get(organisation.get("reference") or "", organisation)
    if not organisation:
        organisation = next(
            (r for r in others.values() if r.get("resourceType") == "Organization"), {}
        )
    name = ""
    if practitioner.get("resourceType") == "Practitioner":
        names = expect_list(practitioner.get("name"), "Practitioner.name")
        first = names[0] if names and isinstance(names[0], dict) else {}
        parts = [
            *expect_list(first.get("prefix"), "prefix"),
            *expect_list(first.get("given"), "given"),
        ]
        name = " ".join(str(p) for p in [*parts, first.get("family") or ""] if p)
    name = name or str(requester.get("display") or "")
    ods = _first_identifier(organisation, t.ODS_SYSTEM) if organisation else ""
    identifier = requester.get("identifier")
    if not ods and isinstance(identifier, dict) and identifier.get("system") == t.ODS_SYSTEM:
        ods = str(identifier.get("value") or "")
    return name[:200], _first_identifier(practitioner)[:100] if practitioner else "", ods[:12]


def intake_from_fhir(
    body: Any,
    *,
    practice_lookup: Callable[[str], Organisation | None],
    person_lookup: PersonLookup,
) -> Intake:
    """The referral a FHIR body describes, ready for ``referral_submit``."""
    request_json, others = _split(expect_object(body, "The body"))
    _check_value_sets(request_json)
    request = _validated(ServiceRequest, request_json)
    _check_codes(request)
    person, known = _subject(
        request_json, others, practice_lookup=practice_lookup, person_lookup=person_lookup
    )
    consent = _consent(request, others)
    reasons, reason_other = _reasons(request)
    requester_name, requester_identifier, requester_ods = _requester(request_json, others)
    notes = " ".join(n.text for n in request.note or [] if n.text)
    sender = next((i for i in request.identifier or [] if i.value), None)
    data = ReferralInput(
        person=person,
        reasons=reasons,
        reason_other=reason_other,
        what_matters=request.patientInstruction or notes,
        urgency=codes.Urgency.URGENT
        if request.priority in t.URGENT_PRIORITIES
        else codes.Urgency.ROUTINE,
        consent_to_referral=consent is not None,
        consent_to_share=consent is not None,
        consent_to_confirm=consent is None,
        consent_recorded_on=consent.dateTime.date()
        if consent and consent.dateTime
        else timezone.localdate(),
        consent_recorded_by=(requester_name or "Requesting clinician")[:150]
        if consent
        else CONSENT_TO_CONFIRM,
        source=codes.ReferralSource.GP,
        requester_name=requester_name,
        requester_identifier=requester_identifier,
        requester_ods_code=requester_ods,
        sender_identifier_system=(sender.system or "")[:200] if sender else "",
        sender_identifier_value=(sender.value or "")[:100] if sender else "",
    )
    return Intake(
        data=data,
        known_person=known,
        sender_system=data.sender_identifier_system,
        sender_value=data.sender_identifier_value,
    )
