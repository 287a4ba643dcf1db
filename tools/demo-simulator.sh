#!/usr/bin/env bash
# The demo's shop simulator: start (in the background, if it is not running), stop, summary,
# orders N (shoppers place N orders), refund (the merchant refunds part of an order),
# shipments (the ERP reports dispatches of exported orders).
# It keeps its shop in memory, so it stays up between `make demo` runs; `make demo-reset` stops it.
set -euo pipefail
state=.hafen
bin=${HAFEN_BIN:-.build/debug/hafen}
port=${HAFEN_SIMULATOR_PORT:-8790}
running() { [ -f "$state/simulator.pid" ] && kill -0 "$(cat "$state/simulator.pid")" 2>/dev/null; }

case "${1:-}" in
start)
  mkdir -p "$state"
  # A token of its own per checkout; hafen.yaml reads it with token: file:.hafen/simulator.token
  [ -s "$state/simulator.token" ] || echo "shpat_demo_$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" > "$state/simulator.token"
  if running; then
    echo "shop simulator already running on http://127.0.0.1:$port (pid $(cat "$state/simulator.pid"))"
    exit 0
  fi
  rm -f "$state/simulator.port"
  nohup "$bin" simulator --port "$port" --token "$(cat "$state/simulator.token")" --port-file "$state/simulator.port" \
    > "$state/simulator.log" 2>&1 &
  echo $! > "$state/simulator.pid"
  for _ in $(seq 150); do [ -s "$state/simulator.port" ] && break; sleep 0.1; done
  if [ ! -s "$state/simulator.port" ]; then
    echo "the shop simulator did not start (is port $port taken?); see $state/simulator.log" >&2
    exit 1
  fi
  echo "shop simulator listening on http://127.0.0.1:$port (pid $(cat "$state/simulator.pid"))"
  ;;
stop)
  if running; then kill "$(cat "$state/simulator.pid")"; echo "shop simulator stopped"; fi
  rm -f "$state/simulator.pid" "$state/simulator.port"
  ;;
summary)
  python3 - "$port" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/admin/state"))
o, c = state["objects"], state["calls"]
print(f"in the shop: {o['products']} products, {o['variants']} variants, {o['inventory_levels']} stock levels")
ops = ", ".join(f"{n} {k}" for k, n in sorted(c["by_operation"].items()))
print(f"calls so far: {c['total']} ({ops}); cost {c['cost_points']} points; throttled {c['throttled']}")
PY
  ;;
orders)
  # Shoppers at work: N realistic orders (customers, lines, discounts, shipping, taxes, payment).
  python3 - "$port" "${2:-12}" <<'PY'
import json, sys, urllib.request, random
body = json.dumps({"count": int(sys.argv[2]), "seed": random.randrange(1, 1 << 30)}).encode()
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/admin/orders/generate", data=body, method="POST")
made = json.load(urllib.request.urlopen(request))[0]
print(f"shoppers placed {made['created']} orders ({made['first']} to {made['last']})")
PY
  ;;
refund)
  # The merchant refunds one item (back to stock) and the shipping of the oldest paid order.
  python3 - "$port" "$(cat "$state/simulator.token")" <<'PY'
import json, sys, urllib.request
port, token = sys.argv[1], sys.argv[2]
query = '{ orders(first: 1, query: "financial_status:paid") { nodes { id name lineItems(first: 1) { nodes { sku } } } } }'
request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/api/2026-07/graphql.json", data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json", "X-Shopify-Access-Token": token}, method="POST")
orders = json.load(urllib.request.urlopen(request))["data"]["orders"]["nodes"]
if not orders:
    sys.exit("no paid order to refund")
order = orders[0]
body = {"note": "Retoure", "lines": [{"sku": order["lineItems"]["nodes"][0]["sku"], "quantity": 1, "restock": True}], "shipping": True}
request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/orders/{order['id'].rsplit('/', 1)[1]}/refunds", data=json.dumps(body).encode(), method="POST")
made = json.load(urllib.request.urlopen(request))[0]
print(f"the merchant refunded {made['amount']} of order {made['order']}")
PY
  ;;
shipments)
  # The ERP's dispatch: a shipment file for the two newest exported orders (one whole, one in
  # part) and one for an order number the shop does not know, into inbox/shipments/.
  mkdir -p inbox/shipments
  python3 - <<'PY'
import csv, glob, io, os, random, time
files = sorted(glob.glob("outbox/orders/ORD_*_original*.csv"), key=os.path.getmtime)[-2:]
rows = []
for index, path in enumerate(files):
    with open(path, encoding="windows-1252", newline="") as f:
        lines = [r for r in csv.DictReader(f, delimiter=";") if r["Artikelnummer"] != "VERSAND"]
    tracking = "00340434" + "".join(random.choice("0123456789") for _ in range(12))
    url = f"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={tracking}"
    if index == 0:
        rows.append([lines[0]["Belegnummer"], f"LS-{index + 1}", "", "", "DHL", tracking, url])
    else:
        rows.append([lines[0]["Belegnummer"], f"LS-{index + 1}", lines[0]["Artikelnummer"], "1", "DHL", tracking, url])
rows.append(["99999", "LS-9", "", "", "DHL", "00340434000000000000", ""])
out = io.StringIO()
writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
writer.writerow(["Auftrag", "Lieferschein", "Artikelnummer", "Menge", "Versender", "Sendungsnummer", "Tracking-URL", "Versanddatum"])
for row in rows:
    writer.writerow(row + [time.strftime("%d.%m.%Y")])
name = time.strftime("inbox/shipments/VERSAND_%Y%m%d-%H%M%S.csv")
with open(name, "w", encoding="windows-1252", newline="") as f:
    f.write(out.getvalue())
print(f"the ERP wrote {name}:")
print(out.getvalue().replace("\r\n", "\n"), end="")
PY
  ;;
*)
  echo "usage: $0 start|stop|summary|orders [N]|refund|shipments" >&2
  exit 2
  ;;
esac
