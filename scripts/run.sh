#!/usr/bin/env bash
# Serves socialrx with a Celery worker and beat. Ctrl-C stops all three.
# Embedded default: SQLite and kombu's filesystem broker under var/.
# With DATABASE_URL and REDIS_URL set, the same script uses PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CELERY=.venv/bin/celery
HOST=${HOST:-127.0.0.1}
# Exported: settings.SITE_URL follows it, so links in emails and pages name this port.
export PORT=${PORT:-8000}
# Settings default to production; this is a development server.
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
# The SQLite file's folder (settings create none when imported).
mkdir -p "${SOCIALRX_VAR_DIR:-var}"

$PY manage.py migrate --no-input -v 0
$PY manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping web, worker and beat..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$CELERY -A socialrx worker --loglevel INFO --concurrency 2 &
pids+=($!)
$CELERY -A socialrx beat --loglevel INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler \
  --pidfile= &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

sleep 2
echo
echo "socialrx is running at http://$HOST:$PORT/  (Ctrl-C stops web, worker and beat)"
echo "Sign in with any demo login above; the password is printed with them."
wait -n "${pids[@]}"
