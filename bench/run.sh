#!/usr/bin/env bash
# make bench: production settings against a PostgreSQL database of the bench's own.
# Every variable can be overridden from the environment. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package) for load generation..."
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo -n)
  # A new machine's package lists may be empty or old: read them first.
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends wrk
fi

export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialrx_bench}"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
# testserver: the test client that counts each endpoint's queries.
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
# Plain http on 127.0.0.1: no redirect to https, cookies not marked Secure-only.
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_SESSION_COOKIE_SECURE=false
export DJANGO_CSRF_COOKIE_SECURE=false
# Production settings plus the bare view and the synthetic data generator.
export DJANGO_SETTINGS_MODULE=bench.settings
export LOG_LEVEL=WARNING
# Redis as in production (cache and broker), on a database number of the bench's own.
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}"
fi
exec .venv/bin/python -m bench.run "$@"
