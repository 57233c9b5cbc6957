# Everyday kxds workflow. Every target runs on the Node 22 that npm installs into node_modules/.bin, so a
# machine with an older system Node works too.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

STAMP := node_modules/.kxds-installed

.PHONY: all deps build run test lint format golden bench clean

all: build

$(STAMP): package.json package-lock.json
	npm ci
	@touch $@

deps: $(STAMP)

build: deps
	npm run build

## run: kxds on the bundled demo (manifests in demo/manifests, two demo gRPC backends on loopback)
run: build
	node bin/kxds.js serve --manifests demo/manifests --demo-backends

## test: everything (build, lint, unit, golden and end-to-end tests)
test: deps
	bash scripts/system-deps.sh
	npm test

lint: deps
	npm run lint

format: deps
	npm run format

## bench: the performance suite B1-B5 (docs/performance.md); BENCH_QUICK=1 for a short run
bench: deps
	npm run bench

clean:
	rm -rf dist
