#!/usr/bin/env bash
# Makes RabbitMQ and PostgreSQL answer on the addresses ChargeLink uses, idempotently:
#   1. a service that already answers is used as it is;
#   2. else, where a Docker engine runs, infra/docker-compose.yml starts it;
#   3. else Debian's rabbitmq-server / postgresql are installed (if missing) and started directly,
#      because the package manager's own service start is refused on these machines.
# Then the chargelink role and database are created when they are missing.
# Exits non-zero with a message that says what is missing when it cannot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

rabbit_url=${CHARGELINK_RABBITMQ:-amqp://guest:guest@127.0.0.1:5672/}
pg_conn=${CHARGELINK_POSTGRES:-Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink}

say() { printf 'infra: %s\n' "$*"; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

# host and port out of amqp://user:pass@host:port/vhost
rabbit_hostport=${rabbit_url#*://}; rabbit_hostport=${rabbit_hostport#*@}; rabbit_hostport=${rabbit_hostport%%/*}
rabbit_host=${rabbit_hostport%%:*}; rabbit_port=${rabbit_hostport##*:}
[ "$rabbit_port" = "$rabbit_host" ] && rabbit_port=5672
# Host=..;Port=..;Database=..;Username=..;Password=..
pg_field() { printf '%s' "$pg_conn" | tr ';' '\n' | sed -n "s/^[[:space:]]*$1=//Ip" | head -1; }
pg_host=$(pg_field Host); pg_host=${pg_host:-127.0.0.1}
pg_port=$(pg_field Port); pg_port=${pg_port:-5432}
pg_db=$(pg_field Database); pg_user=$(pg_field Username); pg_pass=$(pg_field Password)

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
wait_for() { # host port seconds what
  local i
  for ((i = 0; i < $3 * 2; i++)); do answers "$1" "$2" && return 0; sleep 0.5; done
  die "$4 did not answer on $1:$2 within $3 s"
}
docker_engine() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }
is_local() { case "$1" in 127.*|localhost|::1) return 0;; *) return 1;; esac; }
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || die "$1 is not installed and there is no apt-get here (nor a Docker engine): install $1 or point the variables at a running one"
  [ "$(id -u)" = 0 ] || die "$1 is not installed; installing it needs root (or start it yourself and set the variables)"
  if [ -z "$apt_updated" ]; then say "apt-get update"; apt-get update -qq >/dev/null; apt_updated=1; fi
  say "installing Debian package(s): $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- RabbitMQ -------------------------------------------------------------------------------
start_local_rabbitmq() {
  say "starting rabbitmq-server (detached)"
  # A node left half-started by an earlier run answers rabbitmqctl but not AMQP; start is then a no-op. The daemon gets
  # none of our other descriptors: one it inherited (a caller's flock, say) would stay held for as long as it runs.
  rabbitmq-server -detached >/dev/null 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || true
  # -detached returns before the node exists, and await_startup fails at once on a node it cannot reach yet.
  deadline=$((SECONDS + 120))
  until timeout 60 rabbitmqctl await_startup >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "rabbitmq-server did not finish starting within 120 s (see /var/log/rabbitmq/)"
    sleep 1
  done
  wait_for "$rabbit_host" "$rabbit_port" 60 RabbitMQ
  say "RabbitMQ started on $rabbit_host:$rabbit_port"
}
# A broker of Debian's package on this machine, which we administer: it also gets the TLS listener (infra/rabbitmq-tls.sh).
debian_rabbitmq() { is_local "$rabbit_host" && [ "$(id -u)" = 0 ] && [ -d /etc/rabbitmq ] && command -v rabbitmqctl >/dev/null 2>&1; }
export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"
if answers "$rabbit_host" "$rabbit_port"; then
  say "RabbitMQ answers on $rabbit_host:$rabbit_port"
  if debian_rabbitmq && [ "$(bash "$here/rabbitmq-tls.sh")" = changed ]; then
    say "restarting RabbitMQ once for its new listeners (loopback unless CHARGELINK_RABBITMQ_BIND; TLS on 5671)"
    rabbitmqctl stop >/dev/null 2>&1 || true
    start_local_rabbitmq
  fi
elif ! is_local "$rabbit_host"; then
  die "RabbitMQ at $rabbit_host:$rabbit_port (CHARGELINK_RABBITMQ) does not answer, and it is not on this machine to start"
elif docker_engine; then
  say "starting RabbitMQ with Docker Compose"
  docker compose -f "$here/docker-compose.yml" up -d rabbitmq
  wait_for "$rabbit_host" "$rabbit_port" 90 RabbitMQ
else
  command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || apt_install rabbitmq-server
  debian_rabbitmq && bash "$here/rabbitmq-tls.sh" >/dev/null
  start_local_rabbitmq
fi

# --- PostgreSQL -----------------------------------------------------------------------------
local_pg_cluster() { command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; }
if answers "$pg_host" "$pg_port"; then
  say "PostgreSQL answers on $pg_host:$pg_port"
elif ! is_local "$pg_host"; then
  die "PostgreSQL at $pg_host:$pg_port (CHARGELINK_POSTGRES) does not answer, and it is not on this machine to start"
elif docker_engine; then
  say "starting PostgreSQL with Docker Compose"
  docker compose -f "$here/docker-compose.yml" up -d postgres
  wait_for "$pg_host" "$pg_port" 90 PostgreSQL
else
  local_pg_cluster || apt_install postgresql
  local_pg_cluster || die "the postgresql package is installed but has no cluster (pg_lsclusters is empty)"
  read -r ver name _ < <(pg_lsclusters -h | head -1)
  say "starting PostgreSQL cluster $ver/$name"
  pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || true
  wait_for "$pg_host" "$pg_port" 60 PostgreSQL
  say "PostgreSQL started on $pg_host:$pg_port"
fi

# The role and database: create them where we may (a local cluster we administer as postgres).
if PGPASSWORD=$pg_pass psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -tAc 'select 1' >/dev/null 2>&1; then
  say "database $pg_db answers for role $pg_user"
elif is_local "$pg_host" && getent passwd postgres >/dev/null && [ "$(id -u)" = 0 ]; then
  as_pg() { su postgres -c "psql -h /var/run/postgresql -p $pg_port -v ON_ERROR_STOP=1 -tAq $*"; }
  if [ "$(as_pg "-c \"select 1 from pg_roles where rolname='$pg_user'\"")" != 1 ]; then
    as_pg "-c \"create role \\\"$pg_user\\\" login password '$pg_pass'\"" || die "could not create role $pg_user"
  fi
  if [ "$(as_pg "-c \"select 1 from pg_database where datname='$pg_db'\"")" != 1 ]; then
    as_pg "-c \"create database \\\"$pg_db\\\" owner \\\"$pg_user\\\"\"" || die "could not create database $pg_db"
  fi
  PGPASSWORD=$pg_pass psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -tAc 'select 1' >/dev/null 2>&1 \
    || die "role $pg_user cannot log in to $pg_db on $pg_host:$pg_port (check pg_hba.conf allows md5/scram on loopback)"
  say "created role/database $pg_user/$pg_db"
else
  die "cannot log in to database $pg_db as $pg_user on $pg_host:$pg_port, and cannot create them here: create them or fix CHARGELINK_POSTGRES"
fi
# The auditors' read-only role (CHARGELINK_AUDITOR_POSTGRES): infra/postgres-auditor.sh and .sql.
. "$here/postgres-auditor.sh"

# --- Broker accounts: one per service and one for the payment cloud (infra/rabbitmq-accounts.sh) -----------------------
export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"
rabbit_vhost=${rabbit_url#*://}; rabbit_vhost=${rabbit_vhost#*@}; rabbit_vhost=${rabbit_vhost#*/}
rabbit_vhost=$(printf '%b' "${rabbit_vhost//%/\\x}"); rabbit_vhost=${rabbit_vhost:-/}
if is_local "$rabbit_host" && command -v rabbitmqctl >/dev/null 2>&1 && rabbitmqctl -q list_vhosts >/dev/null 2>&1; then
  bash "$here/rabbitmq-accounts.sh" "${CHARGELINK_RABBITMQ_VHOST:-chargelink}" "$rabbit_vhost"
elif docker_engine && docker compose -f "$here/docker-compose.yml" ps -q rabbitmq 2>/dev/null | grep -q .; then
  RABBITMQCTL="docker compose -f $here/docker-compose.yml exec -T rabbitmq rabbitmqctl" \
    bash "$here/rabbitmq-accounts.sh" "${CHARGELINK_RABBITMQ_VHOST:-chargelink}" "$rabbit_vhost"
else
  say "WARNING: cannot administer RabbitMQ at $rabbit_host:$rabbit_port from here: create the vhost and accounts that"
  say "         infra/rabbitmq-accounts.sh makes (run it where rabbitmqctl reaches that broker), or the services cannot log in"
fi
# Before group partitions the orchestrator read one queue, and before the vhost of its own all of ChargeLink lived in the
# payment cloud's vhost; a broker that still has those queues would fill them for nobody.
if is_local "$rabbit_host" && command -v rabbitmqctl >/dev/null 2>&1; then
  for queue in $(rabbitmqctl -q list_queues -p "$rabbit_vhost" name 2>/dev/null | grep -E '^chargelink\.' || true); do
    rabbitmqctl -q delete_queue -p "$rabbit_vhost" "$queue" >/dev/null && say "removed the obsolete queue $queue from vhost $rabbit_vhost"
  done
fi
say "ready"
