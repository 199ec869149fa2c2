import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from socialrx.core.models import Role
from socialrx.core.permissions import has_role, is_system_admin, organisations_for, role_required


@role_required(Role.TRIAGE_LEAD, Role.SERVICE_MANAGER)
def triage_only(request):
    return HttpResponse("queue")


def _request(user):
    request = RequestFactory().get("/queue/")
    request.user = user
    return request


@pytest.mark.django_db
def test_role_required_admits_any_listed_role(triage_lead, service_manager):
    assert triage_only(_request(triage_lead)).content == b"queue"
    assert triage_only(_request(service_manager)).content == b"queue"


@pytest.mark.django_db
def test_role_required_refuses_other_roles_with_403(referrer):
    with pytest.raises(PermissionDenied):
        triage_only(_request(referrer))


def test_role_required_sends_anonymous_users_to_sign_in():
    response = triage_only(_request(AnonymousUser()))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_organisations_for_lists_only_the_users_own(referrer, practice, other_org_user):
    assert list(organisations_for(referrer, Role.REFERRER)) == [practice]
    assert practice not in organisations_for(other_org_user, Role.REFERRER)
    assert list(organisations_for(referrer, Role.TRIAGE_LEAD)) == []


@pytest.mark.django_db
def test_drf_role_permission(referrer, commissioner):
    permission = has_role(Role.COMMISSIONER)()
    assert permission.has_permission(_request(commissioner), None)
    assert not permission.has_permission(_request(referrer), None)


@pytest.mark.django_db
def test_system_admin_role_or_superuser(system_admin, referrer):
    assert is_system_admin(system_admin)
    assert not is_system_admin(referrer)
    referrer.is_superuser = True
    assert is_system_admin(referrer)
