#!/usr/bin/env bash
# `make run`: starts the orchestrator, payment adapter and gateway (already built), waits until all three
# answer GET /health/ready with 200, then prints "ChargeLink ready". Ctrl-C stops all three.
set -uo pipefail
configuration=${1:-Release}
cd "$(dirname "$0")/.."

export CHARGELINK_GATEWAY_URL=${CHARGELINK_GATEWAY_URL:-http://127.0.0.1:9000}
export CHARGELINK_ORCHESTRATOR_URL=${CHARGELINK_ORCHESTRATOR_URL:-http://127.0.0.1:9100}
export CHARGELINK_PAYMENT_URL=${CHARGELINK_PAYMENT_URL:-http://127.0.0.1:9200}
export CHARGELINK_TOPOLOGY=${CHARGELINK_TOPOLOGY:-infra/topology.sample.json}
# Development is a mode, not a default: make run is for a development machine and says so. With
# CHARGELINK_ENVIRONMENT=production every service refuses to start while a secret it uses is unset or a development value.
export CHARGELINK_ENVIRONMENT=${CHARGELINK_ENVIRONMENT:-development}
if [ "$CHARGELINK_ENVIRONMENT" = development ]; then
  echo "Development mode (CHARGELINK_ENVIRONMENT=development): unset secrets take public development values; never on a network others reach"
  if [ -z "${CHARGELINK_PAYMENT_SECRET:-}" ]; then
    export CHARGELINK_PAYMENT_SECRET=dev-secret
    echo "CHARGELINK_PAYMENT_SECRET is not set: using the development default 'dev-secret' (never in production)"
  fi
  if [ -z "${CHARGELINK_OPERATOR_TOKEN:-}" ]; then
    export CHARGELINK_OPERATOR_TOKEN=dev-operator
    echo "CHARGELINK_OPERATOR_TOKEN is not set: using the development default 'dev-operator' (never in production)"
  fi
  # Broker accounts (infra/up.sh made them with the same variables): each service its own, and the payment cloud's.
  for variable in CHARGELINK_GATEWAY_BROKER_PASSWORD:dev-gateway CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD:dev-orchestrator \
    CHARGELINK_PAYMENT_ADAPTER_BROKER_PASSWORD:dev-payment-adapter CHARGELINK_PAYMENT_CLOUD_BROKER_PASSWORD:dev-payment-cloud; do
    name=${variable%%:*}
    [ -n "${!name:-}" ] || echo "$name is not set: using the development default '${variable#*:}' (never in production)"
  done
else
  echo "CHARGELINK_ENVIRONMENT=$CHARGELINK_ENVIRONMENT: every secret must be set (a service names any that is not)"
fi

pids=()
# Background jobs of a script ignore SIGINT, so Ctrl-C reaches the services only through this trap.
# Stop them before printing anything: the terminal (or a pipe) may already be gone.
trap '' PIPE
# stop [status]: 0 when asked to stop (Ctrl-C, SIGTERM), 1 when the start failed, so `make run` and scripts see the failure.
stop() {
  trap - INT TERM
  # A failed start: the others may be refusing too (a secret unset outside development); let each say why first.
  if [ "${1:-0}" != 0 ]; then
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      alive=0
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.5
    done
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  echo "stopping ChargeLink..." || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  echo "stopped" || true
  exit "${1:-0}"
}
trap stop INT TERM HUP

start() { # name project
  local dll="src/$2/bin/$configuration/net10.0/$2.dll"
  [ -f "$dll" ] || { echo "$dll is missing: run 'make build' first" >&2; stop 1; }
  dotnet "$dll" & pids+=($!)
}
start orchestrator ChargeLink.Orchestrator
start payment-adapter ChargeLink.PaymentAdapter
start gateway ChargeLink.Gateway

deadline=$((SECONDS + 90))
for url in "$CHARGELINK_ORCHESTRATOR_URL" "$CHARGELINK_PAYMENT_URL" "$CHARGELINK_GATEWAY_URL"; do
  # This probes our own process on this machine: -k, whatever certificate the operator gave the gateway (self-signed,
  # or from a CA this machine does not trust); --noproxy, since curl would send even 127.0.0.1 to an https_proxy;
  # -m, so that a port that accepts and never answers cannot hold the start beyond its deadline.
  until curl -fsk --noproxy '*' -m 5 -o /dev/null "$url/health/ready"; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a service exited during start (see its log above)" >&2; stop 1; }; done
    [ $SECONDS -lt $deadline ] || { echo "$url/health/ready did not answer 200 within 90 s" >&2; stop 1; }
    sleep 0.5
  done
done

# http -> ws, https -> wss (security profile 2).
gateway_ws=${CHARGELINK_GATEWAY_URL/http/ws}
cat <<INFO

  Stations connect to:      $gateway_ws/ocpp/{chargePointId}   (subprotocol ocpp2.1, ocpp2.0.1 or ocpp1.6)
  Payment cloud logs in:    user payment-cloud (password CHARGELINK_PAYMENT_CLOUD_BROKER_PASSWORD), vhost of CHARGELINK_RABBITMQ
  Payment cloud publishes:  queue payment-cloud.authorizations
                            (signed with x-chargelink-signature, HMAC-SHA256 with CHARGELINK_PAYMENT_SECRET)
  Payment cloud reads:      queue payment-cloud.instructions (refused authorizations: payment-cloud.authorizations_error)
  Topology:                 $CHARGELINK_TOPOLOGY
  Operator console:         $CHARGELINK_ORCHESTRATOR_URL/console   (sign in with CHARGELINK_OPERATOR_TOKEN)
  Read API:                 $CHARGELINK_ORCHESTRATOR_URL/groups/{groupId}   (Authorization: Bearer <CHARGELINK_OPERATOR_TOKEN>)
  Read API described:       $CHARGELINK_ORCHESTRATOR_URL/openapi/v1.json
  Metrics, health detail:   ${CHARGELINK_GATEWAY_MANAGEMENT_URL:-http://127.0.0.1:9001}/metrics, ${CHARGELINK_ORCHESTRATOR_MANAGEMENT_URL:-http://127.0.0.1:9101}/metrics, ${CHARGELINK_PAYMENT_ADAPTER_MANAGEMENT_URL:-http://127.0.0.1:9201}/metrics
  Ctrl-C stops all three.

ChargeLink ready
INFO
wait
