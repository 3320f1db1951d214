#!/usr/bin/env bash
# Start-up: `throttlectl --version` (release build) against `tc -V` and `ip -V`, whole processes, interleaved in
# one run, median of many repetitions. Touches no kernel state. Prints a Markdown table.
#   bash Benchmarks/startup.sh [--rounds N]
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac
source "$(dirname "$0")/lib/common.sh"
require_tools tc
bin="$(release_binary)"
bench_run python3 "$bench_root/Benchmarks/lib/startup.py" --binary "$bin" "$@"
