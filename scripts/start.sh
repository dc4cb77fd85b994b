#!/usr/bin/env bash
# Installs what is needed, then starts Station desk. Extra arguments go to the
# program, e.g. `bash scripts/start.sh --data-dir ~/station-test --demo`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/python" -m station "$@"
