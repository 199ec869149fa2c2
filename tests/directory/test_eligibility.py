"""Eligibility at the point of choice: eligible, check, or not eligible with reasons."""

from directory.eligibility import Criteria, PersonFacts, Verdict, check

OLD = PersonFacts(age=83, sex="1", postcode_district="NN1", local_authority="E06000061")


def test_an_83_year_old_is_not_eligible_for_a_club_for_ages_8_to_17():
    result = check(Criteria(minimum_age=8, maximum_age=17), OLD)
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.reasons == ("For ages 8 to 17; they are 83",)


def test_no_stated_criteria_means_eligible():
    assert check(Criteria(), OLD).verdict == Verdict.ELIGIBLE


def test_inside_the_age_range_and_area_is_eligible():
    result = check(Criteria(minimum_age=65, areas=("NN1", "NN2")), OLD)
    assert result.verdict == Verdict.ELIGIBLE
    assert result.summary == "Meets the stated criteria"


def test_outside_the_area_is_not_eligible_with_the_area_named():
    result = check(Criteria(areas=("NN5",)), OLD)
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.reasons == ("Serves NN5; they live in NN1",)


def test_a_local_authority_served_matches_the_persons():
    assert check(Criteria(areas=("E06000061",)), OLD).verdict == Verdict.ELIGIBLE


def test_local_authority_unknown_for_the_person_is_a_check():
    person = PersonFacts(age=40, postcode_district="NN1")
    assert check(Criteria(areas=("E06000062",)), person).verdict == Verdict.CHECK


def test_a_womens_group_for_a_man_is_not_eligible_and_unknown_sex_is_a_check():
    assert check(Criteria(gender="women"), OLD).verdict == Verdict.NOT_ELIGIBLE
    unknown = check(Criteria(gender="women"), PersonFacts(age=40))
    assert unknown.verdict == Verdict.CHECK
    assert unknown.reasons == ("For women only: check with the person",)


def test_carers_only_is_a_check_unless_the_record_shows_caring():
    assert check(Criteria(who_for=("carers",)), OLD).verdict == Verdict.CHECK
    carer = PersonFacts(age=60, groups=frozenset({"carers"}))
    assert check(Criteria(who_for=("carers",)), carer).verdict == Verdict.ELIGIBLE


def test_a_language_needed_and_not_offered_is_a_check():
    polish = PersonFacts(age=50, language="Polish", interpreter_needed=True)
    assert check(Criteria(), polish).verdict == Verdict.CHECK
    assert check(Criteria(languages=("polish",)), polish).verdict == Verdict.ELIGIBLE


def test_failures_come_with_the_unknowns_too():
    result = check(Criteria(maximum_age=17, gender="women"), PersonFacts(age=83))
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.reasons == (
        "For ages up to 17; they are 83",
        "For women only: check with the person",
    )
