"""Access table for the outcomes app's routes (tests/helpers/routes.py)."""

from tests.helpers.routes import Guarded

_MEASURES = "tests/outcomes/test_measures.py::test_another_team_gets_404"
_ARCHIVE = "tests/outcomes/test_archive.py::test_a_long_range_runs_in_the_worker_with_progress"
_EXTRACT = "tests/outcomes/test_extract.py::test_a_service_manager_gets_their_service_only"
_EVIDENCE = "tests/outcomes/test_schedule.py::test_another_commissioner_sees_none_of_the_evidence"
_GAPS = "tests/outcomes/test_equity_and_gaps.py::test_other_organisations_see_none_of_our_figures"

ACCESS = {
    "outcomes:case_measures": Guarded(other_org=_MEASURES),
    "outcomes:measure_record": Guarded(other_org=_MEASURES),
    "outcomes:measure_record_detail": Guarded(other_org=_MEASURES),
    "outcomes:dashboard": Guarded(other_org=None),
    "outcomes:extract": Guarded(other_org=_EXTRACT),
    "outcomes:extract_csv": Guarded(other_org=_EXTRACT),
    "outcomes:archive": Guarded(other_org=None),
    "outcomes:subscribe": Guarded(
        other_org="tests/outcomes/test_archive.py::test_a_filter_outside_the_area_is_refused",
        method="post",
    ),
    "outcomes:report_file": Guarded(other_org=_ARCHIVE),
    "outcomes:report_file_download": Guarded(other_org=_ARCHIVE),
    "outcomes:report_run_start": Guarded(other_org=None),
    "outcomes:report": Guarded(other_org=None),
    "outcomes:report_download": Guarded(other_org=None),
    "outcomes:gap_map": Guarded(other_org=_GAPS),
    "outcomes:needs": Guarded(other_org=_GAPS),
    "outcomes:payment_evidence": Guarded(other_org=_EVIDENCE),
    "outcomes:payment_evidence_csv": Guarded(other_org=_EVIDENCE),
}

PUBLIC: dict[str, str] = {}
