#!/usr/bin/env bash
# Makes a fresh machine ready: system packages, RabbitMQ with its management
# plugin, and the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: Chromium for the browser tests, a real oslo.messaging for the compatibility tests.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import oslo_messaging' 2>/dev/null || missing+=(python3-oslo.messaging)
command -v rabbitmqctl >/dev/null || missing+=(rabbitmq-server)
command -v openssl >/dev/null || missing+=(openssl)   # certificates for the TLS test
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)   # the store's PostgreSQL tests
# better-sqlite3 is compiled at install (no prebuilt binary comes from behind a firewall).
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A real nova (Zed) for the tests that run OpenStack itself (scripts/nova.sh): its Python modules only.
nova=()
for p in python3-nova python3-placement python3-psycopg2; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || nova+=("$p")
done
if [ ${#nova[@]} -gt 0 ]; then
  log "installing ${nova[*]} (no recommends)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${nova[@]}" >/dev/null \
    || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${nova[@]}" >/dev/null; }
fi

# RabbitMQ running, with the management API.
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached
  as_root rabbitmqctl -q wait --timeout 60 /var/lib/rabbitmq/mnesia/rabbit@"$(hostname -s)".pid >/dev/null 2>&1 || true
  for _ in $(seq 60); do as_root rabbitmqctl -q status >/dev/null 2>&1 && break; sleep 1; done
fi
# PostgreSQL, for the store's tests against it (each test makes a database of its own).
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  pg_lsclusters -h 2>/dev/null | grep -q . || as_root pg_createcluster "$version" main >/dev/null
  as_root pg_ctlcluster "$version" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# The management API, the Prometheus plugin (queue statistics when the management API has none) and
# the broker's events (rabbitmq_event_exchange: amq.rabbitmq.event, which the dashboard follows).
overview_ok() {
  curl -fsS -o /dev/null --max-time 5 -u "${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}" "$1/api/overview" 2>/dev/null
}
# overview_steady URL SECONDS: /api/overview answers 200 three times in a row, a second apart, within SECONDS.
overview_steady() {
  local ok=0
  for _ in $(seq "$2"); do
    if overview_ok "$1"; then ok=$((ok + 1)); [ "$ok" -lt 3 ] || return 0; else ok=0; fi
    sleep 1
  done
  return 1
}
# ensure_plugins NODE URL PLUGIN...: enables on NODE ('' for the default node) the plugins it lacks, at run
# time, then waits until its management API at URL answers /api/overview.
# RabbitMQ 3.10.8 was reported answering 500 there after rabbitmq_event_exchange was enabled at run time
# ({badkey,Node} in rabbit_mgmt_db:node_stats, the Prometheus plugin still answering): the management
# plugin no longer reaches its agent, and waiting does not mend it. Restarting rabbitmq_management_agent
# and rabbitmq_management in place does, in well under a second (up to ~2 s while HTTP clients hold
# keep-alive connections): AMQP connections stay open; the management plugin's statistics start again
# (connections and consumers listed again within ~5 s, rates and samples from zero). Not seen on a fresh
# node, so done only when needed: /api/overview does not answer, or the agent is not serving the plugin
# (not running, or missing from the process group rabbit_mgmt_db asks: what makes node_stats fail).
agent_serving='Agent = whereis(rabbit_mgmt_agent_sup),
  Members = try pg:get_members(rabbitmq_management, management_db) catch _:_ -> [] end,
  application:get_env(rabbitmq_management_agent, disable_metrics_collector, false)
    orelse (is_pid(Agent) andalso lists:member(Agent, Members)).'
restart_management='application:stop(rabbitmq_management), application:stop(rabbitmq_management_agent), application:ensure_all_started(rabbitmq_management).'
ensure_plugins() {
  local node="$1" url="$2" plugin events=0 n=()
  shift 2
  [ -z "$node" ] || n=(-n "$node")
  for plugin in "$@"; do
    if ! as_root rabbitmq-plugins -q "${n[@]}" list -e -m 2>/dev/null | grep -qx "$plugin"; then
      log "enabling $plugin${node:+ on $node}"
      as_root rabbitmq-plugins -q "${n[@]}" enable "$plugin" >/dev/null
      [ "$plugin" != rabbitmq_event_exchange ] || events=1
    fi
  done
  if [ "$events" -eq 1 ] && ! { overview_steady "$url" 20 && [ "$(as_root rabbitmqctl -q "${n[@]}" eval "$agent_serving" 2>/dev/null)" = true ]; }; then
    log "the management API at $url does not answer /api/overview, or its agent does not serve it, since rabbitmq_event_exchange was enabled: restarting rabbitmq_management_agent and rabbitmq_management in place (AMQP connections stay open)"
    as_root rabbitmqctl -q "${n[@]}" eval "$restart_management" >/dev/null
  fi
  for _ in $(seq 60); do overview_ok "$url" && return 0; sleep 1; done
  overview_ok "$url" && return 0
  echo "the management API at $url does not answer /api/overview after 60 s; see the node's log (/var/log/rabbitmq)" >&2
  [ "$events" -eq 0 ] || echo "rabbitmq_event_exchange was just enabled; the management applications were restarted in place if needed: rabbitmqctl${node:+ -n $node} eval '$restart_management'" >&2
  exit 1
}
ensure_plugins "" "${RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}" rabbitmq_management rabbitmq_prometheus rabbitmq_event_exchange

# npm dependencies exactly as locked (the lock file holds every platform's optional packages,
# so `npm ci` takes it on any machine). Playwright never downloads a browser here: it drives
# /usr/bin/chromium.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
log "ready"
