#!/bin/sh
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d): a role of its own for
# the service and for Temporal, each with its own password, neither a superuser (issue 32). The service owns its
# database; Temporal's role may create its two (temporal-sql-tool does, in the temporal-schema container).
set -eu
: "${ATTESTATION_DB_PASSWORD:?}" "${TEMPORAL_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v attestation_password="$ATTESTATION_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE attestation LOGIN PASSWORD :'attestation_password';
CREATE DATABASE attestation OWNER attestation;
REVOKE ALL ON DATABASE attestation FROM PUBLIC;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
