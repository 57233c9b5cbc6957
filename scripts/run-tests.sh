#!/usr/bin/env bash
# Runs the compiled test suite with Node's test runner. Arguments narrow it: scripts/run-tests.sh test/model
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
if [ $# -eq 0 ]; then set -- test; fi
files=()
for arg in "$@"; do
  base="dist/${arg%.ts}"
  if [ -f "$base.js" ]; then files+=("$base.js"); else
    while IFS= read -r f; do files+=("$f"); done < <(find "dist/$arg" -name '*.test.js' | sort)
  fi
done
exec node --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout="${TEST_TIMEOUT_MS:-300000}" "${files[@]}"
