import pytest
from django.core.management import CommandError, call_command

from demo.seeds.core import DEMO_PASSWORD
from socialrx.core.models import Membership, Organisation, OrganisationType, Role, User

DEMO_ROLES = {
    "gp": Role.REFERRER,
    "triage": Role.TRIAGE_LEAD,
    "linkworker": Role.LINK_WORKER,
    "vcse": Role.VCSE_EDITOR,
    "directory": Role.DIRECTORY_ADMIN,
    "commissioner": Role.COMMISSIONER,
    "manager": Role.SERVICE_MANAGER,
    "admin": Role.SYSTEM_ADMIN,
}


@pytest.mark.django_db
def test_seed_demo_builds_northshire_with_one_login_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    for local, role in DEMO_ROLES.items():
        user = User.objects.get(email=f"{local}@northshire.example")
        assert user.check_password(DEMO_PASSWORD)
        assert role in user.roles
    assert Organisation.objects.of_type(OrganisationType.PCN).count() == 2
    practices = Organisation.objects.of_type(OrganisationType.GP_PRACTICE)
    assert practices.count() == 6
    assert all(p.parent.org_type == OrganisationType.PCN for p in practices)
    assert Organisation.objects.of_type(OrganisationType.VCSE).count() >= 12
    assert Organisation.objects.of_type(OrganisationType.LINK_WORKER_TEAM).count() == 2


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == before


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="admin@northshire.example").exists()
