#!/usr/bin/env bash
# Install ITP Desktop with its test tools into ./.venv, then run lint, types, layering and tests.
# Extra arguments go to pytest, e.g. ./test.sh -m "not gui" -x
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
ensure_system_libs
ensure_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          "$VENV/bin/ruff" check itp_desktop tests benchmarks packaging
echo "== ruff format";   "$VENV/bin/ruff" format --check itp_desktop tests benchmarks packaging
echo "== mypy";          "$VENV/bin/mypy"
echo "== import-linter"; "$VENV/bin/lint-imports"
echo "== pytest"
set +e
"$VENV/bin/python" -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here, never a silent pass.
if [ "$status" -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi
exit "$status"
