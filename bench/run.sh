#!/usr/bin/env bash
# The throughput benchmark: packages the application, then runs IngestorBench against the jar (see the README,
# "Performance"). Writes bench/results.md. Extra arguments go to Maven, e.g. a quick run:
#   bench/run.sh -Dbench.rows=100000 -Dbench.big-rows=0 -Dbench.runs=1
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -Pbench verify "$@"
