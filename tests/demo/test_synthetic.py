"""The synthetic data generator (``generate_synthetic``) at the tiny scale, on the
suite's database: counts, determinism, NHS numbers and sane proportions."""

import datetime
import statistics
from io import StringIO

import nhs_number
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Avg, Count

from demo.synthetic.base import SCALES
from demo.synthetic.referrals import nhs_check_digit, synthetic_nhs_numbers
from directory.models import Service
from linkworkers.models import Case, Contact
from outcomes.models import MeasureRecord
from referrals import codes
from referrals.models import Person, Referral, ReferralStatusEvent
from socialrx.core.models import Membership, Organisation, OrganisationType, Role

TINY = SCALES["tiny"]


def _generate(seed: int = 7) -> None:
    # The suite runs with DEBUG off, as production does: hence force.
    call_command(
        "generate_synthetic",
        scale="tiny",
        seed=seed,
        as_of=datetime.date(2026, 1, 15),
        force=True,
        stdout=StringIO(),
    )


def _fingerprint() -> tuple:
    people = list(
        Person.objects.order_by("pk").values_list(
            "nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "sex"
        )
    )
    referrals = list(
        Referral.objects.order_by("pk").values_list(
            "created_at", "status", "source", "urgency", "closure_outcome", "uuid"
        )
    )
    contacts = list(Contact.objects.order_by("pk").values_list("occurred_at", "mode"))
    services = list(Service.objects.order_by("name", "pk").values_list("name", "description"))
    return people, referrals, contacts, services


def _generated_twice(first_seed: int, second_seed: int) -> tuple[tuple, tuple]:
    prints = []
    for seed in (first_seed, second_seed):
        with transaction.atomic():
            _generate(seed)
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    return prints[0], prints[1]


@pytest.fixture
def tiny(db) -> None:
    _generate()


def test_the_same_seed_gives_the_same_data(db):
    first, second = _generated_twice(7, 7)

    assert first == second
    assert len(first[1]) == TINY.referrals


def test_another_seed_gives_other_data(db):
    first, second = _generated_twice(7, 8)

    assert first[0] != second[0]


def test_counts_at_the_tiny_scale(tiny):
    assert Referral.objects.count() == TINY.referrals
    assert Person.objects.count() == TINY.people
    assert Service.objects.count() == TINY.directory_services
    memberships = Membership.objects.values("role").annotate(n=Count("pk"))
    by_role = {row["role"]: row["n"] for row in memberships}
    assert by_role[Role.LINK_WORKER] == TINY.link_workers
    assert by_role[Role.REFERRER] == TINY.referrers
    practices = Organisation.objects.filter(org_type=OrganisationType.GP_PRACTICE).count()
    assert practices == TINY.practices
    services = Organisation.objects.filter(org_type=OrganisationType.LINK_WORKER_SERVICE)
    assert services.count() == TINY.link_worker_services
    # Contacts follow the cases' lengths, so their number is near the target, not on it.
    assert 0.8 * TINY.contacts <= Contact.objects.count() <= 1.2 * TINY.contacts


def test_every_row_keeps_the_database_constraints(tiny):
    connection.check_constraints()
    for model in (Referral, Case, Service):
        rows = list(model.objects.all()[:50])
        assert rows, f"the tiny scale generated no {model.__name__} rows to check"
        for row in rows:
            row.full_clean(validate_unique=False)


def test_nhs_numbers_are_valid_and_in_the_999_test_range(tiny):
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]

    assert len(numbers) > 0.9 * TINY.people
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("999") and len(n) == 10 for n in numbers)
    assert all(nhs_number.is_valid(n) for n in numbers)


def test_the_check_digit_follows_modulus_11():
    # 943 476 5919 is the NHS Data Dictionary's own example of a valid number.
    assert nhs_check_digit("943476591") == 9
    # A remainder giving 10 means the nine digits are never issued.
    assert all(nhs_check_digit(n[:9]) == int(n[9]) for n in _first(synthetic_nhs_numbers(), 1000))


def _first(numbers, count):
    return [next(numbers) for _ in range(count)]


def test_proportions_are_those_of_a_real_service(tiny):
    statuses = dict(Referral.objects.values_list("status").annotate(n=Count("pk")))
    # Given: 8 years of referrals; most are finished, about a tenth declined at triage.
    assert statuses[codes.Status.CLOSED] > 0.7 * TINY.referrals
    assert 0.03 * TINY.referrals < statuses[codes.Status.DECLINED] < 0.2 * TINY.referrals
    ages = [
        (r.created_at.date() - r.person.date_of_birth).days / 365.25
        for r in Referral.objects.select_related("person")
    ]
    assert min(ages) >= 18
    assert max(ages) < 100
    assert 45 <= statistics.median(ages) <= 70
    # Every referral's history starts with its submission.
    firsts = ReferralStatusEvent.objects.filter(kind=codes.EventKind.SUBMITTED).count()
    assert firsts == TINY.referrals
    closed = Referral.objects.filter(status=codes.Status.CLOSED)
    assert not closed.filter(closure_outcome="").exists()


def test_wellbeing_improves_on_average(tiny):
    records = MeasureRecord.objects.filter(measure__code="swemwbs")
    baseline = records.filter(follow_up_week=0).aggregate(a=Avg("raw_total"))["a"]
    follow_up = records.filter(follow_up_week=12).aggregate(a=Avg("raw_total"))["a"]

    assert 14 < baseline < 23
    assert follow_up > baseline


def test_a_second_run_on_the_same_database_is_refused(tiny):
    with pytest.raises(CommandError, match="already holds synthetic tiny seed 7"):
        _generate()


def test_without_debug_it_runs_only_when_forced(db):
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true or --force"):
        call_command("generate_synthetic", scale="tiny", stdout=StringIO())


def test_the_directory_counts_shown_before_a_run_are_not_served_after_it(db, client):
    """The ORUK list caches its totals until a service changes; COPY sends no signal,
    so the generator itself says the listings changed."""
    assert client.get("/oruk/services").json()["total_items"] == 0

    _generate()

    published = Service.objects.published().count()
    assert client.get("/oruk/services").json()["total_items"] == published > 0
