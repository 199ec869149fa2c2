"""Northshire's directory for demonstrations: 40+ invented services across the
taxonomy and both PCN areas, some at capacity and some stale. The services, venues and
organisations are in demo/data/directory.json, one a line.

Idempotent: ids are derived from names, and existing rows are left alone.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from functools import cache
from typing import Any

from django.utils import timezone

from demo.files import data_path, read_csv, read_json
from demo.seeds.core import VCSE_ORGANISATIONS
from directory.models import (
    Accessibility,
    Address,
    ApprovalStatus,
    CapacityStatus,
    Contact,
    Cost,
    CostOption,
    DirectoryOrganisation,
    Language,
    Location,
    Phone,
    PostcodeCentroid,
    ReferralRoute,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceCapacity,
)
from directory.taxonomy import AUDIENCE, CATEGORY, SOCIALRX_NAMESPACE, taxonomy_ensure, term_id
from socialrx.core.models import Organisation, OrganisationType

# Invented postcode districts: "NS" and "FB" are not real UK postcode areas.
# Northby (NS) is the Northshire Central PCN area, Fenbridge (FB) and its villages the
# Fenbridge and Villages PCN area.
DISTRICTS_CSV = data_path("northshire_postcode_districts.csv")
# Services name their capacity in a short code: A accepting (A<n>: with a weekly limit of
# n, else 10), W<n> waiting list of n weeks, N not accepting, X assessment required; the
# places a week's connections take are counted live. A trailing "!" means capacity not
# confirmed for 45 days. Freshness: F fresh, R due for a reminder (80 days), S stale
# (120 days).
FRESHNESS_DAYS = {"F": 10, "R": 80, "S": 120}


@cache
def directory_data() -> dict[str, Any]:
    return read_json("directory.json")


@cache
def districts() -> dict[str, tuple[float, float]]:
    return {
        row["postcode"]: (float(row["latitude"]), float(row["longitude"]))
        for row in read_csv(DISTRICTS_CSV.name)
    }


def _demo_id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(SOCIALRX_NAMESPACE, f"demo:{kind}:{name}")


def demo_service_id(name: str) -> uuid.UUID:
    """The id a demo service of this name always has."""
    return _demo_id("service", name)


def _seed_postcodes() -> None:
    # The same path a real county takes: the import command's reader and service.
    from directory.management.commands.import_postcodes import read_centroids
    from directory.services import postcodes_import

    postcodes_import(rows=read_centroids(DISTRICTS_CSV))
    for venue in directory_data()["venues"].values():
        lat, lon = _near(venue)
        PostcodeCentroid.objects.get_or_create(
            postcode=venue["postcode"], defaults={"latitude": lat, "longitude": lon}
        )


def _near(venue: dict[str, Any]) -> tuple[float, float]:
    """A venue's place: its postcode district's centre, moved by the venue's offset."""
    lat, lon = districts()[venue["postcode"].split()[0]]
    dlat, dlon = venue["offset"]
    return lat + dlat, lon + dlon


def _seed_organisation(details: dict[str, str], status: str) -> DirectoryOrganisation:
    name, slug = details["name"], details["slug"]
    core = Organisation.objects.get_or_create(org_type=OrganisationType.VCSE, name=name)[0]
    org, _ = DirectoryOrganisation.objects.get_or_create(
        id=_demo_id("organisation", name),
        defaults={
            "organisation": core,
            "name": name,
            "description": details["description"],
            "email": f"hello@{slug}.northshire.example",
            "website": f"https://{slug}.northshire.example",
            "approval_status": status,
            "decided_at": timezone.now() if status == ApprovalStatus.APPROVED else None,
        },
    )
    return org


def _seed_venue(key: str, org: DirectoryOrganisation) -> Location:
    venue = directory_data()["venues"][key]
    lat, lon = _near(venue)
    location, created = Location.objects.get_or_create(
        id=_demo_id("location", key),
        defaults={
            "organization": org,
            "name": venue["name"],
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
        },
    )
    if created:
        Address.objects.create(
            location=location,
            address_1=venue["street"],
            city=venue["town"],
            state_province=directory_data()["county"],
            postal_code=venue["postcode"],
        )
        Accessibility.objects.create(
            location=location, description="Step-free entrance and an accessible toilet."
        )
    return location


def _capacity(code: str, now: datetime) -> dict[str, Any]:
    stale = code.endswith("!")
    code = code.rstrip("!")
    values: dict[str, Any] = {"updated": now - timedelta(days=45 if stale else 3)}
    if code.startswith("W"):
        values |= {"status": CapacityStatus.WAITING_LIST, "expected_wait_weeks": int(code[1:])}
    else:
        values["status"] = {
            "A": CapacityStatus.ACCEPTING,
            "N": CapacityStatus.NOT_ACCEPTING,
            "X": CapacityStatus.ASSESSMENT_REQUIRED,
        }[code[0]]
    if values["status"] == CapacityStatus.ACCEPTING:
        limit = int(code[1:] or 10)
        values |= {"maximum": limit, "available": min(4, limit)}
    return values


def _seed_service(row: dict[str, Any], orgs: dict[str, DirectoryOrganisation]) -> bool:
    service_id = _demo_id("service", row["name"])
    if Service.objects.filter(id=service_id).exists():
        return False
    org = orgs[row["organisation"]]
    now = timezone.now()
    age_days = FRESHNESS_DAYS[row["freshness"]]
    capacity = row["capacity"]
    service = Service.objects.create(
        id=service_id,
        organization=org,
        name=row["name"],
        description=row["description"],
        email=org.email,
        url=org.website,
        minimum_age=row["minimum_age"],
        maximum_age=row["maximum_age"],
        assured_date=timezone.localdate() - timedelta(days=age_days),
        assurer_email=org.email,
        cost=row["cost"],
        referral_routes=ReferralRoute.LINK_WORKER
        if capacity.startswith("X")
        else ReferralRoute.BOTH,
        referral_instructions="Email or phone us with the person's consent and contact details.",
        last_modified=now - timedelta(days=age_days),
        reviewed_at=now - timedelta(days=age_days),
    )
    ServiceCapacity.objects.create(service=service, **_capacity(capacity, now))
    _seed_service_details(service, row, org)
    return True


def _seed_service_details(
    service: Service, row: dict[str, Any], org: DirectoryOrganisation
) -> None:
    for taxonomy, key in ((CATEGORY, "categories"), (AUDIENCE, "audiences")):
        for code in row[key]:
            ServiceAttribute.objects.create(
                service=service, taxonomy_term_id=term_id(taxonomy, code)
            )
    languages = directory_data()["languages"]
    for code in row["languages"]:
        Language.objects.create(service=service, code=code, name=languages[code])
    if row["cost"] == Cost.PAID:
        CostOption.objects.create(
            service=service, option="Per session", amount=3, amount_description="per session"
        )
    contact = Contact.objects.create(
        service=service, title="Referrals coordinator", email=org.email, is_referral_contact=True
    )
    # Ofcom's range for drama: one number per organisation, as before the data moved.
    number = VCSE_ORGANISATIONS.index(row["organisation"])
    Phone.objects.create(contact=contact, number=f"01632 960{number:03d}")
    schedule = {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": row["days"],
        "opens_at": time.fromisoformat(row["opens"]),
        "closes_at": time.fromisoformat(row["closes"]),
    }
    if not row["venues"]:
        Schedule.objects.create(service=service, attending_type="Phone or online", **schedule)
    for key in row["venues"]:
        at = ServiceAtLocation.objects.create(service=service, location=_seed_venue(key, org))
        Schedule.objects.create(service_at_location=at, attending_type="In person", **schedule)


def seed_directory() -> str:
    """Northshire's directory (run by ``seed_demo`` after the core records)."""
    data = directory_data()
    taxonomy_ensure()
    _seed_postcodes()
    details = {org["name"]: org for org in data["organisations"]}
    orgs = {
        name: _seed_organisation(details[name], ApprovalStatus.APPROVED)
        for name in VCSE_ORGANISATIONS
    }
    _seed_organisation(data["pending_organisation"], ApprovalStatus.PENDING)
    created = sum(_seed_service(row, orgs) for row in data["services"])
    return f"{created} services created, {Service.objects.count()} in the directory"
