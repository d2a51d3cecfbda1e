#!/usr/bin/env bash
# Gives a RabbitMQ of this machine (Debian's package) a TLS listener on 5671 with a certificate of a development CA made
# here, idempotently, so that amqps:// is tried for real (README: "TLS to the broker"). Clients trust the broker by that CA:
# CHARGELINK_RABBITMQ_CA=/etc/rabbitmq/chargelink-tls/ca.pem. A production broker has its operator's certificate instead.
# It also binds both AMQP listeners to loopback (CHARGELINK_RABBITMQ_BIND, default 127.0.0.1): Debian's broker would listen
# on every interface, with accounts whose development passwords are in README.
# Prints "changed" when it wrote the configuration (the node must then be started, or restarted, to listen).
set -euo pipefail
bind=${CHARGELINK_RABBITMQ_BIND:-127.0.0.1}
changed=
dir=/etc/rabbitmq/chargelink-tls
conf=/etc/rabbitmq/rabbitmq.conf
command -v openssl >/dev/null || { echo "infra: openssl is missing: no TLS listener for RabbitMQ" >&2; exit 0; }
mkdir -p "$dir"
if [ ! -s "$dir/ca.pem" ] || [ ! -s "$dir/server.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ChargeLink development CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/server.ext"
fi
# The broker reads its key as the rabbitmq user; nobody else needs it.
if getent passwd rabbitmq >/dev/null; then chown -R rabbitmq:rabbitmq "$dir"; fi
chmod 0644 "$dir/ca.pem" "$dir/server.pem"; chmod 0600 "$dir/server.key" "$dir/ca.key"
if ! grep -qs '^listeners\.ssl\.' "$conf"; then
  cat >>"$conf" <<CONF
# ChargeLink (infra/rabbitmq-tls.sh): amqps on 5671 with a development CA's certificate; amqp stays on 5672.
listeners.ssl.default = $bind:5671
ssl_options.cacertfile = $dir/ca.pem
ssl_options.certfile = $dir/server.pem
ssl_options.keyfile = $dir/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
CONF
  changed=1
fi
# Where the listeners bind: written once, and rewritten when CHARGELINK_RABBITMQ_BIND changes (or a conf of an earlier
# version bound every interface).
want_tcp="listeners.tcp.default = $bind:5672"
want_ssl="listeners.ssl.default = $bind:5671"
if ! grep -qxF "$want_tcp" "$conf"; then
  sed -i '/^listeners\.tcp\.default *=/d' "$conf"
  printf '# ChargeLink (infra/rabbitmq-tls.sh): AMQP on %s only (CHARGELINK_RABBITMQ_BIND).\n%s\n' "$bind" "$want_tcp" >>"$conf"
  changed=1
fi
if ! grep -qxF "$want_ssl" "$conf"; then
  sed -i "s/^listeners\.ssl\.default *=.*/$want_ssl/" "$conf"
  changed=1
fi
[ -z "$changed" ] || echo changed
