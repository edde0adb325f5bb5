#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the locked dependencies, once per lock-file change.
# Used by every Makefile target, so a fresh clone needs nothing but `make run` or `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local version root candidate
  version=$(cat .python-version)
  # pyenv's own folder works even where its shims are not on the PATH (cron, CI, plain shells).
  root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in "$root/versions/${version}/bin/python" "$root"/versions/3.10*/bin/python; do
    if [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
  if command -v python3.10 >/dev/null 2>&1; then command -v python3.10; return; fi
  echo "Python 3.10 is required (Rasa 3.6 supports no newer). Install it with pyenv or your OS." >&2
  exit 1
}

stamp=.venv/.installed-lock
if [ -f "$stamp" ] && cmp -s requirements.lock "$stamp"; then
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  python=$(find_python)
  echo "Creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade "pip==24.0"
echo "Installing locked dependencies (first time takes a few minutes)"
.venv/bin/python -m pip install --quiet -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
cp requirements.lock "$stamp"
