#!/usr/bin/env bash
# Install everything the tests need (Chromium and HAProxy from apt, Python tools into .venv),
# then lint, check formatting and run every test. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v haproxy >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium haproxy >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# axe-core, the accessibility checker the browser tests inject, from the npm registry.
.venv/bin/python scripts/fetch_axe.py >/dev/null

# One BLAS thread per process: pytest-xdist already runs one worker per core, and
# many small matrix products slow down badly when BLAS threads compete for them.
export OPENBLAS_NUM_THREADS=1

.venv/bin/ruff check .
.venv/bin/ruff format --check .
# worksteal: a worker that runs out of tests takes the other's, so one long test (a page at
# its heaviest settings) does not leave a core idle at the end.
.venv/bin/python -m pytest -n 2 --dist worksteal "$@"
