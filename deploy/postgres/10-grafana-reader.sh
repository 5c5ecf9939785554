#!/bin/sh
# Run once by the postgres image when its volume is first initialised (/docker-entrypoint-initdb.d): a
# read-only account for Grafana. It may read every table the ingestor's account creates, now or later
# (Flyway creates them after this script), and write none. The password comes from the environment, bound as a
# psql variable, never written into SQL text.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="$GRAFANA_DB_USER" -v reader_password="$GRAFANA_DB_PASSWORD" \
  -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE :"db" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
