"""Cases, contacts, assessments and support plans: team-scoped, same services as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linkworkers import codes
from linkworkers.models import Case
from linkworkers.permissions import (
    CASE_ROLES,
    case_for,
    cases_visible_to,
    goal_of,
    referral_to_open_for,
)
from linkworkers.services.assessments import DomainInput, assessment_record
from linkworkers.services.cases import case_open
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from linkworkers.services.plans import StepInput, plan_goal_add, plan_goal_mark
from referrals.codes import ClosureOutcome
from socialrx.core.audit import audit_list, audit_views
from socialrx.core.models import Role, User
from socialrx.core.permissions import has_role

READ = [has_role(*CASE_ROLES)]
WRITE = [has_role(Role.LINK_WORKER)]


# --- output ---------------------------------------------------------------------------


class ContactOut(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    mode = serializers.CharField()
    successful = serializers.BooleanField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class DomainOut(serializers.Serializer):
    domain = serializers.CharField()
    need_level = serializers.IntegerField()
    strengths = serializers.CharField()


class AssessmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    assessed_on = serializers.DateField()
    what_matters = serializers.CharField()
    goals = serializers.CharField()
    domains = DomainOut(many=True, source="domains.all")


class StepOut(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.CharField()
    owner_name = serializers.CharField()


class GoalOut(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    domain = serializers.CharField()
    review_on = serializers.DateField()
    status = serializers.CharField()
    steps = StepOut(many=True, source="steps.all")


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    referral_id = serializers.UUIDField(source="referral.uuid")
    person_name = serializers.CharField(source="referral.person.full_name")
    nhs_number = serializers.CharField(source="referral.person.nhs_number")
    team = serializers.CharField(source="team.name")
    link_worker = serializers.CharField(source="link_worker.full_name")
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    first_contact_due_on = serializers.DateField()
    next_appointment_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    closure_outcome = serializers.CharField()


def _case(request: Request, pk: int) -> Case:
    case = case_for(request.user, pk)  # type: ignore[arg-type]
    # The case comes back with its person's name and NHS number: a view of the person too.
    audit_views(request=request, objs=[case], person_ids=[case.referral.person_id])
    return case


# --- cases ----------------------------------------------------------------------------


class CaseOpenIn(serializers.Serializer):
    referral = serializers.IntegerField(help_text="The id of a referral assigned to your team.")


class CaseCollectionApi(APIView):
    permission_classes = READ
    # Named on the view, not only in settings, so the schema describes the page envelope.
    pagination_class = PageNumberPagination

    def get_permissions(self) -> list[Any]:
        return [p() for p in (WRITE if self.request.method == "POST" else READ)]

    @extend_schema(responses=CaseOut(many=True))
    def get(self, request: Request) -> Response:
        """Cases of your teams, open first, newest first."""
        cases = cases_visible_to(request.user).with_list_details().open_first()  # type: ignore[arg-type]
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        audit_list(
            request=request,
            listing="api",
            records=page,
            person_of=lambda c: c.referral.person_id,
        )
        return paginator.get_paginated_response(CaseOut(page, many=True).data)

    @extend_schema(request=CaseOpenIn, responses={201: CaseOut})
    def post(self, request: Request) -> Response:
        """Open a case on a referral assigned to your team."""
        data = _valid(CaseOpenIn, request)
        referral = referral_to_open_for(request.user, data["referral"])  # type: ignore[arg-type]
        case = case_open(referral=referral, actor=request.user)  # type: ignore[arg-type]
        return Response(CaseOut(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    permission_classes = READ

    @extend_schema(responses=CaseOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseOut(_case(request, pk)).data)


def _valid(serializer: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    given = serializer(data=request.data)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


# --- contacts -------------------------------------------------------------------------


class ContactIn(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(codes.ContactMode.choices)
    successful = serializers.BooleanField()
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=720, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)
    next_appointment_at = serializers.DateTimeField(required=False, allow_null=True)


class ContactCollectionApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [p() for p in (WRITE if self.request.method == "POST" else READ)]

    @extend_schema(responses=ContactOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(ContactOut(_case(request, pk).contacts.all(), many=True).data)

    @extend_schema(request=ContactIn, responses={201: ContactOut})
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        contact = contact_record(case=case, actor=request.user, **_valid(ContactIn, request))  # type: ignore[arg-type]
        return Response(ContactOut(contact).data, status=status.HTTP_201_CREATED)


# --- assessments ----------------------------------------------------------------------


class DomainIn(serializers.Serializer):
    domain = serializers.ChoiceField(codes.LifeDomain.choices)
    need_level = serializers.ChoiceField(codes.NeedLevel.choices)
    strengths = serializers.CharField(required=False, default="", allow_blank=True)


class AssessmentIn(serializers.Serializer):
    assessed_on = serializers.DateField()
    what_matters = serializers.CharField(required=False, default="", allow_blank=True)
    goals = serializers.CharField(required=False, default="", allow_blank=True)
    domains = DomainIn(many=True)


class AssessmentCollectionApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [p() for p in (WRITE if self.request.method == "POST" else READ)]

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        assessments = _case(request, pk).assessments.prefetch_related("domains")
        return Response(AssessmentOut(assessments, many=True).data)

    @extend_schema(request=AssessmentIn, responses={201: AssessmentOut})
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        data = _valid(AssessmentIn, request)
        domains = [DomainInput(**dict(d)) for d in data.pop("domains")]
        assessment = assessment_record(case=case, actor=request.user, domains=domains, **data)  # type: ignore[arg-type]
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


# --- support plan ---------------------------------------------------------------------


class StepIn(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    owner = serializers.ChoiceField(codes.StepOwner.choices)
    owner_name = serializers.CharField(max_length=150, required=False, default="")


class GoalIn(serializers.Serializer):
    description = serializers.CharField()
    domain = serializers.ChoiceField(
        codes.LifeDomain.choices, required=False, allow_blank=True, default=""
    )
    review_on = serializers.DateField()
    steps = StepIn(many=True)


class GoalReviewIn(serializers.Serializer):
    status = serializers.ChoiceField(
        [s for s in codes.GoalStatus.choices if s[0] != codes.GoalStatus.OPEN]
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)


class PlanApi(APIView):
    permission_classes = READ

    @extend_schema(responses=GoalOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        """The support plan's goals with their steps."""
        case = _case(request, pk)
        plan = getattr(case, "plan", None)
        goals = plan.goals.prefetch_related("steps") if plan else []
        return Response(GoalOut(goals, many=True).data)


class GoalCollectionApi(APIView):
    permission_classes = WRITE

    @extend_schema(request=GoalIn, responses={201: GoalOut})
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        data = _valid(GoalIn, request)
        steps = [StepInput(**dict(s)) for s in data.pop("steps")]
        goal = plan_goal_add(case=case, actor=request.user, steps=steps, **data)  # type: ignore[arg-type]
        return Response(GoalOut(goal).data, status=status.HTTP_201_CREATED)


class GoalReviewApi(APIView):
    permission_classes = WRITE

    @extend_schema(request=GoalReviewIn, responses=GoalOut)
    def post(self, request: Request, pk: int, goal_pk: int) -> Response:
        goal = goal_of(_case(request, pk), goal_pk)
        goal = plan_goal_mark(goal=goal, actor=request.user, **_valid(GoalReviewIn, request))  # type: ignore[arg-type]
        return Response(GoalOut(goal).data)


# --- closure --------------------------------------------------------------------------


class CloseIn(serializers.Serializer):
    outcome = serializers.ChoiceField(ClosureOutcome.choices)
    support_summary = serializers.CharField(required=False, default="", allow_blank=True)
    override_reason = serializers.CharField(required=False, default="", allow_blank=True)


class CaseCloseApi(APIView):
    permission_classes = WRITE

    @extend_schema(request=CloseIn, responses=CaseOut)
    def post(self, request: Request, pk: int) -> Response:
        """Close the case; the referral closes and the message back is written."""
        user: User = request.user  # type: ignore[assignment]
        case = _case(request, pk)  # 404 before validation: do not reveal the case
        message = case_close(case=case, actor=user, **_valid(CloseIn, request))
        return Response(CaseOut(message.case).data)
