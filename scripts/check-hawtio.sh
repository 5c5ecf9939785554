#!/usr/bin/env bash
# Checks Hawtio in a real browser: starts the packaged application (target/ingestor.jar) with a fresh data
# folder and a password from this run, logs in with headless Chromium (Debian's "chromium" package), opens the
# Camel routes view, checks every route of routes/ is listed, stops and starts one route from the console,
# opens the route diagram and one route's source, checks that the viewer cannot stop a route, and saves
# screenshots under target/hawtio-check/. Needs: a JDK, chromium, node and npm (playwright-core is
# installed into target/hawtio-check/ from the npm registry on first use). Not part of .ci/run: the CI machine
# has no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/hawtio-check
rm -rf "$work/data" && mkdir -p "$work"
[ -f target/ingestor.jar ] || ./mvnw -B -q -DskipTests package
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium" >&2; exit 2; }
if [ ! -d "$work/node_modules/playwright-core" ]; then
  (cd "$work" && npm init -y >/dev/null && npm install --silent playwright-core@1 >/dev/null)
fi
cp scripts/check-hawtio.js "$work/"

password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
viewer_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
INGESTOR_SECURITY_PASSWORD="$password" INGESTOR_SECURITY_VIEWER_PASSWORD="$viewer_password" java -jar target/ingestor.jar --server.port=0 \
  --ingestor.data-dir="$work/data" --ingestor.routes.reload=false > "$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  port=$(grep -oP 'Tomcat started on port \K[0-9]+' "$work/app.log" || true)
  grep -q "Started IngestorApplication" "$work/app.log" && [ -n "$port" ] && break
  kill -0 $app 2>/dev/null || { cat "$work/app.log"; exit 1; }
  sleep 1
done
echo "application started on port $port"
# the route ids of routes/: the "id:" of each "- route:" and the "routeId:" of each "- templatedRoute:"
mapfile -t ids < <(awk '/^- [a-zA-Z]+:/ { kind = $2 }
  kind == "route:" && /^    id:/ { print $2 } kind == "templatedRoute:" && /^    routeId:/ { print $2 }' \
  $(find routes -name '*.yaml') | sort -u)
node "$work/check-hawtio.js" "http://localhost:$port" admin "$password" "$viewer_password" "$(pwd)/$work" "${ids[@]}"
echo "screenshots: $work/hawtio-routes.png, $work/hawtio-diagram.png, $work/hawtio-source.png"
