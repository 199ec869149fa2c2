import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from referrals import codes
from referrals.models import Referral

URL = "/self-referral/"


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def answers(practice):
    return {
        "given_name": "Sam",
        "family_name": "Brook",
        "date_of_birth_day": "9",
        "date_of_birth_month": "11",
        "date_of_birth_year": "1990",
        "registered_practice": str(practice.pk),
        "email": "sam.brook@person.example",
        "reasons": ["loneliness"],
        "consent_to_referral": "on",
        "consent_to_share": "on",
        "contact_consent": "on",
        "token": "a" * 32,
    }


def _send(client, answers):
    """The form, then check your answers, then send."""
    checked = client.post(URL, answers)
    assert checked.status_code == 302, checked.context and checked.context["form"].errors
    return client.post(checked["Location"])


@pytest.mark.django_db
def test_anyone_can_open_the_form_without_signing_in(client, route):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="website"' in response.content


@pytest.mark.django_db
def test_self_referral_is_stored_marked_self_and_confirmed_by_email(
    client, answers, route, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, answers)
    assert response["Location"] == reverse("referrals:self_referral_sent")
    referral = Referral.objects.get()
    assert (referral.source, referral.referrer, referral.referring_organisation) == (
        codes.ReferralSource.SELF,
        None,
        None,
    )
    assert referral.triage_service == route.service
    assert referral.reference.encode() in client.get(response["Location"]).content
    assert [m.to for m in mail.outbox] == [["sam.brook@person.example"]]


@pytest.mark.django_db
def test_double_submit_stores_one(client, answers, route):
    check_url = client.post(URL, answers)["Location"]
    client.post(check_url)
    second = client.post(check_url)
    assert second["Location"] == reverse("referrals:self_referral_sent")
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_filled_looks_like_success_but_stores_nothing(client, answers, route):
    response = client.post(URL, {**answers, "website": "http://spam.example"})
    assert response.status_code == 302
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_rate_limited_per_address(client, answers, route, settings):
    settings.REFERRALS_SELF_REFERRAL_LIMIT_PER_HOUR = 3
    for _ in range(3):
        client.post(URL, {**answers, "consent_to_share": ""})
    response = client.post(URL, answers)
    assert response.status_code == 429
    assert Referral.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent_to_share": ""}, "consent_to_share"),
        ({"date_of_birth_year": "2999"}, "date_of_birth"),
        ({"email": ""}, "phone"),
        ({"nhs_number": "1234567890"}, "nhs_number"),
    ],
)
def test_bad_answers_get_field_errors(client, answers, route, change, field):
    response = client.post(URL, {**answers, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_without_any_triage_route_the_person_gets_a_message_not_a_500(client, answers):
    response = _send(client, answers)
    assert response.status_code == 200
    assert "No link worker service" in str(response.context["form"].non_field_errors())


@pytest.mark.django_db
def test_answers_are_checked_before_sending_and_can_be_changed(client, answers, route):
    # Given valid answers, the person sees them back, and nothing is stored yet
    check_url = client.post(URL, answers)["Location"]
    assert check_url == reverse("referrals:self_referral_check", args=[answers["token"]])
    page = client.get(check_url)
    keys = [row.key for row in page.context["answers"]]
    assert "Your first name" in keys
    assert "Leave this box empty" not in keys, "the honeypot is not an answer"
    assert Referral.objects.count() == 0
    # When they follow a change link, the form comes back with their answers
    change = client.get(page.context["answers"][0].action_url.split("#")[0])
    assert change.context["form"]["given_name"].value() == "Sam"


@pytest.mark.django_db
def test_a_token_not_of_our_making_is_replaced(client, answers, route):
    response = client.post(URL, {**answers, "token": "../../x"})
    assert response.status_code == 302
    assert "../" not in response["Location"]
