#!/usr/bin/env bash
# The whole test suite under a sanitizer: the tests and the hafen binary they start are built
# with --sanitize=address or thread (in .build-asan / .build-tsan), every report goes to
# .build-SAN-reports/, and the run fails if the tests fail or any report was written.
# Usage: tools/sanitize.sh address|thread
set -euo pipefail
kind=${1:?address or thread}
case $kind in address) short=asan ;; thread) short=tsan ;; *) echo "address or thread"; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
build=.build-$short
reports=$ROOT/.build-$short-reports
rm -rf "$reports"; mkdir -p "$reports"
swift build --build-tests --sanitize="$kind" --build-path "$build"
# Leak checking is off: the Swift runtime and Foundation keep caches for the process's life.
export ASAN_OPTIONS="log_path=$reports/report detect_leaks=0"
export TSAN_OPTIONS="log_path=$reports/report halt_on_error=0"
status=0
HAFEN_BINARY=$ROOT/$build/debug/hafen tools/run-tests.sh swift test --skip-build --build-path "$build" --sanitize="$kind" \
  --parallel --num-workers 2 --skip "SoakTests|CrashMatrixTests|ClockJumpTests" || status=$?
found=$(ls "$reports" | wc -l)
echo "sanitizer $kind: tests exit $status, $found reports in $reports"
for f in "$reports"/*; do [ -f "$f" ] && head -30 "$f"; done
[ "$status" = 0 ] && [ "$found" = 0 ]
