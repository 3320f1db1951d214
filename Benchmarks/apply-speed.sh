#!/usr/bin/env bash
# Apply speed, whole processes, in two new namespaces: throttlectl's first apply, a transition and a no-change
# re-apply, each against `ip` + one `tc` per command and `ip` + `tc -batch` doing the same operations (the files
# `throttlectl apply --dry-run --tc-batch` prints), and against the daemon's in-process apply when the binary
# has `throttlectl run` ("n/a" otherwise). Prints a Markdown table of medians and ratios; exits 77 when not root.
#   bash Benchmarks/apply-speed.sh [--rounds N]
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac
source "$(dirname "$0")/lib/common.sh"
require_root
require_tools ip tc
bin="$(release_binary)"
bench_run python3 "$bench_root/Benchmarks/lib/apply_speed.py" --binary "$bin" --host "$bench_host" --peer "$bench_peer" "$@"
