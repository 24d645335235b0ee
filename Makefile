# internflow: the Makefile is the map. `make run` and `make test` are the
# two commands a newcomer needs; both install what they need first.

TEMPORAL_CLI_VERSION := v1.5.1
GO     ?= go
TEMPORAL_STAMP := bin/.temporal-$(TEMPORAL_CLI_VERSION)
# staticcheck is pinned and run from the module proxy (no install step).
STATICCHECK := v0.8.2

.PHONY: run test test-faults fuzz fuzz-targets bench lint lint-deploy build clean-data help chromium

help:
	@echo "make run    start Temporal, Postgres migrations, worker, API and pages with demo data"
	@echo "make test   run every test against real PostgreSQL and a real Temporal dev server"
	@echo "make bench  run the benchmarks and print their figures"
	@echo "make lint   go vet, staticcheck, gofmt, docker-compose.yml, the Kubernetes manifests (deploy/k8s) and the Helm chart (deploy/helm)"
	@echo "make test-faults  the fault suite alone (kill -9, Temporal restart, PostgreSQL outage) and the fuzzers"

# The Temporal CLI (dev server) is built from the Go module proxy once and
# pinned: later CLI versions cannot be `go install`ed, and nothing may be
# downloaded at run time.
$(TEMPORAL_STAMP):
	@echo ">> installing Temporal CLI $(TEMPORAL_CLI_VERSION) into bin/ (first time only; compiles for a few minutes)"
	@mkdir -p bin
	GOBIN=$(CURDIR)/bin $(GO) install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)
	@touch $@

build:
	$(GO) build -o bin/internflow ./cmd/internflow

run: $(TEMPORAL_STAMP) build
	bin/internflow dev

# One Temporal dev server serves the whole run; each test uses its own task
# queue and its own database.
test: $(TEMPORAL_STAMP) build chromium
	bin/internflow devserver -- $(GO) test -count=1 -timeout 20m ./...
	@echo ">> all tests passed. Next: 'make run', then open http://127.0.0.1:8080/"

# Browser tests drive Debian's headless Chromium; install it when missing
# and we may (root with apt-get, as in CI). Elsewhere they skip and say why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo ">> installing chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
			|| echo ">> could not install chromium; browser tests will skip"; \
	fi

# The fault suite runs inside `make test` too; this runs it alone, then
# every fuzz target for FUZZTIME each.
test-faults: $(TEMPORAL_STAMP) build
	bin/internflow devserver -- $(GO) test -count=1 -timeout 10m -v ./internal/faults/
	$(MAKE) fuzz

FUZZTIME ?= 10s
# One Temporal dev server for every fuzz run: each fuzz worker process
# would otherwise start its own (slow on a busy machine, and left behind
# when the engine stops a worker).
fuzz: $(TEMPORAL_STAMP) build
	bin/internflow devserver -- $(MAKE) fuzz-targets

fuzz-targets:
	@for pkg in $$($(GO) list ./...); do 		for target in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do 			echo ">> fuzz $$pkg $$target ($(FUZZTIME))"; 			$(GO) test -run '^$$' -parallel 1 -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; 		done; 	done

bench: $(TEMPORAL_STAMP) build
	bin/internflow devserver -- $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 6h ./...

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(MAKE) lint-deploy

# docker-compose.yml (secrets required, UI on localhost with the codec),
# the Kubernetes manifests and the Helm chart: kustomize renders base,
# overlays and monitoring in process, Helm (as a library) lints and renders
# the chart with its defaults and each ci/ values file, and every resource
# is decoded strictly into the k8s.io/api and Prometheus Operator types,
# then checked for probes, resources, GOMEMLIMIT, security, network
# policy, alerts and references (offline; its own module so the app does
# not depend on kustomize or Helm).
lint-deploy:
	cd deploy/k8s/validate && $(GO) vet ./... && $(GO) test -count=1 ./... && $(GO) run . ..

# Forget local journeys and demo data (the database is recreated by make run).
clean-data:
	rm -rf data
	psql "$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" -c 'DROP DATABASE IF EXISTS internflow WITH (FORCE)' || true
