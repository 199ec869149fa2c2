from django.urls import path

from outcomes.views import archive, extract, gaps, measures, payments_evidence, reports

app_name = "outcomes"

urlpatterns = [
    path("outcomes/cases/<int:case_pk>/measures/", measures.case_measures, name="case_measures"),
    path(
        "outcomes/cases/<int:case_pk>/measures/<slug:code>/record/",
        measures.measure_record,
        name="measure_record",
    ),
    path(
        "outcomes/cases/<int:case_pk>/measures/records/<int:pk>/",
        measures.measure_record_detail,
        name="measure_record_detail",
    ),
    path("outcomes/reports/", reports.dashboard, name="dashboard"),
    path("outcomes/reports/gap-map/", gaps.gap_map, name="gap_map"),
    path("outcomes/needs-near-you/", gaps.needs_near_you, name="needs"),
    path("outcomes/extract/", extract.extract_page, name="extract"),
    path("outcomes/extract/referrals.csv", extract.extract_csv, name="extract_csv"),
    path(
        "outcomes/payment-evidence/",
        payments_evidence.payment_evidence_page,
        name="payment_evidence",
    ),
    path(
        "outcomes/payment-evidence/evidence.csv",
        payments_evidence.payment_evidence_csv,
        name="payment_evidence_csv",
    ),
    path("outcomes/reports/archive/", archive.archive, name="archive"),
    path("outcomes/reports/subscribe/", archive.subscribe, name="subscribe"),
    path("outcomes/reports/files/<int:pk>/", archive.report_file, name="report_file"),
    path(
        "outcomes/reports/files/<int:pk>/download/",
        archive.report_file_download,
        name="report_file_download",
    ),
    path("outcomes/reports/<slug:key>/large/", archive.report_run_start, name="report_run_start"),
    path("outcomes/reports/<slug:key>/", reports.report, name="report"),
    path(
        "outcomes/reports/<slug:key>/download.<str:fmt>",
        reports.report_download,
        name="report_download",
    ),
]
