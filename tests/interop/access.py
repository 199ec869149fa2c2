"""Access table for the interop app's routes (tests/helpers/routes.py)."""

from tests.helpers.routes import API_401, Guarded

# A GP system's OAuth client reads only its own practice's referrals, tasks and messages.
_FHIR = "tests/interop/test_interface.py::test_reads_are_scoped_to_the_clients_practice_and_audited"
_INBOX = "tests/interop/test_messages.py::test_inbox_access_other_practice_404_no_practice_role_403"

ACCESS = {
    "interop:fhir_service_requests": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:fhir_service_request": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:fhir_tasks": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:fhir_task": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:fhir_bundles": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:fhir_bundle": Guarded(other_org=_FHIR, anonymous=API_401),
    "interop:gp_launch": Guarded(
        other_org="tests/interop/test_launch.py::test_a_link_for_another_practice_is_refused"
    ),
    "interop:inbox": Guarded(other_org=_INBOX),
    "interop:inbox_message": Guarded(other_org=_INBOX),
    "interop:inbox_message_pdf": Guarded(other_org=_INBOX),
    "interop:inbox_message_file": Guarded(other_org=_INBOX, method="post"),
}

PUBLIC = {
    "interop:fhir_metadata": "the CapabilityStatement: what the server supports; holds no data",
    "interop:oauth_token": "OAuth's token endpoint: the client id and secret sent are the "
    "credential (client credentials grant, throttled)",
}
