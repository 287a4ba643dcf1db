#!/usr/bin/env bash
# Pushes to the shop simulator at the Standard plan's limits (bucket 2000, 100 points/s) and
# prints calls, cost points, wall time and wall time divided by the minimum the rate limit
# allows: 10,000 products with 100,000 variants (bulk import), then 100,000 SKUs of stock, then
# the same stock with 1% changed. Usage: shop.sh HAFEN_BINARY BENCH_DIR
set -euo pipefail
HAFEN=$1
DIR=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$DIR/shop-work
rm -rf "$WORK"; mkdir -p "$WORK/inbox/products" "$WORK/inbox/stock"

# 10,000 groups of 10 sizes: SKUs A-0000001 … A-0100000, as in the generated stock files.
[ -f "$DIR/shop-products-10k.csv" ] || python3 - "$DIR/shop-products-10k.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("Artikelnummer;Gruppe;Titel;Preis;Größe\r\n")
    for i in range(100000):
        f.write(f"A-{i + 1:07d};G-{i // 10:05d};Artikel {i // 10};{10 + i % 97},{i % 100:02d};S{i % 10 + 1}\r\n")
PY

echo "shpat_bench" > "$WORK/token"
cat > "$WORK/hafen.yaml" <<YAML
state: .hafen
archive: archive
failed: failed
receipts: receipts
shops:
  bench:
    store: http://127.0.0.1:PORT
    token: file:token
flows:
  products:
    source: inbox/products/*.csv
    schema: $ROOT/Benchmarks/shop-products.schema.json
    dialect: {delimiter: ";"}
    settle: 0s
    map:
      to: products
      group_by: Gruppe
      product: {title: Titel, status: {const: active}}
      variant: {sku: Artikelnummer, price: Preis}
      options: {Größe: Größe}
  stock:
    source: inbox/stock/*.csv
    schema: $ROOT/schemas/stock.schema.json
    dialect: {delimiter: ";", encoding: windows-1252}
    settle: 0s
    on_error: skip-rows
    map:
      to: stock
      stock:
        sku: Artikelnummer
        location: {value: Lager, table: {HAUPT: Hauptlager, AUSSEN: Außenlager}}
        on_hand: Bestand
        reserved: Reserviert
YAML

"$HAFEN" simulator --port 0 --port-file "$WORK/port" --token shpat_bench --log-level error >/dev/null 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
sed -i "s/PORT/$PORT/" "$WORK/hafen.yaml"

state() { python3 -c "import json,urllib.request; print(json.dumps(json.load(urllib.request.urlopen('http://127.0.0.1:$PORT/admin/state'))))"; }

run() {  # label flow file
  local label=$1 flow=$2 file=$3
  local before; before=$(state)
  cp "$file" "$WORK/inbox/$flow/"
  local start end
  start=$(date +%s.%N)
  (cd "$WORK" && "$HAFEN" run --once --log-level ${BENCH_LOG:-error} >/dev/null) || true
  end=$(date +%s.%N)
  local after; after=$(state)
  local receipt; receipt=$(ls -t "$WORK"/receipts/"$flow"/*.json | head -1)
  python3 - "$label" "$start" "$end" "$receipt" "$before" "$after" <<'PY'
import json, math, sys
label, start, end, receipt_path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
before, after = json.loads(sys.argv[5]), json.loads(sys.argv[6])
receipt = json.load(open(receipt_path))
shop = receipt["shops"][0]
wall = end - start
points = after["calls"]["cost_points"] - before["calls"]["cost_points"]
calls = after["calls"]["total"] - before["calls"]["total"]
throttled = after["calls"]["throttled"] - before["calls"]["throttled"]
bucket = before["bucket"]
minimum = max(0.0, points - bucket["available"]) / bucket["restore_rate"]
ops = after["calls"]["by_operation"]
line = (f"{label:<44} {wall:7.2f} s  calls {calls:4d}  cost {points:6d}  rate-limit minimum {minimum:6.2f} s"
        + (f"  ratio {wall / minimum:4.2f}" if minimum > 0 else "  ratio   - ")
        + f"  THROTTLED {throttled}")
print(line)
changed = shop["created"] + shop["updated"]
print(f"{'':<44} created {shop['created']}, updated {shop['updated']}, unchanged {shop['unchanged']}, refused {shop['refused']}, "
      f"bulk import {'yes' if shop['bulk_import'] else 'no'}, status {receipt['status']}")
if label.startswith("stock 1%"):
    limit = math.ceil(changed / 250) + 2
    print(f"{'':<44} {changed} changed levels: {calls} calls (target ≤ ceil({changed}/250)+2 = {limit}): {'met' if calls <= limit else 'NOT met'}")
PY
}

echo "-- shop push (simulator, Standard plan: bucket 2000 points, 100 points/s; release build)"
run "products 10k (100k variants)" products "$DIR/shop-products-10k.csv"
# Let the bucket fill up again, so the stock run starts as a daily run would.
sleep 12
run "stock 100k SKUs (first push)" stock "$DIR/stock-100k.csv"
sleep 12
run "stock 1% changed" stock "$DIR/stock-100k-1pct.csv"
rm -rf "$WORK"
