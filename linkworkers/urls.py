from django.urls import include, path

from linkworkers.api import cases as api
from linkworkers.views import assessments, cases, closure, contacts, plans

app_name = "linkworkers"

urlpatterns = [
    path("caseload/", cases.caseload, name="caseload"),
    path("caseload/team/", cases.team_caseloads, name="team"),
    path("caseload/open/<int:referral_pk>/", cases.case_open_view, name="case_open"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/contacts/new/", contacts.contact_add, name="contact_add"),
    path("cases/<int:pk>/assessments/", assessments.assessment_list, name="assessments"),
    path("cases/<int:pk>/assessments/new/", assessments.assessment_add, name="assessment_add"),
    path("cases/<int:pk>/plan/", plans.plan_detail, name="plan"),
    path("cases/<int:pk>/plan/goals/new/", plans.goal_add, name="goal_add"),
    path(
        "cases/<int:pk>/plan/goals/<int:goal_pk>/review/",
        plans.goal_outcome,
        name="goal_outcome",
    ),
    path("cases/<int:pk>/close/", closure.case_close_view, name="case_close"),
    path("cases/<int:pk>/message-back/", closure.message_back, name="message_back"),
    path(
        "cases/<int:pk>/message-back.pdf",
        closure.message_back_download,
        name="message_back_pdf",
    ),
    path("api/v1/cases/", api.CaseCollectionApi.as_view(), name="api_cases"),
    path("api/v1/cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api_case"),
    path(
        "api/v1/cases/<int:pk>/contacts/",
        api.ContactCollectionApi.as_view(),
        name="api_contacts",
    ),
    path(
        "api/v1/cases/<int:pk>/assessments/",
        api.AssessmentCollectionApi.as_view(),
        name="api_assessments",
    ),
    path("api/v1/cases/<int:pk>/plan/", api.PlanApi.as_view(), name="api_plan"),
    path("api/v1/cases/<int:pk>/plan/goals/", api.GoalCollectionApi.as_view(), name="api_goals"),
    path(
        "api/v1/cases/<int:pk>/plan/goals/<int:goal_pk>/review/",
        api.GoalReviewApi.as_view(),
        name="api_goal_review",
    ),
    path("api/v1/cases/<int:pk>/close/", api.CaseCloseApi.as_view(), name="api_case_close"),
    # Onward connections: their routes are in the subpackage, in the same namespace.
    path("", include("linkworkers.connections.urls")),
]
