"""Access table for the referrals app's routes (tests/helpers/routes.py)."""

from tests.helpers.routes import API_401, Guarded

_TRIAGE = "tests/referrals/test_triage_views.py::test_triage_leads_of_other_services_get_404"
_LISTS = (
    "tests/referrals/test_permissions.py::test_outsiders_commissioners_and_vcse_editors_see_nothing"
)
_API = "tests/referrals/test_api.py::test_list_and_detail_are_scoped_and_detail_is_audited"
_ACCESS_REPORT = (
    "tests/referrals/test_access_report.py::"
    "test_other_roles_are_refused_and_anonymous_sent_to_sign_in"
)

ACCESS = {
    "referrals:list": Guarded(other_org=_LISTS),
    "referrals:create": Guarded(other_org=None),
    "referrals:check": Guarded(
        other_org="tests/referrals/test_intake_views.py::test_check_page_of_another_user_shows_nothing"
    ),
    "referrals:detail": Guarded(
        other_org="tests/referrals/test_intake_views.py::test_other_organisations_get_404"
    ),
    "referrals:provide_info": Guarded(
        other_org="tests/referrals/test_provide_info.py::test_a_referrer_elsewhere_gets_404",
        method="post",
    ),
    "referrals:api_list": Guarded(other_org=_API, anonymous=API_401),
    "referrals:api_detail": Guarded(other_org=_API, anonymous=API_401),
    "referrals:triage": Guarded(other_org=_LISTS),
    "referrals:triage_detail": Guarded(other_org=_TRIAGE),
    "referrals:triage_assign": Guarded(other_org=_TRIAGE, method="post"),
    "referrals:triage_decline": Guarded(other_org=_TRIAGE, method="post"),
    "referrals:triage_redirect": Guarded(other_org=_TRIAGE, method="post"),
    "referrals:triage_request_info": Guarded(other_org=_TRIAGE, method="post"),
    "referrals:confirm_consent": Guarded(
        other_org="tests/referrals/test_consent_to_confirm.py::test_other_organisations_get_404_and_referrers_403",
        method="post",
    ),
    "referrals:triage_person_details": Guarded(
        other_org="tests/referrals/test_person_details.py::test_triage_person_details_access"
    ),
    # Information governance answers for the whole deployment: no organisation to differ
    # by; the test shows every other role, the other organisation's user too, refused.
    "referrals:person_access_report": Guarded(other_org=_ACCESS_REPORT),
    "referrals:referral_access_report": Guarded(other_org=_ACCESS_REPORT),
    "referrals:triage_duplicate": Guarded(
        other_org="tests/referrals/test_triage_views.py::test_duplicate_decision_of_other_service_is_404",
        method="post",
    ),
}

PUBLIC = {
    "referrals:self_referral": "a member of the public refers themselves (rate limited)",
    "referrals:self_referral_check": "the self-referrer checks the answers in their session",
    "referrals:self_referral_sent": "the 'referral sent' page; shows no personal data",
}
