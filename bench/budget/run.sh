#!/usr/bin/env bash
# make bench-budget: instructions per request under callgrind (ADR 0027). Production
# settings as make bench has them (bench/env.sh), on a database of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."

# valgrind, and a C compiler for bench/budget/control.c (callgrind's client requests).
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v cc >/dev/null || missing+=(gcc libc6-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages) to count instructions..."
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo -n)
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

export BENCH_DATABASE_URL="${BUDGET_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialrx_budget}"
export BENCH_REDIS_URL="${BUDGET_REDIS_URL:-redis://127.0.0.1:6379/13}"
# shellcheck source=bench/env.sh
source bench/env.sh
exec .venv/bin/python -m bench.budget.run "$@"
