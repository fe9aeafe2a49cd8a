#!/usr/bin/env bash
# Test brokers of their own beside the machine's default one (never touched), each a node
# started by scripts/bench-broker.sh with its own name, ports and data under /tmp:
#
#   bash scripts/cluster.sh start        # a 3-node cluster: lens-c1..c3@localhost, AMQP 5691-5693, management 15701-15703,
#                                        # Prometheus plugins 15711-15713 (15692 is the main broker's)
#   bash scripts/cluster.sh stop         # stop the cluster nodes, remove their data
#   bash scripts/cluster.sh node N stop_app|start_app   # rabbitmqctl on node N (1-3)
#   bash scripts/cluster.sh nostats start|stop          # one node with management_agent.disable_metrics_collector = true (AMQP 5694, management 15694)
#                                                       and the Prometheus plugin (15695)
#
# Safe to run again: start leaves running nodes as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }
node_name() { echo "lens-c$1@localhost"; }
node_env() {
  echo BENCH_DIR="/tmp/lens-cluster/c$1" BENCH_NODE="$(node_name "$1")" \
    BENCH_AMQP_PORT="$((5690 + $1))" BENCH_MGMT_PORT="$((15700 + $1))" BENCH_DIST_PORT="$((25690 + $1))" BENCH_PROM_PORT="$((15710 + $1))" BENCH_NOFILE=4096
}
broker() { local n="$1"; shift; env $(node_env "$n") bash scripts/bench-broker.sh "$@"; }
ctl() { local n="$1"; shift; as_root rabbitmqctl -q -n "$(node_name "$n")" "$@"; }

start_cluster() {
  as_root mkdir -p /tmp/lens-cluster
  for n in 1 2 3; do broker "$n" start >/dev/null; done
  for n in 2 3; do
    if ctl 1 cluster_status --formatter json 2>/dev/null | grep -q "$(node_name "$n")"; then continue; fi
    log "joining $(node_name "$n") to $(node_name 1)"
    ctl "$n" stop_app
    ctl "$n" reset
    ctl "$n" join_cluster "$(node_name 1)"
    ctl "$n" start_app
  done
  for _ in $(seq 60); do
    running="$(curl -fsS -u guest:guest 'http://127.0.0.1:15701/api/nodes?columns=name,running' 2>/dev/null | grep -o '"running":true' | wc -l || true)"
    [ "$running" = 3 ] && break
    sleep 1
  done
  [ "$running" = 3 ] || { log "the cluster did not come up with 3 running nodes"; exit 1; }
  log "3 nodes running; management http://127.0.0.1:15701 (any node's port 15701-15703)"
}

stop_cluster() {
  for n in 3 2 1; do broker "$n" stop >/dev/null 2>&1 || true; done
  as_root rmdir /tmp/lens-cluster 2>/dev/null || true
}

nostats() {
  env BENCH_DIR=/tmp/lens-nostats BENCH_NODE=lens-nostats@localhost BENCH_AMQP_PORT=5694 BENCH_MGMT_PORT=15694 BENCH_DIST_PORT=25694 \
    BENCH_PROM_PORT=15695 BENCH_NOFILE=4096 BENCH_EXTRA_CONF='management_agent.disable_metrics_collector = true' bash scripts/bench-broker.sh "$@"
}

case "${1:-}" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  node) shift; n="$1"; shift; ctl "$n" "$@" ;;
  nostats) shift; nostats "$@" ;;
  *) echo "usage: $0 start|stop|node N <rabbitmqctl args>|nostats start|stop" >&2; exit 2 ;;
esac
