#!/usr/bin/env bash
# Makes ChargeLink's broker accounts and grants each the least it needs, idempotently (infra/up.sh runs it; tests and the
# chaos run call it for a vhost of their own):
#   usage: rabbitmq-accounts.sh [chargelink-vhost] [payment-cloud-vhost]
# ChargeLink's services talk to each other in a vhost of their own (default "chargelink", CHARGELINK_RABBITMQ_VHOST). The
# payment cloud's two queues live in the payment cloud's vhost (default "/", the path of CHARGELINK_RABBITMQ), where
# nothing of ChargeLink's internals exists: publishing "to a queue" goes through the default exchange, and write access to
# it reaches every queue of its vhost, so the only safe place for internal queues is another vhost.
# RabbitMQ permissions are three regular expressions per user and vhost: configure (declare, delete), write (publish to an
# exchange, bind to a queue), read (consume a queue, bind from an exchange). Each account below names its own entities.
# RABBITMQCTL: the command that runs rabbitmqctl (e.g. inside a container); default rabbitmqctl on this machine.
set -euo pipefail
internal_vhost=${1:-${CHARGELINK_RABBITMQ_VHOST:-chargelink}}
cloud_vhost=${2:-/}
read -r -a ctl <<<"${RABBITMQCTL:-rabbitmqctl}"
# The administrator of CHARGELINK_RABBITMQ (tests and tools that purge and inspect) keeps full rights on ChargeLink's vhost.
admin_url=${CHARGELINK_RABBITMQ:-amqp://guest:guest@127.0.0.1:5672/}
admin_user=
case "$admin_url" in *@*) admin_user=${admin_url#*://}; admin_user=${admin_user%%@*}; admin_user=${admin_user%%:*} ;; esac

say() { printf 'infra: %s\n' "$*"; }
rmq() { "${ctl[@]}" -q "$@"; }

account() { # user password
  if rmq list_users | awk '{print $1}' | grep -qxF "$1"; then
    rmq change_password "$1" "$2" >/dev/null
  else
    rmq add_user "$1" "$2" >/dev/null
  fi
  rmq set_user_tags "$1" >/dev/null
}
grant() { # vhost user configure write read
  rmq set_permissions -p "$1" "$2" "$3" "$4" "$5" >/dev/null
}

[ "$internal_vhost" != "$cloud_vhost" ] || { echo "infra: ChargeLink's vhost must not be the payment cloud's ($cloud_vhost)" >&2; exit 1; }
for vhost in "$internal_vhost" "$cloud_vhost"; do
  rmq list_vhosts | grep -qxF "$vhost" || rmq add_vhost "$vhost" >/dev/null
  [ -z "$admin_user" ] || grant "$vhost" "$admin_user" '.*' '.*' '.*'
done

gateway=${CHARGELINK_GATEWAY_BROKER_USER:-chargelink-gateway}
orchestrator=${CHARGELINK_ORCHESTRATOR_BROKER_USER:-chargelink-orchestrator}
adapter=${CHARGELINK_PAYMENT_ADAPTER_BROKER_USER:-chargelink-payment-adapter}
account "$gateway" "${CHARGELINK_GATEWAY_BROKER_PASSWORD:-dev-gateway}"
account "$orchestrator" "${CHARGELINK_ORCHESTRATOR_BROKER_PASSWORD:-dev-orchestrator}"
account "$adapter" "${CHARGELINK_PAYMENT_ADAPTER_BROKER_PASSWORD:-dev-payment-adapter}"
account payment-cloud "${CHARGELINK_PAYMENT_CLOUD_BROKER_PASSWORD:-dev-payment-cloud}"

# Each message type has its exchange chargelink.<type>.v1 ([EntityName] in src/ChargeLink.Contracts); a receive endpoint
# has an exchange and a queue of its name, and MassTransit adds <name>_error and <name>_skipped.
gateway_publishes='(connector-status-changed|transaction-started|transaction-stopped|meter-values-reported|remote-start-completed|remote-stop-completed|station-booted|operator-act-completed)\.v1'
group_messages='(connector-status-changed|transaction-started|transaction-stopped|meter-values-reported|remote-start-completed|station-booted|payment-authorized|payment-cancellation-routed|group-deadline-due|operator-void-requested|operator-station-act-requested|operator-act-completed)\.v1'
orchestrator_publishes='(capture-payment|void-payment|group-deadline-due|payment-cancellation-routed|operator-void-requested|operator-station-act-requested)\.v1'
adapter_publishes='(payment-authorized|payment-cancelled-at-terminal)\.v1'
settlements='(capture-payment|void-payment)\.v1'
faults='(_error|_skipped)?'

# Gateway: publishes station facts; takes commands from its own queue (bound to chargelink.station-commands by station id)
# and from the unroutable queue; never sends a command.
grant "$internal_vhost" "$gateway" \
  "^chargelink\.(gateway\..*|station-commands|station-commands\.unroutable$faults|$gateway_publishes)\$" \
  "^chargelink\.(gateway\..*|station-commands\.unroutable$faults|$gateway_publishes)\$" \
  "^chargelink\.(gateway\..*|station-commands|station-commands\.unroutable$faults)\$"
# Orchestrator: reads the group partitions (fed from the group messages' exchanges) and the cancellations; sends station
# commands and publishes settlements, deadlines and routed cancellations.
grant "$internal_vhost" "$orchestrator" \
  "^chargelink\.(orchestrator\..*|station-commands|station-commands\.unroutable|$group_messages|$orchestrator_publishes|payment-cancelled-at-terminal\.v1)\$" \
  "^chargelink\.(orchestrator\..*|station-commands|$orchestrator_publishes)\$" \
  "^chargelink\.(orchestrator\..*|$group_messages|payment-cancelled-at-terminal\.v1)\$"
# Payment adapter, inside: publishes authorizations and cancellations, reads settlements.
grant "$internal_vhost" "$adapter" \
  "^chargelink\.(payment-adapter\..*|$adapter_publishes|$settlements)\$" \
  "^chargelink\.(payment-adapter\..*|$adapter_publishes)\$" \
  "^chargelink\.(payment-adapter\..*|$settlements)\$"
# Payment adapter, at the payment cloud: consumes authorizations (dead-lettering refused ones), publishes instructions.
grant "$cloud_vhost" "$adapter" \
  "^(payment-cloud\.(authorizations|instructions)$faults|chargelink\.payment-adapter\..*)\$" \
  "^(amq\.default|payment-cloud\.(authorizations|instructions)$faults|chargelink\.payment-adapter\..*)\$" \
  "^(payment-cloud\.authorizations$faults|chargelink\.payment-adapter\..*)\$"
# The payment cloud (a contract): publishes to payment-cloud.authorizations (through the default exchange or the exchange
# of that name), consumes payment-cloud.instructions, reads the dead-letter queue of refused authorizations; may declare
# its two queues (a client that asserts them before use), nothing else. No permission at all on ChargeLink's vhost.
grant "$cloud_vhost" payment-cloud \
  '^payment-cloud\.(authorizations|instructions)$' \
  '^(amq\.default|payment-cloud\.authorizations)$' \
  '^payment-cloud\.(instructions|authorizations_error)$'
rmq clear_permissions -p "$internal_vhost" payment-cloud >/dev/null 2>&1 || true
say "broker accounts $gateway, $orchestrator, $adapter on vhost $internal_vhost; payment-cloud on vhost $cloud_vhost"
