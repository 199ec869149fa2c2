import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from socialrx.core.models import Membership, OrganisationType, Role, User
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Jo.Bloggs@Test.Example", "pw-long-enough", full_name="Jo")
    assert user.email == "jo.bloggs@test.example"
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
def test_a_user_can_hold_several_roles_in_several_organisations(referrer, vcse_org):
    MembershipFactory(user=referrer, organisation=vcse_org, role=Role.VCSE_EDITOR)
    fresh = User.objects.get(pk=referrer.pk)
    assert fresh.roles == {Role.REFERRER, Role.VCSE_EDITOR}
    assert fresh.organisations_with_role(Role.VCSE_EDITOR) == [vcse_org]


@pytest.mark.django_db
def test_inactive_membership_or_organisation_gives_no_role(referrer, practice):
    practice.is_active = False
    practice.save()
    assert User.objects.get(pk=referrer.pk).roles == set()


@pytest.mark.django_db
def test_the_same_role_twice_in_one_organisation_is_refused(referrer, practice):
    with pytest.raises(IntegrityError):
        MembershipFactory(user=referrer, organisation=practice, role=Role.REFERRER)


@pytest.mark.django_db
def test_only_link_workers_carry_a_target_caseload(practice):
    with pytest.raises(IntegrityError):
        MembershipFactory(organisation=practice, role=Role.REFERRER, target_caseload=100)


@pytest.mark.django_db
def test_link_worker_without_own_target_uses_the_configured_default(settings, link_worker_team):
    settings.LINK_WORKER_DEFAULT_TARGET_CASELOAD = 180
    membership = MembershipFactory(organisation=link_worker_team, role=Role.LINK_WORKER)
    assert membership.effective_target_caseload == 180
    membership.target_caseload = 120  # part-time, pro rata
    assert membership.effective_target_caseload == 120


@pytest.mark.django_db
def test_referrer_membership_has_no_caseload():
    membership = Membership(role=Role.REFERRER)
    assert membership.effective_target_caseload is None


@pytest.mark.django_db
def test_practice_must_belong_to_a_pcn(pcn, vcse_org):
    good = OrganisationFactory.build(org_type=OrganisationType.GP_PRACTICE, parent=pcn)
    good.clean()
    bad = OrganisationFactory.build(org_type=OrganisationType.GP_PRACTICE, parent=vcse_org)
    with pytest.raises(ValidationError, match="cannot belong to a vcse organisation"):
        bad.clean()


@pytest.mark.django_db
def test_ods_codes_are_unique_but_may_be_blank():
    OrganisationFactory(ods_code="")
    OrganisationFactory(ods_code="")
    OrganisationFactory(ods_code="Y12345")
    with pytest.raises(IntegrityError):
        OrganisationFactory(ods_code="Y12345")


@pytest.mark.django_db
def test_holders_of_a_role_are_listed_by_organisation(practice, vcse_org, other_org_user):
    # Given editors of two organisations, one inactive editor and a user of another role
    other = OrganisationFactory(name="Other Befrienders", org_type=OrganisationType.VCSE)
    zed = MembershipFactory(
        user__email="zed@test.example", organisation=vcse_org, role=Role.VCSE_EDITOR
    )
    amy = MembershipFactory(
        user__email="amy@test.example", organisation=vcse_org, role=Role.VCSE_EDITOR
    )
    bob = MembershipFactory(
        user__email="bob@test.example", organisation=other, role=Role.VCSE_EDITOR
    )
    MembershipFactory(organisation=vcse_org, role=Role.VCSE_EDITOR, is_active=False)
    MembershipFactory(organisation=vcse_org, role=Role.REFERRER)

    holders = Membership.objects.holders_by_organisation(Role.VCSE_EDITOR, [vcse_org.pk, other.pk])

    # Then each organisation lists its active editors, in email order, and only those asked
    assert holders == {vcse_org.pk: [amy.user, zed.user], other.pk: [bob.user]}
    assert Membership.objects.holders_by_organisation(Role.VCSE_EDITOR, [practice.pk]) == {}
