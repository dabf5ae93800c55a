#!/usr/bin/env bash
# Sets up a fresh Debian machine for natocyber: system packages, a virtual
# environment in .venv, and the package itself (built from this checkout).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang and libclang-rt-14-dev (libFuzzer and clang's sanitizer runtimes) build the
# fuzzers in tests/fuzz; gcc's ASan and UBSan (libasan, libubsan) come with gcc.
PKGS="gcc make pkg-config libicu-dev libstemmer-dev libcmocka-dev unicode-data python3-venv python3-dev chromium clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q ".[test]"
echo "setup: natocyber $(.venv/bin/python -c 'import natocyber as nc; print(nc.__version__, "ICU", nc.icu_version())') ready in .venv"
