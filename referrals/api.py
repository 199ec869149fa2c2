"""The referrals API: one view per operation, calling the same services as the HTML views."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import codes
from referrals.models import normalise_nhs_number, validate_not_future
from referrals.permissions import (
    REFERRAL_ROLES,
    practice_by_ods_code,
    referral_by_uuid_for,
    referrals_visible_to,
)
from referrals.services import IdempotencyConflict, PersonInput, ReferralInput, referral_submit
from socialrx.core.api import ErrorOut
from socialrx.core.audit import audit_list, audit_record, audit_view
from socialrx.core.models import AuditAction, Role, User
from socialrx.core.permissions import has_role

IDEMPOTENCY_HEADER = "Idempotency-Key"
MISSING_KEY_MESSAGE = f"Send an {IDEMPOTENCY_HEADER} header of 1-100 characters"


class PersonIn(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(validators=[validate_not_future])
    nhs_number = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    sex = serializers.ChoiceField(codes.Sex.choices, required=False, allow_blank=True, default="")
    gender_identity = serializers.CharField(max_length=100, required=False, default="")
    address = serializers.CharField(required=False, default="", allow_blank=True)
    postcode = serializers.CharField(max_length=8, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    preferred_contact_method = serializers.ChoiceField(
        codes.ContactMethod.choices, required=False, allow_blank=True, default=""
    )
    preferred_contact_times = serializers.CharField(max_length=200, required=False, default="")
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    language = serializers.CharField(max_length=100, required=False, default="")
    accessibility_needs = serializers.CharField(required=False, default="")
    ethnicity = serializers.ChoiceField(
        codes.EthnicCategory.choices, required=False, allow_blank=True, default=""
    )
    registered_practice_ods_code = serializers.CharField(max_length=12, required=False, default="")

    def validate_nhs_number(self, value: str) -> str:
        try:
            return normalise_nhs_number(value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from error


class ConsentIn(serializers.Serializer):
    to_referral = serializers.BooleanField()
    to_share = serializers.BooleanField()
    recorded_on = serializers.DateField()
    recorded_by = serializers.CharField(max_length=150)
    contact_by_email = serializers.BooleanField(required=False, default=False)


class ReferralIn(serializers.Serializer):
    person = PersonIn()
    # Named like the API field, it shadows Field.source for the type checker only.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        [c for c in codes.ReferralSource.choices if c[0] != codes.ReferralSource.SELF]
    )
    reasons = serializers.ListField(child=serializers.ChoiceField(codes.Reason.choices))
    reason_other = serializers.CharField(max_length=200, required=False, default="")
    what_matters = serializers.CharField(required=False, default="")
    safeguarding_concerns = serializers.CharField(required=False, default="")
    lone_working_risks = serializers.CharField(required=False, default="")
    urgency = serializers.ChoiceField(codes.Urgency.choices, default=codes.Urgency.ROUTINE)
    consent = ConsentIn()
    organisation_id = serializers.IntegerField(
        required=False, help_text="Defaults to the caller's (first) referring organisation."
    )


class EventOut(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(source="get_kind_display")
    status = serializers.CharField(source="to_status")
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()
    snomed_code = serializers.CharField()


class ReferralOut(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    reference = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    fhir_task_status = serializers.CharField()
    closure_outcome = serializers.CharField()
    decline_reason = serializers.CharField()
    suggested_alternative = serializers.CharField()
    triage_service = serializers.CharField(source="triage_service.name")
    created_at = serializers.DateTimeField()
    events = EventOut(many=True)


def referral_input_from(data: dict[str, Any], practice_id: int | None) -> ReferralInput:
    person = dict(data["person"])
    person.pop("registered_practice_ods_code")
    consent = data["consent"]
    return ReferralInput(
        person=PersonInput(**person, registered_practice_id=practice_id),
        reasons=tuple(data["reasons"]),
        reason_other=data["reason_other"],
        what_matters=data["what_matters"],
        safeguarding_concerns=data["safeguarding_concerns"],
        lone_working_risks=data["lone_working_risks"],
        urgency=data["urgency"],
        consent_to_referral=consent["to_referral"],
        consent_to_share=consent["to_share"],
        consent_recorded_on=consent["recorded_on"],
        consent_recorded_by=consent["recorded_by"],
        contact_consent=consent["contact_by_email"],
        source=data["source"],
    )


def _referring_organisation(user: User, organisation_id: int | None) -> Any:
    organisations = user.organisations_with_role(Role.REFERRER)
    if organisation_id is None:
        return organisations[0]
    chosen = next((o for o in organisations if o.pk == organisation_id), None)
    if chosen is None:
        raise ValidationError({"organisation_id": ["You do not refer for that organisation"]})
    return chosen


class ReferralCollectionApi(APIView):
    """List the referrals the caller may see, or send one.

    Retrying a POST with the same Idempotency-Key never stores two referrals.
    """

    # Named on the view, not only in settings, so the schema describes the page envelope.
    pagination_class = PageNumberPagination

    def get_permissions(self) -> list[Any]:
        roles = (Role.REFERRER,) if self.request.method == "POST" else REFERRAL_ROLES
        return [has_role(*roles)()]

    @extend_schema(responses=ReferralOut(many=True))
    def get(self, request: Request) -> Response:
        referrals = (
            referrals_visible_to(request.user)  # type: ignore[arg-type]
            .select_related("triage_service")
            .prefetch_related("events")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request, view=self) or []
        audit_list(request=request, listing="api", records=page, person_of=lambda r: r.person_id)
        return paginator.get_paginated_response(ReferralOut(page, many=True).data)

    @extend_schema(
        request=ReferralIn,
        responses={201: ReferralOut, 200: ReferralOut, 400: ErrorOut, 422: ErrorOut},
        parameters=[OpenApiParameter(IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, True)],
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > 100:
            return Response(
                {
                    "message": f"Send an {IDEMPOTENCY_HEADER} header of 1-100 characters",
                    "extra": {},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        serializer = ReferralIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = cast(User, request.user)  # IsAuthenticated has let only users through
        organisation = _referring_organisation(user, data.get("organisation_id"))
        practice_id = _practice_id(data["person"]["registered_practice_ods_code"])
        try:
            result = referral_submit(
                data=referral_input_from(data, practice_id),
                referrer=user,
                organisation=organisation,
                idempotency_key=key,
            )
        except IdempotencyConflict as conflict:
            return Response(
                {"message": str(conflict), "extra": {"idempotency_key": key}},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if not result.created:
            # A replay returns the stored referral: a view of it, as the detail API's.
            audit_view(request=request, obj=result.referral)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(ReferralOut(result.referral).data, status=code)


def _practice_id(ods_code: str) -> int | None:
    if not ods_code:
        return None
    practice = practice_by_ods_code(ods_code)
    if practice is None:
        raise ValidationError({"person": {"registered_practice_ods_code": ["Unknown practice"]}})
    return practice.pk


class ReferralDetailApi(APIView):
    """One referral's status and history: how a connected system closes the loop."""

    permission_classes = [has_role(*REFERRAL_ROLES)]

    @extend_schema(responses={200: ReferralOut, 404: ErrorOut})
    def get(self, request: Request, referral_id: str) -> Response:
        referral = referral_by_uuid_for(request.user, referral_id)  # type: ignore[arg-type]
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=referral, request=request)  # type: ignore[arg-type]
        return Response(ReferralOut(referral).data)
