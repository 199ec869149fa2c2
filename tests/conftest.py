"""Role fixtures used across the suite: one user per role, plus an outsider.

Everyone but ``other_org_user`` works in the same small world: a PCN with a practice,
a link worker service with a team, a VCSE organisation, a council and an ICB.
"""

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory

from socialrx.celery import app as celery_app
from socialrx.core.models import Organisation, OrganisationType, Profession, Role, User
from tests.factories import MembershipFactory, OrganisationFactory, user_with_role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # noqa: PT004
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_as_in_production(settings):  # noqa: PT004
    """Sessions read through the cache, as with Redis, so that the pages' query counts
    are the same on the embedded default and on the production stack. One test process
    shares its memory cache, so a sign-out reaches every later request."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _empty_cache():  # noqa: PT004
    """Counters such as rate limits must not leak between tests (Redis outlives them)."""
    cache.clear()
    yield
    cache.clear()


def record_second_factor(client: Client, user: User) -> None:
    """Record in the client's session that its sign-in included a second factor.

    This is what allauth's second-factor step writes when a code is accepted (its
    ``record_authentication``, called here with the session and user), and all that
    SecondFactorRequiredMiddleware reads. It adds no authenticator to the user: tests of
    the second-factor step itself sign in through the real forms (tests/core/test_signin*).
    """
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture(autouse=True)
def _signed_in_with_second_factor(request, monkeypatch):  # noqa: PT004
    """``client.force_login`` and ``client.login`` sign in as a user who also gave their
    second factor, so tests of pages need not repeat the sign-in journey. Tests marked
    ``password_only`` get Django's plain versions: a session with the password step only.
    """
    if request.node.get_closest_marker("password_only"):
        return
    force_login, login = Client.force_login, Client.login

    def _force_login(self: Client, user: User, backend: str | None = None) -> None:
        force_login(self, user, backend)
        record_second_factor(self, user)

    def _login(self: Client, **credentials: object) -> bool:
        signed_in = login(self, **credentials)
        if signed_in:
            record_second_factor(self, User.objects.get(pk=self.session["_auth_user_id"]))
        return signed_in

    monkeypatch.setattr(Client, "force_login", _force_login)
    monkeypatch.setattr(Client, "login", _login)


@pytest.fixture(autouse=True)
def _celery_eager(request):  # noqa: PT004
    """Tasks run in-process, except in integration, fault and scale tests: real workers."""
    if any(request.node.get_closest_marker(name) for name in ("integration", "faults", "scale")):
        yield
        return
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def pcn(db) -> Organisation:
    return OrganisationFactory(name="Test Central PCN", org_type=OrganisationType.PCN)


@pytest.fixture
def practice(pcn) -> Organisation:
    return OrganisationFactory(
        name="Test Surgery", org_type=OrganisationType.GP_PRACTICE, parent=pcn, ods_code="Y99001"
    )


@pytest.fixture
def link_worker_service(db) -> Organisation:
    return OrganisationFactory(name="Test Connect", org_type=OrganisationType.LINK_WORKER_SERVICE)


@pytest.fixture
def link_worker_team(link_worker_service) -> Organisation:
    return OrganisationFactory(
        name="Test Connect team",
        org_type=OrganisationType.LINK_WORKER_TEAM,
        parent=link_worker_service,
    )


@pytest.fixture
def vcse_org(db) -> Organisation:
    return OrganisationFactory(name="Test Befrienders", org_type=OrganisationType.VCSE)


@pytest.fixture
def council(db) -> Organisation:
    return OrganisationFactory(name="Test County Council", org_type=OrganisationType.COUNCIL)


@pytest.fixture
def icb(db) -> Organisation:
    return OrganisationFactory(name="Test ICB", org_type=OrganisationType.ICB)


@pytest.fixture
def referrer(practice) -> User:
    return user_with_role(Role.REFERRER, practice, profession=Profession.GP)


@pytest.fixture
def link_worker(link_worker_team) -> User:
    return user_with_role(Role.LINK_WORKER, link_worker_team, target_caseload=200)


@pytest.fixture
def triage_lead(link_worker_service) -> User:
    return user_with_role(Role.TRIAGE_LEAD, link_worker_service)


@pytest.fixture
def vcse_editor(vcse_org) -> User:
    return user_with_role(Role.VCSE_EDITOR, vcse_org)


@pytest.fixture
def directory_admin(council) -> User:
    return user_with_role(Role.DIRECTORY_ADMIN, council)


@pytest.fixture
def commissioner(icb) -> User:
    return user_with_role(Role.COMMISSIONER, icb)


@pytest.fixture
def service_manager(link_worker_service) -> User:
    return user_with_role(Role.SERVICE_MANAGER, link_worker_service)


@pytest.fixture
def system_admin(council) -> User:
    return user_with_role(Role.SYSTEM_ADMIN, council)


@pytest.fixture
def other_org_user(db) -> User:
    """Holds every role, but in organisations of its own: sees nothing of the others."""
    other_practice = OrganisationFactory(name="Elsewhere Surgery")
    user = user_with_role(Role.REFERRER, other_practice)
    for role in (Role.LINK_WORKER, Role.TRIAGE_LEAD, Role.VCSE_EDITOR, Role.SERVICE_MANAGER):
        MembershipFactory(user=user, role=role, organisation=OrganisationFactory())
    return user


@pytest.fixture
def user_without_roles(db) -> User:
    return User.objects.create_user("nobody@test.example", "x", full_name="No Roles")


@pytest.fixture
def notify(settings):
    """GOV.UK Notify as the notification backend, answered by a local server that speaks
    its API (tests/notify_fake.py), with a template for each of our messages."""
    from tests import notify_fake

    ids, known = notify_fake.templates_from_catalogue()
    for fake in notify_fake.serve():
        fake.templates = known
        settings.NOTIFICATION_BACKEND = "notify"
        settings.NOTIFY_API_KEY = notify_fake.API_KEY
        settings.NOTIFY_BASE_URL = fake.url
        settings.NOTIFY_TEMPLATE_IDS = ids
        yield fake
