#!/usr/bin/env bash
# libFuzzer over Hafen's parsers: builds one fuzzing binary with AddressSanitizer from the
# sources of Formats, Validation, XML, EDIFACT, Commerce and Mapping (one module, with swiftc directly:
# SwiftPM's link of a -sanitize=fuzzer executable fails on this toolchain), seeds each target's
# corpus from ../shared/corpus, and runs every target for SECONDS seconds. The configuration
# loader and the webhook receiver's parsers need Yams and swift-crypto: their binary is linked
# from a SwiftPM build (tools/fuzz-build-gateway.sh).
# Usage: [FUZZ_JOBS=N] tools/fuzz.sh SECONDS [TARGET…]   (targets: csv table xml xml-xsd soap edifact expression config webhook)
# A crash leaves its input as .build-fuzz/crash-TARGET-*; it becomes a regression test.
set -euo pipefail
SECONDS_EACH=${1:-30}; shift || true
TARGETS=${*:-csv table xml xml-xsd soap edifact expression config webhook}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
OUT=$ROOT/.build-fuzz
mkdir -p "$OUT"
BIN=$OUT/hafen-fuzz
SOURCES=$(find "$ROOT/Sources/Formats" "$ROOT/Sources/Validation" "$ROOT/Sources/XML" "$ROOT/Sources/EDIFACT" "$ROOT/Sources/Commerce" "$ROOT/Sources/Mapping" -name '*.swift')
# The Gateway build (SwiftPM, for config and webhook) runs beside the swiftc build below, which
# keeps only one core busy.
gateway_build=""
case " $TARGETS " in *" config "*|*" webhook "*) "$ROOT/tools/fuzz-build-gateway.sh" & gateway_build=$! ;; esac
NEWEST=$(ls -t $SOURCES "$ROOT/Fuzz/HafenFuzz.swift" | sed -n 1p)  # sed reads it all: no SIGPIPE under pipefail
if [ ! -x "$BIN" ] || [ "$NEWEST" -nt "$BIN" ]; then
  echo "building $BIN (swiftc -sanitize=fuzzer,address)"
  # One module: the imports of its own parts are taken out of a copy of the sources.
  rm -rf "$OUT/src"; mkdir -p "$OUT/src"
  n=0
  for f in $SOURCES; do
    n=$((n + 1))
    sed -E '/^(public |internal )?import (Formats|Validation|XML|EDIFACT|Commerce|Mapping)$/d' "$f" > "$OUT/src/$n-$(basename "$f")"
  done
  rm -f "$BIN"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name HafenFuzz -suppress-warnings \
    -I "$ROOT/Sources/CLibXML2" -I /usr/include/libxml2 -lxml2 \
    "$OUT"/src/*.swift "$ROOT/Fuzz/HafenFuzz.swift" -o "$BIN" 2>&1 | grep -v "Cannot export local symbol" || true
  [ -x "$BIN" ] || { echo "fuzz build failed"; exit 1; }
fi
seed() {  # TARGET DIR…: copy the corpus files (at most 1 MB each) into the target's corpus
  local target=$1; shift
  mkdir -p "$OUT/corpus/$target"
  for dir in "$@"; do
    [ -d "$dir" ] || continue
    find "$dir" -type f -size -1024k | while read -r f; do
      if [ "$target" = csv ] || [ "$target" = table ] || [ "$target" = edifact ]; then printf '\001' | cat - "$f" > "$OUT/corpus/$target/$(basename "$f").seed"
      else cp "$f" "$OUT/corpus/$target/"; fi
    done
  done
}
seed csv "$SHARED/corpus/csv-edge" "$SHARED/corpus/erp-csv" "$ROOT/samples"
seed table "$SHARED/corpus/csv-edge" "$SHARED/corpus/erp-csv"
seed xml "$SHARED/corpus/xml" "$SHARED/corpus/idoc" "$ROOT/samples"
seed xml-xsd "$SHARED/corpus/xml" "$ROOT/samples"
printf '<?xml version="1.0"?>\n<Artikelliste><Artikel aktiv="true"><Nummer>A-1</Nummer><Preis>9.90</Preis><Text lang="de">Becher</Text><Menge>2</Menge></Artikel></Artikelliste>\n' > "$OUT/corpus/xml-xsd/artikel.xml"
seed soap "$SHARED/corpus/soap"
seed edifact "$SHARED/corpus/edifact"
mkdir -p "$OUT/corpus/expression"
printf 'Preis * 1.19' > "$OUT/corpus/expression/a"; printf "upper(trim(a)) + \"-\" + b" > "$OUT/corpus/expression/b"
printf 'if(a = "J", round(Preis, 2), 0)' > "$OUT/corpus/expression/c"
# Every crash found is kept as Fuzz/regressions/TARGET-NAME and seeds its target again.
for f in "$ROOT"/Fuzz/regressions/*; do
  [ -f "$f" ] || continue
  target=$(basename "$f" | sed -E 's/^(xml-xsd|[a-z]+)-.*/\1/')
  mkdir -p "$OUT/corpus/$target"; cp "$f" "$OUT/corpus/$target/"
done
if [ -n "$gateway_build" ]; then wait "$gateway_build" || { echo "the fuzz build of the Gateway target failed"; exit 1; }; fi
mkdir -p "$OUT/corpus/config" "$OUT/corpus/webhook"
for f in "$ROOT/hafen.yaml" "$ROOT"/docs/examples/*.yaml; do [ -f "$f" ] && cp "$f" "$OUT/corpus/config/"; done
printf 'shops:\n  main: {store: "http://127.0.0.1:1", token: env:T}\nflows:\n  a: {source: inbox/a/*.csv, schema: s.json, shops: [main]}\n' > "$OUT/corpus/config/small.yaml"
printf 'orders/paid\nok\n{"id": 1001, "admin_graphql_api_id": "gid://shopify/Order/1001"}' > "$OUT/corpus/webhook/order"
printf 'refunds/create\nok\n{"id": 7, "order_id": 1001, "refund_line_items": []}' > "$OUT/corpus/webhook/refund"
printf 'customers/update\nok\n{"id": 5, "email": "a@example.com"}' > "$OUT/corpus/webhook/customer"
printf 'orders/create\nbm90IGEgc2lnbmF0dXJl\n{"id": 1}' > "$OUT/corpus/webhook/forged"
# FUZZ_JOBS targets run at once (default 1; `make test` runs two, one a core).
fuzz_target() {  # TARGET: runs it for SECONDS_EACH seconds; prints one line; fails on a crash
  local target=$1 binary=$BIN log=$OUT/$1.log
  case $target in config|webhook) binary=$OUT/gateway-fuzz ;; esac
  # -rss_limit_mb bounds memory; -timeout flags an input that takes over 10 s (a hang).
  # /usr/bin/time appends the CPU seconds used (user + system), the figure the goal counts.
  if HAFEN_FUZZ_TARGET=$target /usr/bin/time -a -o "$log.cpu" -f "%U %S" "$binary" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
       -artifact_prefix="$OUT/crash-$target-" -print_final_stats=1 "$OUT/corpus/$target" >"$log" 2>&1; then
    local runs cov cpu total
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    cpu=$(tail -1 "$log.cpu" | awk '{printf "%.1f", ($1 + $2) / 60}')
    total=$(awk '{s += $1 + $2} END {printf "%.1f", s / 60}' "$log.cpu")
    echo "fuzz $target: ${SECONDS_EACH} s, ${cpu} CPU-min ($total CPU-min kept in $log.cpu so far), $runs inputs, $cov, 0 crashes"
  else
    echo "fuzz $target: CRASH — see $log and $OUT/crash-$target-*"; tail -30 "$log"; return 1
  fi
}
JOBS=${FUZZ_JOBS:-1}
status=0
running=0
for target in $TARGETS; do
  if [ "$running" -ge "$JOBS" ]; then wait -n || status=1; running=$((running - 1)); fi
  fuzz_target "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
exit $status
