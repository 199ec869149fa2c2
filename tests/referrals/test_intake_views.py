"""The professional's intake journey, the referrer's list and the detail page."""

import pytest
from django.urls import reverse

from referrals import codes
from referrals.models import Referral, ReferralStatusEvent
from socialrx.core.models import AuditEvent, Role
from tests.factories import UserFactory, user_with_role
from tests.referrals.factories import ReferralFactory

VALID = {
    "given_name": "Ada",
    "family_name": "Lane",
    "date_of_birth_day": "2",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1948",
    "nhs_number": "999 000 0018",
    "postcode": "NN1 1AA",
    "phone": "01604 496 000",
    "source": "gp",
    "reasons": ["loneliness", "bereavement"],
    "what_matters": "Seeing people again.",
    "urgency": "routine",
    "consent_to_referral": "on",
    "consent_to_share": "on",
}


@pytest.fixture
def form_data(practice):
    return {**VALID, "organisation": str(practice.pk), "registered_practice": str(practice.pk)}


@pytest.mark.django_db
def test_form_is_prefilled_with_the_referrers_organisation(client, referrer, practice):
    client.force_login(referrer)
    response = client.get(reverse("referrals:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["organisation"].initial == practice.pk
    assert form.fields["registered_practice"].initial == practice.pk
    assert form.fields["source"].initial == codes.ReferralSource.GP


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "not valid"),
        ({"date_of_birth_year": "2999"}, "date_of_birth", "past"),
        ({"consent_to_share": ""}, "consent_to_share", "information being shared"),
        ({"reasons": []}, "reasons", "at least one reason"),
        ({"date_of_birth_day": ""}, "date_of_birth", "must include a day"),
    ],
)
def test_bad_answers_get_field_errors(client, referrer, form_data, change, field, message):
    client.force_login(referrer)
    response = client.post(reverse("referrals:create"), {**form_data, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert b"There is a problem" in response.content


@pytest.mark.django_db
def test_check_answers_then_send_stores_one_referral_even_when_clicked_twice(
    client, referrer, form_data, route
):
    client.force_login(referrer)
    # Given a valid form, the referrer is shown their answers to check
    response = client.post(reverse("referrals:create"), form_data)
    check_url = response["Location"]
    page = client.get(check_url)
    assert b"Check your answers" in page.content
    assert b"999 000 0018" in page.content
    # When they click send twice
    first = client.post(check_url)
    second = client.post(check_url)
    # Then one referral is stored and both clicks land on it
    referral = Referral.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("referrals:detail", args=[referral.pk])
    )
    assert referral.referrer == referrer
    assert referral.consent_recorded_by == referrer.full_name


@pytest.mark.django_db
def test_change_link_brings_back_the_answers(client, referrer, form_data, route):
    client.force_login(referrer)
    check_url = client.post(reverse("referrals:create"), form_data)["Location"]
    token = check_url.split("/")[-3]
    response = client.get(reverse("referrals:create") + f"?draft={token}")
    assert response.context["form"]["given_name"].value() == "Ada"


@pytest.mark.django_db
def test_vcse_referrers_refer_as_vcse(client, vcse_org, route, form_data):
    vcse_referrer = user_with_role(Role.REFERRER, vcse_org)
    client.force_login(vcse_referrer)
    response = client.get(reverse("referrals:create"))
    assert response.context["form"].fields["source"].initial == codes.ReferralSource.VCSE


@pytest.fixture
def referral(referrer, link_worker_service):
    return ReferralFactory(referrer=referrer, triage_service=link_worker_service)


@pytest.mark.django_db
def test_detail_shows_history_and_is_audited(client, referrer, referral):
    client.force_login(referrer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    audited = set(AuditEvent.objects.filter(action="view").values_list("object_type", flat=True))
    assert audited == {"referrals.referral", "referrals.person"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["referrals:detail"])
def test_other_organisations_get_404(client, other_org_user, referral, name):
    client.force_login(other_org_user)
    assert client.get(reverse(name, args=[referral.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["referrals:list", "referrals:create", "referrals:detail"])
def test_users_without_the_role_get_403(client, commissioner, vcse_editor, referral, name):
    args = [referral.pk] if name == "referrals:detail" else []
    for user in (commissioner, vcse_editor):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.django_db
def test_check_page_of_another_user_shows_nothing(client, referrer, practice, form_data, route):
    client.force_login(referrer)
    check_url = client.post(reverse("referrals:create"), form_data)["Location"]
    colleague = user_with_role(Role.REFERRER, practice)
    client.force_login(colleague)
    response = client.get(check_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:create")


@pytest.mark.django_db
def test_list_shows_the_organisations_referrals_with_constant_queries(
    client, referrer, link_worker_service, django_assert_num_queries
):
    ReferralFactory.create_batch(30, referrer=referrer, triage_service=link_worker_service)
    ReferralFactory(
        source=codes.ReferralSource.SELF, triage_service=link_worker_service
    )  # not theirs
    client.force_login(referrer)
    # the user with their roles (one query; the session comes from the cache), count,
    # page of referrals, their organisations (one query), reasons prefetch, the audit entry
    with django_assert_num_queries(6):
        response = client.get(reverse("referrals:list"))
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == 30


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_its_history(
    client, referrer, referral, django_assert_num_queries
):
    """Each status change names who made it: the actors come with the history, not one
    query per change."""

    def add_change(n: int) -> None:
        ReferralStatusEvent.objects.create(
            referral=referral,
            kind=codes.EventKind.INFO_PROVIDED,
            from_status=referral.status,
            to_status=referral.status,
            actor=UserFactory(full_name=f"Colleague {n}"),
        )

    add_change(0)
    client.force_login(referrer)
    url = reverse("referrals:detail", args=[referral.pk])
    client.get(url)
    # 1 the user with their roles (the session comes from the cache), 2 the referral with
    # its person and referrer, 3 its organisations and the person's practice, 4 reasons,
    # 5 history with actors, 6 the audit insert (referral and person).
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(1, 6):
        add_change(n)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "by Colleague 5" in response.content.decode()


def _start(client):
    """The blank form, as first shown: its address carries the one-time token."""
    page = client.get(reverse("referrals:create"))
    token = page.context["token"]
    assert f"?draft={token}" in page.content.decode()
    return reverse("referrals:create") + f"?draft={token}"


@pytest.mark.django_db
def test_going_back_after_sending_and_sending_again_makes_no_second_referral(
    client, referrer, form_data, route
):
    client.force_login(referrer)
    form_url = _start(client)
    # Given a referral sent from the form
    check_url = client.post(form_url, form_data)["Location"]
    client.post(check_url)
    sent = Referral.objects.get()
    # When the referrer goes back to the form (the browser keeps its address) and sends again,
    # even with an answer changed
    again = client.post(form_url, {**form_data, "what_matters": "Typed again"}, follow=True)
    # Then there is still one referral and person, and they are shown the one already sent
    assert Referral.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("referrals:detail", args=[sent.pk])
    assert "You have already sent this referral" in again.content.decode()


@pytest.mark.django_db
def test_a_second_referral_for_the_same_nhs_number_warns_and_links_to_the_open_one(
    client, referrer, form_data, route
):
    client.force_login(referrer)
    first_check = client.post(_start(client), form_data)["Location"]
    client.post(first_check)
    first = Referral.objects.get()
    # A new referral (a new form, a new token) for the same NHS number
    check_url = client.post(_start(client), form_data)["Location"]
    page = client.get(check_url).content.decode()
    assert "This person already has an open referral" in page
    assert reverse("referrals:detail", args=[first.pk]) in page
    # A warning, not a block: they may still send it.
    client.post(check_url)
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_no_warning_for_a_closed_referral_or_another_organisations(
    client, referrer, form_data, route, other_org_user
):
    # another organisation's open referral, and our own declined one
    theirs = ReferralFactory(referrer=other_org_user, person__nhs_number="9990000018")
    closed = ReferralFactory(
        referrer=referrer, person__nhs_number="9990000018", status=codes.Status.DECLINED
    )
    client.force_login(referrer)
    check_url = client.post(_start(client), form_data)["Location"]
    page = client.get(check_url).content.decode()
    assert "already has an open referral" not in page
    assert reverse("referrals:detail", args=[theirs.pk]) not in page
    assert reverse("referrals:detail", args=[closed.pk]) not in page


@pytest.mark.django_db
def test_a_referral_needs_a_way_to_contact_the_person(client, referrer, form_data, route):
    client.force_login(referrer)
    response = client.post(reverse("referrals:create"), {**form_data, "phone": ""})
    errors = " ".join(response.context["form"].errors["phone"])
    assert "or choose to contact them through their GP practice" in errors
    # One error summary on the page, not two.
    assert response.content.decode().count("nhsuk-error-summary__heading") == 1
    through_practice = {**form_data, "phone": "", "preferred_contact_method": "gp_practice"}
    assert client.post(reverse("referrals:create"), through_practice).status_code == 302
