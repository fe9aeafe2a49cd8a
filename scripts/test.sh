#!/usr/bin/env bash
# The whole suite: production build and type check, unit and integration tests
# (vitest, real broker), then end-to-end tests (Playwright in Debian's Chromium
# against the built dashboard and a simulated cloud). Ends with one line:
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

mkdir -p artifacts
rm -rf artifacts/vitest*.json artifacts/playwright*.json artifacts/screenshots*
failed_steps=()

echo "== build"
built=yes
npx next build > artifacts/build.log 2>&1 || { tail -50 artifacts/build.log; built=no; failed_steps+=(build); }

# After the build: it writes the route types that next-env.d.ts refers to.
echo "== typecheck"
npx tsc --noEmit || failed_steps+=(typecheck)

# The second broker: RabbitMQ 4.0 and oslo.messaging 16.1.0 from a Debian 13 root (built once, then cached).
echo "== RabbitMQ 4.0"
bash scripts/rabbitmq4.sh start || failed_steps+=(rabbitmq4)
# The third: RabbitMQ 4.3.6, oslo.messaging 18.3 and nova 33 from a Debian forky root (built once, then cached).
echo "== RabbitMQ 4.3"
bash scripts/forky.sh start || failed_steps+=(rabbitmq43)

# One project after the other: vitest would run them side by side, and the tests of one broker must
# not share the machine with those of the other.
echo "== unit and integration tests (RabbitMQ 3.10)"
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json || failed_steps+=(vitest)
echo "== integration tests against RabbitMQ 4.0 (the rabbitmq4 project)"
npx vitest run --project rabbitmq4 --reporter=default --reporter=json --outputFile.json=artifacts/vitest-rabbitmq4.json || failed_steps+=(vitest-rabbitmq4)
echo "== integration tests against RabbitMQ 4.3 (the rabbitmq43 project)"
npx vitest run --project rabbitmq43 --reporter=default --reporter=json --outputFile.json=artifacts/vitest-rabbitmq43.json || failed_steps+=(vitest-rabbitmq43)

if [ "$built" = yes ]; then
  echo "== end-to-end tests (screenshots in artifacts/screenshots)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright.json npx playwright test --reporter=list,json || failed_steps+=(e2e)
  # The pages that show what a broker and oslo declare, again on RabbitMQ 4.0 with a modern-options cloud.
  echo "== end-to-end tests against RabbitMQ 4.0 (screenshots in artifacts/screenshots-rabbitmq4)"
  E2E_SCENARIO=sim/scenarios/demo-modern.json E2E_SCREENSHOTS=artifacts/screenshots-rabbitmq4 \
    RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15720 RABBITMQ_AMQP_PORT=5710 RABBITMQ_AMQP_URL=amqp://guest:guest@127.0.0.1:5710/ \
    RABBITMQ_PROMETHEUS_URL=http://127.0.0.1:15730 RABBITMQCTL="$PWD/scripts/rabbitmqctl4" \
    PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright-rabbitmq4.json \
    npx playwright test e2e/inspector.spec.ts e2e/diagnosis.spec.ts e2e/upgrade.spec.ts e2e/replicas.spec.ts --reporter=list,json \
    || failed_steps+=(e2e-rabbitmq4)
  # A real nova 33 (oslo.messaging 18.3, kolla-ansible's options) on RabbitMQ 4.3, and the pages of a modern cloud there.
  echo "== end-to-end tests against RabbitMQ 4.3 (screenshots in artifacts/screenshots-rabbitmq43)"
  E2E_NOVA=forky E2E_SCENARIO=sim/scenarios/demo-modern.json E2E_SCREENSHOTS=artifacts/screenshots-rabbitmq43 \
    RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15750 RABBITMQ_AMQP_PORT=5740 RABBITMQ_AMQP_URL=amqp://guest:guest@127.0.0.1:5740/ \
    RABBITMQ_PROMETHEUS_URL=http://127.0.0.1:15760 RABBITMQCTL="$PWD/scripts/rabbitmqctl43" \
    PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright-rabbitmq43.json \
    npx playwright test e2e/real-nova.spec.ts e2e/upgrade.spec.ts e2e/when-rabbitmq-denies.spec.ts --reporter=list,json \
    || failed_steps+=(e2e-rabbitmq43)
fi

[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
node scripts/count-results.mjs "${#failed_steps[@]}" artifacts/vitest.json artifacts/vitest-rabbitmq4.json artifacts/vitest-rabbitmq43.json \
  artifacts/playwright.json artifacts/playwright-rabbitmq4.json artifacts/playwright-rabbitmq43.json
