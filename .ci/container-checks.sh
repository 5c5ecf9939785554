#!/usr/bin/env bash
# The container deployment checked without a container engine (README "Deploy"): docker-compose.yml validated
# by Debian's docker-compose (`config -q`, every profile), the Dockerfile linted by dockerfilelint (npm). Both are
# installed when missing (apt-get, npm; idempotent). ComposeStackIT (in ./mvnw verify) runs the jar as composed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "container-checks: FAILED: $*" >&2; exit 1; }
log=$(mktemp); tmp=$(mktemp -d)
trap 'rm -rf "$log" "$tmp"' EXIT

started=$(date +%s)
if ! command -v docker-compose >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "docker-compose is missing and there is no apt-get to install it"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose; } \
    >"$log" 2>&1 || fail "apt-get could not install docker-compose: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
if ! command -v dockerfilelint >/dev/null 2>&1; then
  command -v npm >/dev/null 2>&1 || fail "dockerfilelint is missing and there is no npm to install it"
  npm install -g --no-fund --no-audit dockerfilelint@1.8.0 >"$log" 2>&1 \
    || fail "npm could not install dockerfilelint: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
elapsed=$(( $(date +%s) - started ))
echo "container-checks: docker-compose $(docker-compose version --short) and dockerfilelint ready (install step: ${elapsed} s)"

# .env.example leaves the passwords empty; compose must refuse it as it is, and accept it once they are set
if docker-compose --env-file .env.example -f docker-compose.yml config -q >/dev/null 2>&1; then
  fail "docker-compose.yml accepts empty passwords"
fi
sed -E 's/^(POSTGRES_PASSWORD|INGESTOR_SECURITY_PASSWORD|GRAFANA_ADMIN_PASSWORD|GRAFANA_DB_PASSWORD)=$/\1=ci-check-only/' \
  .env.example >"$tmp/env"
docker-compose --env-file "$tmp/env" -f docker-compose.yml config -q || fail "docker-compose.yml does not validate"
docker-compose --env-file "$tmp/env" -f docker-compose.yml --profile prometheus config -q \
  || fail "docker-compose.yml does not validate with --profile prometheus"
echo "container-checks: docker-compose.yml valid (default and prometheus profiles; empty passwords refused)"

dockerfilelint Dockerfile >"$log" 2>&1 || { cat "$log"; fail "dockerfilelint found issues in Dockerfile"; }
echo "container-checks: Dockerfile passes dockerfilelint"
