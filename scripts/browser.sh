#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the staff console's browser test (Playwright drives
# it; Playwright's own browser download is never used). Run by `make test`; does nothing when the
# browser is already there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run_as_root=()
elif command -v sudo >/dev/null 2>&1; then
  run_as_root=(sudo -n)
else
  echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser test"
export DEBIAN_FRONTEND=noninteractive
if ! "${run_as_root[@]}" apt-get install -y -q chromium >/dev/null; then
  # A fresh machine may have no package lists yet.
  "${run_as_root[@]}" apt-get update -q >/dev/null
  "${run_as_root[@]}" apt-get install -y -q chromium >/dev/null
fi
command -v chromium >/dev/null
