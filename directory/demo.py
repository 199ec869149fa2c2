"""Northshire's directory for demonstrations: 40+ invented services across the
taxonomy and both PCN areas, some at capacity and some stale.

Idempotent: ids are derived from names, and existing rows are left alone.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

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
from socialrx.core.demo import VCSE_ORGANISATIONS
from socialrx.core.models import Organisation, OrganisationType

COUNTY = "Northshire"

# Invented postcode districts: "NS" and "FB" are not real UK postcode areas.
# Northby (NS) is the Northshire Central PCN area, Fenbridge (FB) and its villages the
# Fenbridge and Villages PCN area.
DISTRICTS: dict[str, tuple[float, float]] = {
    "NS1": (52.2400, -0.8900),
    "NS2": (52.2550, -0.8700),
    "NS3": (52.2300, -0.9150),
    "NS4": (52.2150, -0.8800),
    "NS5": (52.2650, -0.9050),
    "FB1": (52.3400, -0.6900),
    "FB2": (52.3550, -0.6700),
    "FB3": (52.3200, -0.7200),
    "FB4": (52.3800, -0.6400),
    "FB5": (52.3000, -0.6500),
}

# venue key: (name, street, town, postcode, offset from district centroid in degrees)
VENUES: dict[str, tuple[str, str, str, str, float, float]] = {
    "northby-hub": (
        "Northby Community Hub",
        "12 Market Square",
        "Northby",
        "NS1 1AA",
        0.001,
        0.002,
    ),
    "castle-park": (
        "Castle Park Pavilion",
        "Castle Park Road",
        "Northby",
        "NS2 4CP",
        -0.002,
        0.001,
    ),
    "abbey-hall": ("Abbey Road Church Hall", "40 Abbey Road", "Northby", "NS3 2AR", 0.002, -0.001),
    "riverside": ("Riverside Community Garden", "Mill Lane", "Northby", "NS4 7RG", 0.001, 0.003),
    "north-library": ("Northby Library", "1 Library Walk", "Northby", "NS5 1LB", -0.001, -0.002),
    "fenbridge-hall": ("Fenbridge Town Hall", "2 High Street", "Fenbridge", "FB1 1TH", 0.0, 0.001),
    "mens-shed": (
        "Fenbridge Men's Shed workshop",
        "Unit 4, Dyke Road",
        "Fenbridge",
        "FB2 3MS",
        0.002,
        0.0,
    ),
    "pantry": ("Fenbridge Food Pantry", "18 Station Road", "Fenbridge", "FB3 5FP", -0.001, 0.002),
    "marsh-lane": (
        "Marsh Lane Community Room",
        "Marsh Lane",
        "Saxby St Mary",
        "FB4 2ML",
        0.001,
        -0.001,
    ),
    "oakham-green": ("Oakham Green Village Hall", "The Green", "Oakham Green", "FB5 8VH", 0.0, 0.0),
}

ORG_DETAILS: dict[str, tuple[str, str]] = {
    "Northshire Befriending Network": (
        "befriending",
        "Volunteers who visit, phone and walk with people who feel alone.",
    ),
    "Fenbridge Men's Shed": ("mensshed", "A workshop where men make, mend and talk."),
    "Castle Park Walking Group": ("walking", "Free, friendly walks for every pace."),
    "Northshire Citizens Advice": (
        "advice",
        "Free, confidential advice on money, work and rights.",
    ),
    "Riverside Community Garden": ("garden", "A community growing space by the river."),
    "Northshire Carers Centre": ("carers", "Information, breaks and groups for unpaid carers."),
    "Open Door Arts Collective": ("arts", "Creative sessions for wellbeing, no experience needed."),
    "Fenbridge Food Pantry": ("pantry", "Affordable food, cookery and a warm welcome."),
    "Northshire Mind": ("mind", "Mental health support, groups and courses."),
    "Age Friendly Northshire": ("agefriendly", "Activities and support for older people."),
    "Northshire Housing Advice Line": ("housing", "Independent housing and tenancy advice."),
    "Marsh Lane Digital Helpers": ("digital", "Help getting online, devices and data."),
}

# (organisation index in VCSE_ORGANISATIONS, name, description, categories, audiences,
#  venues, capacity, freshness, days, opens, closes, min/max age, cost, languages)
# capacity: A accepting, W<n> waiting list of n weeks, N not accepting, X assessment
# required; a trailing "!" means capacity not confirmed for 45 days.
# freshness: F fresh, R due for a reminder (80 days), S stale (120 days).
SERVICES: list[tuple] = [
    (
        0,
        "Telephone befriending",
        "A weekly friendly phone call from a trained volunteer.",
        ["befriending"],
        ["older-people"],
        [],
        "W4",
        "F",
        "MO,WE",
        (10, 0),
        (16, 0),
        (18, None),
        "free",
        ["en", "pl"],
    ),
    (
        0,
        "Home visiting befriending",
        "A volunteer visits you at home for a cuppa and a chat.",
        ["befriending"],
        ["older-people", "dementia"],
        ["northby-hub"],
        "N",
        "F",
        "TU,TH",
        (10, 0),
        (15, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        0,
        "Friday friendship café",
        "Drop in for tea, cake and company every Friday.",
        ["befriending", "food"],
        [],
        ["northby-hub"],
        "A",
        "S",
        "FR",
        (10, 0),
        (12, 0),
        (None, None),
        "donation",
        ["en", "pa", "ur"],
    ),
    (
        0,
        "Young carers' friendship club",
        "Fun evenings out for young carers.",
        ["befriending", "carers"],
        ["young-people", "carers"],
        ["north-library"],
        "A",
        "F",
        "WE",
        (17, 0),
        (19, 0),
        (8, 17),
        "free",
        ["en"],
    ),
    (
        1,
        "Men's Shed workshop sessions",
        "Woodwork, repairs and conversation at the bench.",
        ["befriending", "learning"],
        ["men", "veterans"],
        ["mens-shed"],
        "A",
        "F",
        "MO,TH",
        (9, 30),
        (13, 0),
        (18, None),
        "donation",
        ["en"],
    ),
    (
        1,
        "Shed repair café",
        "Bring a broken item and learn to fix it with us.",
        ["learning", "befriending"],
        [],
        ["mens-shed"],
        "A",
        "R",
        "SA",
        (10, 0),
        (13, 0),
        (None, None),
        "free",
        ["en"],
    ),
    (
        1,
        "Veterans' breakfast club",
        "A monthly cooked breakfast for veterans and families.",
        ["befriending"],
        ["veterans"],
        ["fenbridge-hall"],
        "A!",
        "F",
        "SA",
        (9, 0),
        (11, 0),
        (18, None),
        "paid",
        ["en"],
    ),
    (
        2,
        "Health walks in Castle Park",
        "Gentle 45-minute walks led by trained walk leaders.",
        ["physical-activity", "green"],
        ["older-people", "long-term-conditions"],
        ["castle-park"],
        "A",
        "F",
        "TU,SA",
        (10, 0),
        (11, 0),
        (None, None),
        "free",
        ["en"],
    ),
    (
        2,
        "Nordic walking for beginners",
        "Learn Nordic walking; poles provided.",
        ["physical-activity"],
        [],
        ["castle-park"],
        "W2",
        "F",
        "TH",
        (18, 0),
        (19, 30),
        (16, None),
        "paid",
        ["en"],
    ),
    (
        2,
        "Buggy walks",
        "Walks for parents and carers with babies in buggies.",
        ["physical-activity"],
        ["new-parents"],
        ["riverside"],
        "A",
        "S",
        "WE",
        (10, 0),
        (11, 0),
        (None, None),
        "free",
        ["en", "ro"],
    ),
    (
        2,
        "Fenbridge village rambles",
        "Longer countryside walks between the villages.",
        ["physical-activity", "green"],
        [],
        ["oakham-green"],
        "A",
        "F",
        "SU",
        (10, 0),
        (13, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        3,
        "Benefits advice",
        "Check what you are entitled to and get help to claim it.",
        ["money"],
        [],
        ["northby-hub", "fenbridge-hall"],
        "W3",
        "F",
        "MO,TU,WE,TH,FR",
        (9, 0),
        (17, 0),
        (18, None),
        "free",
        ["en", "pl", "pa", "ur", "bn"],
    ),
    (
        3,
        "Debt advice",
        "Confidential help to deal with debts and plan a budget.",
        ["money"],
        [],
        ["northby-hub"],
        "X",
        "F",
        "MO,WE",
        (9, 0),
        (13, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        3,
        "Energy bills advice",
        "Help with fuel debt, grants and cutting energy costs.",
        ["money", "housing"],
        ["older-people"],
        ["fenbridge-hall"],
        "A",
        "R",
        "TH",
        (10, 0),
        (14, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        3,
        "Employment rights advice",
        "Advice about problems at work and your rights.",
        ["employment", "money"],
        [],
        [],
        "A",
        "F",
        "TU",
        (9, 0),
        (17, 0),
        (16, None),
        "free",
        ["en", "ro"],
    ),
    (
        4,
        "Therapeutic gardening",
        "Grow food and flowers with others at your own pace.",
        ["green", "mental-wellbeing"],
        ["long-term-conditions"],
        ["riverside"],
        "N",
        "F",
        "TU,TH",
        (10, 0),
        (14, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        4,
        "Garden volunteering days",
        "Help look after the garden and learn new skills.",
        ["green", "employment"],
        [],
        ["riverside"],
        "A",
        "F",
        "SA",
        (10, 0),
        (15, 0),
        (16, None),
        "free",
        ["en"],
    ),
    (
        4,
        "Family growing club",
        "Children and adults growing and cooking together.",
        ["green", "healthy-eating"],
        ["new-parents"],
        ["riverside"],
        "A",
        "S",
        "SU",
        (11, 0),
        (13, 0),
        (None, None),
        "free",
        ["en"],
    ),
    (
        5,
        "Carers' assessment and advice",
        "Help to get a carer's assessment and support.",
        ["carers"],
        ["carers"],
        ["abbey-hall"],
        "W6",
        "F",
        "MO,TU,WE,TH,FR",
        (9, 0),
        (17, 0),
        (18, None),
        "free",
        ["en", "gu"],
    ),
    (
        5,
        "Carers' support group (Northby)",
        "Meet other carers, share and unwind.",
        ["carers", "befriending"],
        ["carers"],
        ["abbey-hall"],
        "A",
        "F",
        "WE",
        (13, 0),
        (15, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        5,
        "Carers' support group (Fenbridge)",
        "Monthly meet-up for carers in the villages.",
        ["carers", "befriending"],
        ["carers"],
        ["marsh-lane"],
        "A",
        "R",
        "TU",
        (19, 0),
        (21, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        5,
        "Dementia carers' course",
        "A six-week course for people caring for someone with dementia.",
        ["carers", "dementia", "learning"],
        ["carers", "dementia"],
        ["abbey-hall"],
        "W8",
        "F",
        "TH",
        (10, 0),
        (12, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        6,
        "Open studio art",
        "Drop-in painting and drawing with materials provided.",
        ["arts", "mental-wellbeing"],
        [],
        ["north-library"],
        "A",
        "F",
        "MO",
        (13, 0),
        (16, 0),
        (16, None),
        "donation",
        ["en"],
    ),
    (
        6,
        "Singing for the brain",
        "Singing sessions for people living with dementia and carers.",
        ["arts", "dementia"],
        ["dementia", "carers"],
        ["fenbridge-hall"],
        "A",
        "F",
        "WE",
        (14, 0),
        (15, 30),
        (None, None),
        "free",
        ["en"],
    ),
    (
        6,
        "Community choir",
        "No auditions, just singing together.",
        ["arts", "befriending"],
        [],
        ["abbey-hall"],
        "A",
        "S",
        "TH",
        (19, 0),
        (21, 0),
        (16, None),
        "paid",
        ["en"],
    ),
    (
        6,
        "Young people's creative writing",
        "Writing and spoken word for young people.",
        ["arts", "learning"],
        ["young-people", "lgbtq"],
        ["north-library"],
        "A!",
        "F",
        "TU",
        (16, 30),
        (18, 0),
        (11, 18),
        "free",
        ["en"],
    ),
    (
        7,
        "Community pantry membership",
        "Weekly shop of groceries for a small membership fee.",
        ["food", "money"],
        [],
        ["pantry"],
        "W2",
        "F",
        "TU,FR",
        (10, 0),
        (14, 0),
        (18, None),
        "paid",
        ["en", "pl", "ro"],
    ),
    (
        7,
        "Cook and eat sessions",
        "Learn to cook healthy meals on a budget and eat together.",
        ["healthy-eating", "befriending"],
        [],
        ["pantry"],
        "A",
        "F",
        "WE",
        (11, 0),
        (14, 0),
        (16, None),
        "free",
        ["en"],
    ),
    (
        7,
        "Family food club",
        "Holiday lunches and activities for families.",
        ["food", "healthy-eating"],
        ["new-parents", "young-people"],
        ["marsh-lane"],
        "A",
        "S",
        "SA",
        (11, 0),
        (14, 0),
        (None, None),
        "free",
        ["en", "ar"],
    ),
    (
        8,
        "Wellbeing peer support group",
        "A safe space to share with people who understand.",
        ["mental-wellbeing"],
        [],
        ["northby-hub"],
        "A",
        "F",
        "TU",
        (18, 0),
        (20, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        8,
        "Bereavement support",
        "One-to-one and group support after a death.",
        ["bereavement", "mental-wellbeing"],
        [],
        ["northby-hub"],
        "W6",
        "F",
        "TH",
        (10, 0),
        (16, 0),
        (18, None),
        "free",
        ["en", "pa"],
    ),
    (
        8,
        "Managing anxiety course",
        "A four-week course on understanding and managing anxiety.",
        ["mental-wellbeing", "learning"],
        [],
        [],
        "X",
        "F",
        "MO",
        (18, 30),
        (20, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        8,
        "LGBTQ+ wellbeing group",
        "Peer support for LGBTQ+ adults.",
        ["mental-wellbeing", "befriending"],
        ["lgbtq"],
        ["northby-hub"],
        "A",
        "R",
        "WE",
        (19, 0),
        (21, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        8,
        "Domestic abuse recovery programme",
        "Group programme for survivors of domestic abuse.",
        ["domestic-abuse", "mental-wellbeing"],
        ["women"],
        [],
        "X",
        "F",
        "TH",
        (10, 0),
        (12, 0),
        (18, None),
        "free",
        ["en", "ur"],
    ),
    (
        9,
        "Tea dances",
        "Monthly tea dance with live music.",
        ["physical-activity", "befriending"],
        ["older-people"],
        ["fenbridge-hall"],
        "A",
        "F",
        "SU",
        (14, 0),
        (16, 30),
        (None, None),
        "paid",
        ["en"],
    ),
    (
        9,
        "Strength and balance classes",
        "Seated and standing exercise to prevent falls.",
        ["physical-activity", "self-management"],
        ["older-people", "long-term-conditions"],
        ["oakham-green"],
        "W3",
        "F",
        "MO,TH",
        (10, 30),
        (11, 30),
        (60, None),
        "paid",
        ["en"],
    ),
    (
        9,
        "Memory café",
        "A relaxed café for people with memory worries and their carers.",
        ["dementia", "befriending"],
        ["dementia", "carers", "older-people"],
        ["marsh-lane"],
        "A",
        "S",
        "TU",
        (14, 0),
        (16, 0),
        (None, None),
        "free",
        ["en"],
    ),
    (
        9,
        "Living well with diabetes",
        "Peer-led sessions on managing type 2 diabetes.",
        ["self-management", "weight", "healthy-eating"],
        ["long-term-conditions"],
        ["abbey-hall"],
        "A!",
        "F",
        "WE",
        (10, 0),
        (12, 0),
        (18, None),
        "free",
        ["en", "gu", "pa"],
    ),
    (
        10,
        "Housing advice line",
        "Advice on renting, repairs, evictions and homelessness.",
        ["housing"],
        [],
        [],
        "A",
        "F",
        "MO,TU,WE,TH,FR",
        (9, 0),
        (17, 0),
        (16, None),
        "free",
        ["en", "pl"],
    ),
    (
        10,
        "Tenancy sustainment support",
        "Practical help to keep your home.",
        ["housing", "money"],
        ["refugees"],
        ["fenbridge-hall"],
        "N",
        "F",
        "MO,TU,WE",
        (9, 0),
        (17, 0),
        (18, None),
        "free",
        ["en", "ar"],
    ),
    (
        11,
        "Digital drop-in",
        "Bring your phone, tablet or laptop and get help with it.",
        ["digital", "learning"],
        ["older-people"],
        ["marsh-lane", "north-library"],
        "A",
        "F",
        "TH",
        (10, 0),
        (12, 0),
        (None, None),
        "free",
        ["en"],
    ),
    (
        11,
        "Device and data loan",
        "Borrow a tablet with free data for three months.",
        ["digital"],
        [],
        ["marsh-lane"],
        "W4",
        "F",
        "TH",
        (10, 0),
        (12, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        11,
        "Get online at home",
        "A volunteer helps you get online in your own home.",
        ["digital"],
        ["older-people", "learning-disabilities"],
        [],
        "A",
        "S",
        "MO",
        (10, 0),
        (15, 0),
        (18, None),
        "free",
        ["en"],
    ),
    (
        11,
        "Job search skills",
        "Online job searching, CVs and applications.",
        ["employment", "digital"],
        [],
        ["north-library"],
        "A",
        "F",
        "FR",
        (10, 0),
        (12, 0),
        (16, None),
        "free",
        ["en", "so"],
    ),
]

LANGUAGE_NAMES = {
    "en": "English",
    "pl": "Polish",
    "pa": "Punjabi",
    "ur": "Urdu",
    "bn": "Bengali",
    "gu": "Gujarati",
    "ro": "Romanian",
    "ar": "Arabic",
    "so": "Somali",
}

PENDING_ORGANISATION = "Fenbridge Youth Theatre"


def _demo_id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(SOCIALRX_NAMESPACE, f"demo:{kind}:{name}")


DISTRICTS_CSV = Path(__file__).parent / "data" / "northshire_postcode_districts.csv"


def _seed_postcodes() -> None:
    # The same path a real county takes: the import command's reader and service.
    from directory.management.commands.import_postcodes import read_centroids
    from directory.services import postcodes_import

    postcodes_import(rows=read_centroids(DISTRICTS_CSV))
    for _, _, _, postcode, dlat, dlon in VENUES.values():
        lat, lon = DISTRICTS[postcode.split()[0]]
        PostcodeCentroid.objects.get_or_create(
            postcode=postcode, defaults={"latitude": lat + dlat, "longitude": lon + dlon}
        )


def _seed_organisation(name: str, status: str) -> DirectoryOrganisation:
    core = Organisation.objects.get_or_create(org_type=OrganisationType.VCSE, name=name)[0]
    slug, description = ORG_DETAILS.get(name, ("youththeatre", "Drama for young people."))
    org, _ = DirectoryOrganisation.objects.get_or_create(
        id=_demo_id("organisation", name),
        defaults={
            "organisation": core,
            "name": name,
            "description": description,
            "email": f"hello@{slug}.northshire.example",
            "website": f"https://{slug}.northshire.example",
            "approval_status": status,
            "decided_at": timezone.now() if status == ApprovalStatus.APPROVED else None,
        },
    )
    return org


def _seed_venue(key: str, org: DirectoryOrganisation) -> Location:
    name, street, town, postcode, dlat, dlon = VENUES[key]
    lat, lon = DISTRICTS[postcode.split()[0]]
    location, created = Location.objects.get_or_create(
        id=_demo_id("location", key),
        defaults={
            "organization": org,
            "name": name,
            "latitude": round(lat + dlat, 6),
            "longitude": round(lon + dlon, 6),
        },
    )
    if created:
        Address.objects.create(
            location=location,
            address_1=street,
            city=town,
            state_province=COUNTY,
            postal_code=postcode,
        )
        Accessibility.objects.create(
            location=location, description="Step-free entrance and an accessible toilet."
        )
    return location


def _capacity(code: str, now: datetime) -> dict:
    stale = code.endswith("!")
    code = code.rstrip("!")
    values: dict = {"updated": now - timedelta(days=45 if stale else 3)}
    if code.startswith("W"):
        values |= {"status": CapacityStatus.WAITING_LIST, "expected_wait_weeks": int(code[1:])}
    else:
        values["status"] = {
            "A": CapacityStatus.ACCEPTING,
            "N": CapacityStatus.NOT_ACCEPTING,
            "X": CapacityStatus.ASSESSMENT_REQUIRED,
        }[code]
    if values["status"] == CapacityStatus.ACCEPTING:
        values |= {"maximum": 10, "available": 4}
    return values


def _seed_service(row: tuple, orgs: list[DirectoryOrganisation]) -> bool:
    (
        org_index,
        name,
        description,
        categories,
        audiences,
        venues,
        capacity,
        freshness,
        days,
        opens,
        closes,
        (min_age, max_age),
        cost,
        languages,
    ) = row
    service_id = _demo_id("service", name)
    if Service.objects.filter(id=service_id).exists():
        return False
    org = orgs[org_index]
    now = timezone.now()
    age_days = {"F": 10, "R": 80, "S": 120}[freshness]
    service = Service.objects.create(
        id=service_id,
        organization=org,
        name=name,
        description=description,
        email=org.email,
        url=org.website,
        minimum_age=min_age,
        maximum_age=max_age,
        assured_date=timezone.localdate() - timedelta(days=age_days),
        assurer_email=org.email,
        cost=cost,
        referral_routes=ReferralRoute.LINK_WORKER
        if capacity.startswith("X")
        else ReferralRoute.BOTH,
        referral_instructions="Email or phone us with the person's consent and contact details.",
        last_modified=now - timedelta(days=age_days),
        reviewed_at=now - timedelta(days=age_days),
    )
    ServiceCapacity.objects.create(service=service, **_capacity(capacity, now))
    for code in categories:
        ServiceAttribute.objects.create(service=service, taxonomy_term_id=term_id(CATEGORY, code))
    for code in audiences:
        ServiceAttribute.objects.create(service=service, taxonomy_term_id=term_id(AUDIENCE, code))
    for code in languages:
        Language.objects.create(service=service, code=code, name=LANGUAGE_NAMES[code])
    if cost == Cost.PAID:
        CostOption.objects.create(
            service=service, option="Per session", amount=3, amount_description="per session"
        )
    contact = Contact.objects.create(
        service=service, title="Referrals coordinator", email=org.email, is_referral_contact=True
    )
    Phone.objects.create(contact=contact, number="01632 960" + f"{org_index:03d}")
    schedule = {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": days,
        "opens_at": time(*opens),
        "closes_at": time(*closes),
    }
    if not venues:
        Schedule.objects.create(service=service, attending_type="Phone or online", **schedule)
    for key in venues:
        at = ServiceAtLocation.objects.create(service=service, location=_seed_venue(key, org))
        Schedule.objects.create(service_at_location=at, attending_type="In person", **schedule)
    return True


def seed_directory() -> str:
    """The demo seeder registered with core's ``seed_demo``."""
    taxonomy_ensure()
    _seed_postcodes()
    orgs = [_seed_organisation(name, ApprovalStatus.APPROVED) for name in VCSE_ORGANISATIONS]
    _seed_organisation(PENDING_ORGANISATION, ApprovalStatus.PENDING)
    created = sum(_seed_service(row, orgs) for row in SERVICES)
    return f"{created} services created, {Service.objects.count()} in the directory"
