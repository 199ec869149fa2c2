#!/usr/bin/env bash
# make lighthouse: Lighthouse on the main pages, production settings, against a small
# synthetic database of its own (not the bench's county data). docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash bench/lighthouse/install.sh
export BENCH_DATABASE_URL="${LIGHTHOUSE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialrx_lighthouse}"
export BENCH_REDIS_URL="${LIGHTHOUSE_REDIS_URL:-redis://127.0.0.1:6379/12}"
# shellcheck source=bench/env.sh
source bench/env.sh
exec .venv/bin/python -m bench.lighthouse "$@"
