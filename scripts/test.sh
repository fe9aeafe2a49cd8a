#!/usr/bin/env bash
# The whole suite: type check, unit and integration tests (vitest, real broker),
# then end-to-end tests (Playwright in Debian's Chromium against a built dashboard
# and a simulated cloud). Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

mkdir -p artifacts
rm -f artifacts/vitest.json artifacts/playwright.json
failed_steps=()

echo "== typecheck"
npx tsc --noEmit || failed_steps+=(typecheck)

echo "== unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json || failed_steps+=(vitest)

echo "== build"
if npx next build > artifacts/build.log 2>&1; then
  echo "== end-to-end tests"
  PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright.json npx playwright test --reporter=list,json || failed_steps+=(e2e)
else
  tail -50 artifacts/build.log
  failed_steps+=(build)
fi

[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
node scripts/count-results.mjs artifacts/vitest.json artifacts/playwright.json "${#failed_steps[@]}"
