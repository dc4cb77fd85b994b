#!/usr/bin/env bash
# Installs what is needed, then runs the whole test suite with Qt offscreen.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k residents`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" test,build  # build: the installer test builds the bundle
export QT_QPA_PLATFORM=offscreen
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m pytest "$@"
