#!/usr/bin/env bash
# Runs a test command with a deadline (HAFEN_TEST_TIMEOUT seconds, 1500 unless set). A test that
# hangs then fails the run within the deadline, naming the tests that were still running, instead
# of holding CI until its own limit.
set -uo pipefail
limit=${HAFEN_TEST_TIMEOUT:-1500}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout --kill-after=20 "$limit" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo
  echo "the tests did not finish within $limit s (HAFEN_TEST_TIMEOUT); started and never ended:"
  grep -v '^◇ Test case ' "$log" | sed -nE 's/^◇ (Test|Suite) (.+) started\.$/\1 \2/p' | sort -u >"$log.started"
  sed -nE 's/^[✔✘] (Test|Suite) (.+) (passed|failed)( after.*)?$/\1 \2/p; s/^[✔✘] (Test|Suite) (.+) with [0-9]+ test cases? (passed|failed).*$/\1 \2/p' "$log" \
    | sed -E 's/ with [0-9]+ test cases?$//' | sort -u >"$log.ended"
  comm -23 "$log.started" "$log.ended" | grep -v '^Test run$' | sed 's/^/  /'
  rm -f "$log.started" "$log.ended"
fi
exit "$status"
