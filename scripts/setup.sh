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

# The management API, and the Prometheus plugin (queue statistics when the management API has none).
for plugin in rabbitmq_management rabbitmq_prometheus; do
  if ! as_root rabbitmq-plugins -q list -e -m 2>/dev/null | grep -qx "$plugin"; then
    log "enabling $plugin"
    as_root rabbitmq-plugins -q enable "$plugin" >/dev/null
  fi
done
url="${RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}"
for _ in $(seq 60); do
  curl -fsS -o /dev/null -u "${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}" "$url/api/overview" && break
  sleep 1
done
curl -fsS -o /dev/null -u "${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}" "$url/api/overview" \
  || { echo "the management API at $url does not answer" >&2; exit 1; }

# npm dependencies exactly as locked (the lock file holds every platform's optional packages,
# so `npm ci` takes it on any machine). Playwright never downloads a browser here: it drives
# /usr/bin/chromium.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
log "ready"
