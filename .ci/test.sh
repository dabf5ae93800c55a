#!/usr/bin/env bash
# Runs every test job (docs/testing.md):
#   c         the C core's cmocka suite under AddressSanitizer and UndefinedBehaviorSanitizer
#   fuzz      each libFuzzer target for FUZZ_SECONDS (default 30) from its seed corpus
#   sanitize  the Python suite against a build of the extension with both sanitizers
#   pytest    the Python suite against the normal build in .venv
# `bash .ci/test.sh` runs them all in that order (pytest last, so the output ends
# with pytest's summary line); `bash .ci/test.sh fuzz sanitize` runs only those.
set -uo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh || exit 1

jobs=("$@")
[ ${#jobs[@]} -eq 0 ] && jobs=(c fuzz sanitize pytest)
failed=()

# Tests the sanitizer job leaves out: headless Chromium hangs with the ASan
# runtime preloaded (subprocesses inherit LD_PRELOAD; the notebooks' kernels and the
# CLI's processes run fine and so use the sanitizer build too).
# The resident-set leak check is left out there too: ASan keeps freed memory in its
# quarantine, so the resident set grows by design (LeakSanitizer covers the C core instead).
SANITIZE_DESELECT=(--deselect tests/python/test_report.py::test_report_in_headless_chromium
                   --deselect tests/python/test_hostile.py::test_error_paths_do_not_leak)

job_c() {
  echo "== C core: cmocka tests (ASan + UBSan)"
  make -s -C tests/c clean >/dev/null
  make -s -C tests/c check
}

job_fuzz() {
  echo "== C core: libFuzzer targets, ${FUZZ_SECONDS:-30} s each (ASan + UBSan)"
  make -s -C tests/fuzz run SECONDS="${FUZZ_SECONDS:-30}"
}

job_sanitize() {
  echo "== Python: pytest against the ASan + UBSan build (build/sanitize)"
  # A separate install target, so .venv keeps the normal build; pip builds in an
  # isolated environment, which sees NATOCYBER_SANITIZE.
  rm -rf build/sanitize
  NATOCYBER_SANITIZE=1 .venv/bin/python -m pip install -q --no-deps --no-cache-dir \
    --target build/sanitize . || return 1
  local asan ubsan
  asan=$(gcc -print-file-name=libasan.so)
  ubsan=$(gcc -print-file-name=libubsan.so)
  # The interpreter is not instrumented, so the runtimes must be loaded first.
  # detect_leaks=0: CPython does not free everything at exit by design, and
  # LeakSanitizer would report that as leaks (the cmocka suite checks the C core
  # for leaks instead).
  export PYTHONPATH="$PWD/build/sanitize" LD_PRELOAD="$asan $ubsan" \
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  .venv/bin/python -c 'import sys, natocyber._core as c
sys.exit(0 if "/build/sanitize/" in c.__file__ else "not the sanitizer build: " + c.__file__)' &&
  .venv/bin/python -m pytest -q -p no:cacheprovider "${SANITIZE_DESELECT[@]}" tests/python
}

job_pytest() {
  echo "== Python: pytest"
  .venv/bin/python -m pytest -q -p no:cacheprovider tests/python
}

for j in "${jobs[@]}"; do
  case "$j" in
    c|fuzz|sanitize|pytest) ;;
    *) echo "unknown job '$j' (jobs: c fuzz sanitize pytest)"; exit 2 ;;
  esac
done
status=0
last=${jobs[${#jobs[@]}-1]}
for j in "${jobs[@]}"; do
  start=$SECONDS
  # each job in a subshell: the sanitizer job's environment stays its own
  ( "job_$j" )
  st=$?
  if [ $st -ne 0 ]; then failed+=("$j"); status=1; fi
  # nothing after the last job's own output unless something failed
  [ "$j" != "$last" ] && echo "-- job $j: $((SECONDS - start)) s, status $st"
done
if [ $status -ne 0 ]; then
  echo "failed jobs: ${failed[*]}"
fi
exit $status
