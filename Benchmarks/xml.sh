#!/usr/bin/env bash
# XML intake benchmark: the 200k-article XML export validated against its XSD while streaming
# and cut into records (hafen validate --flow), beside libxml2's own xmllint --stream on the
# same file in the same run; then mapped into products (hafen map). Usage: xml.sh HAFEN BENCH_DIR
set -euo pipefail
HAFEN=$1
DIR=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE=$DIR/products-200k.xml
XSD=$ROOT/Benchmarks/artikelexport.xsd

run() {  # prints "seconds peakKB" of a command
  local tfile; tfile=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tfile" "$@" >/dev/null 2>&1 || true
  tail -1 "$tfile"; rm -f "$tfile"
}

line() {  # label seconds kb
  awk -v l="$1" -v s="$2" -v k="$3" -v b="$(stat -c %s "$FILE")" 'BEGIN {
    if (s < 0.01) s = 0.01
    printf "%-52s %6.2f s %7.1f MB/s %9.0f records/s  peak RSS %6.1f MB\n", l, s, b/1e6/s, 200000/s, k/1024 }'
}

cfg=$DIR/bench-xml.yaml
cat > "$cfg" <<YAML
state: work/.hafen
flows:
  artikel:
    source: work/inbox/artikel/*.xml
    format: xml
    schema: $XSD
    record: Artikel
    fields:
      Artikelnummer: "@nummer"
      Aktiv: "@aktiv"
      Bezeichnung: Bezeichnung
      Langtext: Langtext
      EAN: EAN
      Preis: Preis
      Waehrung: Preis/@waehrung
      MwSt: MwSt
      Warengruppe: Warengruppe
    settle: 0s
    on_error: skip-rows
    map:
      to: products
      where: "Aktiv = 'true'"
      product:
        title: Bezeichnung
        description_html: Langtext
        product_type: Warengruppe
      variant:
        sku: Artikelnummer
        barcode: EAN
        price: Preis
YAML

echo "-- XML: $(basename "$FILE") ($(awk -v b="$(stat -c %s "$FILE")" 'BEGIN { printf "%.1f MB", b/1e6 }'), 200,000 articles, XSD with namespace, facets, decimal, dateTime)"
read -r ls lk < <(run xmllint --stream --noout --schema "$XSD" "$FILE")
# The floor: libxml2's reader with the XSD plus only the node data any record reader must
# fetch, in C (cc comes with the Swift toolchain's clang or Debian's gcc).
FLOOR=$DIR/xml_reader_floor
fs=""
if ${CC:-cc} -O2 -o "$FLOOR" "$ROOT/Benchmarks/xml_reader_floor.c" $(pkg-config --cflags --libs libxml-2.0) 2>/dev/null; then
  read -r fs fk < <(run "$FLOOR" "$XSD" "$FILE")
fi
read -r hs hk < <(run "$HAFEN" validate "$FILE" --flow artikel -c "$cfg")
read -r ms mk < <(run "$HAFEN" map "$FILE" --flow artikel -c "$cfg")
line "xmllint --stream --noout --schema (validate only)" "$ls" "$lk"
[ -n "$fs" ] && line "C floor: xmlTextReader + XSD + node data, no records" "$fs" "$fk"
line "hafen validate --flow (validate + cut into records)" "$hs" "$hk"
line "hafen map --flow (… + map into products, all kept)" "$ms" "$mk"
awk -v h="$hs" -v l="$ls" -v f="$fs" 'BEGIN { if (l < 0.01) l = 0.01
  printf "hafen validate / xmllint: %.2fx (target: at most 1.2x)", h/l
  if (f != "") printf "; C floor / xmllint: %.2fx", f/l
  printf "\n" }'
