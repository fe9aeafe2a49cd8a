#!/usr/bin/env bash
# The demo: a simulated OpenStack cloud on the local RabbitMQ, and the dashboard on it.
# Stop with Ctrl-C; the simulator's connections close with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

port="${PORT:-3000}"
scenario="${SCENARIO:-sim/scenarios/demo.json}"
npx tsx sim/cli.ts --scenario "$scenario" &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null' EXIT INT TERM

npx next build
echo "dashboard: http://127.0.0.1:$port"
# No login yet: listen on localhost only.
npx next start -H 127.0.0.1 -p "$port"
