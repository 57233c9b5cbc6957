# Everyday kxds workflow. Every target runs on the Node 22 that npm installs into node_modules/.bin, so a
# machine with an older system Node works too. `make help` lists the targets.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

STAMP := node_modules/.kxds-installed
# Touched after every TypeScript build; `make run` rebuilds only when a source is newer. (A test points it
# elsewhere to check that rule.)
BUILT ?= dist/.kxds-built
# src/generated is rewritten by every build (before tsc), so it never makes the stamp look stale.
SOURCES := $(shell find src test proto -type f -not -path 'src/generated/*' 2>/dev/null) \
	scripts/gen-types.sh tsconfig.json package.json package-lock.json
KXDS := node bin/kxds.js
KUBECTL ?= kubectl
IMAGE ?= kxds:0.1.0
# Where Envoy reaches kxds and where its client certificate is mounted: the values the shipped manifests use.
XDS_SERVER ?= kxds.kxds.svc:18000
XDS_TLS_DIR ?= /etc/kxds-tls
BOOTSTRAP_FLAGS := --xds-server $(XDS_SERVER) --tls-ca $(XDS_TLS_DIR)/ca.crt --tls-cert $(XDS_TLS_DIR)/tls.crt --tls-key $(XDS_TLS_DIR)/tls.key
# `make certs` writes here; the local-certs overlay turns the files into Secrets (`make deploy`).
CERTS_DIR := k8s/overlays/local-certs/certs
LOCAL_CERTS := k8s/overlays/local-certs
EXAMPLE := examples/greeter/k8s
DEMO_NS := demo

.PHONY: all help deps build run test lint format golden bench bench-startup clean image certs deploy deploy-local-certs undeploy logs \
	release bootstrap-edge bootstrap-sidecar demo-edge demo-sidecar demo-proxyless demo-client-secret demo-clean

all: build

help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

# npm ci builds once through "prepare"; the build stamp records that, so the first `make run` does not build again.
$(STAMP): package.json package-lock.json
	npm ci
	@mkdir -p $(dir $(BUILT)) && touch $(BUILT)
	@touch $@

deps: $(STAMP)

## build: the TypeScript build (always; `make run` builds only when sources changed)
build: deps
	npm run build
	@mkdir -p $(dir $(BUILT)) && touch $(BUILT)

$(BUILT): $(SOURCES) | deps
	npm run build
	@mkdir -p $(dir $@) && touch $@

## run: kxds on the bundled demo (manifests in demo/manifests, two demo gRPC backends on loopback); ARGS='...' adds flags
run: $(BUILT)
	$(KXDS) serve --manifests demo/manifests --demo-backends $(ARGS)

## test: everything (build, lint, unit, golden, deployment and end-to-end tests)
test: deps
	bash scripts/system-deps.sh
	npm test

## lint: eslint and prettier --check
lint: deps
	npm run lint

format: deps
	npm run format

## golden: rewrite the golden translation outputs (test/golden/*.out.yaml) from their inputs
golden: deps
	npm run golden:update

## bench: issue 18's benchmark, one table with targets and the reference server (docs/performance.md); BENCH_QUICK=1 short, BENCH_ONLY=REGEX a subset
bench: deps
	npm run bench

## bench-startup: how long kxds --version, --help and validate take (repeated runs; target 200 ms)
bench-startup: $(BUILT)
	node dist/test/bench/cli-startup.js

## image: the kxds container image (IMAGE=registry/kxds:tag to name it)
image:
	docker build -t $(IMAGE) .

## certs: CA, kxds serving cert, and client certs per identity (edge, operator, demo sidecars) into k8s/overlays/local-certs/certs (kept if already there)
certs: build
	@if [ -f $(CERTS_DIR)/edge.crt ]; then echo "$(CERTS_DIR) already holds certificates (delete them to renew)"; \
	elif [ -f $(CERTS_DIR)/ca.crt ]; then echo "$(CERTS_DIR) holds certificates from before per-identity client certificates: delete its .crt and .key files and run make certs again" >&2; exit 1; \
	else $(KXDS) certgen --output-dir $(CERTS_DIR) --sidecar-namespace $(DEMO_NS); fi

## release: dist/install.yaml, everything `kubectl apply -k k8s/` installs, with IMAGE and ENVOY_IMAGE by digest (REPO@sha256:...; ALLOW_TAG=1 takes tags); no keys in it
release:
	ENVOY_IMAGE='$(ENVOY_IMAGE)' ALLOW_TAG='$(ALLOW_TAG)' bash scripts/release.sh $(IMAGE) dist/install.yaml $(KUBECTL)

## deploy: install kxds into the current kubectl context (kubectl apply -k k8s/; kxds makes its own certificates)
deploy:
	$(KUBECTL) apply -k k8s/
	$(KUBECTL) -n kxds rollout status deployment/kxds --timeout=180s
	$(KUBECTL) -n kxds rollout status deployment/kxds-edge --timeout=180s

## deploy-local-certs: install kxds with certificates made here instead (make certs; k8s/overlays/local-certs; the demo's sidecar Secret)
deploy-local-certs: certs
	$(KUBECTL) apply -k $(LOCAL_CERTS)
	$(KUBECTL) -n kxds rollout status deployment/kxds --timeout=180s
	$(KUBECTL) -n kxds rollout status deployment/kxds-edge --timeout=180s
	$(MAKE) --no-print-directory demo-client-secret

## undeploy: remove the example and kxds
undeploy: demo-clean
	$(KUBECTL) delete -k k8s/ --ignore-not-found

## logs: follow the control plane's logs (all replicas)
logs:
	$(KUBECTL) -n kxds logs -f -l app.kubernetes.io/component=control-plane --prefix --max-log-requests=10

## bootstrap-edge: regenerate envoy/edge.yaml (and the edge ConfigMap's copy) with kxds bootstrap
bootstrap-edge: build
	$(KXDS) bootstrap --role edge $(BOOTSTRAP_FLAGS) --output-file envoy/edge.yaml
	cp envoy/edge.yaml k8s/base/edge-bootstrap.yaml

## bootstrap-sidecar: regenerate envoy/sidecar.yaml (a reference: injected sidecars make their own per pod)
bootstrap-sidecar: build
	$(KXDS) bootstrap --role sidecar $(BOOTSTRAP_FLAGS) --output-file envoy/sidecar.yaml

## demo-edge: the greeter and a client calling it through the edge Envoy; follows the client's log
demo-edge:
	$(KUBECTL) apply -k $(EXAMPLE)/edge
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter-client-edge --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) logs -f deployment/greeter-client-edge

## demo-sidecar: the greeter and a client calling it through an injected Envoy sidecar; follows its log
demo-sidecar:
	$(KUBECTL) apply -k $(EXAMPLE)/sidecar
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter-client-sidecar --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) logs -f deployment/greeter-client-sidecar -c client

## demo-proxyless: the greeter and a proxyless gRPC client (xDS straight from kxds); follows its log
demo-proxyless:
	$(KUBECTL) apply -k $(EXAMPLE)/proxyless
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) rollout status deployment/greeter-client-proxyless --timeout=180s
	$(KUBECTL) -n $(DEMO_NS) logs -f deployment/greeter-client-proxyless

# A pod mounts Secrets of its own namespace only: the injected sidecars of the demo present namespace demo's
# own sidecar certificate (spiffe://cluster.local/ns/demo/sa/kxds-sidecar), which kxds serves only demo's config.
# kxds's issuer writes it (make deploy); with make deploy-local-certs this puts make certs' one there.
demo-client-secret: certs
	$(KUBECTL) create namespace $(DEMO_NS) --dry-run=client -o yaml | $(KUBECTL) apply -f -
	$(KUBECTL) -n $(DEMO_NS) create secret generic kxds-sidecar-tls --type=kubernetes.io/tls \
		--from-file=tls.crt=$(CERTS_DIR)/sidecar-$(DEMO_NS).crt --from-file=tls.key=$(CERTS_DIR)/sidecar-$(DEMO_NS).key \
		--from-file=ca.crt=$(CERTS_DIR)/ca.crt --dry-run=client -o yaml | $(KUBECTL) apply -f -

## demo-clean: remove the example
demo-clean:
	$(KUBECTL) delete -k $(EXAMPLE) --ignore-not-found

clean:
	rm -rf dist
