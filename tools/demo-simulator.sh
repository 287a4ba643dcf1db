#!/usr/bin/env bash
# The demo's shop simulator: start (in the background, if it is not running), stop, summary,
# orders N (shoppers place N orders).
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
*)
  echo "usage: $0 start|stop|summary|orders [N]" >&2
  exit 2
  ;;
esac
