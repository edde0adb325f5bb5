#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for several instances (`make run-production`, the
# two-instance test). Does nothing when it is already there; exits 1 with the reason when it is
# missing and cannot be installed (no root, no apt).
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "nginx is missing and this machine has no apt-get: install nginx yourself." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run_as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run_as_root=(sudo -n)
else
  echo "nginx is missing and this user cannot install it: run 'apt-get install nginx' as root." >&2
  exit 1
fi
echo "Installing Debian's nginx for several instances"
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: the binary only; its own service is never started (the
# supervisor starts nginx with a generated config).
if ! "${run_as_root[@]}" apt-get install -y -q --no-install-recommends nginx >/dev/null 2>&1; then
  # A fresh machine may have no package lists yet.
  "${run_as_root[@]}" apt-get update -q >/dev/null 2>&1 || true
  "${run_as_root[@]}" apt-get install -y -q --no-install-recommends nginx >/dev/null 2>&1
fi
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
