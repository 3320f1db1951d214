#!/usr/bin/env bash
# Installs the Debian packages throttlectl builds, tests and runs with (Debian 12; Swift is already there).
#   tzdata                           the IANA zone database: throttlectl reads its TZif files (TZDIR, else
#                                    /usr/share/zoneinfo), as date, cron and systemd do
#   libc-bin                         zdump, the tests' oracle for zone offsets (Essential, listed to say why)
#   libnl-3-dev libnl-route-3-dev    libnl, through which throttlectl talks to the kernel (build + run)
#   iproute2                         ip and tc: tests make namespaces with ip, and use tc as an oracle
#   iperf3 iputils-ping              real traffic for the tests and the demo
#   prometheus                       promtool, which checks the --metrics-file output in the tests
set -euo pipefail
packages=(tzdata libc-bin libnl-3-dev libnl-route-3-dev iproute2 iperf3 iputils-ping prometheus)
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get update
run apt-get install -y --no-install-recommends "${packages[@]}"
