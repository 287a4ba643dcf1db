#!/usr/bin/env bash
# SFTP benchmark against a local OpenSSH server (loopback, ed25519, internal-sftp), beside
# OpenSSH's own client (sftp -b) doing the same transfers in the same run:
#   * 100 files of 1 MB and one of 200 MB: fetched, validated and archived by hafen run --once
#     (the partner's copies moved to done/), the same files taken from a local inbox, and
#     sftp -b getting them and renaming them on the server;
#   * 100 export files (100 orders from the simulator) with their .sha256 sidecars: written by
#     hafen export while the partner is down (queued in the ledger), then delivered by
#     hafen transfers --retry (temporary name, fsync, size check, rename, each), beside
#     sftp -b putting the same files.
# Usage: sftp.sh HAFEN BENCH_DIR
set -euo pipefail
HAFEN=$1
DIR=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
W=$DIR/sftp-work
rm -rf "$W"; mkdir -p "$W"/{keys,root/out/small,root/out/big,root/in,local/small,local/big,get}
chmod 700 "$W"

BIG=$DIR/stock-200mb.csv
[ -f "$BIG" ] || python3 "$SHARED/tools/gen_erp_export.py" stock --rows 4800000 --seed 21 -o "$BIG"
HEADER=$(head -1 "$BIG" | tr -d '\r')
# 100 files of about 1 MB: consecutive slices of the big file, each with the header.
sed -n '2,2400001p' "$BIG" | split -l 24000 -d -a 3 --additional-suffix=.csv - "$W/local/small/bestand-"
for f in "$W"/local/small/*.csv; do { printf '%s\r\n' "$HEADER"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"; done
cp "$BIG" "$W/local/big/bestand-gross.csv"

ssh-keygen -q -t ed25519 -N '' -f "$W/keys/host" -C host
ssh-keygen -q -t ed25519 -N '' -f "$W/keys/client" -C client
cp "$W/keys/client.pub" "$W/keys/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
USER_NAME=$(id -un)
mkdir -p /run/sshd 2>/dev/null || true
cat > "$W/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $PORT
HostKey $W/keys/host
PidFile $W/sshd.pid
AuthorizedKeysFile $W/keys/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $USER_NAME
StrictModes no
Subsystem sftp internal-sftp
ForceCommand internal-sftp -d $W/root
CFG
/usr/sbin/sshd -D -e -f "$W/sshd_config" 2>"$W/sshd.log" &
SSHD=$!
SIM=
trap 'kill $SSHD $SIM 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1-2 "$W/keys/host.pub")" > "$W/keys/known_hosts"
SFTP=(sftp -q -b - -i "$W/keys/client" -P "$PORT" -o UserKnownHostsFile="$W/keys/known_hosts" -o StrictHostKeyChecking=yes "$USER_NAME@127.0.0.1")

stage() {  # puts the files for a run on the server again (done/ emptied)
  rm -rf "$W/root/out/small" "$W/root/out/big" "$W/root/done"
  mkdir -p "$W/root/out/small" "$W/root/out/big"
  cp "$W"/local/small/*.csv "$W/root/out/small/"; cp "$W/local/big/bestand-gross.csv" "$W/root/out/big/"
  sync
}

partner() {  # the partners: block of every configuration below [PORT]
  cat <<YAML
partners:
  bench:
    host: 127.0.0.1
    port: ${1:-$PORT}
    user: $USER_NAME
    key: file:$W/keys/client
    known_hosts: $W/keys/known_hosts
    directory: $W/root
YAML
}

flow() {  # flow NAME SOURCE [EXTRA]: one stock flow of the configurations below
  cat <<YAML
  $1:
    source: $2
    schema: $ROOT/schemas/stock.schema.json
    dialect: {delimiter: ";", encoding: windows-1252}
    settle: 0s
    max_size: 1GB
${3:-}
YAML
}

config() {  # config NAME SOURCE_SMALL SOURCE_BIG [EXTRA_SMALL EXTRA_BIG]
  cat > "$W/$1.yaml" <<YAML
state: $1/.hafen
archive: $1/archive
failed: $1/failed
receipts: $1/receipts
$(partner)
flows:
$(flow small "$2" "${4:-}")
$(flow big "$3" "${5:-}")
YAML
}

timed() {  # prints seconds and peak KB of a command run in $W
  local t; t=$(mktemp)
  (cd "$W" && /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>"$W/last.err") || { echo "failed: $*" >&2; tail -5 "$W/last.err" >&2; }
  tail -1 "$t"; rm -f "$t"
}

line() {  # label seconds bytes files [rss_kb]
  awk -v l="$1" -v s="$2" -v b="$3" -v n="$4" -v k="${5:-0}" 'BEGIN { if (s < 0.01) s = 0.01
    printf "%-54s %7.2f s %7.1f MB/s %7.1f files/s", l, s, b/1e6/s, n/s; if (k > 0) printf "  peak RSS %5.0f MB", k/1024; printf "\n" }'
}

SMALL_BYTES=$(cat "$W"/local/small/*.csv | wc -c)
BIG_BYTES=$(stat -c %s "$BIG")
echo "-- SFTP: local OpenSSH $(ssh -V 2>&1 | cut -d, -f1), 100 × $((SMALL_BYTES / 100 / 1000)) kB and 1 × $((BIG_BYTES / 1000000)) MB stock files (release build)"

# OpenSSH's client: get everything, then rename each file into done/ on the server.
for set in small big; do
  stage; rm -rf "$W/get"; mkdir -p "$W/get"
  { echo "mkdir done"; echo "mkdir done/$set"; echo "get out/$set/* $W/get/"
    for f in "$W/root/out/$set"/*.csv; do n=$(basename "$f"); echo "rename out/$set/$n done/$set/$n"; done; } > "$W/batch"
  s=$( (cd "$W" && /usr/bin/time -f "%e" "${SFTP[@]}" < "$W/batch" >/dev/null 2>"$W/t") ; tail -1 "$W/t")
  n=$(ls "$W/root/out/$set" | wc -l); [ "$n" = 0 ] || echo "sftp -b left $n files" >&2
  if [ $set = small ]; then line "sftp -b: get + rename, 100 × 1 MB" "$s" "$SMALL_BYTES" 100; SFTP_SMALL=$s
  else line "sftp -b: get + rename, 1 × 200 MB" "$s" "$BIG_BYTES" 1; SFTP_BIG=$s; fi
done

# Hafen on a local inbox: the same files validated and archived (the processing alone).
config local "$W/local-in/small/*.csv" "$W/local-in/big/*.csv"
rm -rf "$W/local-in"; mkdir -p "$W/local-in"; cp -r "$W/local/small" "$W/local/big" "$W/local-in/"; sync
read -r s k < <(timed "$HAFEN" run --once -c "$W/local.yaml" --log-level error)
line "hafen run --once, local inbox (validate + archive, both)" "$s" $((SMALL_BYTES + BIG_BYTES)) 101 "$k"; LOCAL_ALL=$s

# Hafen from the SFTP server: fetch, validate, archive, move on the server.
stage
config remote "sftp://bench/out/small/*.csv" "sftp://bench/out/big/*.csv" "    move_to: done/small" "    move_to: done/big"
read -r s k < <(timed "$HAFEN" run --once -c "$W/remote.yaml" --log-level info)
# The downloads alone, from the "fetched" log lines (the next file downloads while one is processed).
read -r DL_SMALL DL_BIG < <(awk '/ fetched/ { f = ""; t = 0
    for (i = 1; i <= NF; i++) { if ($i ~ /^flow=/) f = substr($i, 6); if ($i ~ /^seconds=/) t = substr($i, 9) }
    d[f] += t } END { printf "%.2f %.2f\n", d["small"], d["big"] }' "$W/last.err")
n=$(ls "$W/root/done/small" "$W/root/done/big" 2>/dev/null | grep -c csv || true)
line "hafen run --once, sftp:// (fetch + validate + archive + move)" "$s" $((SMALL_BYTES + BIG_BYTES)) 101 "$k"; REMOTE_ALL=$s
[ "$n" = 101 ] || echo "   only $n of 101 files moved on the server" >&2
line "  downloads alone, 100 × 1 MB (beside processing)" "$DL_SMALL" "$SMALL_BYTES" 100
line "  download alone, 1 × 200 MB" "$DL_BIG" "$BIG_BYTES" 1
awk -v h="$DL_BIG" -v o="$SFTP_BIG" 'BEGIN { if (o < 0.01) o = 0.01
  printf "%-54s hafen takes %.2fx OpenSSH'"'"'s time (get + rename); target <= 1.5x: %s\n", "  200 MB download", h/o, (h/o <= 1.5 ? "met" : "NOT met") }'
awk -v r="$REMOTE_ALL" -v l="$LOCAL_ALL" -v a="$SFTP_SMALL" -v b="$SFTP_BIG" -v by=$((SMALL_BYTES + BIG_BYTES)) 'BEGIN {
  t = r - l; if (t < 0.01) t = 0.01; o = a + b
  printf "%-54s %7.2f s %7.1f MB/s  (OpenSSH %.2f s, %.1f MB/s: hafen takes %.2fx; target <= 1.5x: %s)\n",
    "  transfer share (sftp:// run - local run)", t, by/1e6/t, o, by/1e6/o, t/o, (t/o <= 1.5 ? "met" : "NOT met") }'

# Uploads: 100 per-order export files with sidecars. The simulator's rate limit is raised: the
# export only makes the files, while the partner is down (a closed port), so they wait in the
# ledger; hafen transfers --retry then sends them with the partner up, and is what is timed.
"$HAFEN" simulator --port 0 --port-file "$W/simport" --token shpat_bench --bucket 100000 --restore-rate 100000 --log-level error >/dev/null 2>&1 &
SIM=$!
for _ in $(seq 300); do [ -s "$W/simport" ] && break; sleep 0.1; done
SIMPORT=$(cat "$W/simport")
python3 - "$SIMPORT" <<'PY'
import json, sys, urllib.request
urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/admin/orders/generate",
    data=json.dumps({"count": 100, "seed": 5}).encode(), method="POST")).read()
PY
echo shpat_bench > "$W/token"
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export_config() {  # NAME PARTNER_PORT
  cat > "$W/$1.yaml" <<YAML
state: exports/.hafen
receipts: exports/receipts
$(partner "$2")
shops:
  sim:
    store: http://127.0.0.1:$SIMPORT
    token: file:$W/token
exports:
  orders:
    target: sftp://bench/in/orders
    start: 87600h
    manifest: false
    delivery: {sidecar: true}
    columns:
      Beleg: order.number
      Datum: order.date
      Artikel: line.sku
      Menge: line.quantity
      Preis: line.unit_price
YAML
}
export_config partner-down "$CLOSED"
export_config partner-up "$PORT"
(cd "$W" && "$HAFEN" export orders -c "$W/partner-down.yaml" --log-level critical >/dev/null 2>&1) || true
EXN=$(ls "$W"/outbox/orders/ | grep -c '\.csv$' || true)
EX_BYTES=$(cat "$W"/outbox/orders/* | wc -c)
read -r s k < <(timed "$HAFEN" transfers --retry -c "$W/partner-up.yaml" --log-level error)
n=$(ls "$W/root/in/orders" 2>/dev/null | grep -c '\.csv$' || true)
line "hafen transfers --retry: $EXN files + sidecars → sftp://" "$s" "$EX_BYTES" "$EXN" "$k"; EX_REMOTE=$s
[ "$n" = "$EXN" ] || echo "   only $n of $EXN files delivered" >&2
{ echo "mkdir in/put"; for f in "$W"/outbox/orders/*; do echo "put $f in/put/"; done; } > "$W/batch"
s=$( (cd "$W" && /usr/bin/time -f "%e" "${SFTP[@]}" < "$W/batch" >/dev/null 2>"$W/t") ; tail -1 "$W/t")
line "sftp -b: put the same $EXN files + sidecars (no temp names)" "$s" "$EX_BYTES" "$EXN"
awk -v r="$EX_REMOTE" -v o="$s" 'BEGIN { if (o < 0.01) o = 0.01
  printf "%-54s hafen takes %.2fx OpenSSH'"'"'s time; target <= 1.5x: %s\n", "  upload", r/o, (r/o <= 1.5 ? "met" : "NOT met") }'
