"""Production refuses unsafe settings at start; safe ones pass Django's deploy checks.

Settings are read once per process, so each case starts a fresh ``manage.py`` with its
own environment.
"""

import re

import pytest

from tests.helpers.manage_py import BASE_DIR, SAFE, run_manage_py

SECRET_PROBLEM = "DJANGO_SECRET_KEY must be set to a random value of 50+ characters"
HOSTS_PROBLEM = "DJANGO_ALLOWED_HOSTS must name the hosts this site is served on"
DATABASE_PROBLEM = "DATABASE_URL must point at PostgreSQL, not SQLite"
MFA_KEY_PROBLEM = "MFA_ENCRYPTION_KEY must be set to a Fernet key"


@pytest.mark.parametrize(
    ("unset", "env", "problem"),
    [
        pytest.param(("DJANGO_SECRET_KEY",), {}, SECRET_PROBLEM, id="secret-key-missing"),
        pytest.param((), {"DJANGO_SECRET_KEY": "x" * 49}, SECRET_PROBLEM, id="secret-key-short"),
        pytest.param(("DJANGO_ALLOWED_HOSTS",), {}, HOSTS_PROBLEM, id="allowed-hosts-missing"),
        pytest.param(("MFA_ENCRYPTION_KEY",), {}, MFA_KEY_PROBLEM, id="mfa-key-missing"),
        pytest.param((), {"MFA_ENCRYPTION_KEY": "x" * 44}, MFA_KEY_PROBLEM, id="mfa-key-bad"),
        pytest.param(("DATABASE_URL",), {}, DATABASE_PROBLEM, id="database-url-missing"),
        pytest.param(
            (), {"DATABASE_URL": "sqlite:////tmp/db.sqlite3"}, DATABASE_PROBLEM, id="sqlite"
        ),
    ],
)
def test_production_refuses_each_unsafe_setting(tmp_path, unset, env, problem):
    result = run_manage_py(tmp_path, "check", unset=unset, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Unsafe production settings" in result.stderr
    assert problem in result.stderr
    others = {SECRET_PROBLEM, HOSTS_PROBLEM, DATABASE_PROBLEM, MFA_KEY_PROBLEM} - {problem}
    assert not [other for other in others if other in result.stderr], "only the unsafe one"


def test_production_names_every_problem_at_once(tmp_path):
    result = run_manage_py(
        tmp_path,
        "check",
        DJANGO_SECRET_KEY="too-short",
        DJANGO_ALLOWED_HOSTS="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode != 0
    for problem in (SECRET_PROBLEM, HOSTS_PROBLEM, DATABASE_PROBLEM):
        assert problem in result.stderr


def test_safe_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_manage_py(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_example_lists_every_variable_settings_reads():
    source = (BASE_DIR / "socialrx" / "settings.py").read_text()
    read = set(re.findall(r"""\benv\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    read |= set(re.findall(r"""Env\(\)\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    read |= set(re.findall(r"""\benv_bool\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    example = (BASE_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))

    assert read, "the pattern should find the variables settings.py reads"
    assert sorted(read - listed) == [], "add these to .env.example, each with a comment"


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        pytest.param("redis://127.0.0.1:6379/0", "cached_db", id="with-redis"),
        # A memory cache is per process: a sign-out in one worker would not reach another.
        pytest.param("", "db", id="without-redis"),
    ],
)
def test_sessions_go_through_the_cache_only_when_it_is_shared(tmp_path, redis_url, engine):
    result = run_manage_py(
        tmp_path, "shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)",
        REDIS_URL=redis_url,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == f"django.contrib.sessions.backends.{engine}"


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        pytest.param({"PORT": "8100"}, "http://127.0.0.1:8100", id="follows-port"),
        pytest.param({}, "http://127.0.0.1:8000", id="default-port"),
        pytest.param(
            {"PORT": "8100", "SOCIALRX_SITE_URL": "https://sp.example/"},
            "https://sp.example",
            id="site-url-wins",
        ),
    ],
)
def test_email_links_name_the_port_make_run_serves(tmp_path, env, site_url):
    # scripts/run.sh exports PORT to the web process and the worker alike.
    result = run_manage_py(
        tmp_path, "shell", "-c",
        "from socialrx.core.links import absolute_url; print(absolute_url('/referrals/1/'))",
        unset=("SOCIALRX_SITE_URL", "PORT"), DJANGO_DEBUG="true", **env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == f"{site_url}/referrals/1/"


def test_run_script_exports_the_port_it_serves():
    script = (BASE_DIR / "scripts" / "run.sh").read_text()
    assert "export PORT=" in script
    assert 'runserver "$HOST:$PORT"' in script


def test_a_misspelt_yes_no_setting_stops_the_process_naming_it(tmp_path):
    # django-environ read "ture" as false: HTTPS redirects would have been off silently.
    result = run_manage_py(tmp_path, "check", DJANGO_SECURE_SSL_REDIRECT="ture")

    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT='ture' is not a yes/no value" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    result = run_manage_py(
        tmp_path, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        unset=("DJANGO_DEBUG",),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


def test_development_settings_without_debug_say_how_to_turn_it_on(tmp_path):
    result = run_manage_py(tmp_path, "check", unset=("DJANGO_DEBUG", *SAFE))

    assert result.returncode != 0
    assert "On a development machine set DJANGO_DEBUG=true" in result.stderr


def test_importing_settings_creates_no_folder(tmp_path):
    var_dir = tmp_path / "var"

    result = run_manage_py(tmp_path, "check", DJANGO_DEBUG="true", SOCIALRX_VAR_DIR=str(var_dir))

    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()


def test_the_filesystem_broker_folders_are_made_when_celery_is_first_used(tmp_path):
    var_dir = tmp_path / "var"

    result = run_manage_py(
        tmp_path, "shell", "-c", "from socialrx.celery import app; print(app.conf.broker_url)",
        DJANGO_DEBUG="true", SOCIALRX_VAR_DIR=str(var_dir),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert (var_dir / "celery" / "out").is_dir()
    assert (var_dir / "celery" / "processed").is_dir()


IS_SECURE = (
    "from django.test import RequestFactory; "
    "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
)


@pytest.mark.parametrize(
    ("proxies", "secure"),
    [
        # With no proxy of ours in front, the header is the client's word, not ours.
        pytest.param({}, "False", id="no-trusted-proxy"),
        pytest.param({"TRUSTED_PROXY_COUNT": "0"}, "False", id="zero-proxies"),
        pytest.param({"TRUSTED_PROXY_COUNT": "1"}, "True", id="behind-one-proxy"),
    ],
)
def test_forwarded_proto_counts_only_behind_a_trusted_proxy(tmp_path, proxies, secure):
    result = run_manage_py(tmp_path, "shell", "-c", IS_SECURE, **proxies)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == secure
