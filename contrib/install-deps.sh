#!/usr/bin/env bash
# Installs the Debian packages throttlectl builds, tests and runs with (Debian 12; Swift is already there).
#   tzdata       the IANA zone database that Foundation's TimeZone reads
set -euo pipefail
packages=(tzdata)
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get update
run apt-get install -y --no-install-recommends "${packages[@]}"
