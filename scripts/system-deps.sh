#!/usr/bin/env bash
# Debian packages the test suite needs: a real headless Chromium for the status page tests, and gRPC C-core
# (python3-grpcio, for /usr/bin/python3: a pyenv python3 may come first on PATH) as the second proxyless client.
# Installs only what is missing; needs root, as CI and these machines run.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 || missing+=(python3-grpcio)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
