# Sourced by infra/up.sh once the services' role and database answer (it uses up.sh's say, is_local and pg_*):
# creates or repairs the auditors' read-only role with infra/postgres-auditor.sql, as PostgreSQL's administrator
# where this machine runs PostgreSQL and we are root, else as the services' role (enough where it may create roles,
# as in the Docker image). Where neither may, it says what to run by hand and goes on: the services do not need
# the role, only `chargelink audit` does.
auditor_conn=${CHARGELINK_AUDITOR_POSTGRES:-Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink_auditor;Password=dev-auditor}
auditor_field() { printf '%s' "$auditor_conn" | tr ';' '\n' | sed -n "s/^[[:space:]]*$1=//Ip" | head -1; }
auditor_user=$(auditor_field Username); auditor_pass=$(auditor_field Password)
auditor_host=$(auditor_field Host); auditor_host=${auditor_host:-127.0.0.1}
auditor_port=$(auditor_field Port); auditor_port=${auditor_port:-5432}
auditor_db=$(auditor_field Database); auditor_db=${auditor_db:-$pg_db}
auditor_vars=(-v ON_ERROR_STOP=1 -qtA -v "owner=$pg_user" -v "auditor=$auditor_user" -v "password=$auditor_pass" -v "database=$pg_db")

auditor_as_admin() {
  is_local "$pg_host" && getent passwd postgres >/dev/null && [ "$(id -u)" = 0 ] || return 1
  # The SQL goes in on stdin and psql starts in /: the postgres user may not be able to read this checkout.
  su postgres -c "cd / && psql -h /var/run/postgresql -p $pg_port -d $(printf '%q' "$pg_db") $(printf '%q ' "${auditor_vars[@]}")" \
    <"$here/postgres-auditor.sql" >/dev/null
}
auditor_as_owner() {
  PGPASSWORD=$pg_pass psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" "${auditor_vars[@]}" \
    <"$here/postgres-auditor.sql" >/dev/null 2>&1
}
auditor_reads() {
  PGPASSWORD=$auditor_pass psql -h "$auditor_host" -p "$auditor_port" -U "$auditor_user" -d "$auditor_db" -tAc 'show default_transaction_read_only' 2>/dev/null
}

if [ -z "$auditor_user" ]; then
  printf 'infra: WARNING: CHARGELINK_AUDITOR_POSTGRES names no Username: no auditor role created\n' >&2
elif auditor_as_admin || auditor_as_owner; then
  if [ "$(auditor_reads)" = on ]; then
    say "auditor role $auditor_user logs in to $auditor_db, read-only by default, SELECT on $pg_user's schemas and nothing more"
  else
    printf 'infra: WARNING: the auditor role %s exists but cannot log in to %s on %s:%s read-only: check its password against CHARGELINK_AUDITOR_POSTGRES and pg_hba.conf\n' \
      "$auditor_user" "$auditor_db" "$auditor_host" "$auditor_port" >&2
  fi
else
  cat >&2 <<EOF
infra: WARNING: cannot create the auditors' read-only role $auditor_user here (PostgreSQL on $pg_host is not this
infra: machine's to administer, or $pg_user may not create roles). \`chargelink audit\` reads as that role; ask a
infra: PostgreSQL administrator to run once (it also covers the schemas $pg_user creates later):
infra:   psql -h $pg_host -p $pg_port -d $pg_db -v owner=$pg_user -v auditor=$auditor_user -v database=$pg_db \\
infra:        -v password='<the Password of CHARGELINK_AUDITOR_POSTGRES>' -f infra/postgres-auditor.sql
infra: (or run \`chargelink audit\` with --postgres and a role of your own that may read the schema).
EOF
fi
