#!/usr/bin/env bash
# RabbitMQ 4.3 (Debian testing "forky": Erlang/OTP 29, Khepri only), oslo.messaging 18 and a real
# nova 33 on this Debian 12 machine, without touching the system: a forky root made by debootstrap,
# cached between runs and rebuilt when missing, a RabbitMQ node run from it with chroot on ports of
# its own, and scripts/nova.sh running its python programs inside the root (NOVA_CHROOT).
#
#   bash scripts/forky.sh root              # build the root (once) and print where it is and what it holds
#   bash scripts/forky.sh start [--deny]    # one 4.3 node: lens-r43@localhost, AMQP 5740, management 15750,
#                                           # Prometheus 15760, distribution 25740. --deny: upstream's default
#                                           # deprecated_features.permit.transient_nonexcl_queues = false
#   bash scripts/forky.sh stop              # stop it, remove its data
#   bash scripts/forky.sh ctl ...           # rabbitmqctl on it
#   bash scripts/forky.sh python ...        # the root's python3 (oslo.messaging 18), in the current folder,
#                                           # made visible inside the root
#   bash scripts/forky.sh nova start|status|stop   # scripts/nova.sh with nova 33 from the root, on the 4.3 node
#   bash scripts/forky.sh umount            # unmount the root's /proc and /dev (the root stays cached)
#
# The root lives in $LENS_FORKY_ROOT (default /var/cache/rabbit-lens/forky), the mirror is
# $LENS_FORKY_MIRROR. `nova` passes every NOVA_* setting through to scripts/nova.sh, with other
# defaults: NOVA_AMQP_URL amqp://guest:guest@127.0.0.1:5740, NOVA_MGMT_URL http://127.0.0.1:15750,
# NOVA_PREFIX lensnova33, NOVA_PLACEMENT_PORT 8779 (so that it can run beside a Debian 12 nova).
# NOVA_OSLO_OPTIONS=kolla gives the options kolla-ansible 2025.1 sets (see scripts/nova.sh).
#
# Measured here (2 cores, 2026-12): root 161 s (debootstrap 23 s), node up in ~4.5 s, nova start
# 27-40 s, nova stop ~6.5 s.
#
# Non-obvious, found by running it:
# - Debian 12's debootstrap has no script for forky: sid's is the same.
# - The forky Release file's Valid-Until may be past: apt in the root gets Check-Valid-Until false.
# - Debian's 4.3 keeps transient_nonexcl_queues permitted (oslo's defaults declare such queues);
#   --deny gives upstream's behaviour: every queue oslo declares by default is transient and
#   non-exclusive, each declaration closes the connection with 541, oslo reconnects every ~3 s, the
#   conductor never consumes and `nova start` times out (the computes are never launched).
# - nova 33 computes serve a second topic, compute-alt (compute-alt.<host>, compute-alt_fanout): 4
#   connections per compute. oslo 18 adds x-queue-type: classic to every classic queue it declares.
set -euo pipefail
CALLED_FROM="$(pwd -P)"
cd "$(dirname "$0")/.."

ROOT="${LENS_FORKY_ROOT:-/var/cache/rabbit-lens/forky}"
MIRROR="${LENS_FORKY_MIRROR:-http://deb.debian.org/debian}"
READY="$ROOT/.lens-ready"
PACKAGES=(rabbitmq-server python3-oslo.messaging python3-nova python3-placement python3-psycopg2)

NAME=lens-r43@localhost
AMQP_PORT=5740 MGMT_PORT=15750 PROM_PORT=15760 DIST_PORT=25740
DIR=/var/lib/lens-r43

log() { printf '\033[1m[forky]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }
in_root() { as_root chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

mount_root() {
  mountpoint -q "$ROOT/proc" || as_root mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || as_root mount --rbind /dev "$ROOT/dev"
  as_root cp /etc/hosts "$ROOT/etc/hosts"
  as_root cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}
umount_root() {
  for m in dev proc; do
    if mountpoint -q "$ROOT/$m" 2>/dev/null; then as_root umount -R "$ROOT/$m" 2>/dev/null || as_root umount -lR "$ROOT/$m" || true; fi
  done
}
versions() { in_root dpkg-query -W -f '${Package} ${Version}\n' "${PACKAGES[@]}" erlang-base python3; }

build_root() {
  if [ -e "$READY" ]; then
    mount_root
    return 0
  fi
  local t0; t0="$(now)"
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq debootstrap >/dev/null
  }
  local script=""
  [ -e /usr/share/debootstrap/scripts/forky ] || script=/usr/share/debootstrap/scripts/sid
  log "building a Debian forky root in $ROOT (debootstrap, then ${PACKAGES[*]})"
  umount_root
  as_root rm -rf "$ROOT"
  as_root mkdir -p "$ROOT"
  as_root debootstrap --variant=minbase forky "$ROOT" "$MIRROR" $script >/tmp/lens-forky-debootstrap.log 2>&1 \
    || { tail -20 /tmp/lens-forky-debootstrap.log >&2; die "debootstrap failed; see /tmp/lens-forky-debootstrap.log"; }
  log "debootstrap done in $(since "$t0") s"
  mount_root
  # No service starts inside the root at install time.
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$ROOT/usr/sbin/policy-rc.d" >/dev/null
  as_root chmod +x "$ROOT/usr/sbin/policy-rc.d"
  echo 'Acquire::Check-Valid-Until "false";' | as_root tee "$ROOT/etc/apt/apt.conf.d/99lens-valid-until" >/dev/null
  in_root apt-get update -qq >/tmp/lens-forky-apt.log 2>&1 \
    || { tail -20 /tmp/lens-forky-apt.log >&2; die "apt-get update in the root failed; see /tmp/lens-forky-apt.log"; }
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${PACKAGES[@]}" >>/tmp/lens-forky-apt.log 2>&1 \
    || { tail -20 /tmp/lens-forky-apt.log >&2; die "apt-get install in the root failed; see /tmp/lens-forky-apt.log"; }
  in_root apt-get clean
  as_root touch "$READY"
  log "root ready in $(since "$t0") s: $(versions | paste -sd, | sed 's/,/, /g')"
}

ctl() { in_root rabbitmqctl -q -n "$NAME" "$@"; }
api() { curl -fsS --max-time 5 -u guest:guest "http://127.0.0.1:$MGMT_PORT$1"; }
port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

start_node() {
  local deny=0
  case "${1:-}" in --deny) deny=1 ;; "") ;; *) die "usage: $0 start [--deny]" ;; esac
  if ctl status >/dev/null 2>&1; then
    log "$NAME is already running (management http://127.0.0.1:$MGMT_PORT); stop it to change --deny"
    return 0
  fi
  for p in $AMQP_PORT $MGMT_PORT $PROM_PORT $DIST_PORT; do port_in_use "$p" && die "port $p is in use"; done
  local t0; t0="$(now)"
  as_root rm -rf "$ROOT$DIR"
  as_root mkdir -p "$ROOT$DIR/data" "$ROOT$DIR/log"
  echo '[rabbitmq_management,rabbitmq_prometheus].' | as_root tee "$ROOT$DIR/enabled_plugins" >/dev/null
  {
    echo "# scripts/forky.sh: loopback only, ports of its own"
    echo "listeners.tcp.1 = 127.0.0.1:$AMQP_PORT"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $MGMT_PORT"
    echo "prometheus.tcp.ip = 127.0.0.1"
    echo "prometheus.tcp.port = $PROM_PORT"
    [ $deny -eq 0 ] || echo "deprecated_features.permit.transient_nonexcl_queues = false"
  } | as_root tee "$ROOT$DIR/rabbitmq.conf" >/dev/null
  printf 'ERL_EPMD_ADDRESS=127.0.0.1\nexport ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"\n' | as_root tee "$ROOT$DIR/rabbitmq-env.conf" >/dev/null
  in_root chown -R rabbitmq:rabbitmq "$DIR"
  log "starting $NAME (RabbitMQ $(in_root dpkg-query -W -f '${Version}' rabbitmq-server)$([ $deny -eq 0 ] || echo ', transient_nonexcl_queues denied')): AMQP 127.0.0.1:$AMQP_PORT, management http://127.0.0.1:$MGMT_PORT"
  in_root env HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="$NAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" \
    RABBITMQ_DIST_PORT="$DIST_PORT" RABBITMQ_MNESIA_BASE="$DIR/data" RABBITMQ_LOG_BASE="$DIR/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf" \
    RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf" RABBITMQ_PID_FILE="$DIR/node.pid" \
    setpriv --reuid rabbitmq --regid rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server -detached
  ctl wait --timeout 120 "$DIR/node.pid" >/dev/null 2>&1 || die "$NAME did not boot; see $ROOT$DIR/log"
  for _ in $(seq 120); do
    api /api/overview >/dev/null 2>&1 && { log "up in $(since "$t0") s"; return 0; }
    sleep 1
  done
  die "the management API of $NAME does not answer; see $ROOT$DIR/log"
}

stop_node() {
  local pid
  ctl stop "$DIR/node.pid" >/dev/null 2>&1 || true
  pid="$(cat "$ROOT$DIR/node.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then as_root kill "$pid" || true; sleep 2; fi
  as_root rm -rf "${ROOT:?}$DIR"
}

# As in scripts/rabbitmq4.sh: the folder it was called from, visible inside the root at the same
# path in a mount namespace of its own; every step execs the next.
python() {
  exec unshare --mount --propagation private /bin/sh -c '
    root="$1" project="$2" from="$3"; shift 3
    mkdir -p "$root$project" && mount --bind "$project" "$root$project" && exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin \
      HOME=/root LANG=C.UTF-8 PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore /bin/sh -c "cd \"\$0\" && exec /usr/bin/python3 \"\$@\"" "$from" "$@"' \
    sh "$ROOT" "$(pwd -P)" "$CALLED_FROM" "$@"
}

nova() {
  export NOVA_CHROOT="$ROOT"
  export NOVA_AMQP_URL="${NOVA_AMQP_URL:-amqp://guest:guest@127.0.0.1:$AMQP_PORT}"
  export NOVA_MGMT_URL="${NOVA_MGMT_URL:-http://127.0.0.1:$MGMT_PORT}"
  export NOVA_PREFIX="${NOVA_PREFIX:-lensnova33}"
  export NOVA_PLACEMENT_PORT="${NOVA_PLACEMENT_PORT:-8779}"
  exec bash scripts/nova.sh "$@"
}

case "${1:-}" in
  root) build_root; versions >&2; echo "$ROOT" ;;
  start) shift; build_root; start_node "$@" ;;
  stop) stop_node ;;
  ctl) shift; ctl "$@" ;;
  python) shift; build_root >&2; python "$@" ;;
  nova) shift; if [ "${1:-}" = start ]; then build_root; fi; nova "$@" ;;
  umount) umount_root ;;
  *) echo "usage: $0 root|start [--deny]|stop|ctl ...|python ...|nova start|status|stop|umount" >&2; exit 2 ;;
esac
