#!/usr/bin/env bash
# Shared by run.sh and test.sh: system libraries Qt needs, then a virtual environment
# with the project and its pinned dependencies. Idempotent; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ITP_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Debian/Ubuntu libraries that PySide6 needs even on the offscreen platform, plus the xcb ones
# for a real window. Installed only when missing, and only where we may (root or sudo).
QT_DEBS=(libglib2.0-0 libxkbcommon0 libdbus-1-3 libgl1 libegl1 libfontconfig1 fontconfig
         fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)

ensure_system_libs() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  # Debian/Ubuntu split venv/ensurepip out of python3; without it "python3 -m venv" fails.
  if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  for pkg in "${QT_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing system packages: ${missing[*]} (install them with apt-get)" >&2; return 0; fi
  fi
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_python() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "Python 3.11 or newer is needed: sudo apt-get install python3 python3-venv" >&2
    exit 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "ITP Desktop needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
    echo "Install python3.11 (and python3.11-venv), then run: PYTHON=python3.11 $0" >&2
    exit 1
  fi
}

ensure_venv() {
  local extras="$1"
  ensure_python
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # pip's build chatter (setuptools notices about editable installs) goes to a log file that is
  # shown only when the installation fails.
  local log="$VENV/install.log"
  echo "Installing ITP Desktop and its dependencies into $VENV ..."
  if ! { "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip &&
         "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT$extras"; } \
       >"$log" 2>&1; then
    cat "$log" >&2
    echo "Installation failed; the messages above are also in $log" >&2
    exit 1
  fi
}
