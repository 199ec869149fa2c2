#!/usr/bin/env bash
# Installs what Lighthouse needs, once: Debian's chromium, and the npm lighthouse package
# pinned in bench/lighthouse/package-lock.json into bench/lighthouse/node_modules/ (a local
# folder, git-ignored, never served). Sourced by bench/run.sh and bench/lighthouse.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ ! -x "${CHROME_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing chromium (Debian package) for Lighthouse..."
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo -n)
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium
fi

lock=bench/lighthouse/package-lock.json
stamp=bench/lighthouse/node_modules/.installed-$(cksum <"$lock" | cut -d' ' -f1)
if [ ! -e "$stamp" ]; then
  echo "Installing Lighthouse (npm ci in bench/lighthouse)..."
  npm ci --silent --no-audit --no-fund --prefix bench/lighthouse >/dev/null
  touch "$stamp"
fi
