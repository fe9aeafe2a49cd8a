#!/usr/bin/env bash
# A REAL OpenStack nova (Zed: Debian 12's nova 26.2.2, placement 8.0.0, oslo.messaging 14.0.3) on the
# machine's RabbitMQ (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432), without Keystone, libvirt or qemu:
# placement (noauth2), nova-conductor, nova-scheduler and one nova-compute (fake.FakeDriver) per host.
#
#   bash scripts/nova.sh start    # install what is missing, make databases + vhost, start, wait for consumers
#   bash scripts/nova.sh status   # which processes run; queues with consumers on the vhost
#   bash scripts/nova.sh stop     # kill them (TERM, then KILL), drop databases, delete vhost and state dir
#
# Settings (environment): NOVA_PREFIX (lensnova: databases <prefix>_api, _cell0, _cell1, _placement),
# NOVA_VHOST (nova_real), NOVA_AMQP_URL (amqp://guest:guest@127.0.0.1:5672, without the vhost),
# NOVA_HOSTS ("compute-1 compute-2 compute-3"), NOVA_STATE_DIR (/tmp/<prefix>: bin, etc, log, run),
# NOVA_MGMT_URL (http://127.0.0.1:15672), NOVA_MGMT_USER (guest:guest), NOVA_PG (-h 127.0.0.1 -U postgres),
# NOVA_PLACEMENT_PORT (8778), NOVA_TIMEOUT (90 s, from the databases being ready to all consumers),
# NOVA_EXTRA (empty; any of "cinder heat neutron": cinder-scheduler, heat-engine, neutron-rpc-server
# beside nova, same vhost, a database <prefix>_<name> each, queues cinder-scheduler / engine / q-plugin),
# NOVA_OSLO_OPTIONS (empty; words, each "kolla" or "<option>=<value>", written into nova.conf's
# [oslo_messaging_rabbit]: kolla is what kolla-ansible 2025.1 sets, rabbit_quorum_queue,
# rabbit_transient_quorum_queue, rabbit_stream_fanout and use_queue_manager all true and
# rabbit_qos_prefetch_count = 50; needs oslo.messaging 14.7+), NOVA_CHROOT (empty; a Debian root,
# e.g. scripts/forky.sh's, with its /proc and /dev mounted: the packages are checked and installed
# there and every python program runs in it, with $NOVA_STATE_DIR bind-mounted at the same path, in
# a mount namespace of its own per process).
# Needs root (apt-get). Logs: $NOVA_STATE_DIR/log/<process>.log.
#
# Measured here (2 cores, beside a benchmark keeping the load at 3-7): start 47-54 s with the packages
# installed (databases ~20 s, then the services; ~38 CPU-s in all: CPU-bound, so less on an idle
# machine); the first start also installs 134 Debian packages in 89 s. stop ~3.5 s. NOVA_EXTRA="cinder
# heat neutron": 89 more packages in 60 s the first time, start 87 s under the same load.
#
# Non-obvious, found by running it:
# - oslo.messaging takes the URL scheme as the driver: amqp:// is its AMQP 1.0 driver (fails: no
#   pyngus); the config gets rabbit://.
# - Only python3-nova, python3-placement, python3-psycopg2 (--no-install-recommends), not nova-common
#   or nova-compute (nova user, dbconfig, libvirt). Each program is a 3-line wrapper file in $STATE/bin
#   run by /usr/bin/python3 (the python3 on PATH may be a pyenv without these modules). A file, not
#   `python3 -c`: oslo.messaging names connections basename(argv[0]):pid:uuid ("-c:<pid>:..." otherwise).
# - Placement runs in wsgiref (threaded, 10 lines), no uwsgi/gunicorn. App: placement.wsgi:
#   init_application, reading $OS_PLACEMENT_CONFIG_DIR/placement.conf. noauth2 wants an X-Auth-Token;
#   "admin" gives the admin role; nova: [placement] auth_type = admin_token, endpoint(_override), token.
# - nova-compute must NOT see [api_database]/[database]: with them it reads service versions from the
#   database itself and logs "No DB access allowed in nova-compute"; they sit in nova-db.conf, given to
#   the conductor, the scheduler and nova-manage only.
# - The four nova-manage steps run in one process (nova-dbsetup: ~5 s of imports each otherwise).
#   `db sync` also migrates cell0, through the mapping that map_cell0 made.
# - workers = 1 (conductor, scheduler), num_engine_workers = 1 (heat): oslo.service then serves
#   in-process, so the recorded pid holds the connections. neutron-rpc-server forks one RPC worker
#   whatever rpc_workers says; its connections carry the worker's pid. Each process is started by setsid
#   and stopped as a process group. graceful_shutdown_timeout = 2 (60 by default).
# - Computes start once the conductor consumes: a compute's first ping to a `conductor` queue that does
#   not exist yet is dropped and it waits 10 s per retry.
# - What the broker shows (idle): per nova-compute 3 connections (not 4): one consuming compute,
#   compute.<host>, compute_fanout_<uuid>; one consuming reply_<uuid>; one that only publishes. Topic
#   queues have no arguments, fanout and reply queues x-expires 1800000; all classic, non-durable.
#   conductor.<hostname> and scheduler.<hostname> use the machine's host name.
set -euo pipefail

PREFIX="${NOVA_PREFIX:-lensnova}"
VHOST="${NOVA_VHOST:-nova_real}"
AMQP_BASE="${NOVA_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
AMQP_BASE="${AMQP_BASE%/}"
# oslo.messaging reads the scheme as the driver: amqp:// is its AMQP 1.0 driver (needs pyngus, and
# RabbitMQ 3.10 speaks 0-9-1 on 5672); rabbit:// is the RabbitMQ one.
case "$AMQP_BASE" in
  amqp://*) TRANSPORT_URL="rabbit://${AMQP_BASE#amqp://}/$VHOST" ;;
  amqps://*) TRANSPORT_URL="rabbit://${AMQP_BASE#amqps://}/$VHOST?ssl=1" ;;
  *) TRANSPORT_URL="$AMQP_BASE/$VHOST" ;;
esac
HOSTS="${NOVA_HOSTS:-compute-1 compute-2 compute-3}"
STATE="${NOVA_STATE_DIR:-/tmp/$PREFIX}"
MGMT_URL="${NOVA_MGMT_URL:-http://127.0.0.1:15672}"
MGMT_USER="${NOVA_MGMT_USER:-guest:guest}"
read -r -a PG <<<"${NOVA_PG:--h 127.0.0.1 -U postgres}"
PG_HOST="${NOVA_PG_HOST:-127.0.0.1}"
PLACEMENT_PORT="${NOVA_PLACEMENT_PORT:-8778}"
TIMEOUT="${NOVA_TIMEOUT:-90}"
PY=/usr/bin/python3
EXTRA="${NOVA_EXTRA:-}"
OSLO_OPTIONS="${NOVA_OSLO_OPTIONS:-}"
CHROOT="${NOVA_CHROOT:-}"
CHROOT="${CHROOT%/}"
# Prefixes: SYS for dpkg-query/apt-get, RUN for the python programs (empty without NOVA_CHROOT).
SYS=() RUN=()
if [ -n "$CHROOT" ]; then
  SYS=(chroot "$CHROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)
  # $STATE appears inside the root at the same path, so that every path in the files and command
  # lines (and what `ours` looks for) is the same inside and out. Each step execs the next.
  RUN=(unshare --mount --propagation private /bin/sh -c 'r="$1" s="$2"; shift 2
    mount --bind "$s" "$r$s" && exec chroot "$r" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
      CELL0_URL="${CELL0_URL:-}" "$@"' sh "$CHROOT" "$STATE")
fi
DBS=("${PREFIX}_api" "${PREFIX}_cell0" "${PREFIX}_cell1" "${PREFIX}_placement")
for x in $EXTRA; do
  case "$x" in cinder|heat|neutron) DBS+=("${PREFIX}_$x") ;; *) echo "NOVA_EXTRA: unknown service $x (cinder heat neutron)" >&2; exit 2 ;; esac
done
# stop drops these whatever NOVA_EXTRA says now.
ALL_DBS=("${PREFIX}_api" "${PREFIX}_cell0" "${PREFIX}_cell1" "${PREFIX}_placement" "${PREFIX}_cinder" "${PREFIX}_heat" "${PREFIX}_neutron")
MARKER="$STATE/.lens-nova"

log() { printf '\033[1m[nova]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[[ "$PREFIX" =~ ^[a-z_][a-z0-9_]*$ ]] || die "NOVA_PREFIX must be a lower-case SQL identifier: $PREFIX"
[[ "$VHOST" =~ ^[A-Za-z0-9_.-]+$ ]] || die "NOVA_VHOST must be [A-Za-z0-9_.-]+: $VHOST"
[ "$VHOST" != openstack ] || die "NOVA_VHOST=openstack is the simulator's vhost; choose another"
case "$STATE" in /|/tmp|/tmp/|"") die "NOVA_STATE_DIR=$STATE is not a dir of its own" ;; esac
for h in $HOSTS; do [[ "$h" =~ ^[A-Za-z0-9_.-]+$ ]] || die "bad host name in NOVA_HOSTS: $h"; done
OSLO_RABBIT=""
for o in $OSLO_OPTIONS; do
  case "$o" in
    # oslo.messaging refuses rabbit_stream_fanout without a prefetch ("Configuration Error").
    kolla) OSLO_RABBIT+=$'rabbit_quorum_queue = true\nrabbit_transient_quorum_queue = true\nrabbit_stream_fanout = true\nuse_queue_manager = true\nrabbit_qos_prefetch_count = 50\n' ;;
    [a-z]*=*) OSLO_RABBIT+="${o%%=*} = ${o#*=}"$'\n' ;;
    *) die "NOVA_OSLO_OPTIONS: \"$o\" is neither kolla nor <option>=<value>" ;;
  esac
done

mgmt() { # METHOD PATH [BODY] -> body on stdout, fails on HTTP >= 400
  local method="$1" path="$2" body="${3:-}"
  if [ -n "$body" ]; then
    curl -sf -u "$MGMT_USER" -X "$method" -H 'content-type: application/json' -d "$body" "$MGMT_URL$path"
  else
    curl -sf -u "$MGMT_USER" -X "$method" "$MGMT_URL$path"
  fi
}
psql_() { psql "${PG[@]}" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# --- processes -------------------------------------------------------------------------------------
names() {
  echo placement-api nova-conductor nova-scheduler; for h in $HOSTS; do echo "nova-compute-$h"; done
  for x in $EXTRA; do case "$x" in cinder) echo cinder-scheduler ;; heat) echo heat-engine ;; neutron) echo neutron-rpc-server ;; esac; done
}
has_extra() { [[ " $EXTRA " == *" $1 "* ]]; }
# All names with a pid file (the hosts of the run that wrote them, whatever NOVA_HOSTS says now).
recorded() { [ -d "$STATE/run" ] && ls "$STATE/run" 2>/dev/null | sed -n 's/\.pid$//p' || true; }
pid_of() { cat "$STATE/run/$1.pid" 2>/dev/null || true; }
# Alive and ours: its command line names our state dir (guards against a pid reused by the system).
ours() { local pid="$1"; [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE/"; }

launch() { # NAME PROGRAM ARGS...: in the background, own session, stdout+stderr to its log
  local name="$1"; shift
  setsid "${RUN[@]}" "$@" >"$STATE/log/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/run/$name.pid"
}

# --- packages --------------------------------------------------------------------------------------
install_packages() {
  local missing=() p
  local want=(python3-nova python3-placement python3-psycopg2) x
  for x in $EXTRA; do want+=("python3-$x"); done
  for p in "${want[@]}"; do
    "${SYS[@]}" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (Debian packages, no recommends${CHROOT:+, in $CHROOT})"
  local t0; t0="$(now)"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${SYS[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"/tmp/$PREFIX-apt.log" 2>&1; then
    "${SYS[@]}" apt-get update -qq >>"/tmp/$PREFIX-apt.log" 2>&1 || true
    "${SYS[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"/tmp/$PREFIX-apt.log" 2>&1 \
      || { tail -20 "/tmp/$PREFIX-apt.log" >&2; die "apt-get install failed (log: /tmp/$PREFIX-apt.log)"; }
  fi
  rm -f "/tmp/$PREFIX-apt.log"
  log "installed in $(since "$t0") s"
}

# --- files -----------------------------------------------------------------------------------------
write_files() {
  mkdir -p "$STATE"/{bin,etc,log,run,lock,state}
  touch "$MARKER"
  [ -z "$CHROOT" ] || mkdir -p "$CHROOT$STATE"   # where RUN bind-mounts it
  local db="postgresql+psycopg2://postgres@$PG_HOST"
  wrapper() { # NAME MODULE [FUNCTION]
    printf '#!%s\nimport sys\nfrom %s import %s as main\nsys.exit(main())\n' "$PY" "$2" "${3:-main}" >"$STATE/bin/$1"
    chmod +x "$STATE/bin/$1"
  }
  wrapper nova-manage nova.cmd.manage
  cat >"$STATE/bin/nova-dbsetup" <<EOF
#!$PY
# nova-manage api_db sync; cell_v2 map_cell0; cell_v2 create_cell --name cell1; db sync: in one
# process (each nova-manage spends ~5 s importing nova). Same calls as nova.cmd.manage.main makes.
import os, sys
from nova.cmd import manage  # first: nova.cmd monkey-patches for eventlet
from oslo_log import log as logging
from nova import config, objects, rpc
config.parse_args(sys.argv)
logging.setup(manage.CONF, 'nova')
objects.register_all()
steps = [
    ('api_db sync', lambda: manage.ApiDbCommands().sync()),
    ('cell_v2 map_cell0', lambda: manage.CellV2Commands().map_cell0(os.environ['CELL0_URL'])),
    ('cell_v2 create_cell --name cell1', lambda: manage.CellV2Commands().create_cell(name='cell1', verbose=True)),
    ('db sync', lambda: manage.DbCommands().sync()),
]
for name, step in steps:
    print('nova-manage', name, flush=True)
    rc = step()
    if rc:
        sys.exit('nova-manage %s: exit code %s' % (name, rc))
rpc.cleanup()
EOF
  chmod +x "$STATE/bin/nova-dbsetup"
  wrapper nova-conductor nova.cmd.conductor
  wrapper nova-scheduler nova.cmd.scheduler
  wrapper nova-compute nova.cmd.compute
  wrapper placement-manage placement.cmd.manage
  cat >"$STATE/bin/placement-api" <<EOF
#!$PY
# placement's WSGI app in the standard library's server, one thread per request.
import os, socketserver, sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
os.environ['OS_PLACEMENT_CONFIG_DIR'] = sys.argv[1]
from placement.wsgi import init_application
class Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
class Handler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.address_string(), fmt % args))
app = init_application()
make_server('127.0.0.1', int(sys.argv[2]), app, Server, Handler).serve_forever()
EOF
  chmod +x "$STATE/bin/placement-api"

  cat >"$STATE/etc/placement.conf" <<EOF
[DEFAULT]
use_stderr = true
[api]
auth_strategy = noauth2
[placement_database]
connection = $db/${PREFIX}_placement
EOF
  # Shared by every nova program.
  cat >"$STATE/etc/nova.conf" <<EOF
[DEFAULT]
transport_url = $TRANSPORT_URL
use_stderr = true
state_path = $STATE/state
graceful_shutdown_timeout = 2
[conductor]
workers = 1
[scheduler]
workers = 1
[placement]
auth_type = admin_token
endpoint = http://127.0.0.1:$PLACEMENT_PORT
endpoint_override = http://127.0.0.1:$PLACEMENT_PORT
token = admin
[oslo_concurrency]
lock_path = $STATE/lock
EOF
  [ -z "$OSLO_RABBIT" ] || printf '[oslo_messaging_rabbit]\n%s' "$OSLO_RABBIT" >>"$STATE/etc/nova.conf"
  # The databases, for nova-manage, the conductor and the scheduler only (see the top).
  cat >"$STATE/etc/nova-db.conf" <<EOF
[api_database]
connection = $db/${PREFIX}_api
[database]
connection = $db/${PREFIX}_cell1
EOF
  # Each compute: its own host name and state dir on top of the shared file.
  local h
  for h in $HOSTS; do
    mkdir -p "$STATE/state/$h"
    cat >"$STATE/etc/nova-compute-$h.conf" <<EOF
[DEFAULT]
host = $h
compute_driver = fake.FakeDriver
state_path = $STATE/state/$h
EOF
    # use_queue_manager names reply and fanout queues <hostname>:<process>:<n>, n counted per process
    # group: computes sharing this machine's name all got reply_<machine>:nova-compute:1, took each
    # other's replies and timed out on their first conductor call. One name per host, as on a cloud.
    if [[ "$OSLO_RABBIT" == *"use_queue_manager = true"* ]]; then
      printf '[oslo_messaging_rabbit]\nhostname = %s\n' "$h" >>"$STATE/etc/nova-compute-$h.conf"
    fi
  done
  # Optional services (NOVA_EXTRA), same broker and vhost, no Keystone, a database each.
  local common="transport_url = $TRANSPORT_URL
use_stderr = true
graceful_shutdown_timeout = 2"
  local locks="[oslo_concurrency]
lock_path = $STATE/lock"
  if has_extra cinder; then
    wrapper cinder-manage cinder.cmd.manage
    wrapper cinder-scheduler cinder.cmd.scheduler
    printf '[DEFAULT]\n%s\nauth_strategy = noauth\nstate_path = %s\n[database]\nconnection = %s\n%s\n' \
      "$common" "$STATE/state" "$db/${PREFIX}_cinder" "$locks" >"$STATE/etc/cinder.conf"
  fi
  if has_extra heat; then
    wrapper heat-manage heat.cmd.manage
    wrapper heat-engine heat.cmd.engine
    printf '[DEFAULT]\n%s\nnum_engine_workers = 1\n[database]\nconnection = %s\n%s\n' \
      "$common" "$db/${PREFIX}_heat" "$locks" >"$STATE/etc/heat.conf"
  fi
  if has_extra neutron; then
    wrapper neutron-db-manage neutron.db.migration.cli
    wrapper neutron-rpc-server neutron.cmd.eventlet.server main_rpc_eventlet
    printf '[DEFAULT]\n%s\ncore_plugin = ml2\nauth_strategy = noauth\nrpc_workers = 0\nrpc_state_report_workers = 0\nnotify_nova_on_port_status_changes = false\nnotify_nova_on_port_data_changes = false\nstate_path = %s\n[ml2]\ntype_drivers = flat\ntenant_network_types =\nmechanism_drivers =\n[database]\nconnection = %s\n%s\n' \
      "$common" "$STATE/state" "$db/${PREFIX}_neutron" "$locks" >"$STATE/etc/neutron.conf"
  fi
}

# --- broker and databases --------------------------------------------------------------------------
make_vhost() {
  mgmt DELETE "/api/vhosts/$VHOST" >/dev/null 2>&1 || true   # a leftover of a failed run
  mgmt PUT "/api/vhosts/$VHOST" '{"description":"real nova (scripts/nova.sh)"}' >/dev/null \
    || die "cannot create vhost $VHOST through $MGMT_URL"
  mgmt PUT "/api/permissions/$VHOST/${MGMT_USER%%:*}" '{"configure":".*","write":".*","read":".*"}' >/dev/null \
    || die "cannot set permissions on $VHOST"
}
# Each DROP DATABASE waits for a checkpoint (8 s for the first one here): only those that exist, and
# side by side, so that they share it.
drop_dbs() {
  local d existing; existing="$(psql_ -Atc 'SELECT datname FROM pg_database' 2>/dev/null || true)"
  for d in "${ALL_DBS[@]}"; do
    if grep -qxF "$d" <<<"$existing"; then psql_ -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" & fi
  done
  wait
}
make_dbs() {
  pg_isready -q "${PG[@]}" || die "PostgreSQL does not answer (${PG[*]})"
  drop_dbs
  local d; for d in "${DBS[@]}"; do psql_ -c "CREATE DATABASE $d" || die "cannot create database $d"; done
}

# Schema steps run side by side; each its log; a failure shows the tail of its log.
BG_NAMES=(); BG_PIDS=()
bg_step() { local name="$1"; shift; ( "${RUN[@]}" "$@" >>"$STATE/log/$name.log" 2>&1 ) & BG_PIDS+=($!); BG_NAMES+=("$name"); }
wait_bg() {
  local i failed=0
  for i in "${!BG_PIDS[@]}"; do
    wait "${BG_PIDS[$i]}" && continue
    failed=1; log "--- ${BG_NAMES[$i]} failed; last lines of $STATE/log/${BG_NAMES[$i]}.log"; tail -20 "$STATE/log/${BG_NAMES[$i]}.log" >&2
  done
  [ $failed -eq 0 ] || die "making the databases failed"
}
sync_dbs() {
  export CELL0_URL="postgresql+psycopg2://postgres@$PG_HOST/${PREFIX}_cell0"
  bg_step nova-manage "$STATE/bin/nova-dbsetup" --config-file "$STATE/etc/nova.conf" --config-file "$STATE/etc/nova-db.conf"
  bg_step placement-manage "$STATE/bin/placement-manage" --config-file "$STATE/etc/placement.conf" db sync
  has_extra cinder && bg_step cinder-manage "$STATE/bin/cinder-manage" --config-file "$STATE/etc/cinder.conf" db sync
  has_extra heat && bg_step heat-manage "$STATE/bin/heat-manage" --config-file "$STATE/etc/heat.conf" db_sync
  has_extra neutron && bg_step neutron-db-manage "$STATE/bin/neutron-db-manage" --config-file "$STATE/etc/neutron.conf" upgrade heads
  wait_bg
}

# --- waiting ---------------------------------------------------------------------------------------
# Queues of the vhost with at least one consumer, one a line.
consumed_queues() {
  mgmt GET "/api/queues/$VHOST?columns=name,consumers" 2>/dev/null | "$PY" -c '
import json, sys
try:
    qs = json.load(sys.stdin)
except ValueError:
    qs = []
for q in qs:
    if q.get("consumers", 0) > 0:
        print(q["name"])'
}
fail_start() { # NAME MESSAGE: tail of its log, kill what we started, keep logs for a look
  local name="$1"; shift
  log "$*"
  if [ -f "$STATE/log/$name.log" ]; then
    log "--- last lines of $STATE/log/$name.log"; tail -25 "$STATE/log/$name.log" >&2
  fi
  kill_all
  die "start failed; logs stay in $STATE/log; 'bash scripts/nova.sh stop' removes everything"
}
# Alive (not a zombie); for our own children right after launch, before they exec.
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$s" != Z* ]]; }
check_alive() { local n; for n in "$@"; do alive "$(pid_of "$n")" || fail_start "$n" "$n exited"; done; }
# Waits until each "queue=process" pair has a consumer; fails on a dead process or at the deadline.
wait_consumers() {
  local deadline="$1"; shift
  local pair missing procs=()
  for pair in "$@"; do procs+=("${pair#*=}"); done
  while :; do
    check_alive "${procs[@]}"
    local have; have="$(consumed_queues)"
    missing=()
    for pair in "$@"; do grep -qxF "${pair%%=*}" <<<"$have" || missing+=("$pair"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail_start "${missing[0]#*=}" "no consumer on queue ${missing[0]%%=*} after ${TIMEOUT} s (missing: ${missing[*]%%=*})"
    fi
    sleep 1
  done
}
wait_placement() {
  local deadline="$1"
  until curl -sf -o /dev/null "http://127.0.0.1:$PLACEMENT_PORT/"; do
    check_alive placement-api
    [ "$(date +%s)" -lt "$deadline" ] || fail_start placement-api "placement does not answer on :$PLACEMENT_PORT after ${TIMEOUT} s"
    sleep 0.5
  done
}

# --- commands --------------------------------------------------------------------------------------
kill_all() {
  local n pid live=()
  # Each was started by setsid: its pid is its process group, which holds any worker it forks.
  for n in $(recorded); do pid="$(pid_of "$n")"; ours "$pid" && { kill -TERM -- "-$pid" 2>/dev/null || true; live+=("$pid"); }; done
  [ ${#live[@]} -eq 0 ] && return 0
  for _ in $(seq 50); do   # 10 s for a graceful stop
    local any=0; for pid in "${live[@]}"; do ours "$pid" && any=1; done
    [ $any -eq 0 ] && return 0
    sleep 0.2
  done
  for pid in "${live[@]}"; do ours "$pid" && kill -KILL -- "-$pid" 2>/dev/null || true; done
  sleep 0.5
}

cmd_start() {
  local t0; t0="$(now)"
  local n
  for n in $(recorded); do ours "$(pid_of "$n")" && die "already running ($n, pid $(pid_of "$n")); 'bash scripts/nova.sh stop' first"; done
  if ss -ltn "sport = :$PLACEMENT_PORT" | grep -q LISTEN; then die "port $PLACEMENT_PORT is taken (NOVA_PLACEMENT_PORT)"; fi
  command -v curl >/dev/null || die "curl is needed"
  mgmt GET /api/overview >/dev/null || die "RabbitMQ's management API does not answer at $MGMT_URL"
  if [ -n "$CHROOT" ]; then
    [ -x "$CHROOT/usr/bin/python3" ] || die "NOVA_CHROOT=$CHROOT has no /usr/bin/python3"
    mountpoint -q "$CHROOT/proc" && mountpoint -q "$CHROOT/dev" || die "mount /proc and /dev in $CHROOT first (scripts/forky.sh nova does)"
  fi
  install_packages
  local t1; t1="$(now)"

  [ -d "$STATE" ] && [ -f "$MARKER" ] && rm -rf "$STATE"
  [ -e "$STATE" ] && die "$STATE exists and is not ours"
  write_files
  make_vhost
  make_dbs

  sync_dbs
  log "databases made in $(since "$t1") s"

  local deadline=$(( $(date +%s) + TIMEOUT ))
  launch placement-api "$STATE/bin/placement-api" "$STATE/etc" "$PLACEMENT_PORT"
  launch nova-conductor "$STATE/bin/nova-conductor" --config-file "$STATE/etc/nova.conf" --config-file "$STATE/etc/nova-db.conf"
  launch nova-scheduler "$STATE/bin/nova-scheduler" --config-file "$STATE/etc/nova.conf" --config-file "$STATE/etc/nova-db.conf"
  local h pairs=(conductor=nova-conductor scheduler=nova-scheduler)
  if has_extra cinder; then launch cinder-scheduler "$STATE/bin/cinder-scheduler" --config-file "$STATE/etc/cinder.conf"; pairs+=(cinder-scheduler=cinder-scheduler); fi
  if has_extra heat; then launch heat-engine "$STATE/bin/heat-engine" --config-file "$STATE/etc/heat.conf"; pairs+=(engine=heat-engine); fi
  if has_extra neutron; then launch neutron-rpc-server "$STATE/bin/neutron-rpc-server" --config-file "$STATE/etc/neutron.conf"; pairs+=(q-plugin=neutron-rpc-server); fi
  wait_placement "$deadline"
  wait_consumers "$deadline" conductor=nova-conductor
  for h in $HOSTS; do
    launch "nova-compute-$h" "$STATE/bin/nova-compute" --config-file "$STATE/etc/nova.conf" --config-file "$STATE/etc/nova-compute-$h.conf"
    pairs+=("compute.$h=nova-compute-$h")
  done
  wait_consumers "$deadline" "${pairs[@]}"
  for n in $(names); do printf '%-28s pid %s\n' "$n" "$(pid_of "$n")"; done
  log "up in $(since "$t0") s (vhost $VHOST, placement http://127.0.0.1:$PLACEMENT_PORT, state $STATE)"
}

cmd_stop() {
  [ -d "$STATE" ] && [ ! -f "$MARKER" ] && die "$STATE is not ours (no $MARKER); not touching it"
  kill_all
  local n left=0
  for n in $(recorded); do ours "$(pid_of "$n")" && { log "still running: $n ($(pid_of "$n"))"; left=1; }; done
  mgmt DELETE "/api/vhosts/$VHOST" >/dev/null 2>&1 || true
  drop_dbs
  [ $left -eq 0 ] && rm -rf "$STATE"
  [ -z "$CHROOT" ] || rmdir "$CHROOT$STATE" 2>/dev/null || true
  # The computes' queue manager counters (use_queue_manager), /dev/shm/<hostname>_<process>_qmanager.
  local h; for h in $HOSTS; do rm -f "/dev/shm/${h}_nova-compute_qmanager"; done
  [ $left -eq 0 ] || die "some processes survive KILL; $STATE kept"
  log "stopped; vhost $VHOST deleted, databases ${PREFIX}_* dropped, $STATE removed"
}

cmd_status() {
  local n pid any=0
  if [ -z "$(recorded)" ]; then echo "not started ($STATE)"; return 1; fi
  for n in $(recorded); do
    pid="$(pid_of "$n")"
    if ours "$pid"; then printf '%-28s pid %-8s running\n' "$n" "$pid"; any=1; else printf '%-28s pid %-8s not running\n' "$n" "$pid"; fi
  done
  local q; q="$(consumed_queues | tr '\n' ' ')"
  echo "queues with consumers on $VHOST: ${q:-none}"
  [ $any -eq 1 ]
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status   (see the top of the file for settings)" >&2; exit 2 ;;
esac
