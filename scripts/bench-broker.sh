#!/usr/bin/env bash
# A RabbitMQ node of its own for benchmarks, beside the machine's default broker (5672/15672,
# never touched): its own node name, ports, data, logs, plugins and config, all under one folder.
#
#   bash scripts/bench-broker.sh start     # start it, wait until the management API answers
#   bash scripts/bench-broker.sh status    # running or not; queues, connections, consumers, memory
#   bash scripts/bench-broker.sh url       # management URL and AMQP URL
#   bash scripts/bench-broker.sh env       # export lines: eval "$(bash scripts/bench-broker.sh env)"
#   bash scripts/bench-broker.sh ctl ...   # rabbitmqctl -n <node> ...
#   bash scripts/bench-broker.sh stop      # stop it and remove its folder
#
# Settings (environment): BENCH_DIR (/tmp/lens-bench), BENCH_NODE (lens-bench@localhost),
# BENCH_AMQP_PORT (5680), BENCH_MGMT_PORT (15680), BENCH_DIST_PORT (25680), BENCH_PROM_PORT (15690: its
# Prometheus plugin, always on, as in production), BENCH_NOFILE (65536),
# BENCH_EXTRA_CONF (more rabbitmq.conf lines), BENCH_EXTRA_PLUGINS (more plugins, comma-separated). scripts/cluster.sh starts its nodes with this script.
# The node runs as the rabbitmq user, like the default one, so it shares the cookie in
# /var/lib/rabbitmq and `rabbitmqctl -n lens-bench@localhost ...` works as root.
# Needs root (or sudo). Guest/guest, from loopback addresses only (RabbitMQ's default).
set -euo pipefail

BENCH_DIR="${BENCH_DIR:-/tmp/lens-bench}"
NODE="${BENCH_NODE:-lens-bench@localhost}"
AMQP_PORT="${BENCH_AMQP_PORT:-5680}"
MGMT_PORT="${BENCH_MGMT_PORT:-15680}"
PROM_PORT="${BENCH_PROM_PORT:-15690}"
DIST_PORT="${BENCH_DIST_PORT:-25680}"
NOFILE="${BENCH_NOFILE:-65536}"
# More lines for its rabbitmq.conf (e.g. management_agent.disable_metrics_collector = true).
EXTRA_CONF="${BENCH_EXTRA_CONF:-}"
# More plugins beside the management plugin (e.g. rabbitmq_prometheus).
EXTRA_PLUGINS="${BENCH_EXTRA_PLUGINS:-}"
USER_PASS="${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}"
MGMT_URL="http://127.0.0.1:${MGMT_PORT}"
PROM_URL="http://127.0.0.1:${PROM_PORT}"
AMQP_URL="amqp://${USER_PASS}@127.0.0.1:${AMQP_PORT}/"
PID_FILE="$BENCH_DIR/$NODE.pid"
MARKER="$BENCH_DIR/.lens-bench-broker"

log() { printf '\033[1m[bench-broker]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }
ctl() { as_root rabbitmqctl -q -n "$NODE" "$@"; }
api() { curl -fsS --max-time "${2:-30}" -u "$USER_PASS" "$MGMT_URL$1"; }
running() { ctl status >/dev/null 2>&1; }
port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

case "$BENCH_DIR" in
  /|/tmp|/tmp/|/var|/var/*|/usr*|/etc*|/root|/home|'') die "refusing BENCH_DIR=$BENCH_DIR" ;;
esac

start() {
  if running; then
    log "$NODE is already running ($MGMT_URL)"
    return 0
  fi
  command -v rabbitmq-server >/dev/null || die "rabbitmq-server is not installed (bash scripts/setup.sh)"
  for p in "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT" "$PROM_PORT"; do
    port_in_use "$p" && die "port $p is in use; pick others with BENCH_AMQP_PORT/BENCH_MGMT_PORT/BENCH_DIST_PORT/BENCH_PROM_PORT"
  done
  if [ -e "$BENCH_DIR" ] && [ ! -e "$MARKER" ]; then die "$BENCH_DIR exists and is not ours"; fi
  as_root rm -rf "$BENCH_DIR"
  as_root mkdir -p "$BENCH_DIR/mnesia" "$BENCH_DIR/log"
  as_root tee "$MARKER" >/dev/null <<<"made by scripts/bench-broker.sh; removed by its stop"
  as_root tee "$BENCH_DIR/enabled_plugins" >/dev/null <<<"[rabbitmq_management,rabbitmq_prometheus${EXTRA_PLUGINS:+,$EXTRA_PLUGINS}]."
  as_root tee "$BENCH_DIR/rabbitmq.conf" >/dev/null <<EOF
# scripts/bench-broker.sh: loopback only, its own ports
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $PROM_PORT
$EXTRA_CONF
EOF
  # what /etc/rabbitmq/rabbitmq-env.conf says about epmd and distribution, without its NODENAME
  as_root tee "$BENCH_DIR/rabbitmq-env.conf" >/dev/null <<'EOF'
ERL_EPMD_ADDRESS=127.0.0.1
export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
  if id rabbitmq >/dev/null 2>&1; then as_root chown -R rabbitmq:rabbitmq "$BENCH_DIR"; fi

  # thousands of connections: one descriptor each
  local nofile="$NOFILE"
  if ! (ulimit -Hn "$nofile" && ulimit -n "$nofile") 2>/dev/null; then
    nofile="$(ulimit -Hn)"
    log "cannot raise the descriptor limit to $NOFILE; using the hard limit $nofile"
  fi

  log "starting $NODE: AMQP 127.0.0.1:$AMQP_PORT, management $MGMT_URL, distribution $DIST_PORT, in $BENCH_DIR"
  # As the rabbitmq user, like the default node (its cookie, in /var/lib/rabbitmq). Not through
  # Debian's wrapper: its `su` goes through pam_limits, which puts the descriptor limit back to 1024.
  (
    ulimit -Hn "$nofile" 2>/dev/null || true
    ulimit -n "$nofile"
    cd /var/lib/rabbitmq 2>/dev/null || cd /
    export RABBITMQ_NODENAME="$NODE" \
      RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
      RABBITMQ_NODE_PORT="$AMQP_PORT" \
      RABBITMQ_DIST_PORT="$DIST_PORT" \
      RABBITMQ_MNESIA_BASE="$BENCH_DIR/mnesia" \
      RABBITMQ_LOG_BASE="$BENCH_DIR/log" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$BENCH_DIR/enabled_plugins" \
      RABBITMQ_CONFIG_FILE="$BENCH_DIR/rabbitmq.conf" \
      RABBITMQ_ADVANCED_CONFIG_FILE="$BENCH_DIR/advanced.config" \
      RABBITMQ_CONF_ENV_FILE="$BENCH_DIR/rabbitmq-env.conf" \
      RABBITMQ_PID_FILE="$PID_FILE"
    if [ "$(id -un)" = rabbitmq ]; then
      HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server -detached
    elif [ "$(id -u)" -eq 0 ] && id rabbitmq >/dev/null 2>&1; then
      HOME=/var/lib/rabbitmq setpriv --reuid rabbitmq --regid rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server -detached
    else
      as_root rabbitmq-server -detached
    fi
  )
  ctl wait --timeout 120 "$PID_FILE" >/dev/null 2>&1 || die "$NODE did not boot; see $BENCH_DIR/log"
  for _ in $(seq 120); do
    api /api/overview 5 >/dev/null 2>&1 && break
    sleep 1
  done
  api /api/overview 5 >/dev/null || die "the management API at $MGMT_URL does not answer; see $BENCH_DIR/log"
  local pid
  pid="$(cat "$PID_FILE")"
  log "up: pid $pid, max open files $(awk '/Max open files/ {print $4}' "/proc/$pid/limits")"
  url
}

stop() {
  if running; then
    log "stopping $NODE"
    ctl stop "$PID_FILE" >/dev/null 2>&1 || true
  fi
  # it did not answer: end that one process, by its id
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && as_root cat "/proc/$pid/cmdline" "/proc/$pid/environ" 2>/dev/null | tr '\0' '\n' | grep -qF -- "$BENCH_DIR"; then
      log "killing $pid"
      as_root kill "$pid" || true
      for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    fi
  fi
  if [ -e "$MARKER" ]; then
    as_root rm -rf "$BENCH_DIR"
    log "removed $BENCH_DIR"
  elif [ -e "$BENCH_DIR" ]; then
    log "$BENCH_DIR is not ours; left in place"
  fi
}

url() {
  echo "management $MGMT_URL"
  echo "amqp       $AMQP_URL"
  echo "prometheus $PROM_URL"
}

status() {
  if ! running; then
    echo "$NODE: not running"
    return 3
  fi
  echo "$NODE: running (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), $BENCH_DIR)"
  url
  local overview node
  overview="$(api '/api/overview?columns=object_totals' 60)"
  node="$(api "/api/nodes/$NODE?memory=true" 60)"
  python3 - "$overview" "$node" <<'PY'
import json, sys
t = json.loads(sys.argv[1])["object_totals"]
n = json.loads(sys.argv[2])
gib = lambda b: f"{b / 2**30:.2f} GiB" if isinstance(b, (int, float)) else "?"
print(f"queues {t['queues']}, connections {t['connections']}, channels {t['channels']}, consumers {t['consumers']}, exchanges {t['exchanges']}")
print(f"memory {gib(n.get('mem_used'))} of {gib(n.get('mem_limit'))} (alarm: {n.get('mem_alarm')}), "
      f"file descriptors {n.get('fd_used')}/{n.get('fd_total')}, sockets {n.get('sockets_used')}/{n.get('sockets_total')}, "
      f"erlang processes {n.get('proc_used')}/{n.get('proc_total')}")
m = n.get("memory") or {}
top = sorted(((k, v) for k, v in m.items() if isinstance(v, int) and k != "total"), key=lambda kv: -kv[1])[:6]
if top:
    print("largest: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in top))
PY
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  env)
    echo "export RABBITMQ_MANAGEMENT_URL=$MGMT_URL"
    echo "export RABBITMQ_AMQP_URL=$AMQP_URL"
    echo "export RABBITMQ_PROMETHEUS_URL=$PROM_URL"
    ;;
  ctl) shift; ctl "$@" ;;
  *) echo "usage: $0 start|stop|status|url|env|ctl <rabbitmqctl args>" >&2; exit 2 ;;
esac
