# The production environment make bench and make bench-budget run in, sourced by
# bench/run.sh and bench/budget/run.sh. Every variable can be overridden from the
# environment. See docs/performance.md.
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialrx_bench}"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
# Second-factor secrets are encrypted with it; fixed, so a fixture made by one run is read
# by the next (a benchmark's throwaway data, never a real key).
export MFA_ENCRYPTION_KEY="${MFA_ENCRYPTION_KEY:-YmVuY2gtZml4dHVyZS1vbmx5LW5vdC1hLXNlY3JldCE=}"
# testserver: the test client that counts each endpoint's queries.
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
# Plain http on 127.0.0.1: no redirect to https, cookies not marked Secure-only.
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_SESSION_COOKIE_SECURE=false
export DJANGO_CSRF_COOKIE_SECURE=false
# Production settings plus the yardstick views and the synthetic data generator.
export DJANGO_SETTINGS_MODULE=bench.settings
export LOG_LEVEL=WARNING
# Redis as in production (cache and broker), on a database number of the bench's own.
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}"
fi
