#!/usr/bin/env bash
# RabbitMQ 4.0 (Debian 13's 4.0.5, Erlang 27) and oslo.messaging 16.1.0 on this Debian 12
# machine, without touching the system: a Debian 13 root made by debootstrap, cached between
# runs and rebuilt when missing, and RabbitMQ nodes run from it with chroot on ports of their own.
#
#   bash scripts/rabbitmq4.sh root            # build the root (once; ~5 min) and print where it is
#   bash scripts/rabbitmq4.sh start           # one 4.0 node: lens-r4@localhost, AMQP 5710, management 15720,
#                                             # Prometheus plugin 15730
#   bash scripts/rabbitmq4.sh stop            # stop it, remove its data
#   bash scripts/rabbitmq4.sh cluster start   # three 4.0 nodes in a cluster: lens-r4c1..3@localhost,
#                                             # AMQP 5711-5713, management 15721-15723, Prometheus 15731-15733
#   bash scripts/rabbitmq4.sh cluster stop
#   bash scripts/rabbitmq4.sh ctl N ...       # rabbitmqctl on node N (0 = the single node, 1-3 the cluster's)
#   bash scripts/rabbitmq4.sh python ...      # the root's python3 (oslo.messaging 16.1.0), in the current folder,
#                                             # made visible inside the root
#
# The root lives in $LENS_TRIXIE_ROOT (default /var/cache/rabbit-lens/trixie). Nodes share the
# machine's epmd (each has its own node name and distribution port) and keep their data under
# the root's /var/lib/lens-r4/<node>. Guest/guest from loopback, as RabbitMQ's default.
set -euo pipefail
CALLED_FROM="$(pwd -P)"
cd "$(dirname "$0")/.."

ROOT="${LENS_TRIXIE_ROOT:-/var/cache/rabbit-lens/trixie}"
MIRROR="${LENS_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
READY="$ROOT/.lens-ready"

log() { printf '\033[1m[rabbitmq4]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }
in_root() { as_root chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# /proc, /dev/pts, /dev/shm and /tmp-like needs of Erlang and Python inside the root.
mount_root() {
  mountpoint -q "$ROOT/proc" || as_root mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || as_root mount --rbind /dev "$ROOT/dev"
  as_root cp /etc/hosts "$ROOT/etc/hosts"
  as_root cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}

build_root() {
  if [ -e "$READY" ]; then
    mount_root
    return 0
  fi
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq debootstrap >/dev/null
  }
  log "building a Debian 13 root in $ROOT (debootstrap, then rabbitmq-server and python3-oslo.messaging)"
  umount_root
  as_root rm -rf "$ROOT"
  as_root mkdir -p "$ROOT"
  as_root debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"/tmp/lens-debootstrap.log" 2>&1 \
    || { tail -20 /tmp/lens-debootstrap.log >&2; die "debootstrap failed; see /tmp/lens-debootstrap.log"; }
  mount_root
  # No service starts inside the root at install time.
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$ROOT/usr/sbin/policy-rc.d" >/dev/null
  as_root chmod +x "$ROOT/usr/sbin/policy-rc.d"
  in_root apt-get update -qq
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    rabbitmq-server python3-oslo.messaging >/tmp/lens-trixie-apt.log 2>&1 \
    || { tail -20 /tmp/lens-trixie-apt.log >&2; die "apt-get install in the root failed; see /tmp/lens-trixie-apt.log"; }
  in_root apt-get clean
  as_root touch "$READY"
  log "root ready: $(in_root dpkg-query -W -f '${Package} ${Version}\n' rabbitmq-server python3-oslo.messaging | tr '\n' ' ')"
}

umount_root() {
  for m in dev proc; do
    if mountpoint -q "$ROOT/$m" 2>/dev/null; then as_root umount -R "$ROOT/$m" 2>/dev/null || as_root umount -lR "$ROOT/$m" || true; fi
  done
}

# Node N: 0 is the single node, 1-3 the cluster's.
node_name() { if [ "$1" = 0 ]; then echo lens-r4@localhost; else echo "lens-r4c$1@localhost"; fi; }
amqp_port() { echo $((5710 + $1)); }
mgmt_port() { echo $((15720 + $1)); }
prom_port() { echo $((15730 + $1)); }
dist_port() { echo $((25710 + $1)); }
node_dir() { echo "/var/lib/lens-r4/$(node_name "$1" | cut -d@ -f1)"; }
ctl() { local n="$1"; shift; in_root rabbitmqctl -q -n "$(node_name "$n")" "$@"; }
api() { curl -fsS --max-time 5 -u guest:guest "http://127.0.0.1:$(mgmt_port "$1")$2"; }
port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

start_node() {
  local n="$1" dir name
  name="$(node_name "$n")"
  dir="$(node_dir "$n")"
  if ctl "$n" status >/dev/null 2>&1; then
    log "$name is already running (management http://127.0.0.1:$(mgmt_port "$n"))"
    return 0
  fi
  for p in "$(amqp_port "$n")" "$(mgmt_port "$n")" "$(prom_port "$n")" "$(dist_port "$n")"; do
    port_in_use "$p" && die "port $p is in use"
  done
  as_root rm -rf "$ROOT$dir"
  as_root mkdir -p "$ROOT$dir/data" "$ROOT$dir/log"
  echo '[rabbitmq_management,rabbitmq_prometheus].' | as_root tee "$ROOT$dir/enabled_plugins" >/dev/null
  as_root tee "$ROOT$dir/rabbitmq.conf" >/dev/null <<EOF
# scripts/rabbitmq4.sh: loopback only, ports of its own
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(mgmt_port "$n")
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $(prom_port "$n")
EOF
  printf 'ERL_EPMD_ADDRESS=127.0.0.1\nexport ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"\n' | as_root tee "$ROOT$dir/rabbitmq-env.conf" >/dev/null
  in_root chown -R rabbitmq:rabbitmq "$dir"
  log "starting $name (RabbitMQ 4.0): AMQP 127.0.0.1:$(amqp_port "$n"), management http://127.0.0.1:$(mgmt_port "$n")"
  in_root env HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="$name" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$(amqp_port "$n")" \
    RABBITMQ_DIST_PORT="$(dist_port "$n")" RABBITMQ_MNESIA_BASE="$dir/data" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_PID_FILE="$dir/node.pid" \
    setpriv --reuid rabbitmq --regid rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server -detached
  ctl "$n" wait --timeout 120 "$dir/node.pid" >/dev/null 2>&1 || die "$name did not boot; see $ROOT$dir/log"
  for _ in $(seq 120); do api "$n" /api/overview >/dev/null 2>&1 && return 0; sleep 1; done
  die "the management API of $name does not answer; see $ROOT$dir/log"
}

stop_node() {
  local n="$1" dir pid
  dir="$(node_dir "$n")"
  ctl "$n" stop "$dir/node.pid" >/dev/null 2>&1 || true
  pid="$(cat "$ROOT$dir/node.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then as_root kill "$pid" || true; sleep 2; fi
  as_root rm -rf "$ROOT$dir"
}

cluster() {
  case "${1:-}" in
    start)
      for n in 1 2 3; do start_node "$n"; done
      for n in 2 3; do
        if ctl 1 cluster_status --formatter json 2>/dev/null | grep -q "$(node_name "$n")"; then continue; fi
        log "joining $(node_name "$n") to $(node_name 1)"
        ctl "$n" stop_app
        ctl "$n" reset
        ctl "$n" join_cluster "$(node_name 1)"
        ctl "$n" start_app
      done
      local running=0
      for _ in $(seq 60); do
        running="$(api 1 '/api/nodes?columns=name,running' 2>/dev/null | grep -o '"running":true' | wc -l || true)"
        [ "$running" = 3 ] && break
        sleep 1
      done
      [ "$running" = 3 ] || die "the 4.0 cluster did not come up with 3 running nodes"
      log "3 nodes running; management http://127.0.0.1:15721 (any node's port 15721-15723)"
      ;;
    stop) for n in 3 2 1; do stop_node "$n"; done ;;
    *) die "usage: $0 cluster start|stop" ;;
  esac
}

# Runs the root's python3 (oslo.messaging 16.1.0) in the folder it was called from, with the project
# visible inside the root at the same path, in a mount namespace of its own (nothing stays mounted
# after it ends). Signals and stdin reach python itself: every step execs the next.
python() {
  exec unshare --mount --propagation private /bin/sh -c '
    root="$1" project="$2" from="$3"; shift 3
    mkdir -p "$root$project" && mount --bind "$project" "$root$project" && exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin \
      HOME=/root LANG=C.UTF-8 PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore /bin/sh -c "cd \"\$0\" && exec /usr/bin/python3 \"\$@\"" "$from" "$@"' \
    sh "$ROOT" "$(pwd -P)" "$CALLED_FROM" "$@"
}

case "${1:-}" in
  root) build_root; echo "$ROOT" ;;
  start) build_root; start_node 0 ;;
  stop) stop_node 0 ;;
  cluster) build_root; shift; cluster "$@" ;;
  ctl) shift; n="$1"; shift; ctl "$n" "$@" ;;
  python) shift; build_root >&2; python "$@" ;;
  *) echo "usage: $0 root|start|stop|cluster start|stop|ctl N ...|python ..." >&2; exit 2 ;;
esac
