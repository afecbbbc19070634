#!/usr/bin/env bash
# Starts (or stops) the partner simulators, every service and the gateway as local processes,
# against the infrastructure of infra.sh, and waits until each answers its health endpoint.
# Only here and in the tests do simulators run: deploy/ talks to the real partners.
#
#   deploy/local/stack.sh start|stop|status
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VAR=${OMS_VAR:-$ROOT/var}
PY="$ROOT/.venv/bin/python"
# name:port, in start order (simulators first, the gateway last).
SERVICES=(pgsim:8190 naversim:8191 talksim:8192 trackersim:8193 paypalsim:8195 orders:8101 inventory:8102 claims:8103 coupons:8104 integrations:8105 gateway:8000)
module() { case $1 in pgsim) echo simulators.pg ;; naversim) echo simulators.naverpay ;; talksim) echo simulators.talkcheckout ;; trackersim) echo simulators.tracker ;; paypalsim) echo simulators.paypal ;; *) echo "$1" ;; esac; }
mkdir -p "$VAR/logs" "$VAR/run"

say() { printf '[stack] %s\n' "$*" >&2; }
running() { [ -f "$VAR/run/$1.pid" ] && kill -0 "$(cat "$VAR/run/$1.pid")" 2>/dev/null; }

start() {
  # shellcheck disable=SC1091
  source "$VAR/infra.env"
  export ORDERS_URL=${ORDERS_URL:-http://127.0.0.1:8101}
  export INVENTORY_URL=${INVENTORY_URL:-http://127.0.0.1:8102}
  export CLAIMS_URL=${CLAIMS_URL:-http://127.0.0.1:8103}
  export COUPONS_URL=${COUPONS_URL:-http://127.0.0.1:8104}
  export INTEGRATIONS_URL=${INTEGRATIONS_URL:-http://127.0.0.1:8105}
  export PG_API_URL=${PG_API_URL:-http://127.0.0.1:8190} PGSIM_MONGODB_URL=$MONGODB_URL
  # PayPal's simulator signs its webhooks with a certificate it serves itself, on loopback.
  export PAYPAL_CERT_HOSTS=${PAYPAL_CERT_HOSTS:-127.0.0.1}
  export NAVERSIM_MONGODB_URL=$MONGODB_URL TALKSIM_MONGODB_URL=$MONGODB_URL TRACKERSIM_MONGODB_URL=$MONGODB_URL PAYPALSIM_MONGODB_URL=$MONGODB_URL
  export TRACKING_CALLBACK_URL=${TRACKING_CALLBACK_URL:-http://127.0.0.1:8105/webhooks/tracker}
  local started=$SECONDS
  for entry in "${SERVICES[@]}"; do
    local name=${entry%%:*} port=${entry##*:}
    running "$name" && continue
    HTTP_PORT=$port PGSIM_HTTP_PORT=$port NAVERSIM_HTTP_PORT=$port TALKSIM_HTTP_PORT=$port TRACKERSIM_HTTP_PORT=$port PAYPALSIM_HTTP_PORT=$port nohup "$PY" -m "$(module "$name")" >>"$VAR/logs/$name.log" 2>&1 &
    echo $! >"$VAR/run/$name.pid"
  done
  for entry in "${SERVICES[@]}"; do
    local name=${entry%%:*} port=${entry##*:} deadline=$((SECONDS + 90))
    until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
      if ! running "$name"; then say "$name exited; last log lines:"; tail -20 "$VAR/logs/$name.log" >&2; exit 1; fi
      if ((SECONDS > deadline)); then say "$name not healthy after 90 s"; exit 1; fi
      sleep 0.3
    done
  done
  say "all services healthy in $((SECONDS - started)) s"
}

stop() {
  for entry in "${SERVICES[@]}"; do
    local name=${entry%%:*}
    if running "$name"; then
      kill "$(cat "$VAR/run/$name.pid")" 2>/dev/null || true
    fi
  done
  for entry in "${SERVICES[@]}"; do
    local name=${entry%%:*}
    if [ -f "$VAR/run/$name.pid" ]; then
      local pid; pid=$(cat "$VAR/run/$name.pid")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$VAR/run/$name.pid"
    fi
  done
  say "stopped"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) for e in "${SERVICES[@]}"; do n=${e%%:*}; running "$n" && echo "$n: running" || echo "$n: stopped"; done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
