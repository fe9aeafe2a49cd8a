#!/usr/bin/env bash
# The whole suite: production build and type check, unit and integration tests
# (vitest, real broker), then end-to-end tests (Playwright in Debian's Chromium
# against the built dashboard and a simulated cloud). Ends with one line:
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

mkdir -p artifacts
rm -rf artifacts/vitest.json artifacts/playwright.json artifacts/screenshots
failed_steps=()

echo "== build"
built=yes
npx next build > artifacts/build.log 2>&1 || { tail -50 artifacts/build.log; built=no; failed_steps+=(build); }

# After the build: it writes the route types that next-env.d.ts refers to.
echo "== typecheck"
npx tsc --noEmit || failed_steps+=(typecheck)

echo "== unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json || failed_steps+=(vitest)

if [ "$built" = yes ]; then
  echo "== end-to-end tests (screenshots in artifacts/screenshots)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright.json npx playwright test --reporter=list,json || failed_steps+=(e2e)
fi

[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
node scripts/count-results.mjs artifacts/vitest.json artifacts/playwright.json "${#failed_steps[@]}"
