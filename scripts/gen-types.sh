#!/usr/bin/env bash
# Regenerates TypeScript types for the Envoy protos kxds emits, from the pinned @grpc/grpc-js-xds deps/.
# The output in src/generated/ is committed so the build needs no generator step; rerun after upgrading.
set -euo pipefail
cd "$(dirname "$0")/.."
D=node_modules/@grpc/grpc-js-xds/deps
rm -rf src/generated
npx proto-loader-gen-types --keepCase --longs String --enums String --defaults --oneofs \
  --includeDirs $D/envoy-api/ $D/xds/ $D/googleapis/ $D/protoc-gen-validate/ \
  -O src/generated/ --grpcLib @grpc/grpc-js \
  $(node -e 'console.log(require("./src/xds/proto-files.json").envoy.join(" "))')
