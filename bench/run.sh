#!/usr/bin/env bash
# The throughput benchmark: packages the application, then runs IngestorBench against the jar (see the README,
# "Performance"). Writes its section of bench/results.md. Extra arguments go to Maven, e.g. a quick run:
#   bench/run.sh -Dbench.rows=100000 -Dbench.big-rows=0 -Dbench.tiny-files=0 -Dbench.runs=1
# With --external-postgres first, the application and the floor use a PostgreSQL server of their own instead of
# the embedded one, as in production: Debian's `postgresql` package (installed with apt-get when missing, as
# root), a cluster made for the run under target/bench-pg (fsync and synchronous_commit on, as installed), on
# port 55432, stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--external-postgres" ]; then
  exec ./mvnw -B -Pbench verify "$@"
fi
shift
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "bench: PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2; exit 1; }
  start=$SECONDS
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    postgresql >/dev/null
  echo "bench: installed Debian's postgresql in $((SECONDS - start)) s"
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
pgdata=$(pwd)/target/bench-pg
port=55432
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
rm -rf "$pgdata" && mkdir -p "$pgdata"
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"
pwfile=$(mktemp) && printf '%s\n' "$password" > "$pwfile" && chmod 644 "$pwfile"
as_postgres "$bin/initdb" -D "$pgdata/data" -U postgres -A scram-sha-256 --pwfile="$pwfile" >/dev/null
rm -f "$pwfile"
# a server as a production one is set up for this machine's memory, not Debian's 128 MB defaults
as_postgres "$bin/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w \
  -o "-p $port -k /tmp -c shared_buffers=1GB -c max_wal_size=4GB -c max_connections=200" start >/dev/null
trap 'as_postgres "$bin/pg_ctl" -D "$pgdata/data" -m fast stop >/dev/null || true' EXIT
echo "bench: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on port $port ($pgdata)"
./mvnw -B -Pbench verify -Dit.test=IngestorBench \
  -Dbench.database-url="jdbc:postgresql://localhost:$port/postgres" \
  -Dbench.database-user=postgres -Dbench.database-password="$password" "$@"
