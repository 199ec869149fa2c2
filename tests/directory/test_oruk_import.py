"""Importing an ORUK feed, round-tripped through the profile's own examples."""

import json
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from directory.models import Service, ServiceChange
from directory.oruk import service_full_json
from directory.selectors import services_full
from directory.taxonomy import CATEGORY
from tests.directory.oruk_schemas import EXAMPLES, assert_valid

pytestmark = pytest.mark.django_db

# Back-references our export adds, and our extension fields.
ADDED_KEYS = {"service_id", "location_id", "link_id", "organization_id", "taxonomy_id",
              "contact_id", "taxonomy_term_id"}  # fmt: skip
# What the importer deliberately does not keep (see directory/oruk_import.py).
DROPPED = {("fees",), ("organization", "parent_organization_id"), ("taxonomy_term", "parent_id"),
           ("accessibility", "accessibility")}  # fmt: skip


def normalise(node, parent=""):
    if isinstance(node, dict):
        return {
            key: normalise(value, key)
            for key, value in node.items()
            if key not in ADDED_KEYS
            and not key.startswith("x_socialrx_")
            and (key,) not in DROPPED
            and (parent, key) not in DROPPED
        } | ({"last_modified": _instant(node["last_modified"])} if "last_modified" in node else {})
    if isinstance(node, list):
        return [normalise(item, parent) for item in node]
    return node


def _instant(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def export(service_id):
    return service_full_json(services_full(Service.objects.all()).get(id=service_id))


def test_the_profiles_service_example_round_trips(tmp_path):
    path = EXAMPLES / "service_full.json"
    original = json.loads(path.read_text())

    call_command("import_oruk", str(path))

    exported = export(original["id"])
    assert_valid("compiled/service.json", exported)
    assert normalise(exported) == normalise(original)


@pytest.mark.parametrize(
    "example",
    ["service_list.json", "organization_full.json", "service_at_location_full.json"],
)
def test_the_other_examples_import_and_export_valid_services(example):
    call_command("import_oruk", str(EXAMPLES / example))
    assert Service.objects.exists()
    for service in Service.objects.all():
        assert_valid("compiled/service.json", export(service.id))


def test_importing_twice_changes_nothing_but_the_history():
    path = str(EXAMPLES / "service_full.json")
    call_command("import_oruk", path)
    before = export(json.loads((EXAMPLES / "service_full.json").read_text())["id"])
    call_command("import_oruk", path)
    assert Service.objects.count() == 1
    assert export(before["id"]) == before
    assert ServiceChange.objects.count() == 2


def test_our_own_feed_round_trips(client, listing_org):
    from tests.directory.factories import ServiceAtLocationFactory, service_with

    service = service_with(organization=listing_org, name="Own listing")
    ServiceAtLocationFactory(service=service)
    document = client.get(f"/oruk/services/{service.id}").json()
    Service.objects.all().delete()

    from directory.oruk_import import oruk_import

    oruk_import(document=document)

    assert normalise(export(service.id)) == normalise(document)


def test_a_file_that_is_not_a_feed_is_refused(tmp_path):
    path = tmp_path / "nope.json"
    path.write_text('{"id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "name": "orphan"}')
    with pytest.raises(CommandError):
        call_command("import_oruk", str(path))


# --- taxonomies and taxonomy terms -----------------------------------------------------


def test_taxonomy_and_taxonomy_term_files_import_and_export_valid(client, tmp_path):
    from directory.models import Taxonomy, TaxonomyTerm

    taxonomy = json.loads((EXAMPLES / "taxonomy.json").read_text())
    # The example term's parent is not in the example; give the term list one that is.
    parent = {"id": "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2", "name": "Parent",
              "description": "A broader term", "term": "parent",
              "taxonomy_id": taxonomy["id"]}  # fmt: skip
    terms = json.loads((EXAMPLES / "taxonomy_term_list.json").read_text())
    terms["contents"] = [{**terms["contents"][0], "id": "7d1b9a4c-2e0f-4b8e-9d6a-1c2b3a4d5e6f",
                          "taxonomy_id": taxonomy["id"]}, parent]  # fmt: skip
    terms_path = tmp_path / "taxonomy_terms.json"
    terms_path.write_text(json.dumps(terms))

    call_command("import_oruk", str(EXAMPLES / "taxonomy.json"), str(terms_path))

    imported = Taxonomy.objects.get(id=taxonomy["id"])
    assert (imported.name, imported.version, imported.uri) == ("name", "version", taxonomy["uri"])
    nested = TaxonomyTerm.objects.get(id=taxonomy["taxonomy_terms"][0]["id"])
    assert nested.taxonomy == imported
    # a parent later in the same file is linked; one not yet imported is not kept
    child = TaxonomyTerm.objects.get(id="7d1b9a4c-2e0f-4b8e-9d6a-1c2b3a4d5e6f")
    assert str(child.parent_id) == parent["id"]
    assert nested.parent_id is None  # its parent came in the second file
    assert_valid("taxonomy.json", client.get(f"/oruk/taxonomies/{imported.id}").json())
    for term in TaxonomyTerm.objects.filter(taxonomy=imported):
        assert_valid("taxonomy_term.json", client.get(f"/oruk/taxonomy_terms/{term.id}").json())


def test_importing_a_taxonomy_twice_keeps_one_and_our_own_codes(tmp_path):
    from directory.models import Taxonomy

    ours = Taxonomy.objects.get(code=CATEGORY)
    renamed = {"id": str(ours.id), "name": "Renamed in the feed", "description": "d"}
    clash = {"id": "11111111-2222-4333-8444-555555555555",
             "name": "Social prescribing category",
             "description": "Another county's vocabulary of the same name"}  # fmt: skip
    path = tmp_path / "taxonomies.json"
    path.write_text(json.dumps({"contents": [renamed, clash], "last_page": True}))

    call_command("import_oruk", str(path))
    call_command("import_oruk", str(path))

    ours.refresh_from_db()
    assert (ours.code, ours.name) == (CATEGORY, "Renamed in the feed")
    other = Taxonomy.objects.get(id=clash["id"])
    assert other.code == f"{CATEGORY}-11111111"  # ours kept its code
    assert Taxonomy.objects.filter(name="Social prescribing category").count() == 1


def test_a_term_imported_into_our_categories_is_offered_by_the_search_page(client):
    from directory.oruk_import import oruk_import
    from directory.taxonomy import taxonomy_id

    assert "Ukulele groups" not in client.get("/directory/").content.decode()  # menus cached

    oruk_import(document={"id": "3f0c3a59-50c1-4c1b-8f3e-0d5c1a7e2b11", "name": "Ukulele groups",
                          "description": "Strum along.", "term": "ukulele",
                          "taxonomy_id": str(taxonomy_id(CATEGORY))})  # fmt: skip

    assert "Ukulele groups" in client.get("/directory/").content.decode()
