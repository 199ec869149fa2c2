"""Importing an ORUK feed, round-tripped through the profile's own examples."""

import json
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from directory.models import Service, ServiceChange
from directory.oruk import service_full_json
from directory.permissions import services_full
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
