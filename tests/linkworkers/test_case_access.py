"""Every case URL: 404 for a link worker of another team, 403 for roles without access.

Add each new case URL to CASE_URLS: the tests below then cover it."""

import pytest
from django.urls import reverse

from socialrx.core.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# (url name, method): every URL that names a case.
CASE_URLS = [
    ("linkworkers:case", "get"),
    ("linkworkers:contact_add", "get"),
    ("linkworkers:contact_add", "post"),
    ("linkworkers:assessments", "get"),
    ("linkworkers:assessment_add", "get"),
    ("linkworkers:assessment_add", "post"),
    ("linkworkers:plan", "get"),
    ("linkworkers:goal_add", "get"),
    ("linkworkers:goal_add", "post"),
    ("linkworkers:case_close", "get"),
    ("linkworkers:case_close", "post"),
]


@pytest.mark.parametrize(("name", "method"), CASE_URLS)
def test_a_link_worker_of_another_team_gets_404(client, case, other_team_worker, name, method):
    client.force_login(other_team_worker)
    response = getattr(client, method)(reverse(name, args=[case.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), CASE_URLS)
def test_referrers_and_vcse_editors_get_403(client, case, referrer, vcse_editor, name, method):
    for user in (referrer, vcse_editor):
        client.force_login(user)
        assert getattr(client, method)(reverse(name, args=[case.pk])).status_code == 403


@pytest.mark.parametrize(("name", "method"), CASE_URLS)
def test_signed_out_people_are_sent_to_sign_in(client, case, name, method):
    response = getattr(client, method)(reverse(name, args=[case.pk]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign-in" in response["Location"]


def test_the_service_manager_reads_the_case_but_does_not_work_it(client, case, link_worker_service):
    manager = user_with_role(Role.SERVICE_MANAGER, link_worker_service)
    client.force_login(manager)
    page = client.get(reverse("linkworkers:case", args=[case.pk]))
    assert page.status_code == 200
    assert "Record a contact" not in page.content.decode()
