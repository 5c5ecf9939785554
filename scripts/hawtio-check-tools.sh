#!/usr/bin/env bash
# Installs what scripts/check-hawtio.sh needs, and only what is missing:
#   - chromium (Debian's package, without its recommends but with fonts-liberation, so screenshots show text),
#   - node and npm (Debian's packages) when there is no node 18+ with npm,
#   - playwright-core, pinned below, into target/hawtio-check/ (it drives the installed chromium; it downloads
#     no browser of its own).
# Each install prints how long it took. apt-get needs root (CI runs as root). When something cannot be
# installed it prints one line saying what and exits 1: the browser check must never pass without having looked.
set -euo pipefail
cd "$(dirname "$0")/.."
# 1.61.1: the newest playwright-core that still runs on Debian 12's node 18 (1.62+ need node 20)
PLAYWRIGHT_CORE_VERSION=1.61.1
work=target/hawtio-check
mkdir -p "$work"
log="$work/install.log"
: > "$log"

fail() { echo "check-hawtio: cannot install $1 (details in $log); the browser check cannot run" >&2; exit 1; }

apt_updated=
apt_install() { # $1: what to call it in messages, then the Debian packages
  local what=$1; shift
  [ "$(id -u)" = 0 ] || fail "$what: not root, so no apt-get here (as root: apt-get install $*)"
  local start=$SECONDS
  # waits for another apt/dpkg run (a shared machine) instead of failing on its lock
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  if [ -z "$apt_updated" ]; then
    "${apt[@]}" update >>"$log" 2>&1 || fail "$what: apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "$@" </dev/null >>"$log" 2>&1 \
    || fail "$what: apt-get install $* failed"
  echo "installed $what (apt-get install $*) in $((SECONDS - start)) s"
}

if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(chromium --version 2>/dev/null || echo '?')"
else
  apt_install chromium chromium fonts-liberation
  command -v chromium >/dev/null 2>&1 || fail "chromium: installed, but no chromium command on the PATH"
fi
chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank >>"$log" 2>&1 \
  || fail "chromium: it is installed but does not start headless"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -ge 18 ] && command -v npm >/dev/null 2>&1; then
  echo "node $(node --version) and npm $(npm --version) present"
else
  if [ "$node_major" -ge 18 ]; then apt_install npm npm; else apt_install "node and npm" nodejs npm; fi
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$node_major" -ge 18 ] || fail "node: found $(node --version 2>/dev/null || echo none), playwright-core $PLAYWRIGHT_CORE_VERSION needs 18+"
fi

installed=$(node -p "require('./$work/node_modules/playwright-core/package.json').version" 2>/dev/null || true)
if [ "$installed" = "$PLAYWRIGHT_CORE_VERSION" ]; then
  echo "playwright-core $installed present"
else
  start=$SECONDS
  # no package.json or lock file is written into the repository: the pin lives here
  mkdir -p "$work/node_modules" # so that npm installs here, not into a parent folder
  (cd "$work" && npm install --no-save --no-package-lock --no-audit --no-fund \
    "playwright-core@$PLAYWRIGHT_CORE_VERSION" </dev/null >>install.log 2>&1) \
    || fail "playwright-core@$PLAYWRIGHT_CORE_VERSION: npm install failed"
  echo "installed playwright-core $PLAYWRIGHT_CORE_VERSION (npm) in $((SECONDS - start)) s"
fi
