#!/usr/bin/env bash
# The demo: a simulated OpenStack cloud on the local RabbitMQ, and the dashboard on it
# (DEMO_BROKER=rabbitmq4: a modern-options cloud on RabbitMQ 4.0 instead).
# A minute after start one compute host becomes "up but doing nothing", so the findings and the
# timeline have something to say (DEMO_FAULTS_AFTER seconds; DEMO_FAULTS="" runs a healthy cloud). Stop with Ctrl-C; the simulator's connections close with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

port="${PORT:-3000}"
scenario="${SCENARIO:-sim/scenarios/demo.json}"
# DEMO_BROKER=rabbitmq4: a cloud of 2025-2026 (quorum queues everywhere, the queue manager's names,
# stream fanout, prefetch 50, as kolla-ansible 2025.1 sets them) on RabbitMQ 4.0 (scripts/rabbitmq4.sh).
if [ "${DEMO_BROKER:-}" = rabbitmq4 ]; then
  bash scripts/rabbitmq4.sh start
  scenario="${SCENARIO:-sim/scenarios/demo-modern.json}"
  export RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15720 RABBITMQ_AMQP_URL=amqp://guest:guest@127.0.0.1:5710/ \
    RABBITMQ_PROMETHEUS_URL=http://127.0.0.1:15730 HISTORY_STORE="${HISTORY_STORE:-data/history-rabbitmq4.sqlite}"
fi
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
npm start -- -p "$port"   # with the memory settings of package.json's start
