#!/usr/bin/env bash
# The demo: a simulated OpenStack cloud on the local RabbitMQ, and the dashboard on it.
# A minute after start one compute host becomes "up but doing nothing", so the findings and the
# timeline have something to say (DEMO_FAULTS_AFTER seconds; DEMO_FAULTS="" runs a healthy cloud). Stop with Ctrl-C; the simulator's connections close with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

port="${PORT:-3000}"
scenario="${SCENARIO:-sim/scenarios/demo.json}"
faults="${DEMO_FAULTS-not-consuming:nova-compute@compute02}"
fault_args=()
for f in $faults; do fault_args+=(--fault "$f"); done
fault_args+=(--fault-after "${DEMO_FAULTS_AFTER:-60}")

npx tsx sim/cli.ts --scenario "$scenario" --quiet "${fault_args[@]}" &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null' EXIT INT TERM

npx next build
echo "dashboard: http://127.0.0.1:$port"
# The demo may ping and read backlogs on its own local broker; on a real cloud both stay off unless configured.
export RABBITMQ_AMQP_URL="${RABBITMQ_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}"
export PEEK_ENABLED="${PEEK_ENABLED:-true}"
# Queue counts from the broker's Prometheus plugin (setup.sh enables it), the rest from the management API.
export RABBITMQ_PROMETHEUS_URL="${RABBITMQ_PROMETHEUS_URL:-http://127.0.0.1:15692}"
# History and journal are kept in data/history.sqlite (the default; not in git): a restarted demo shows the last run's.
# Without AUTH_MODE it listens on localhost only.
node server.mjs -p "$port"
