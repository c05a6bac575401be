#!/usr/bin/env bash
# Idempotent set-up on Debian: the system packages the sandbox needs, then the exact npm dependencies.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

# bubblewrap: the sandbox; python3.11: the interpreter member code runs on (Debian's, reachable by an
# unprivileged uid, unlike pyenv's); python3-seccomp: builds the sandbox's system-call filter;
# fonts-dejavu-core: the monospace font the flow pictures are drawn in.
apt_packages=(bubblewrap python3.11 python3-seccomp fonts-dejavu-core)
# What only the tests (and the distributed mode) need: Chromium for the playground's browser tests (and
# fonts-noto-color-emoji so its screenshots show the bot's emoji), PostgreSQL and Redis for the
# distributed store and run queue, CPython's own test suite for the
# "a run behaves like python3 main.py" comparison. `--tests` (the README's test command) adds them.
if [ "${1:-}" = "--tests" ]; then
  apt_packages+=(chromium fonts-noto-color-emoji postgresql redis-server libpython3.11-testsuite)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  say "installing ${missing[*]} from apt"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "apt packages present: ${apt_packages[*]}"
fi

command -v node >/dev/null || { say "Node.js 20.19 or newer is required (apt-get install nodejs npm)"; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { say "Node.js $(node --version) is too old: 20.19 or newer is required"; exit 1; }

# npm ci is slow (it compiles better-sqlite3): skip it when node_modules already matches the lock file.
stamp=node_modules/.setup-stamp
want=$(sha256sum package-lock.json package.json | sha256sum | cut -c1-64)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "npm dependencies up to date"
else
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
fi

[ -f .env ] || { cp .env.example .env; say "created .env from .env.example: fill in DISCORD_TOKEN and DISCORD_APPLICATION_ID"; }
say "done"
