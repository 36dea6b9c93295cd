#!/usr/bin/env bash
# Install ITP Desktop into ./.venv and start it with the demo store (created on first run).
# Extra arguments are passed to the app, e.g. ./run.sh --data-dir /tmp/itp-demo
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
ensure_system_libs
ensure_venv ""
exec "$VENV/bin/itp-desktop" --demo "$@"
