#!/usr/bin/env bash
# Copies the pinned front-end packages from the npm registry into static/vendor/, and
# builds NHS.UK frontend's stylesheet from its Sass with only the components we use
# (scripts/nhsuk-frontend.scss, docs/adr/0029). Run after changing a version in
# package.json or a line of nhsuk-frontend.scss; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version() { python3 -c "import json,sys; print(json.load(open('package.json'))['devDependencies'][sys.argv[1]])" "$1"; }

nhs_version=$(version nhsuk-frontend)
axe_version=$(version axe-core)
sass_version=$(version sass)
(cd "$work" && npm pack --silent "nhsuk-frontend@$nhs_version" "axe-core@$axe_version" >/dev/null)
mkdir -p "$work/nhs" "$work/axe"
tar xzf "$work"/nhsuk-frontend-*.tgz -C "$work/nhs"
tar xzf "$work"/axe-core-*.tgz -C "$work/axe"
# The Sass compiler is a build tool: installed in the temporary folder, never shipped.
npm install --silent --no-save --no-audit --no-fund --prefix "$work/sass" "sass@$sass_version" >/dev/null

rm -rf static/vendor/nhsuk-frontend static/vendor/axe-core
mkdir -p static/vendor/nhsuk-frontend static/vendor/axe-core
dist="$work/nhs/package/dist/nhsuk"
# No source map: it would point at files that exist only in the temporary folder.
"$work/sass/node_modules/.bin/sass" --no-source-map --style=compressed \
  --load-path="$work/nhs/package/dist" \
  scripts/nhsuk-frontend.scss static/vendor/nhsuk-frontend/nhsuk-frontend.min.css
cp "$dist"/nhsuk-frontend.min.js "$dist"/nhsuk-frontend.min.js.map static/vendor/nhsuk-frontend/
cp -r "$dist/assets" static/vendor/nhsuk-frontend/assets
cp "$work/nhs/package/LICENSE"* static/vendor/nhsuk-frontend/ 2>/dev/null || true
cp "$work/axe/package/axe.min.js" "$work/axe/package/LICENSE" static/vendor/axe-core/
echo "Vendored nhsuk-frontend $nhs_version (stylesheet built with sass $sass_version) and axe-core $axe_version."
