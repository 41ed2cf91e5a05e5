#!/usr/bin/env bash
# Runs the whole suite: unit and AppTest tests, then the browser tests (marker "browser") when a
# Chromium is installed. pytest's exit 5 (no test collected) counts as a failure.
set -u
PY=${1:-python}
CHROMIUM=${SPBE_CHROMIUM:-/usr/bin/chromium}
"$PY" -m pytest -m "not browser" -q
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi
[ $rc -eq 0 ] || exit $rc
if [ -x "$CHROMIUM" ]; then
  "$PY" -m pytest -m browser -q
  rc=$?
  if [ $rc -eq 5 ]; then echo "no browser tests collected: failing"; exit 1; fi
  exit $rc
else
  echo "SKIPPED browser tests: no Chromium at $CHROMIUM (apt-get install -y chromium)"
fi
