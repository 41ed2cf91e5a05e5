#!/usr/bin/env bash
# Runs the whole suite: unit and AppTest tests, then the browser tests (marker "browser") when a
# Chromium is installed, then the container tests (marker "container") when podman is on PATH.
# pytest's exit 5 (no test collected) counts as a failure.
set -u
PY=${1:-python}
CHROMIUM=${SPBE_CHROMIUM:-/usr/bin/chromium}
"$PY" -m pytest -m "not browser and not container" -q -n 2  # two workers: each builds its own store
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi
[ $rc -eq 0 ] || exit $rc
if [ -x "$CHROMIUM" ]; then
  "$PY" -m pytest -m "browser and not container" -q --ignore=tests/test_replicas.py
  rc=$?
  if [ $rc -eq 5 ]; then echo "no browser tests collected: failing"; exit 1; fi
  [ $rc -eq 0 ] || exit $rc
  # The replicas behind nginx: their own run, as they start their own Playwright (skips without nginx).
  "$PY" -m pytest tests/test_replicas.py -q -rs
  rc=$?
  [ $rc -eq 0 ] || exit $rc
else
  echo "SKIPPED browser tests: no Chromium at $CHROMIUM (apt-get install -y chromium)"
fi
if command -v podman >/dev/null 2>&1; then
  # Builds a local Debian base with debootstrap (cached under /var/tmp) and the image; skips without network.
  "$PY" -m pytest -m container -q -rs
  rc=$?
  if [ $rc -eq 5 ]; then echo "no container tests collected: failing"; exit 1; fi
  exit $rc
else
  echo "SKIPPED container tests: no podman on PATH (apt-get install -y podman runc debootstrap)"
fi
