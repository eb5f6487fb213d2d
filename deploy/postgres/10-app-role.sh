#!/bin/sh
# Runs once, when the database volume is created (docker-entrypoint-initdb.d): the role the API
# connects as. `techtransfer db grant-app-role techtransfer_app` (the migrate service) gives it its
# rights after each upgrade; the audit and event logs stay append-only for it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE techtransfer_app LOGIN PASSWORD :'password';
SQL
