#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: test/trace.test.ts opens a rendered job
# timeline in it, headless, through playwright-core (which downloads no browser of its
# own). Uses sudo when not root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
