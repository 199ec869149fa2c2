"""Settings for socialrx.

Every value comes from an environment variable (listed in ``.env.example``) with a
default that is safe for local use: SQLite, a filesystem Celery broker, the console
email backend. With ``DJANGO_DEBUG=false`` the defaults for secrets, hosts and the
database are refused at start, so production cannot run on them by accident.
"""

import base64
import binascii
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from socialrx.envvars import env_bool, env_week_windows, notify_template_ids

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SOCIALRX_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

INSECURE_DEV_SECRET_KEY = "django-insecure-local-development-only-never-in-production"

# Off unless asked for: a bare `docker run` serves production settings (and refuses
# unsafe ones). `make run`, `make test` and the test settings turn it on.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Where emails link to. Unset, it follows the port `make run` serves (PORT=8100 make run).
SITE_URL = env.str("SOCIALRX_SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
# The development-only demo app (seed_demo, generate_synthetic): on with DEBUG unless
# turned off; in production only where asked for (a demonstration site, the bench).
SOCIALRX_DEMO = env_bool("SOCIALRX_DEMO", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Widget templates for FORM_RENDERER below.
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "crispy_forms",
    "django_htmx",
    "django_celery_beat",
    # Sign-in, second factors, sessions and CIS2 single sign-on (ADR 0024).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "oauth2_provider",
    "socialrx.core",
    "directory",
    "referrals",
    "linkworkers",
    "outcomes",
    "interop",
]
if SOCIALRX_DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "socialrx.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "socialrx.core.middleware.ContentSecurityPolicyMiddleware",
    "socialrx.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: both may sign a session out and say why.
    "socialrx.core.middleware.SessionTimeoutMiddleware",
    "socialrx.core.middleware.SecondFactorRequiredMiddleware",
    "socialrx.core.middleware.AdminReauthenticationMiddleware",
    "socialrx.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "socialrx.urls"
WSGI_APPLICATION = "socialrx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialrx.core.context_processors.service",
            ],
        },
    },
]
# Widgets render with the templates above, so templates/ can correct a package's widget
# (templates/admin/widgets/split_datetime.html labels the admin's date and time inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite locally, PostgreSQL (psycopg 3 with Django's connection pool) when
# DATABASE_URL names it. Importing settings creates no folder: scripts/run.sh makes
# VAR_DIR for the SQLite file, socialrx/celery.py the filesystem broker's folders.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
    # With the pool, each connection is checked as it is handed out (one round trip):
    # after a database restart, the pool's dead connections are replaced instead of each
    # failing one request with a 503 (tests/faults/test_database_outage.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("DATABASE_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            # How long a request waits for a connection before the 503 page: while the
            # database is down, every request waits this long.
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
    # PostgreSQL's JIT compiles a query whose estimated cost is high, and a report over
    # a county's history is: compiling took ~1 s of a 1.6 s aggregate (docs/performance.md).
    if not env_bool("DATABASE_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A read replica for reports (socialrx/db_routers.py): only code inside
# replica_reads() reads from it; writes and every other read stay on the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # Checked as handed out, as the primary's: a restarted replica's dead connections go.
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        DATABASES["replica"][key] = DATABASES["default"].get(key, 0)
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # A replica that does not answer is set aside (db_routers.py) after a short wait, not
    # the primary's: reports then read the primary instead of keeping a page waiting.
    DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 3
    if "pool" in DATABASES["replica"]["OPTIONS"]:
        DATABASES["replica"]["OPTIONS"]["pool"] = {
            **DATABASES["replica"]["OPTIONS"]["pool"],
            "timeout": env.int("DATABASE_REPLICA_POOL_TIMEOUT", default=2),
        }
    # Tests read the replica through the default database's connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["socialrx.db_routers.ReportReplicaRouter"]
# How long a process reads reports from the primary after the replica failed.
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "socialrx.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "socialrx",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
# The record audited as "the person" when a page shows someone's name (core names no app).
AUDIT_PERSON_MODEL = "referrals.Person"
# Django's ModelBackend, loading the user's roles in the same query (socialrx/core/backends.py).
# Sessions signed in through another backend are asked to sign in again.
AUTHENTICATION_BACKENDS = ["socialrx.core.backends.UserWithRolesBackend"]
# No composition rules (OWASP ASVS V6.2.5), so not Django's NumericPasswordValidator:
# a long password of digits is as good as any; common and breached ones are refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "socialrx.core.passwords.BreachedPasswordValidator"},
    {"NAME": "socialrx.core.passwords.ContextWordsValidator"},
]
# New passwords are checked against Pwned Passwords' range API (only 5 hex characters of
# the password's SHA-1 are sent). Unreachable within the timeout: the password is accepted
# and a warning logged (ADR 0032). Off, or pointed at a mirror, for sites without internet.
PWNED_PASSWORDS_ENABLED = env_bool("PWNED_PASSWORDS_ENABLED", default=True)
PWNED_PASSWORDS_URL = env.str("PWNED_PASSWORDS_URL", default="https://api.pwnedpasswords.com")
PWNED_PASSWORDS_TIMEOUT = env.float("PWNED_PASSWORDS_TIMEOUT", default=2.0)  # seconds
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # seconds; a reset link is good for three hours

# Signing in: django-allauth (ADR 0024). Email and password, then a second factor that
# every account must have (SecondFactorRequiredMiddleware); no self sign-up: accounts are
# made by administrators, and CIS2 identities are matched to them, never created.
ACCOUNT_ADAPTER = "socialrx.core.signin.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False  # a session ends when the browser closes
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=5 * 60)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_FORMS = {
    "login": "socialrx.core.forms.SignInForm",
    "change_password": "socialrx.core.forms.ChangePasswordForm",
}
MFA_FORMS = {
    "authenticate": "socialrx.core.forms.SecondFactorForm",
    "activate_totp": "socialrx.core.forms.ActivateAuthenticatorAppForm",
}
# Throttling. Failed sign-ins (password and second-factor codes alike) are counted per
# address and per account; an account with SIGNIN_FAILURE_LIMIT failures in
# SIGNIN_LOCKOUT_MINUTES is locked for the rest of that window whatever the password,
# and so is an address with SIGNIN_ADDRESS_FAILURE_LIMIT. Accounts that do not exist are
# counted the same, so the lock says nothing about whether an account exists.
SIGNIN_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=20)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{SIGNIN_ADDRESS_FAILURE_LIMIT}/{SIGNIN_LOCKOUT_MINUTES}m/ip,"
        f"{SIGNIN_FAILURE_LIMIT}/{SIGNIN_LOCKOUT_MINUTES}m/key"
    ),
    # Reset emails: per address and per account (the issue saw 21 sent to one person).
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "change_password": "5/m/user",
    "reauthenticate": "5/5m/user",
    # Any sign-in form post, right or wrong, from one address.
    "login": "30/m/ip",
    # GP systems' OAuth token requests that failed, per address and per client id
    # (interop/oauth.py): a client secret is as guessable as a password.
    "oauth_token_failed": (
        f"{SIGNIN_ADDRESS_FAILURE_LIMIT}/{SIGNIN_LOCKOUT_MINUTES}m/ip,"
        f"{SIGNIN_FAILURE_LIMIT}/{SIGNIN_LOCKOUT_MINUTES}m/key"
    ),
}
MFA_ADAPTER = "socialrx.core.signin.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False  # passkeys are a second factor here, after the password
MFA_TOTP_ISSUER = env.str("SOCIALRX_SERVICE_NAME", default="Social prescribing")
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for phone clocks that drift
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn needs https except on localhost; local development serves http.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
USERSESSIONS_TRACK_ACTIVITY = False
# TOTP secrets and recovery-code seeds are encrypted at rest (socialrx/core/mfa_secrets.py,
# ADR 0032). MFA_ENCRYPTION_KEY encrypts; MFA_ENCRYPTION_OLD_KEYS only decrypt, while
# `manage.py mfa_encrypt_secrets` moves stored secrets to the new key. Required in
# production; with DEBUG a key is derived from SECRET_KEY so `make run` needs none.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="")
MFA_ENCRYPTION_KEYS = [
    MFA_ENCRYPTION_KEY
    or base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{SECRET_KEY}".encode()).digest()).decode(),
    *env.list("MFA_ENCRYPTION_OLD_KEYS", default=[]),
]

# CIS2 (NHS Care Identity Service 2) by OpenID Connect, on when CIS2_ISSUER_URL is set.
CIS2_ISSUER_URL = env.str("CIS2_ISSUER_URL", default="")
CIS2_CLIENT_ID = env.str("CIS2_CLIENT_ID", default="")
CIS2_CLIENT_SECRET = env.str("CIS2_CLIENT_SECRET", default="")
CIS2_SCOPES = env.list("CIS2_SCOPES", default=["openid", "email", "profile"])
SOCIALACCOUNT_ADAPTER = "socialrx.core.signin.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching is ours: socialrx/core/signin.py
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}
if CIS2_ISSUER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "cis2",
                "name": "NHS Care Identity Service 2",
                "client_id": CIS2_CLIENT_ID,
                "secret": CIS2_CLIENT_SECRET,
                "settings": {
                    "server_url": CIS2_ISSUER_URL,
                    "token_auth_method": "client_secret_post",
                    "scope": CIS2_SCOPES,
                    # CIS2 checks the person again at every sign-in here, rather than
                    # reusing its own live session (ASVS V7.6.1, ADR 0032).
                    "auth_params": {"prompt": "login"},
                },
            }
        ],
    }

# Sessions. Idle: signed out after SESSION_IDLE_TIMEOUT seconds without a request, warned
# SESSION_IDLE_WARNING seconds before (static/js/session-timeout.js). Absolute: signed out
# SESSION_COOKIE_AGE seconds after signing in, however busy.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 10)  # a working day
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The Django admin asks for the password (or a second factor) again after this long.
ADMIN_REAUTHENTICATION_SECONDS = env.int("ADMIN_REAUTHENTICATION_SECONDS", default=15 * 60)
# With Redis, sessions are read from the cache and written through to the database, so
# a Redis restart signs nobody out; saves a query on every signed-in page. Not with the
# per-process memory cache: a sign-out in one worker would not reach the others.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Filled by collectstatic (the image build, ci_runtime_check.sh). WhiteNoise reads it at
# start in production; with DEBUG it finds files on each request, so `make run` needs none.
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="socialrx <no-reply@socialrx.example>")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds a worker waits on the mail server before giving up (Django's default: forever).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Only read by the file-based backend (the integration tests point the worker at it).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "email"))

# Where notifications go (ADR 0022): "smtp", email only, through EMAIL_BACKEND; or
# "notify", GOV.UK Notify's API, for email, text messages and letters. Notify needs the
# API key and a JSON file naming each message's Notify template id, keyed
# "<message>.<channel>.<language>" ("referral_received.sms.pl") plus "staff_email" (a
# template of ((subject)) and ((body)) for staff emails). The words of every message,
# in every language we have, are in NOTIFICATION_MESSAGES_DIR (templates/messages/).
NOTIFICATION_BACKEND = env.str("NOTIFICATION_BACKEND", default="smtp")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# Seconds a worker waits on Notify before giving up (and retrying later).
NOTIFY_TIMEOUT = env.int("NOTIFY_TIMEOUT", default=10)
NOTIFY_TEMPLATES_FILE = env.str("NOTIFY_TEMPLATES_FILE", default="")
NOTIFY_TEMPLATE_IDS = notify_template_ids(NOTIFY_TEMPLATES_FILE)
NOTIFICATION_MESSAGES_DIR = BASE_DIR / "templates" / "messages"
# Write in a language whose file no qualified translator has reviewed (``reviewed =
# false``)? On in development and the demo; in production English with the interpreter
# line goes instead, until a reviewer signs the file off.
NOTIFICATION_UNREVIEWED_TRANSLATIONS = env_bool(
    "NOTIFICATION_UNREVIEWED_TRANSLATIONS", default=DEBUG
)
# Delivery receipts (ADR 0026). Notify posts each message's fate to our callback URLs
# with "Authorization: Bearer <this token>", set alike here and in Notify's API
# integration page; unset, the callbacks are refused. Where no callback is configured
# (or one was lost), a periodic task asks Notify about messages still without a final
# status this many hours after sending, until Notify forgets them (it keeps 7 days).
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_RECEIPT_CHECK_AFTER_HOURS = env.int("NOTIFY_RECEIPT_CHECK_AFTER_HOURS", default=6)
NOTIFY_RECEIPT_MAX_AGE_DAYS = env.int("NOTIFY_RECEIPT_MAX_AGE_DAYS", default=7)
if NOTIFY_CALLBACK_TOKEN and len(NOTIFY_CALLBACK_TOKEN) < 10:
    # Notify itself asks for at least 10 characters; a guessable token lets anyone
    # mark a person's number as dead.
    raise ImproperlyConfigured("NOTIFY_CALLBACK_TOKEN must be at least 10 characters")
if NOTIFICATION_BACKEND not in ("smtp", "notify"):
    raise ImproperlyConfigured(f"NOTIFICATION_BACKEND={NOTIFICATION_BACKEND!r}: use smtp or notify")
if NOTIFICATION_BACKEND == "notify" and not (NOTIFY_API_KEY and NOTIFY_TEMPLATE_IDS):
    raise ImproperlyConfigured(
        "NOTIFICATION_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATES_FILE"
    )

# Celery: the filesystem broker needs no server, so a fresh machine runs a real worker
# and beat; Redis takes over when REDIS_URL is set.
CELERY_DATA_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
# Hard time limits: every task's, and report generation's (outcomes/tasks.py), as a
# yearly report over a county takes minutes. The sweeps count a task still "sending" or
# "running" after its limit as interrupted. tests/test_celery_settings.py fails if a
# registered task declares a longer limit than TASKS_LONGEST_TIME_LIMIT.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 60)
OUTCOMES_REPORT_TIME_LIMIT = env.int("OUTCOMES_REPORT_TIME_LIMIT", default=16 * 60)
TASKS_LONGEST_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT, OUTCOMES_REPORT_TIME_LIMIT)
# The longest a retry waits (retry_backoff_max on the tasks); Redis also counts that wait.
TASKS_LONGEST_RETRY_DELAY = 10 * 60
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # One folder for in and out: the worker reads what the web process writes.
        "data_folder_in": str(CELERY_DATA_DIR / "out"),
        "data_folder_out": str(CELERY_DATA_DIR / "out"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis hands a task that was taken but not acknowledged to another worker after
        # this many seconds (acks_late: a task is acknowledged when it ends). Longer than
        # any task may run or a retry may wait, so a slow task is never run twice; short
        # enough that a killed worker's task is picked up again without waiting the
        # default hour. A minute's margin for the worker's own start and stop.
        "visibility_timeout": max(TASKS_LONGEST_TIME_LIMIT, TASKS_LONGEST_RETRY_DELAY) + 60,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=5 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=300)
# How often report runs and scheduled reports whose broker message was lost (or whose
# worker died) are found again; also how long a queued run waits before it counts as lost.
REPORTS_SWEEP_SECONDS = env.int("REPORTS_SWEEP_SECONDS", default=300)

# How long each kind of record is kept, in days, before the nightly retention job deletes
# or anonymises it (socialrx/core/data_protection; the IG lead's page shows the schedule).
# Defaults follow the NHS Records Management Code of Practice 2023 for adult health and
# care records: 8 years after the episode ends. Each can be set from the environment
# (RETENTION_DAYS_<KEY>, upper case) once the organisation's own policy is agreed.
_YEAR = 365
RETENTION_SCHEDULE = {
    key: env.int(f"RETENTION_DAYS_{key.upper()}", default=days)
    for key, days in {
        # A closed case and everything recorded in it (contacts, assessments, plan,
        # connections, measures, message back), its referral and history: 8 years
        # after the case closed.
        "closed_case": 8 * _YEAR,
        # A referral that never became a case (declined, withdrawn, or closed at
        # triage) and its history: 2 years after it last changed.
        "referral_without_case": 2 * _YEAR,
        # A person with no referral left: removed once the last referral has gone
        # (the clock is their record's last change).
        "person_without_referral": 2 * _YEAR,
        # Who viewed or changed what: 8 years, as long as the records it protects.
        "audit_event": 8 * _YEAR,
        # Emails sent (bodies are already cleared when sent): 1 year.
        "notification": 1 * _YEAR,
    }.items()
}

# Every periodic task, in one place. django-celery-beat copies these into its tables
# at start, where administrators can pause them.
CELERY_BEAT_SCHEDULE = {
    # 02:30 every night, when no one is working: records past their retention period
    # (RETENTION_SCHEDULE) are deleted or anonymised and the counts kept in a
    # RetentionRun. A second run the same night finds nothing left to do.
    "core-retention-apply": {
        "task": "socialrx.core.tasks.retention_apply_task",
        "schedule": crontab(minute=30, hour=2),
    },
    # Email that failed or was never picked up (a worker was down) is sent again.
    "notifications-send-pending": {
        "task": "socialrx.core.tasks.notifications_send_pending_task",
        "schedule": timedelta(seconds=NOTIFICATION_RETRY_SECONDS),
    },
    # Messages GOV.UK Notify accepted hours ago with no receipt yet (no callback set up,
    # or one lost): ask Notify what became of them, a batch an hour. A receipt is
    # recorded once, however often this runs; nothing to ask without NOTIFY_API_KEY.
    "notifications-check-delivery": {
        "task": "socialrx.core.tasks.notifications_check_delivery_task",
        "schedule": crontab(minute=40),
    },
    # Report runs and scheduled reports the broker lost or a dead worker left running are
    # queued again; each still makes one file (and one email), however often this runs.
    "outcomes-reports-recover": {
        "task": "outcomes.tasks.reports_recover_task",
        "schedule": timedelta(seconds=REPORTS_SWEEP_SECONDS),
    },
    # Mondays 07:30: one email per VCSE editor whose listings go stale within two weeks
    # or whose capacity is over 30 days old. Once per editor per week, however often run.
    "directory-listing-reminders": {
        "task": "directory.tasks.listing_reminders_send_task",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Referral reminders count working days, so they are checked hourly through the
    # working day: a referral that crosses its threshold is flagged while someone can act.
    # Each alert is sent once per referral per reason, however often these run.
    "referrals-alert-untriaged": {
        "task": "referrals.tasks.referral_alerts_untriaged_task",
        "schedule": crontab(minute=5, hour="8-17", day_of_week="mon-fri"),
    },
    "referrals-alert-no-first-contact": {
        "task": "referrals.tasks.referral_alerts_no_first_contact_task",
        "schedule": crontab(minute=10, hour="8-17", day_of_week="mon-fri"),
    },
    # Referrals nobody accepted by the deadline are declined and the referrer told, early
    # each morning (weekends too: the deadline is in calendar days).
    "referrals-decline-expired": {
        "task": "referrals.tasks.referrals_decline_expired_task",
        "schedule": crontab(minute=0, hour=7),
    },
    # 07:00 each working day: one email per link worker with counts and a link (first
    # contacts overdue, reviews due this week, quiet connections). Once a day per worker,
    # however often it runs.
    "linkworkers-daily-digest": {
        "task": "linkworkers.tasks.linkworker_digests_send_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon-fri"),
    },
    # Onward connections count working days, so these run on weekday mornings: first the
    # ones unanswered too long go back to their link workers as "no response" (each told
    # in one email), then each service editor gets one email listing what still waits for
    # them at day 5. Each connection is moved, and nudged, once, however often these run.
    "linkworkers-connections-no-response": {
        "task": "linkworkers.tasks_connections.connections_no_response_mark_task",
        "schedule": crontab(minute=15, hour=7, day_of_week="mon-fri"),
    },
    "linkworkers-connection-nudges": {
        "task": "linkworkers.tasks_connections.connection_nudges_send_task",
        "schedule": crontab(minute=30, hour=9, day_of_week="mon-fri"),
    },
}

REST_FRAMEWORK = {
    # Personal API tokens (Bearer, or Token for older clients) first, so an
    # unauthenticated call gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "socialrx.core.api_tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "socialrx.core.api.exception_handler",
    # JSON nested thousands deep would crash Python's parser (a 500): refused with a 400.
    "DEFAULT_PARSER_CLASSES": [
        "socialrx.core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# OAuth 2.0 for GP systems (interop): client credentials only; tokens last an hour.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "servicerequest.write": "Send referrals and withdraw them",
        "servicerequest.read": "Read and search the practice's referrals",
        "task.read": "Follow referrals: read and search their Tasks",
        "message.read": "Read and search messages back to the practice",
    },
    "DEFAULT_SCOPES": ["servicerequest.read", "task.read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "PKCE_REQUIRED": True,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored hashed, only in the
    # Authorization header, no implicit or password grants, https redirects only.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
}
# Named so migrations can depend on it (it is swappable); the toolkit's own model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# How deeply a JSON body may nest; real requests, FHIR Bundles included, stay below 20.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)
# The FHIR interface's limits: a referral Bundle is a few kilobytes, its longest free text a
# few paragraphs. A GP system's launch link is signed with a timestamp and expires.
FHIR_MAX_BODY_BYTES = env.int("FHIR_MAX_BODY_BYTES", default=1_000_000)
FHIR_MAX_STRING_LENGTH = env.int("FHIR_MAX_STRING_LENGTH", default=10_000)
GP_LAUNCH_MAX_AGE_MINUTES = env.int("GP_LAUNCH_MAX_AGE_MINUTES", default=5)
SPECTACULAR_SETTINGS = {
    "TITLE": "socialrx API",
    "DESCRIPTION": "Referrals, triage and outcomes for a county social prescribing service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The enum hook is spectacular's default; ours documents the one error shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "socialrx.core.api_schema.document_errors",
    ],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"

# Personal API tokens: a new one works this many days; an address that sends this many
# wrong tokens within the window (seconds) is refused with 429 until the window ends.
API_TOKEN_EXPIRY_DAYS = env.int("API_TOKEN_EXPIRY_DAYS", default=90)
API_TOKEN_FAILURE_LIMIT = env.int("API_TOKEN_FAILURE_LIMIT", default=10)
API_TOKEN_FAILURE_WINDOW_SECONDS = env.int("API_TOKEN_FAILURE_WINDOW_SECONDS", default=300)

# How many reverse proxies we run in front of the app. Each appends the address it saw
# to X-Forwarded-For, so only the last N entries are trustworthy; with 0 the header is
# ignored and the socket address is the client (a client can forge the header).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Domain settings.
REFERRALS_SELF_REFERRAL_LIMIT_PER_HOUR = env.int(
    "REFERRALS_SELF_REFERRAL_LIMIT_PER_HOUR", default=10
)
# Referral deadlines: triage alert and first-contact alert in working days (Monday to
# Friday less bank holidays: socialrx.core.working_days), automatic decline of a referral
# no one accepted in calendar days (moved to the next working day if it falls off one).
REFERRALS_TRIAGE_ALERT_WORKING_DAYS = env.int("REFERRALS_TRIAGE_ALERT_WORKING_DAYS", default=2)
REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS = env.int(
    "REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS", default=5
)
REFERRALS_AUTO_DECLINE_DAYS = env.int("REFERRALS_AUTO_DECLINE_DAYS", default=14)
LINK_WORKER_DEFAULT_TARGET_CASELOAD = env.int("LINK_WORKER_DEFAULT_TARGET_CASELOAD", default=200)
# Casework: closing a case as "unable to contact" needs this many unsuccessful attempts
# since the last conversation, the first and last at least the second number of days
# apart, by at least the third number of different methods or times of day (morning,
# afternoon, evening); otherwise the link worker gives a reason, which is reported.
LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS = env.int(
    "LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS", default=3
)
LINKWORKERS_UNABLE_TO_CONTACT_DAYS = env.int("LINKWORKERS_UNABLE_TO_CONTACT_DAYS", default=10)
LINKWORKERS_UNABLE_TO_CONTACT_VARIETY = env.int("LINKWORKERS_UNABLE_TO_CONTACT_VARIETY", default=2)
# Onward connections: the receiving service's editors get one reminder this many working
# days after a connection is sent unanswered; at the second number it goes back to the
# link worker as "no response" (never declined automatically).
CONNECTIONS_NUDGE_WORKING_DAYS = env.int("CONNECTIONS_NUDGE_WORKING_DAYS", default=5)
CONNECTIONS_NO_RESPONSE_WORKING_DAYS = env.int("CONNECTIONS_NO_RESPONSE_WORKING_DAYS", default=10)
SERVICE_NAME = env.str("SOCIALRX_SERVICE_NAME", default="Social prescribing")
# Outcome measures: when each is recorded. A baseline within this many days of the first
# contact; each follow-up (weeks after the baseline) within its window of weeks after the
# baseline, "12=10-16" being the 12-week follow-up recorded 10 to 16 weeks after it. A
# record outside its window needs a reason and is never a payable outcome. The follow-ups
# are the windows' weeks, so the two cannot disagree.
OUTCOMES_BASELINE_WINDOW_DAYS = env.int("OUTCOMES_BASELINE_WINDOW_DAYS", default=14)
OUTCOMES_FOLLOW_UP_WINDOWS = env_week_windows(
    "OUTCOMES_FOLLOW_UP_WINDOWS", default="12=10-16,26=22-30"
)
OUTCOMES_FOLLOW_UP_WEEKS = sorted(OUTCOMES_FOLLOW_UP_WINDOWS)
# The SWEMWBS metric change counted as a meaningful improvement (stated on every report
# that uses it); reports over more days than this run in Celery.
OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE = env.float("OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE", default=3.0)
OUTCOMES_LARGE_REPORT_DAYS = env.int("OUTCOMES_LARGE_REPORT_DAYS", default=366)

# Security. Production values are the defaults whenever DEBUG is off.
# X-Forwarded-Proto says the request came over https only when a proxy of ours set it:
# without one, any client could send it and be treated as secure.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Health probes (compose, a load balancer) speak plain http from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "socialrx.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each layout step at INFO (weasyprint.progress): noise in every log.
        "weasyprint": {"level": "WARNING"},
    },
}


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _refuse_unsafe_production() -> None:
    """Stop the process when DEBUG is off and a local default would be used."""
    problems = []
    if SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("DJANGO_SECRET_KEY must be set to a random value of 50+ characters")
    if not _is_fernet_key(MFA_ENCRYPTION_KEY):
        problems.append(
            "MFA_ENCRYPTION_KEY must be set to a Fernet key (32 random bytes, URL-safe base64)"
        )
    if not env.str("DJANGO_ALLOWED_HOSTS", default=""):
        problems.append("DJANGO_ALLOWED_HOSTS must name the hosts this site is served on")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append("DATABASE_URL must point at PostgreSQL, not SQLite")
    if problems:
        raise ImproperlyConfigured(
            "Unsafe production settings: "
            + "; ".join(problems)
            + ". On a development machine set DJANGO_DEBUG=true (make run and make test do)."
        )


if not DEBUG:
    _refuse_unsafe_production()
