import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import codes
from referrals.models import (
    Person,
    Referral,
    format_nhs_number,
    normalise_nhs_number,
    validate_not_future,
)
from socialrx.core.models import OrganisationType
from tests.factories import OrganisationFactory
from tests.referrals.factories import PersonFactory, ReferralFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 4010232137 ", "4010232137"),
        ("999 000 0018", "9990000018"),
        ("", ""),
    ],
)
def test_nhs_numbers_are_accepted_with_spaces_and_hyphens_and_stored_as_digits(typed, stored):
    assert normalise_nhs_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "not valid"),
        ("1234567890", "not valid"),
        ("943476591", "10 digits"),
        ("94347659190", "10 digits"),
        ("94347A5919", "only numbers"),
    ],
)
def test_bad_nhs_numbers_are_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError, match=message):
        normalise_nhs_number(typed)


def test_nhs_numbers_display_in_three_groups():
    assert format_nhs_number("9434765919") == "943 476 5919"


def test_a_future_date_of_birth_is_refused():
    with pytest.raises(ValidationError, match="past"):
        validate_not_future(timezone.localdate() + datetime.timedelta(days=1))
    validate_not_future(timezone.localdate())


@pytest.mark.django_db
def test_database_refuses_an_nhs_number_that_is_not_ten_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(nhs_number="94347659l9")  # ten characters, one a letter


@pytest.mark.django_db
def test_clean_normalises_nhs_number_and_postcode():
    person = PersonFactory.build(nhs_number="999-000-0018", postcode="nn11aa")
    person.clean()
    assert (person.nhs_number, person.postcode) == ("9990000018", "NN1 1AA")


@pytest.mark.django_db
def test_database_refuses_a_referral_without_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(consent_to_share=False, source=codes.ReferralSource.SELF)


@pytest.mark.django_db
def test_database_refuses_a_professional_referral_without_a_referrer():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(source=codes.ReferralSource.GP, referrer=None)


@pytest.mark.django_db
def test_closed_referrals_need_an_outcome():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(source=codes.ReferralSource.SELF, status=codes.Status.CLOSED)


@pytest.mark.django_db
def test_possible_duplicates_match_nhs_number_or_name_birth_date_and_postcode():
    person = PersonFactory(nhs_number="9990000018", given_name="Ada", family_name="Lane")
    same_number = PersonFactory(nhs_number="9990000018", given_name="Other")
    same_details = PersonFactory(given_name="ada", family_name="LANE")
    PersonFactory(given_name="Ada", family_name="Lane", postcode="NN9 9ZZ")
    assert set(Person.objects.possible_duplicates_of(person)) == {same_number, same_details}


def test_every_transition_comes_from_the_one_table():
    assert codes.can_transition(codes.Status.RECEIVED, codes.EventKind.ASSIGNED)
    assert not codes.can_transition(codes.Status.CLOSED, codes.EventKind.ASSIGNED)
    assert not codes.can_transition(codes.Status.DECLINED, codes.EventKind.REDIRECTED)
    assert not codes.can_transition(codes.Status.RECEIVED, codes.EventKind.FIRST_CONTACT)
    # Every status maps to a FHIR Task status GP systems understand.
    assert set(codes.FHIR_TASK_STATUS) == set(codes.Status.values)


def test_snomed_codes_go_with_first_contact_and_a_persons_decline():
    first = codes.snomed_for_event(codes.EventKind.FIRST_CONTACT)
    declined = codes.snomed_for_event(
        codes.EventKind.CLOSED, codes.ClosureOutcome.DECLINED_BY_PERSON
    )
    assert first == "871731000000106"
    assert declined == "871711000000103"
    assert codes.snomed_for_event(codes.EventKind.CLOSED, codes.ClosureOutcome.SUPPORTED) is None


@pytest.mark.django_db
def test_list_details_attach_every_organisation_in_one_query(referrer, django_assert_num_queries):
    assigned = ReferralFactory(referrer=referrer)
    assigned.assigned_team = OrganisationFactory(name="Team North")
    assigned.save()
    unassigned = ReferralFactory(source=codes.ReferralSource.SELF)

    # 1 the referrals with their people, 2 every organisation they name, 3 reasons
    with django_assert_num_queries(3):
        rows = {r.pk: r for r in Referral.objects.with_list_details()}
        names = [
            (str(r.referring_organisation), str(r.triage_service), str(r.assigned_team))
            for r in rows.values()
        ]

    assert (
        str(assigned.referring_organisation),
        str(assigned.triage_service),
        "Team North",
    ) in names
    assert rows[unassigned.pk].assigned_team is None


@pytest.mark.django_db
def test_page_details_attach_the_persons_practice(referrer, django_assert_num_queries):
    practice = OrganisationFactory(name="Elm Surgery", org_type=OrganisationType.GP_PRACTICE)
    referral = ReferralFactory(referrer=referrer, person__registered_practice=practice)

    with django_assert_num_queries(4):  # referral, organisations, reasons, events
        loaded = Referral.objects.with_page_details().get(pk=referral.pk)
        practice = loaded.person.registered_practice

    assert practice is not None
    assert practice.name == "Elm Surgery"
