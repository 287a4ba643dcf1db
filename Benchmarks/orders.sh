#!/usr/bin/env bash
# Orders back to the ERP, against the shop simulator (Standard plan limits; release build):
#  1. 10,000 paid orders pulled and written as one ERP file each: wall time, API calls by
#     operation, files/s, peak memory. Target: list calls ≤ ceil(orders / 250) + 2.
#  2. Webhook to file: 200 orders placed four a second while `hafen run` listens (after its
#     first poll); the time from placing an order to its file in the outbox, p50 and p99.
#     Targets: p50 < 200 ms, p99 < 1 s.
# Usage: orders.sh HAFEN_BINARY BENCH_DIR
set -euo pipefail
HAFEN=$1
DIR=$(cd "$2" && pwd)
WORK=$DIR/orders-work
rm -rf "$WORK"; mkdir -p "$WORK"
echo "shpat_bench" > "$WORK/token"
echo "bench-webhook-secret" > "$WORK/secret"
SERVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORK/hafen.yaml" <<YAML
state: .hafen
receipts: receipts
server:
  listen: 127.0.0.1:$SERVER_PORT
shops:
  bench:
    store: http://127.0.0.1:PORT
    token: file:token
    webhook_secret: file:secret
exports:
  orders:
    target: outbox/orders
    name: "ORD_{order.number}_{kind}.csv"
    dialect: {delimiter: ";", encoding: windows-1252}
    decimal_separator: ","
    shipping_as_line: VERSAND
    poll: 1h
    tables:
      zahlart: {shopify_payments: KK, paypal: PP, Rechnung: RE, Vorkasse: VK, default: SO}
    columns:
      Belegnummer: order.number
      Datum: order.date
      Debitor: {const: "10000"}
      Name: billing.name
      Strasse: billing.street
      Hausnummer: billing.house_number
      PLZ: billing.zip
      Ort: billing.city
      Land: billing.country
      Zahlart: {value: order.payment_gateway, table: zahlart}
      Position: line.number
      Artikel: line.sku
      Menge: line.quantity
      Preis: line.unit_price
      Rabatt: line.discount
      MwSt: line.tax_rate
YAML

"$HAFEN" simulator --port 0 --port-file "$WORK/port" --token shpat_bench --log-level error >/dev/null 2>&1 &
SIM=$!
DAEMON=
trap 'kill $SIM $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
sed -i "s/PORT/$PORT/" "$WORK/hafen.yaml"
state() { python3 -c "import json,urllib.request; print(json.dumps(json.load(urllib.request.urlopen('http://127.0.0.1:$PORT/admin/state'))['calls']))"; }

echo "-- orders back to the ERP (simulator, Standard plan: bucket 2000 points, 100 points/s; release build)"
python3 - "$PORT" <<'PY'
import json, sys, time, urllib.request
start = time.time()
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/admin/orders/generate",
                                 data=json.dumps({"count": 10000, "seed": 42}).encode(), method="POST")
urllib.request.urlopen(request).read()
print(f"{'(setup) 10,000 orders placed in the simulator':<44} {time.time() - start:7.2f} s")
PY
BEFORE=$(state)
START=$(date +%s.%N)
(cd "$WORK" && /usr/bin/time -f "%M" -o "$WORK/rss" "$HAFEN" export orders --log-level error >/dev/null)
END=$(date +%s.%N)
AFTER=$(state)
python3 - "$START" "$END" "$BEFORE" "$AFTER" "$(cat "$WORK/rss")" "$WORK/outbox/orders" <<'PY'
import json, math, os, sys
start, end = float(sys.argv[1]), float(sys.argv[2])
before, after = json.loads(sys.argv[3]), json.loads(sys.argv[4])
rss_mb = int(sys.argv[5]) / 1024
files = [n for n in os.listdir(sys.argv[6]) if n.endswith(".csv")]
wall = end - start
ops = {k: v - before["by_operation"].get(k, 0) for k, v in after["by_operation"].items() if v - before["by_operation"].get(k, 0)}
calls = after["total"] - before["total"]
listing = sum(n for k, n in ops.items() if k in ("OrdersUpdated", "OrdersCount", "BulkOperationRunQuery"))
limit = math.ceil(10000 / 250) + 2
print(f"{'pull 10,000 orders → ERP files':<44} {wall:7.2f} s  {len(files)} files  {len(files) / wall:7.0f} files/s  peak RSS {rss_mb:.0f} MB")
print(f"{'':<44} calls {calls} ({', '.join(f'{n} {k}' for k, n in sorted(ops.items()))}); "
      f"list calls {listing} (target ≤ ceil(10000/250)+2 = {limit}): {'met' if listing <= limit else 'NOT met'}; "
      f"THROTTLED {after['throttled'] - before['throttled']}")
PY

# Webhook to file: the daemon listens; the simulator signs and sends orders/create and orders/paid.
(cd "$WORK" && exec "$HAFEN" run --log-level debug >"$WORK/daemon.log" 2>&1) &
DAEMON=$!
# Measured in steady state: after the daemon's first poll, which reads the last 10 minutes again
# (here: all 10,000 orders above, in one bulk query) and meanwhile holds webhooks back.
for _ in $(seq 1200); do grep -q '\] exported' "$WORK/daemon.log" 2>/dev/null && break; sleep 0.1; done
python3 - "$PORT" "$SERVER_PORT" "$WORK/outbox/orders" <<'PY'
import json, math, os, statistics, sys, time, urllib.request
port, server, outbox = sys.argv[1], sys.argv[2], sys.argv[3]
def post(path, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST")
    return json.load(urllib.request.urlopen(request))
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server}/health"); break
    except OSError:
        time.sleep(0.05)
post("/admin/webhooks", {"url": f"http://127.0.0.1:{server}/webhooks/shopify", "secret": "bench-webhook-secret"})
order = {"email": "kunde@example.com", "paymentGateway": "paypal",
         "billingAddress": {"firstName": "Anna", "lastName": "Weber", "address1": "Hafenstraße 1", "zip": "20457", "city": "Hamburg", "countryCodeV2": "DE"},
         "lineItems": [{"sku": "A-1", "title": "Becher", "quantity": 2, "price": "9.90", "taxRate": "0.19"}],
         "shippingLines": [{"title": "DHL Paket", "price": "4.90", "taxRate": "0.19"}]}
latencies, missing = [], 0
# A busy shop: four orders a second (14,400 an hour), each placed on its own schedule.
first_due = time.perf_counter()
for index in range(200):
    time.sleep(max(0.0, first_due + index * 0.25 - time.perf_counter()))
    start = time.perf_counter()
    name = post("/admin/orders", order)[0]["name"].lstrip("#")
    path = os.path.join(outbox, f"ORD_{name}_original.csv")
    while not os.path.exists(path) and time.perf_counter() - start < 5:
        time.sleep(0.001)
    if os.path.exists(path):
        latencies.append((time.perf_counter() - start) * 1000)
    else:
        missing += 1
latencies.sort()
p50 = statistics.median(latencies)
p99 = latencies[max(0, math.ceil(len(latencies) * 0.99) - 1)]
print(f"{'webhook → file, 200 orders, 4 a second':<44} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  max {latencies[-1]:6.1f} ms  "
      f"(targets p50 < 200 ms: {'met' if p50 < 200 else 'NOT met'}, p99 < 1000 ms: {'met' if p99 < 1000 else 'NOT met'}); missing {missing}")
PY
rm -rf "$WORK"
