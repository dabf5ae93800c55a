#!/usr/bin/env bash
# Runs every test: the C core's cmocka suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, then the Python suite with pytest (last, so the
# output ends with pytest's summary line).
set -uo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh || exit 1

echo "== C core: cmocka tests (ASan + UBSan)"
make -s -C tests/c clean >/dev/null
make -s -C tests/c check
c_status=$?

echo "== Python: pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/python
py_status=$?

if [ $c_status -ne 0 ]; then
  echo "C tests failed (status $c_status)"
fi
[ $c_status -eq 0 ] && [ $py_status -eq 0 ]
