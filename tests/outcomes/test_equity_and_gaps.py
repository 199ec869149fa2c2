"""The equity report, the gap map and needs near you: their figures equal counts made
from the records (then disclosed), they reach only the people and services they should,
and no count from 1 to 7 leaves in any of them."""

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import ServiceAttribute
from directory.taxonomy import CATEGORY, taxonomy_ensure, term_id
from linkworkers import codes as lw_codes
from linkworkers.models import Connection, UnmetNeed
from outcomes.disclosure import disclose
from outcomes.models import AreaPopulation
from outcomes.permissions import report_scope_for
from outcomes.reports import build_disclosed
from outcomes.reports.base import ReportFilters
from referrals import codes as referral_codes
from referrals.models import Referral, ReferralReason
from tests.directory.factories import (
    AddressFactory,
    ServiceAtLocationFactory,
    ServiceCapacityFactory,
)
from tests.linkworkers.factories import CaseFactory, ConnectionFactory, UnmetNeedFactory
from tests.outcomes.formats import csv_cells

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
SMALL = {str(n) for n in range(1, 8)}
INDIAN = dict(referral_codes.EthnicCategory.choices)["H"]
BRITISH = dict(referral_codes.EthnicCategory.choices)["A"]
# Public figures, not counts of people: census residents and directory listings.
PUBLIC_COLUMNS = {"Residents", "Services accepting"}
LABEL_COLUMNS = {"Postcode district", "Need", "Ethnic group", "IMD decile"}


@pytest.fixture
def places():
    call_command("import_census_ethnicity", str(DATA / "sample_census2021_ts021_lsoa.csv"))
    call_command("import_deprivation", str(DATA / "sample_imd2019_file1.csv"))
    call_command("import_postcode_lsoa", str(DATA / "sample_nspl.csv"))


@pytest.fixture
def filters() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(start=today - datetime.timedelta(days=30), end=today)


@pytest.fixture
def people(area, practice, link_worker_service, link_worker_team, link_worker):
    """In the commissioner's area: 12 people of Indian ethnicity in NS1 (IMD decile 1)
    referred for loneliness, 3 of them declined at triage; 20 White British in NS5
    (decile 6) referred for money worries, 9 closed as supported."""

    def make(n: int, ethnicity: str, postcode: str, reason: str) -> list[Referral]:
        made = []
        for _ in range(n):
            case = CaseFactory(
                team=link_worker_team,
                link_worker=link_worker,
                referral__triage_service=link_worker_service,
                referral__person__registered_practice=practice,
                referral__person__ethnicity=ethnicity,
                referral__person__postcode=postcode,
                referral__reason_list=[reason],
            )
            made.append(case.referral)
        return made

    indian = make(12, "H", "NS1 0AB", referral_codes.Reason.LONELINESS)
    british = make(20, "A", "NS5 7AB", referral_codes.Reason.MONEY)
    Referral.objects.filter(pk__in=[r.pk for r in indian[:3]]).update(
        status=referral_codes.Status.DECLINED
    )
    from linkworkers.models import Case

    Case.objects.filter(referral__in=british[:9]).update(
        status=lw_codes.CaseStatus.CLOSED,
        closed_at=timezone.now(),
        closure_outcome=referral_codes.ClosureOutcome.SUPPORTED,
    )
    return indian, british


def _table(report, key):
    table = next(t for t in report.tables if t.key == key)
    return [dict(zip(table.column_keys, row, strict=True)) for row in table.rows]


def test_equity_rates_use_census_residents_of_the_area(places, people, commissioner, filters):
    report = build_disclosed("equity", scope=report_scope_for(commissioner), filters=filters)
    rows = {r["group"]: r for r in _table(report, "by_ethnicity")}
    indian_residents = sum(
        AreaPopulation.objects.filter(group="H").values_list("people", flat=True)
    )
    assert rows[INDIAN]["population"] == indian_residents
    assert rows[INDIAN]["n"] == disclose(12) == 10
    assert str(rows[INDIAN]["rate"]) == f"{10 * 1000 / indian_residents:.1f}"
    assert rows[INDIAN]["declined"] == "*"  # 3 people: suppressed
    assert rows[BRITISH]["n"] == 20
    assert rows[BRITISH]["supported"] == disclose(9) == 10
    assert rows[BRITISH]["supported_pct"] == 50


def test_equity_by_deprivation_decile(places, people, commissioner, filters):
    report = build_disclosed("equity", scope=report_scope_for(commissioner), filters=filters)
    rows = {r["group"]: r for r in _table(report, "by_decile")}
    assert rows["Decile 1 (most deprived)"]["n"] == 10
    assert rows["Decile 6"]["n"] == 20
    assert rows["Decile 10 (least deprived)"]["n"] == 0
    # Residents of decile 1: the LSOAs the IMD file puts there, from the census file.
    assert (
        rows["Decile 1 (most deprived)"]["population"]
        == AreaPopulation.objects.get(area_code="E01900001", group="").people
    )


def test_without_the_files_the_equity_report_says_not_known(people, commissioner, filters):
    report = build_disclosed("equity", scope=report_scope_for(commissioner), filters=filters)
    rows = {r["group"]: r for r in _table(report, "by_decile")}
    assert rows["Not known"]["n"] == 30
    assert rows["Decile 1 (most deprived)"]["population"] is None


def test_population_group_filter_narrows_every_report(places, people, commissioner, filters):
    indian = ReportFilters(start=filters.start, end=filters.end, group="eth:H")
    report = build_disclosed("equity", scope=report_scope_for(commissioner), filters=indian)
    rows = {r["group"]: r for r in _table(report, "by_ethnicity")}
    assert rows[INDIAN]["n"] == 10
    assert rows[BRITISH]["n"] == 0
    decile_6 = ReportFilters(start=filters.start, end=filters.end, group="imd:6")
    report = build_disclosed("activity", scope=report_scope_for(commissioner), filters=decile_6)
    assert "Population group: Deprivation decile 6" in report.notes


@pytest.fixture
def supply(db):
    """Two befriending services with a venue in NS1 accepting referrals, one in NS5 that
    is not accepting, and a money advice service in NS5 accepting."""
    taxonomy_ensure()

    def service(district: str, category: str, status: str = "accepting"):
        made = ServiceCapacityFactory(status=status).service
        ServiceAttribute.objects.create(service=made, taxonomy_term_id=term_id(CATEGORY, category))
        link = ServiceAtLocationFactory(service=made)
        AddressFactory(location=link.location, postal_code=f"{district} 1AA")
        return made

    return [
        service("NS1", "befriending"),
        service("NS1", "befriending"),
        service("NS5", "befriending", "not_accepting"),
        service("NS5", "money"),
    ]


def test_gap_map_figures_equal_counts_from_the_records(
    places, people, supply, commissioner, filters, link_worker
):
    indian, british = people
    full = supply[0]
    # Given refusals for capacity and not-eligible declines on some of the Indian cases,
    # and unmet money needs recorded in NS5,
    for referral in indian[:9]:
        ConnectionFactory(
            case=referral.case, service=full, consent_to_share=True,
            status=lw_codes.ConnectionStatus.SERVICE_FULL,
            domain=lw_codes.LifeDomain.SOCIAL_CONNECTION,
        )  # fmt: skip
    for referral in indian[9:]:
        ConnectionFactory(
            case=referral.case, service=supply[1], consent_to_share=True,
            status=lw_codes.ConnectionStatus.DECLINED_BY_SERVICE,
            decline_reason=lw_codes.ConnectionDeclineReason.NOT_ELIGIBLE,
            domain=lw_codes.LifeDomain.SOCIAL_CONNECTION,
        )  # fmt: skip
    for referral in british[:15]:
        UnmetNeedFactory(
            case=referral.case, postcode_district="NS5", domain=lw_codes.LifeDomain.MONEY,
            recorded_by=link_worker,
        )  # fmt: skip
    # When the commissioner's gap map is built,
    report = build_disclosed("gaps", scope=report_scope_for(commissioner), filters=filters)
    rows = {(r["district"], r["domain"]): r for r in _table(report, "gap_map")}
    # Then each figure is the count of the records, disclosed.
    social = rows[("NS1", "Social connection and loneliness")]
    referred = ReferralReason.objects.filter(
        referral__person__postcode__startswith="NS1 ", reason="loneliness"
    ).count()
    assert social["referrals"] == disclose(referred) == 10
    assert social["no_capacity"] == disclose(
        Connection.objects.filter(status=lw_codes.ConnectionStatus.SERVICE_FULL).count()
    )
    assert social["ineligible"] == "*"
    assert social["demand"] == disclose(referred + 9 + 3) == 25
    assert social["services"] == 2
    money = rows[("NS5", "Money and benefits")]
    assert money["unmet"] == disclose(UnmetNeed.objects.filter(postcode_district="NS5").count())
    assert money["referrals"] == 20
    assert money["services"] == 1
    # The not-accepting befriending service in NS5 is no supply.
    assert ("NS5", "Social connection and loneliness") not in rows or rows[
        ("NS5", "Social connection and loneliness")
    ]["services"] == 0


def test_gap_map_page_draws_the_grid_with_words_not_only_colour(
    client, places, people, supply, commissioner
):
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:gap_map"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="img"' in body
    assert "<desc" in body
    # NS1 loneliness: two befriending services; NS5 money: one advice service.
    assert "1 service<" in body
    assert "2 services" in body
    assert "download.xlsx?" in body
    assert "Get this report every month or quarter" in body
    assert ' style="' not in body


def test_gap_cell_with_demand_and_no_service_says_so(client, places, people, commissioner):
    client.force_login(commissioner)
    body = client.get(reverse("outcomes:gap_map")).content.decode()
    assert "no service" in body
    assert 'stroke="#d5281b"' in body


@pytest.mark.parametrize("key", ["equity", "gaps"])
def test_no_count_of_people_from_1_to_7_in_the_download(
    client, places, people, supply, commissioner, key
):
    client.force_login(commissioner)
    rows = csv_cells(client.get(reverse("outcomes:report_download", args=[key, "csv"])).content)
    counts, header = [], None
    for row in rows:
        if row and row[0] in ("Postcode district", "Ethnic group", "IMD decile"):
            header = row
        elif header and len(row) == len(header):
            counts += [
                v
                for h, v in zip(header, row, strict=True)
                if h not in PUBLIC_COLUMNS | LABEL_COLUMNS
            ]
    assert "10" in counts
    assert not (set(counts) & SMALL)


def test_needs_near_you_shows_the_vcse_its_own_areas_and_refusals(
    client, places, people, supply, vcse_editor, link_worker
):
    # Given the VCSE editor's organisation runs the first NS1 befriending service,
    service = supply[0]
    service.organization.organisation = vcse_editor.organisations_with_role("vcse_editor")[0]
    service.organization.save()
    indian, _ = people
    for referral in indian[:8]:
        ConnectionFactory(
            case=referral.case, service=service, consent_to_share=True,
            status=lw_codes.ConnectionStatus.SERVICE_FULL,
        )  # fmt: skip
    client.force_login(vcse_editor)
    response = client.get(reverse("outcomes:needs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your areas: NS1" in body
    assert "Social connection and loneliness" in body
    report = response.context["report"]
    own = _table(report, "own_services")
    assert own[0]["full"] == disclose(8) == 10
    assert own[0]["service"] == service.name
    reasons = _table(report, "reasons")
    assert reasons[0]["n"] == 10  # the 12 Indian people in NS1, referred for loneliness
    # Money worries in NS5 are not in this organisation's areas or categories.
    assert all(r["need"] != "Money and benefits" for r in reasons)


def test_vcse_editor_sees_only_needs_near_you(client, vcse_editor):
    client.force_login(vcse_editor)
    dashboard = client.get(reverse("outcomes:dashboard"))
    assert dashboard.status_code == 200
    assert [s["kind"].key for s in dashboard.context["sections"]] == ["needs"]
    for key in ("activity", "reach", "equity", "gaps", "demand"):
        assert client.get(reverse("outcomes:report", args=[key])).status_code == 403
        url = reverse("outcomes:report_download", args=[key, "csv"])
        assert client.get(url).status_code == 403
    assert client.get(reverse("outcomes:gap_map")).status_code == 403
    assert client.get(reverse("outcomes:report_download", args=["needs", "csv"])).status_code == 200


def test_commissioner_does_not_get_needs_near_you(client, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("outcomes:needs")).status_code == 403


@pytest.mark.parametrize("url", ["outcomes:gap_map", "outcomes:needs"])
@pytest.mark.parametrize("user", ["link_worker", "referrer", "user_without_roles"])
def test_other_roles_get_403(client, request, url, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse(url)).status_code == 403


def test_other_organisations_see_none_of_our_figures(
    client, places, people, supply, other_org_user
):
    client.force_login(other_org_user)
    gaps = client.get(reverse("outcomes:gap_map"))
    assert gaps.status_code == 200
    rows = _table(gaps.context["report"], "gap_map")
    assert all(r["demand"] == 0 for r in rows)
    needs = client.get(reverse("outcomes:needs"))
    assert needs.status_code == 200
    assert all(not t.rows for t in needs.context["report"].tables)


def test_bad_population_group_is_ignored_with_the_form_error(client, commissioner):
    client.force_login(commissioner)
    response = client.get(
        reverse("outcomes:gap_map"), {"start": "2025-01-01", "end": "2025-06-30", "group": "x"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_needs_near_you_suppresses_a_small_number_of_refusals(
    client, places, people, supply, vcse_editor
):
    service = supply[0]
    service.organization.organisation = vcse_editor.organisations_with_role("vcse_editor")[0]
    service.organization.save()
    for referral in people[0][:3]:
        ConnectionFactory(
            case=referral.case, service=service, consent_to_share=True,
            status=lw_codes.ConnectionStatus.SERVICE_FULL,
        )  # fmt: skip
    client.force_login(vcse_editor)
    rows = csv_cells(client.get(reverse("outcomes:report_download", args=["needs", "csv"])).content)
    header = rows.index(["Month", "Service", "Asked", "Accepted", "Refused: no capacity",
                         "Per cent refused"])  # fmt: skip
    assert rows[header + 1][2:] == ["*", "0", "*", "*"]


def _scheduled_gap_map_csv(user, filters, capture_on_commit) -> list[list[str]]:
    """The rows of the CSV a monthly gap map subscription with ``filters`` makes."""
    from outcomes.models import ReportFile
    from outcomes.services.archive import scheduled_report_generate, subscription_create

    subscription = subscription_create(
        user=user, report="gaps", frequency="monthly", fmt="csv", filters=filters
    )
    # The second day of next month: the report covers this month, when the data was made.
    today = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=2)
    with capture_on_commit(execute=True):
        assert scheduled_report_generate(subscription_id=subscription.pk, today=today)
    return csv_cells(bytes(ReportFile.objects.get(subscription=subscription).content))


def test_gap_map_as_a_scheduled_report_for_a_population_group(
    commissioner, places, people, supply, django_capture_on_commit_callbacks
):
    rows = _scheduled_gap_map_csv(
        commissioner, {"group": "eth:H"}, django_capture_on_commit_callbacks
    )
    assert ["Note", "Population group: Ethnic group: Asian or Asian British: Indian"] in rows
    # Only the Indian people's loneliness shows; the White British money worries do not.
    districts = [r[:2] for r in rows if r and r[0] in ("NS1", "NS5") and r[2] != "0"]
    assert districts == [["NS1", "Social connection and loneliness"]]


def test_subscription_with_an_unknown_group_is_refused(commissioner):
    from outcomes.services.archive import subscription_create

    with pytest.raises(ValueError, match="Unknown report filters"):
        subscription_create(
            user=commissioner, report="gaps", frequency="monthly", filters={"group": "eth:Q"}
        )


def _service_at(postcode: str, category: str):
    """A published service accepting referrals, meeting ``category``, with one venue."""
    taxonomy_ensure()
    made = ServiceCapacityFactory(status="accepting").service
    ServiceAttribute.objects.create(service=made, taxonomy_term_id=term_id(CATEGORY, category))
    AddressFactory(location=ServiceAtLocationFactory(service=made).location, postal_code=postcode)
    return made


def test_gap_map_by_lsoa_counts_each_lsoa_from_the_records(
    places, people, commissioner, filters, link_worker
):
    from directory.models import PostcodeArea

    _indian, british = people
    # Given a befriending service in NS1's other LSOA (not where the Indian people live)
    # and a money advice service in the White British people's LSOA, and their unmet needs
    _service_at("NS1 6AB", "befriending")
    _service_at("NS5 7AB", "money")
    for referral in british[:15]:
        UnmetNeedFactory(
            case=referral.case, postcode_district="NS5", domain=lw_codes.LifeDomain.MONEY,
            recorded_by=link_worker,
        )  # fmt: skip
    # When the gap map is drawn by LSOA
    by_lsoa = dataclasses.replace(filters, neighbourhood="lsoa")
    report = build_disclosed("gaps", scope=report_scope_for(commissioner), filters=by_lsoa)
    rows = {(r["district"], r["domain"]): r for r in _table(report, "gap_map")}
    # Then each LSOA's figures are the counts of the records of the people living in it
    in_lsoa = PostcodeArea.objects.filter(lsoa21="E01900001").values("postcode")
    referred = ReferralReason.objects.filter(
        referral__person__postcode__in=in_lsoa, reason="loneliness"
    ).count()
    social = rows[("E01900001", "Social connection and loneliness")]
    assert social["referrals"] == disclose(referred) == 10
    assert social["area_name"] == "Northshire 001A"
    # and the befriending next door is supply for its own LSOA, not theirs: a gap
    assert social["services"] == 0
    assert rows[("E01900002", "Social connection and loneliness")]["services"] == 1
    money = rows[("E01900010", "Money and benefits")]
    assert money["unmet"] == disclose(15) == 15
    assert money["referrals"] == 20
    assert money["services"] == 1
    assert not any(place.startswith("NS") for place, _ in rows)
    assert any(n.startswith("Neighbourhood: the 2021 LSOA") for n in report.notes)


def test_gap_map_by_lsoa_without_the_lookup_says_so_and_keeps_districts(
    people, commissioner, filters
):
    by_lsoa = dataclasses.replace(filters, neighbourhood="lsoa")
    report = build_disclosed("gaps", scope=report_scope_for(commissioner), filters=by_lsoa)
    assert ("NS1", "Social connection and loneliness") in {
        (r["district"], r["domain"]) for r in _table(report, "gap_map")
    }
    assert any("LSOAs need the postcode lookup" in n for n in report.notes)


def test_the_gap_map_page_offers_lsoas_and_draws_them(client, places, people, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("outcomes:gap_map"), {"neighbourhood": "lsoa"})
    body = page.content.decode()
    assert 'name="neighbourhood"' in body
    assert ">LSOA name<" in body
    assert "E01900001" in body
    assert "Northshire 001A" in body
    assert "neighbourhood=lsoa" in body  # the downloads keep it
    other = client.get(reverse("outcomes:report", args=["reach"]))
    assert 'name="neighbourhood"' not in other.content.decode()


def test_gap_map_by_lsoa_as_a_scheduled_report(
    commissioner, places, people, django_capture_on_commit_callbacks
):
    from outcomes.services.archive import subscription_create

    rows = _scheduled_gap_map_csv(
        commissioner, {"neighbourhood": "lsoa"}, django_capture_on_commit_callbacks
    )
    assert ["LSOA", "LSOA name", "Need"] == next(r for r in rows if r and r[0] == "LSOA")[:3]
    with pytest.raises(ValueError, match="Unknown report filters"):
        subscription_create(
            user=commissioner, report="gaps", frequency="monthly", filters={"neighbourhood": "x"}
        )
