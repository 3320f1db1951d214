#!/usr/bin/env bash
# Transitions under load: one TCP flow (upload, then download) through throttlectl on a veth pair between two new
# namespaces; the real binary applies a schedule at a work-hours instant, then mid-flow at a non-work-hours instant
# and back, for the MARS example (512 Kibit/s ↔ 2 Mibit/s) and a 200× schedule (512 Kibit/s ↔ 100 Mibit/s) with
# --bucket-sizing fastest-window (its per-window run is an informational row: its graft discards a queue).
# The root qdisc's counters are read every 100 ms: no bucket may carry more than the new rate plus one burst, no
# packet may be discarded by the switch itself, and under fastest-window every switch is in place with no drop
# from it to 0.5 s after. Prints Markdown tables and the bursts (bytes, ms); writes an SVG chart
# (default Benchmarks/results/transitions.svg); exits 1 when a target is missed, 77 when not root.
#   bash Benchmarks/transitions.sh [--quick] [--svg FILE]
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac
source "$(dirname "$0")/lib/common.sh"
require_root
require_tools ip tc iperf3 ping
svg="$bench_root/Benchmarks/results/transitions.svg"
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --svg) [ $# -ge 2 ] && [ -n "$2" ] || { echo "$0: --svg needs a file" >&2; exit 64; }; svg="$2"; shift 2;;
        *) args+=("$1"); shift;;
    esac
done
require_writable_file chart "$svg"
bin="$(release_binary)"
bench_run python3 "$bench_root/Benchmarks/lib/transitions.py" --binary "$bin" --host "$bench_host" --peer "$bench_peer" \
    --svg "$svg" "${args[@]}"
