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

# Debian's chromium and the pinned lighthouse package, for the last part (ADR 0029).
bash bench/lighthouse/install.sh

# shellcheck source=bench/env.sh
source bench/env.sh
exec .venv/bin/python -m bench.run "$@"
