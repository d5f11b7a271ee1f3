#!/usr/bin/env bash
# `npm run test:setup`: the system packages the tests use for real, installed from Debian's
# archive when missing: chromium (the viewer tests drive it through playwright-core; no browser
# download), redis-server (the distributed-queue sample) and tmux (a real terminal for the
# Ctrl-C test). Needs root (or sudo) the first time; does nothing when all three are there.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -eq 0 ]; then
  echo "test:setup: chromium, redis-server and tmux are installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "test:setup: installing ${missing[*]} needs root (run as root, or install sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "test:setup: installing ${missing[*]} (apt-get)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
