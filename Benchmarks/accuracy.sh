#!/usr/bin/env bash
# Shaping accuracy: throttlectl beside tc HTB with its defaults and tc TBF with the CNI bandwidth plugin's fixed
# 25 ms latency, measured in one run on a veth pair between two new namespaces (198.18.0.0/15, 2001:db8::/32).
# For 512 Kibit/s, 2, 10, 100 Mbit/s, 1 and 4 Gbit/s (--quick: 512 Kibit/s and 1 Gbit/s), TCP and UDP,
# upload and download: on-wire rate from the root qdisc's byte counter over a steady interval, TCP goodput
# (iperf3's receiver), each ÷ the rate, and the median ping RTT under load. Prints a Markdown table; exits 1
# when a throttlectl target is missed (the tc columns are references), 77 when not root. throttlectl's TCP cells
# below 5 Mbit/s are the median of 3 flows (1 with --quick; --slow-tcp-repeat N); every flow reports the CPU
# share the host of a virtual machine stole meanwhile.
#   bash Benchmarks/accuracy.sh [--quick] [--repeat N] [--slow-tcp-repeat N] [--rates '2 Mbit/s,...'] [--only-throttlectl]
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac
source "$(dirname "$0")/lib/common.sh"
require_root
require_tools ip tc iperf3 ping
bin="$(release_binary)"
bench_run python3 "$bench_root/Benchmarks/lib/accuracy.py" --binary "$bin" --host "$bench_host" --peer "$bench_peer" "$@"
