-- The auditors' PostgreSQL role: it reads the event log and the read models and nothing else can be done with it.
-- Run by infra/postgres-auditor.sh (from infra/up.sh), or by hand as an administrator:
--   psql -d chargelink -v owner=chargelink -v auditor=chargelink_auditor -v password=... -v database=chargelink -f infra/postgres-auditor.sql
-- owner: the role the services write as (it creates the schemas and tables at run time); auditor, password: the role
-- to create; database: the services' database. Safe to run again: every statement creates only what is missing,
-- grants what reading needs and takes back anything more (a grant made by hand, say).
\set ON_ERROR_STOP on

-- Created with its password once; a password changed later by an administrator is left alone.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L', :'auditor', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'auditor') \gexec

-- A second lock behind the grants: every transaction of the role starts read-only. The role may switch it off in
-- its own session, so the grants below are what really refuses writes.
ALTER ROLE :"auditor" SET default_transaction_read_only = on;

GRANT CONNECT ON DATABASE :"database" TO :"auditor";
REVOKE CREATE ON DATABASE :"database" FROM :"auditor";

-- The schemas and tables the owner creates from now on: Marten's at the orchestrator's first start, a test run's
-- test_<id>, a benchmark's bench_<ts>.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO :"auditor";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" REVOKE CREATE ON SCHEMAS FROM :"auditor";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT ON TABLES TO :"auditor";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLES FROM :"auditor";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM :"auditor";

-- The owner's schemas that exist already.
SELECT format('GRANT USAGE ON SCHEMA %I TO %I', n.nspname, :'auditor'),
       format('REVOKE CREATE ON SCHEMA %I FROM %I', n.nspname, :'auditor'),
       format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', n.nspname, :'auditor'),
       format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA %I FROM %I', n.nspname, :'auditor'),
       format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', n.nspname, :'auditor')
FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
WHERE r.rolname = :'owner' \gexec

-- Except the secret payments' idTags are keyed with (the orchestrator's chargelink_keys): nobody but the services reads it.
SELECT format('REVOKE ALL ON TABLE %I.chargelink_keys FROM %I', n.nspname, :'auditor')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = n.nspowner
WHERE c.relname = 'chargelink_keys' AND r.rolname = :'owner' \gexec
