#!/usr/bin/env bash
# The main job: set up, then analyse the built-in sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
.venv/bin/python -m natocyber "$@"
