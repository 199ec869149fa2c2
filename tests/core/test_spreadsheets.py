"""Safe outputs: text a person typed never runs as a formula in a download, and the
public directory feed publishes no staff member's email."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from directory.services.listings import service_confirm
from outcomes import exports
from outcomes.reports.base import DisclosedReport, DisclosedTable
from socialrx.core.models import Role
from socialrx.core.spreadsheets import FORMULA_STARTS, spreadsheet_cell
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import user_with_role

RISKY = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", RISKY)
def test_text_starting_a_formula_gets_an_apostrophe(value):
    assert value.startswith(FORMULA_STARTS)
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Walk and talk", "", None, -3, 2.5, "a=b"])
def test_other_cells_pass_unchanged(value):
    assert spreadsheet_cell(value) == value


def _report() -> DisclosedReport:
    table = DisclosedTable(
        key="services",
        title="=Services",
        headers=["Service", "Connections"],
        kinds=["text", "count"],
        rows=[[value, -4] for value in RISKY],
        column_keys=["service", "connections"],
        note="@note",
    )
    return DisclosedReport(
        key="test",
        title="+Report",
        notes=["-a note"],
        tables=[table],
        generated_at=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC),
    )


def test_report_csv_cells_cannot_run_as_formulas():
    text = exports.to_csv(_report()).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells  # the report was written
    formulas = [c for c in cells if c.startswith(FORMULA_STARTS) and c.lstrip("-") != "4"]
    assert not formulas
    assert "'" + RISKY[0] in cells
    assert "-4" in cells  # a negative number is a number, not escaped


def test_report_xlsx_cells_cannot_run_as_formulas():
    book = load_workbook(io.BytesIO(exports.to_xlsx(_report())))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    texts = [v for v in values if isinstance(v, str)]
    assert not [v for v in texts if v.startswith(FORMULA_STARTS)]
    assert "'" + RISKY[0] in texts
    assert -4 in values
    # openpyxl stores a string starting "=" as a formula cell: none is one
    assert not [c for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]


@pytest.mark.django_db
def test_the_open_referral_feed_shows_no_staff_email(client, vcse_org):
    listing = DirectoryOrganisationFactory(
        organisation=vcse_org, name=vcse_org.name, email="hello@befrienders.example"
    )
    service = service_with(organization=listing, name="Walk and talk")
    editor = user_with_role(Role.VCSE_EDITOR, vcse_org, user__email="jo.bloggs@befrienders.example")

    service_confirm(service=service, actor=editor)

    for url in (f"/oruk/services/{service.id}", "/oruk/services", "/oruk/services?text=walk"):
        body = client.get(url).content.decode()
        assert editor.email not in body
    assert "hello@befrienders.example" in client.get(f"/oruk/services/{service.id}").text


@pytest.mark.django_db
def test_the_migration_replaces_a_staff_email_with_the_public_contact(vcse_org):
    from importlib import import_module

    from django.apps import apps

    editor = user_with_role(Role.VCSE_EDITOR, vcse_org, user__email="Jo.Bloggs@befrienders.example")
    listing = DirectoryOrganisationFactory(organisation=vcse_org, email="hello@befrienders.example")
    leaked = service_with(organization=listing, name="Leaked")
    kept = service_with(organization=listing, name="Imported")
    type(leaked).objects.filter(pk=leaked.pk).update(assurer_email=editor.email.lower())
    type(kept).objects.filter(pk=kept.pk).update(assurer_email="assurer@elsewhere.example")

    import_module("directory.migrations.0009_assurer_email_public_contact").forwards(apps, None)

    leaked.refresh_from_db()
    kept.refresh_from_db()
    assert leaked.assurer_email == "hello@befrienders.example"
    assert kept.assurer_email == "assurer@elsewhere.example"
