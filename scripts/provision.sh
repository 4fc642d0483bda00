#!/usr/bin/env bash
# Installs what a command needs on a fresh machine, and nothing when it is already there, so
# it is safe to run any number of times.   usage: provision.sh start|test|bench|fuzz
# With CI=true anything missing that cannot be installed fails the run; locally it warns.
set -euo pipefail
mode=${1:-test}
cd "$(dirname "$0")/.."

missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "provision: $1" >&2
    exit 1
  fi
  echo "provision: warning: $1" >&2
}

command -v cargo >/dev/null || { echo "provision: cargo is required (https://rustup.rs)" >&2; exit 1; }
command -v node >/dev/null || { echo "provision: Node.js 20+ is required" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI must match the crate pinned in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "provision: installing wasm-bindgen-cli $want (a few minutes, once)"
  # Not --locked: the registry lacks one of its locked dependency versions.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# npm packages: reinstall only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Debian packages the test suites need: real PHP for the signature oracle, Chromium for e2e.
apt_pkgs=()
case "$mode" in
  test)
    command -v php >/dev/null || apt_pkgs+=(php-cli)
    [ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
    command -v chromedriver >/dev/null || apt_pkgs+=(chromium-driver)
    ;;
  bench)
    [ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
    ;;
esac
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "provision: apt-get install ${apt_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
  else
    missing "needs ${apt_pkgs[*]} (install them, e.g. sudo apt-get install ${apt_pkgs[*]})"
  fi
fi
