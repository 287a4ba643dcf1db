#!/usr/bin/env bash
# Prints throughput and peak memory of reading + validating the benchmark files, and of the whole
# intake (claim, SHA-256, validate, ledger, receipt, archive). Usage: run.sh HAFEN_BINARY BENCH_DIR
set -euo pipefail
HAFEN=$1
DIR=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)

measure() {  # label rows file -- command...
  local label=$1 rows=$2 file=$3; shift 3
  local bytes; bytes=$(stat -c %s "$file")
  local tfile; tfile=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tfile" "$@" >/dev/null 2>&1 || true
  local out; out=$(tail -1 "$tfile"); rm -f "$tfile"
  local secs=${out% *} kb=${out#* }
  awk -v l="$label" -v r="$rows" -v b="$bytes" -v s="$secs" -v k="$kb" 'BEGIN {
    if (s < 0.01) s = 0.01
    printf "%-48s %9d rows %7.1f MB %6.2f s %10.0f rows/s %7.1f MB/s  peak RSS %6.1f MB\n", l, r, b/1e6, s, r/s, b/1e6/s, k/1024 }'
}

cfg=$DIR/bench.yaml
cat > "$cfg" <<YAML
state: work/.hafen
archive: work/archive
failed: work/failed
receipts: work/receipts
flows:
  stock:
    source: work/inbox/stock/*.csv
    schema: $ROOT/schemas/stock.schema.json
    dialect: {delimiter: ";", encoding: windows-1252}
    settle: 0s
    on_error: skip-rows
  products:
    source: work/inbox/products/*.csv
    schema: $ROOT/schemas/products.schema.json
    dialect: {delimiter: ";", encoding: windows-1252}
    settle: 0s
    on_error: skip-rows
YAML

echo "Hafen benchmark ($(nproc) cores; one core used; release build)"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('primaryKey'); json.dump(d, open(sys.argv[2], 'w'))" \
  "$ROOT/schemas/stock.schema.json" "$DIR/stock-nokey.schema.json"
NOKEY=(--schema "$DIR/stock-nokey.schema.json" --delimiter ';' --encoding cp1252)

echo "-- read + validate (hafen validate --flow)"
measure "stock 1M rows (cp1252, ';', primary key)" 1000000 "$DIR/stock-1m.csv" "$HAFEN" validate "$DIR/stock-1m.csv" --flow stock -c "$cfg"
measure "stock 1M rows, 1% bad cells" 1000000 "$DIR/stock-1m-defects.csv" "$HAFEN" validate "$DIR/stock-1m-defects.csv" --flow stock -c "$cfg" --max-problems 1000
measure "stock 1.01M rows, 10k repeated keys (2 passes)" 1010000 "$DIR/stock-1m-dups.csv" "$HAFEN" validate "$DIR/stock-1m-dups.csv" --flow stock -c "$cfg" --max-problems 1000
measure "stock 5M rows (memory vs file size)" 5000000 "$DIR/stock-5m.csv" "$HAFEN" validate "$DIR/stock-5m.csv" --flow stock -c "$cfg"
measure "stock 1M rows, schema without primary key" 1000000 "$DIR/stock-1m.csv" "$HAFEN" validate "$DIR/stock-1m.csv" "${NOKEY[@]}"
measure "stock 5M rows, schema without primary key" 5000000 "$DIR/stock-5m.csv" "$HAFEN" validate "$DIR/stock-5m.csv" "${NOKEY[@]}"
measure "products 200k rows (multi-line texts, GTIN)" 200000 "$DIR/products-200k.csv" "$HAFEN" validate "$DIR/products-200k.csv" --flow products -c "$cfg"

echo "-- whole intake (hafen run --once: claim, SHA-256, validate, ledger, receipt, archive)"
for flow in stock products; do
  rm -rf "$DIR/work"; mkdir -p "$DIR/work/inbox/$flow"
  if [ $flow = stock ]; then src=$DIR/stock-1m.csv; rows=1000000; else src=$DIR/products-200k.csv; rows=200000; fi
  cp "$src" "$DIR/work/inbox/$flow/"
  measure "$flow intake" $rows "$src" "$HAFEN" run --once -c "$cfg" --log-level error
done
rm -rf "$DIR/work"
