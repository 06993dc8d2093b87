#!/usr/bin/env bash
# Installs Debian's nats-server when it is missing: the mesh tests and benchmarks start a
# real server of their own on a random loopback port. Uses sudo when not root.
set -euo pipefail
if command -v nats-server >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq nats-server
nats-server --version
