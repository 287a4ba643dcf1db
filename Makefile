# Hafen — the two commands in README.md do all set-up on a fresh Debian 12 machine with Swift:
#   make demo   runs the gateway on samples/
#   make test   builds and runs every test
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SWIFT ?= swift
# System packages the build and the tests need (installed only when missing).
APT_PACKAGES := libxml2-dev libxml2-utils libssh2-1-dev openssh-server openssh-client libcurl4-openssl-dev libsqlite3-dev python3 python3-venv time libfaketime
# The reference Table Schema validator the integration tests compare with.
VENV := .build-venv
FRICTIONLESS_VERSION := 5.18.1
# Checks the connector's GraphQL documents against Shopify's real schema (../shared/shopify).
GRAPHQL_CORE_VERSION := 3.2.8
# An SSH server that takes passwords, for the SFTP password-login tests (sshd checks system accounts).
ASYNCSSH_VERSION := 2.24.1
# The EDIFACT tokenizer's oracle (MIT): the tests compare its segments with Hafen's.
PYDIFACT_VERSION := 0.2.3
SHARED ?= ../shared
BENCH := .build-bench

.PHONY: all deps tools build test demo demo-reset bench fuzz soak sanitize clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

tools: deps
	@if [ ! -x $(VENV)/bin/frictionless ] || ! $(VENV)/bin/python -c "import graphql, asyncssh, pydifact" 2>/dev/null; then \
	  echo "installing frictionless $(FRICTIONLESS_VERSION), graphql-core $(GRAPHQL_CORE_VERSION), asyncssh $(ASYNCSSH_VERSION) and pydifact $(PYDIFACT_VERSION) into $(VENV)"; \
	  python3 -m venv $(VENV) && $(VENV)/bin/pip install -q "frictionless==$(FRICTIONLESS_VERSION)" \
	    "graphql-core==$(GRAPHQL_CORE_VERSION)" "asyncssh==$(ASYNCSSH_VERSION)" "pydifact==$(PYDIFACT_VERSION)"; \
	fi

build: deps
	$(SWIFT) build

test: deps tools
	$(SWIFT) build --build-tests
	HAFEN_FRICTIONLESS=$(CURDIR)/$(VENV)/bin/frictionless HAFEN_PYTHON=$(CURDIR)/$(VENV)/bin/python HAFEN_BINARY=$(CURDIR)/.build/debug/hafen \
	  tools/run-tests.sh $(SWIFT) test --skip-build --parallel --num-workers 2 --skip "SoakTests|CrashMatrixTests|ClockJumpTests"
	@echo "== the crash matrix, the kill -9 soak and the clock jumps, on their own: they run many daemons at once, or time a writer"
	HAFEN_BINARY=$(CURDIR)/.build/debug/hafen tools/run-tests.sh $(SWIFT) test --skip-build --filter "SoakTests|CrashMatrixTests|ClockJumpTests"
	@echo "== fuzzing, the short version (30 s a target, two at once, a debug build; make fuzz SECONDS=N for long runs)"
	SHARED=$(SHARED) FUZZ_JOBS=2 FUZZ_CONFIGURATION=debug tools/fuzz.sh 30

demo: build
	@mkdir -p inbox/products inbox/stock inbox/shipments
	@bash tools/demo-simulator.sh start
	cp samples/products-*.csv inbox/products/
	cp samples/stock-*.csv inbox/stock/
	@echo; echo "== hafen run --once (waits 2 s for the files to settle, then pushes to the simulated shop)"
	@.build/debug/hafen run --once --log-level warning || echo "(exit code $$? — some file failed, as planned: see below)"
	@echo; echo "== the shop"; bash tools/demo-simulator.sh summary
	@echo; echo "== hafen status"; .build/debug/hafen status
	@echo; echo "== what a file became (hafen show 1)"; .build/debug/hafen show 1 | head -14
	@echo; echo "== receipts (outbox/receipts/)"; find outbox/receipts -name '*.json' | sort
	@echo; echo "== failed/"; ls -1 failed
	@echo; echo "== the report an admin reads: failed/products-with-errors.csv.error.txt"
	@head -12 failed/products-with-errors.csv.error.txt
	@echo; echo "== shoppers buy the articles; hafen export orders writes the paid ones for the ERP"
	@bash tools/demo-simulator.sh orders 12
	@.build/debug/hafen export orders --log-level warning | tail -3
	@echo; echo "== back to the ERP: outbox/orders/ (each file with NAME.sha256 and a receipt)"
	@ls -1 outbox/orders | grep -v '\.sha256$$' | head -5; echo "…"
	@f=$$(ls -1 outbox/orders | grep -v '\.sha256$$' | head -1); echo; echo "== outbox/orders/$$f"; iconv -f WINDOWS-1252 -t UTF-8 "outbox/orders/$$f"
	@echo; echo "== the same run wrote the orders as XML too (export auftraege_xml), checked against schemas/auftraege.xsd"
	@f=$$(ls -1t outbox/auftraege-xml | grep '\.xml$$' | head -1); echo; echo "== outbox/auftraege-xml/$$f (first lines)"; iconv -f ISO-8859-1 -t UTF-8 "outbox/auftraege-xml/$$f" | head -24
	@echo; echo "== the merchant refunds part of an order; hafen export refunds writes the credit document"
	@bash tools/demo-simulator.sh refund
	@.build/debug/hafen export refunds --log-level warning | tail -2
	@f=$$(ls -1t outbox/refunds | grep -v '\.sha256$$' | head -1); echo; echo "== outbox/refunds/$$f"; iconv -f WINDOWS-1252 -t UTF-8 "outbox/refunds/$$f"
	@echo; echo "== the buyers become debtor records: hafen export customers"
	@.build/debug/hafen export customers --log-level warning | tail -2
	@f=$$(ls -1t outbox/customers | grep -v '\.sha256$$' | head -1); echo; echo "== outbox/customers/$$f (first lines)"; iconv -f WINDOWS-1252 -t UTF-8 "outbox/customers/$$f" | head -4
	@echo; echo "== the ERP ships: its dispatch file becomes fulfillments with tracking"
	@bash tools/demo-simulator.sh shipments
	@.build/debug/hafen run --once --log-level error >/dev/null 2>&1 || true
	@r=$$(ls -1t archive/*/VERSAND_*.error.txt 2>/dev/null | head -1); [ -z "$$r" ] || sed -n '3,8p' "$$r"
	@echo; echo "== SAP IDocs as XML: the article master (MATMAS05), then the prices (COND_A04), each checked against its XSD"
	@mkdir -p inbox/sap-artikel inbox/sap-preise
	@cp samples/idoc/MATMAS05_*.xml inbox/sap-artikel/
	@.build/debug/hafen run --once --log-level error >/dev/null 2>&1 || true
	@cp samples/idoc/COND_A04_*.xml inbox/sap-preise/
	@.build/debug/hafen run --once --log-level error >/dev/null 2>&1 || true
	@.build/debug/hafen status | grep -E 'MATMAS05|COND_A04' || true
	@r=$$(ls -1t archive/*/MATMAS05_*.error.txt 2>/dev/null | head -1); [ -z "$$r" ] || { echo; echo "== $$r"; sed -n '3,9p' "$$r"; }
	@echo; echo "== hafen plan: the same product export again would send nothing"
	@.build/debug/hafen plan samples/products-20261122.csv --flow products | head -4
	@echo; echo "Run 'make demo' again: the same files are recognised by checksum and not applied twice,"
	@echo "and the shop is left as it is; orders already exported are not written again (new ones are)."
	@echo "'make demo-reset' starts over (and stops the simulator)."

demo-reset:
	@bash tools/demo-simulator.sh stop
	rm -rf .hafen archive failed held outbox/receipts outbox/orders outbox/auftraege-xml outbox/refunds outbox/customers inbox/products/*.csv inbox/stock/*.csv inbox/shipments/*.csv inbox/sap-artikel/*.xml inbox/sap-preise/*.xml

bench: deps
	$(SWIFT) build -c release
	@mkdir -p $(BENCH)
	@[ -f $(BENCH)/stock-1m.csv ] || python3 $(SHARED)/tools/gen_erp_export.py stock --rows 1000000 --seed 7 -o $(BENCH)/stock-1m.csv
	@[ -f $(BENCH)/products-200k.csv ] || python3 $(SHARED)/tools/gen_erp_export.py products --rows 200000 --seed 7 -o $(BENCH)/products-200k.csv
	@[ -f $(BENCH)/stock-1m-defects.csv ] || python3 $(SHARED)/tools/gen_erp_export.py stock --rows 1000000 --seed 8 --defects 0.01 -o $(BENCH)/stock-1m-defects.csv
	@[ -f $(BENCH)/stock-1m-dups.csv ] || { cat $(BENCH)/stock-1m.csv; sed -n '2,10001p' $(BENCH)/stock-1m.csv; } > $(BENCH)/stock-1m-dups.csv
	@[ -f $(BENCH)/stock-5m.csv ] || python3 $(SHARED)/tools/gen_erp_export.py stock --rows 5000000 --seed 9 -o $(BENCH)/stock-5m.csv
	@[ -f $(BENCH)/stock-100k.csv ] || python3 $(SHARED)/tools/gen_erp_export.py stock --rows 100000 --seed 11 -o $(BENCH)/stock-100k.csv
	@[ -f $(BENCH)/stock-100k-1pct.csv ] || python3 $(SHARED)/tools/gen_erp_export.py stock --rows 100000 --seed 12 --change 0.01 --base $(BENCH)/stock-100k.csv -o $(BENCH)/stock-100k-1pct.csv
	@[ -f $(BENCH)/products-200k.xml ] || python3 $(SHARED)/tools/gen_erp_export.py products-xml --rows 200000 --seed 7 -o $(BENCH)/products-200k.xml
	@bash Benchmarks/run.sh "$$($(SWIFT) build -c release --show-bin-path)/hafen" $(BENCH)
	@bash Benchmarks/shop.sh "$$($(SWIFT) build -c release --show-bin-path)/hafen" $(BENCH)
	@bash Benchmarks/orders.sh "$$($(SWIFT) build -c release --show-bin-path)/hafen" $(BENCH)
	@bash Benchmarks/xml.sh "$$($(SWIFT) build -c release --show-bin-path)/hafen" $(BENCH)
	@SHARED=$(SHARED) bash Benchmarks/sftp.sh "$$($(SWIFT) build -c release --show-bin-path)/hafen" $(BENCH)

clean:
	rm -rf .build $(VENV) $(BENCH)

# libFuzzer with AddressSanitizer over the CSV reader (every dialect and encoding), the Table
# Schema check, the XML record reader, the SOAP/MIME reader, the mapping expressions, the
# configuration loader and the webhook receiver's parsers.
SECONDS ?= 300
fuzz: deps
	SHARED=$(SHARED) tools/fuzz.sh $(SECONDS)

# The whole suite under AddressSanitizer, then ThreadSanitizer (the hafen binary the tests start
# too); fails on any report. Takes a long build each (about 4 min here) and a run each.
sanitize: deps tools
	HAFEN_FRICTIONLESS=$(CURDIR)/$(VENV)/bin/frictionless HAFEN_PYTHON=$(CURDIR)/$(VENV)/bin/python tools/sanitize.sh address
	HAFEN_FRICTIONLESS=$(CURDIR)/$(VENV)/bin/frictionless HAFEN_PYTHON=$(CURDIR)/$(VENV)/bin/python tools/sanitize.sh thread

# The kill -9 soak: real daemons killed with SIGKILL at random moments while files arrive,
# KILLS times (make test runs 10); prints kills, files, lost and twice.
KILLS ?= 100
soak: deps tools
	$(SWIFT) build --build-tests
	HAFEN_SOAK_KILLS=$(KILLS) HAFEN_BINARY=$(CURDIR)/.build/debug/hafen $(SWIFT) test --skip-build --filter SoakTests 2>&1 | grep -E "soak:|passed|failed|Expectation"

