#!/usr/bin/env bash
# Builds .build-fuzz/gateway-fuzz: Fuzz/GatewayFuzz.swift (the configuration loader and the
# webhook receiver's parsers) linked by hand with the object files of a SwiftPM release build of
# the Gateway target and its dependencies, all made with -sanitize=fuzzer,address. SwiftPM
# cannot link a -sanitize=fuzzer executable on this toolchain, but it builds the libraries.
# FUZZ_CONFIGURATION=debug builds in half the time (the short run in `make test` uses it);
# release (the default) runs faster per input, for the long runs of `make fuzz`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=.build-fuzzpm
BIN=.build-fuzz/gateway-fuzz
CONFIGURATION=${FUZZ_CONFIGURATION:-release}
case $CONFIGURATION in debug|release) ;; *) echo "FUZZ_CONFIGURATION must be debug or release, not $CONFIGURATION"; exit 2 ;; esac
echo "building the Gateway target for fuzzing (swift build -c $CONFIGURATION -sanitize=fuzzer,address; the first time takes minutes)"
swift build -c "$CONFIGURATION" --build-path "$BUILD" --target Gateway -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|Compiling|complete" | grep -v "^\[" || true
R=$BUILD/$CONFIGURATION
[ -f "$R/Modules/Gateway.swiftmodule" ] || { echo "the fuzz build of Gateway failed"; exit 1; }
mapfile -d "" OBJECTS < <(find -L "$R/" -name "*.o" -print0)
NEWEST=$(ls -t "$R/Modules/Gateway.swiftmodule" "$R/Modules/Shops.swiftmodule" Fuzz/GatewayFuzz.swift | sed -n 1p)
# The binary is kept when it is newer than what it links and was linked from the same configuration.
if [ -x "$BIN" ] && [ "$BIN" -nt "$NEWEST" ] && [ "$(cat "$BIN.configuration" 2>/dev/null || echo release)" = "$CONFIGURATION" ]; then exit 0; fi
# The module maps of every target built, and of the C libraries the Swift modules import.
MAPS=()
for dir in $(printf '%s\n' "${OBJECTS[@]}" | awk -F/ '{print $3}' | sort -u); do
  for map in "$R/$dir/module.modulemap" "$R/$dir/include/module.modulemap"; do [ -f "$map" ] && MAPS+=(-Xcc "-fmodule-map-file=$map"); done
done
for map in GRDB.swift/Sources/GRDBSQLite/module.modulemap Yams/Sources/CYaml/include/module.modulemap \
           swift-crypto/Sources/CCryptoBoringSSL/include/module.modulemap swift-crypto/Sources/CCryptoBoringSSLShims/include/module.modulemap \
           swift-crypto/Sources/CXKCP/include/module.modulemap swift-crypto/Sources/CXKCPShims/include/module.modulemap; do
  MAPS+=(-Xcc "-fmodule-map-file=$BUILD/checkouts/$map")
done
for lib in CLibXML2 CLibSSH2 CCurl; do MAPS+=(-Xcc "-fmodule-map-file=Sources/$lib/module.modulemap"); done
mkdir -p .build-fuzz
rm -f "$BIN"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name GatewayFuzz -I "$R/Modules" "${MAPS[@]}" -I /usr/include/libxml2 \
  Fuzz/GatewayFuzz.swift "${OBJECTS[@]}" -lxml2 -lssh2 -lcurl -lsqlite3 -lstdc++ -o "$BIN" 2>&1 | grep -v "Cannot export local symbol" || true
[ -x "$BIN" ] || { echo "linking $BIN failed"; exit 1; }
echo "$CONFIGURATION" > "$BIN.configuration"
