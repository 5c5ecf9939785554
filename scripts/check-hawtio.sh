#!/usr/bin/env bash
# Checks Hawtio in a real browser (part of .ci/run): starts the packaged application (target/ingestor.jar,
# built if missing) with a fresh data folder and passwords made for this run, and drives Hawtio in headless
# Chromium as the admin and as the viewer (scripts/check-hawtio.js says what it checks). Screenshots, the
# application's log and the browser's console errors stay under target/hawtio-check/.
# Needs chromium, node 18+ and playwright-core in target/hawtio-check/: scripts/hawtio-check-tools.sh installs
# whichever is missing (as root). Exits 1 when a step fails or something it needs is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/hawtio-check
started=$SECONDS
rm -rf "$work/data" "$work"/*.png "$work/browser-console.log" && mkdir -p "$work"
[ -f target/ingestor.jar ] || ./mvnw -B -q -DskipTests package
command -v chromium >/dev/null 2>&1 && [ -d "$work/node_modules/playwright-core" ] \
  || { echo "check-hawtio: chromium or playwright-core is missing: run scripts/hawtio-check-tools.sh (as root) first" >&2; exit 1; }
cp scripts/check-hawtio.js "$work/"

# the route ids of routes/: the "id:" of each "- route:" and the "routeId:" of each "- templatedRoute:"
mapfile -t ids < <(awk '/^- [a-zA-Z]+:/ { kind = $2 }
  kind == "route:" && /^    id:/ { print $2 } kind == "templatedRoute:" && /^    routeId:/ { print $2 }' \
  $(find routes -name '*.yaml') | sort -u)
[ "${#ids[@]}" -gt 0 ] || { echo "check-hawtio: found no route id in routes/" >&2; exit 1; }

# passwords for this run only, handed to the application and the browser script in the environment
INGESTOR_SECURITY_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
INGESTOR_SECURITY_VIEWER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export INGESTOR_SECURITY_PASSWORD INGESTOR_SECURITY_VIEWER_PASSWORD
java -jar target/ingestor.jar --server.port=0 --ingestor.data-dir="$work/data" --ingestor.routes.reload=false \
  > "$work/app.log" 2>&1 </dev/null &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
# waits for the application's own "Started" line (up to 10 minutes: a busy machine starts it slowly)
port=
for _ in $(seq 600); do
  port=$(grep -oP 'Tomcat started on port \K[0-9]+' "$work/app.log" || true)
  grep -q "Started IngestorApplication" "$work/app.log" && [ -n "$port" ] && break
  kill -0 $app 2>/dev/null || { tail -50 "$work/app.log"; echo "check-hawtio: the application stopped before it started" >&2; exit 1; }
  sleep 1
done
grep -q "Started IngestorApplication" "$work/app.log" \
  || { echo "check-hawtio: the application did not start in 10 minutes (see $work/app.log)" >&2; exit 1; }
echo "application started on port $port in $((SECONDS - started)) s"
browser_started=$SECONDS
status=0
node "$work/check-hawtio.js" "http://localhost:$port" admin "$(pwd)/$work" "${ids[@]}" \
  || status=$?
echo "browser steps took $((SECONDS - browser_started)) s; the whole check $((SECONDS - started)) s"
echo "screenshots: $(cd "$work" && ls -- *.png 2>/dev/null | sed "s|^|$work/|" | tr '\n' ' ')"
[ "$status" = 0 ] || echo "check-hawtio: FAILED (application log: $work/app.log, browser console: $work/browser-console.log)" >&2
exit "$status"
