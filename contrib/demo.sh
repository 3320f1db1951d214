#!/usr/bin/env bash
# The main job on the bundled example, on nothing of yours: builds throttlectl, makes a throw-away pair of
# network namespaces joined by a veth pair, applies examples/mars-documented.yaml at a work-hours instant
# and at a non-work-hours instant, measures upload and download with iperf3 each time, prints configured
# against measured rates, and removes everything (also on failure or Ctrl-C). Needs root (CAP_NET_ADMIN).
set -euo pipefail
cd "$(dirname "$0")/.."

policy=examples/mars-documented.yaml
a="throttlectl-demo-a-$$"
b="throttlectl-demo-b-$$"
state="$(mktemp -d)"

cleanup() {
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$state"
}
trap cleanup EXIT INT TERM

swift build --product throttlectl >/dev/null
bin="$(swift build --show-bin-path)/throttlectl"

ip netns add "$a"
ip netns add "$b"
ip -n "$a" link add v0 type veth peer name v1 netns "$b"
ip -n "$a" addr add 198.18.0.1/24 dev v0
ip -n "$b" addr add 198.18.0.2/24 dev v1
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set v0 up
ip -n "$b" link set v1 up

throttlectl() { ip netns exec "$a" "$bin" "$@"; }

# Bytes our qdisc has sent so far for a direction (upload or download), from `throttlectl status`.
sent_bytes() {
    throttlectl status --interface v0 | awk -v dir="$1" '$1 == dir { for (i = 1; i <= NF; i++) if ($i == "sent") print $(i + 1) }'
}

# Runs iperf3 for 9 s and prints the on-wire rate (bytes counted by the kernel) over seconds 2–8.
measure() {
    local direction=$1 reverse=""
    [ "$direction" = download ] && reverse="-R"
    ip netns exec "$b" iperf3 -s -1 >/dev/null 2>&1 &
    sleep 0.5
    ip netns exec "$a" iperf3 -c 198.18.0.2 -t 9 $reverse >/dev/null 2>&1 &
    local client=$!
    sleep 2
    local bytes0 time0 bytes1 time1
    bytes0=$(sent_bytes "$direction"); time0=$(date +%s%N)
    sleep 6
    bytes1=$(sent_bytes "$direction"); time1=$(date +%s%N)
    wait "$client" || true
    wait || true
    echo $(( (bytes1 - bytes0) * 8 * 1000000000 / (time1 - time0) ))
}

printf '%s\n' "Policy: $policy" "$("$bin" validate "$policy")" ""
printf '%-16s %-9s %14s %14s %8s\n' "window" "direction" "configured" "measured" "ratio"
for instant in 2026-11-24T10:00:00+01:00 2026-11-24T20:00:00+01:00; do
    throttlectl apply --policy "$policy" --interface v0 --at "$instant" --state-dir "$state" --run-dir "$state/run" >/dev/null
    window=$("$bin" show --policy "$policy" --at "$instant" --json | sed -n 's/.*"kind": "\(.*\)".*/\1/p')
    configured=$("$bin" show --policy "$policy" --at "$instant" --json | sed -n 's/.*"bitsPerSecond": \([0-9]*\).*/\1/p' | head -1)
    for direction in upload download; do
        measured=$(measure "$direction")
        ratio=$(awk -v m="$measured" -v c="$configured" 'BEGIN { printf "%.3f", m / c }')
        printf '%-16s %-9s %10s bit/s %10s bit/s %8s\n' "$window" "$direction" "$configured" "$measured" "$ratio"
    done
done
echo
throttlectl status --interface v0
throttlectl clear --interface v0 --state-dir "$state" --run-dir "$state/run"
echo "Removed the demo namespaces; nothing of yours was touched."
