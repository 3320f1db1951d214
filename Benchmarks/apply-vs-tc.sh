#!/usr/bin/env bash
# Times throttlectl against iproute2 doing the same work in a throw-away namespace, and prints the ratios
# (throttlectl time / tc time; below 1 means throttlectl is faster). Needs root. Release build:
#   bash Benchmarks/apply-vs-tc.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
ns="throttlectl-bench-$$"
state="$(mktemp -d)"
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$state"' EXIT INT TERM

swift build -c release --product throttlectl >/dev/null
bin="$(swift build -c release --show-bin-path)/throttlectl"
ip netns add "$ns"
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 up
run() { ip netns exec "$ns" "$@"; }
policy=(--work-days mon-sun --start-work-hour 00:00 --end-work-hour 12:00 --work-hour-bandwidth 20mbit
        --non-work-hour-bandwidth 5mbit --time-zone UTC --interface v0 --state-dir "$state" --run-dir "$state/run")
apply() { run "$bin" apply "${policy[@]}" --at "$1" >/dev/null; }

now() { date +%s%N; }
elapsed() { echo $(( ($(now) - $1) / 1000 )); }  # microseconds

# 1. Setting up: apply from nothing (IFB, ingress, two filters, two TBFs) vs the same with ip and tc.
t=$(now); for _ in $(seq "$rounds"); do apply 2026-11-24T06:00:00Z; run "$bin" clear --interface v0 --state-dir "$state" --run-dir "$state/run" >/dev/null; done; ours_setup=$(elapsed "$t")
t=$(now)
for _ in $(seq "$rounds"); do
    run ip link add ifb-v0 type ifb; run ip link set ifb-v0 up
    run tc qdisc add dev ifb-v0 root handle 7470: tbf rate 20mbit burst 12500 limit 137500
    run tc qdisc add dev v0 ingress
    run tc filter add dev v0 parent ffff: protocol ip prio 29808 u32 match u32 0 0 action mirred egress redirect dev ifb-v0
    run tc filter add dev v0 parent ffff: protocol ipv6 prio 29809 u32 match u32 0 0 action mirred egress redirect dev ifb-v0
    run tc qdisc add dev v0 root handle 7470: tbf rate 20mbit burst 12500 limit 137500
    run tc qdisc del dev v0 root; run tc qdisc del dev v0 ingress; run ip link del ifb-v0
done
theirs_setup=$(elapsed "$t")

# 2. A transition: the rate changes in place, both directions.
apply 2026-11-24T06:00:00Z
t=$(now); for i in $(seq "$rounds"); do if (( i % 2 )); then apply 2026-11-24T18:00:00Z; else apply 2026-11-24T06:00:00Z; fi; done; ours_change=$(elapsed "$t")
t=$(now)
for i in $(seq "$rounds"); do
    rate=20mbit; (( i % 2 )) && rate=5mbit
    run tc qdisc change dev v0 root handle 7470: tbf rate $rate burst 12500 limit 137500
    run tc qdisc change dev ifb-v0 root handle 7470: tbf rate $rate burst 12500 limit 137500
done
theirs_change=$(elapsed "$t")

# 3. Nothing to do: apply reads the state and writes nothing; tc can only re-send (or show) it.
t=$(now); for _ in $(seq "$rounds"); do apply 2026-11-24T06:00:00Z; done; ours_noop=$(elapsed "$t")
t=$(now)
for _ in $(seq "$rounds"); do run tc qdisc show dev v0 >/dev/null; run tc filter show dev v0 ingress >/dev/null; run tc qdisc show dev ifb-v0 >/dev/null; done
theirs_noop=$(elapsed "$t")

printf '%-34s %12s %12s %7s\n' "task ($rounds rounds, ms per round)" throttlectl "ip + tc" ratio
for row in "set up from nothing:$ours_setup:$theirs_setup" "transition (both directions):$ours_change:$theirs_change" \
           "nothing to change (read only):$ours_noop:$theirs_noop"; do
    IFS=: read -r name ours theirs <<<"$row"
    awk -v n="$name" -v o="$ours" -v t="$theirs" -v r="$rounds" \
        'BEGIN { printf "%-34s %12.2f %12.2f %7.2f\n", n, o / r / 1000, t / r / 1000, o / t }'
done
