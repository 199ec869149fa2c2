"""Access table for the link workers' routes, connections included (tests/helpers/routes.py)."""

from tests.helpers.routes import API_401, Guarded

_CASE = "tests/linkworkers/test_case_access.py::test_a_link_worker_of_another_team_gets_404"
_API = "tests/linkworkers/test_api.py::test_another_team_gets_404_and_other_roles_403"
_LISTS = "tests/linkworkers/test_permissions.py::test_link_worker_sees_own_teams_cases_only"
_CONNECTIONS = "tests/linkworkers/test_connections_views.py::"
_CASE_PAGES = _CONNECTIONS + "test_case_pages_refuse_other_teams_and_roles"
_ACT = _CONNECTIONS + "test_connect_and_act_refuse_other_teams_and_roles"
_SERVICE = _CONNECTIONS + "test_service_pages_refuse_other_organisations_and_roles"
_BACK = "tests/linkworkers/test_closure.py::test_nobody_else_reads_the_message_back"

ACCESS = {
    "linkworkers:caseload": Guarded(other_org=_LISTS),
    "linkworkers:team": Guarded(other_org=None),
    "linkworkers:case_open": Guarded(
        other_org="tests/linkworkers/test_cases.py::test_another_teams_worker_cannot_open_it",
        method="post",
    ),
    "linkworkers:case": Guarded(other_org=_CASE),
    "linkworkers:case_person_details": Guarded(
        other_org="tests/linkworkers/test_person_details.py::test_case_person_details_access"
    ),
    "linkworkers:contact_add": Guarded(other_org=_CASE),
    "linkworkers:assessments": Guarded(other_org=_CASE),
    "linkworkers:assessment_add": Guarded(other_org=_CASE),
    "linkworkers:plan": Guarded(other_org=_CASE),
    "linkworkers:goal_add": Guarded(other_org=_CASE),
    "linkworkers:goal_outcome": Guarded(
        other_org="tests/linkworkers/test_plans.py::test_a_goal_of_another_case_is_404"
    ),
    "linkworkers:case_close": Guarded(other_org=_CASE),
    "linkworkers:message_back": Guarded(other_org=_BACK),
    "linkworkers:message_back_pdf": Guarded(other_org=_BACK),
    "linkworkers:api_cases": Guarded(other_org=None, anonymous=API_401),
    "linkworkers:api_case": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:api_contacts": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:api_assessments": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:api_plan": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:api_goals": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:api_goal_review": Guarded(
        other_org="tests/linkworkers/test_api.py::test_goal_review_of_another_team_is_404",
        anonymous=API_401,
    ),
    "linkworkers:api_case_close": Guarded(other_org=_API, anonymous=API_401),
    "linkworkers:case_connections": Guarded(other_org=_CASE_PAGES),
    "linkworkers:connection_choose": Guarded(other_org=_CASE_PAGES),
    "linkworkers:connection_new": Guarded(other_org=_ACT),
    "linkworkers:connection_act": Guarded(other_org=_ACT, method="post"),
    "linkworkers:unmet_need_new": Guarded(other_org=_CASE_PAGES),
    "linkworkers:service_track_record": Guarded(other_org=None),
    "linkworkers:vcse_connections": Guarded(other_org=_SERVICE),
    "linkworkers:vcse_connection": Guarded(other_org=_SERVICE),
    "linkworkers:vcse_connection_act": Guarded(other_org=_SERVICE, method="post"),
}

PUBLIC: dict[str, str] = {}
