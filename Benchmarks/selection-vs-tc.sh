#!/usr/bin/env bash
# Shaping selected traffic: throttlectl's library (through Benchmarks/SelectionDriver) against tc doing the same,
# in a throw-away namespace pair, measured side by side in one run. Needs root, iperf3 and the real tag files in
# ../shared/data/service-tags. Prints one table of ratios.
#   bash Benchmarks/selection-vs-tc.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
tags="$(cd .. && pwd)/shared/data/service-tags"
old="$tags/ServiceTags_Public_20251013.json"
new="$tags/ServiceTags_Public_20251028.json"
ns="thrbench-$$"; peer="thrbpeer-$$"; work="$(mktemp -d)"
trap 'ip netns del "$ns" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

swift build -c release --product selection-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/selection-bench"
ip netns add "$ns"; ip netns add "$peer"
ip -n "$ns" link add v0 type veth peer name v1 netns "$peer"
ip -n "$ns" addr add 198.18.0.1/24 dev v0; ip -n "$peer" addr add 198.18.0.2/24 dev v1
ip -n "$peer" addr add 198.19.0.2/24 dev v1
for n in "$ns" "$peer"; do ip -n "$n" link set lo up; done
ip -n "$ns" link set v0 up; ip -n "$peer" link set v1 up
ip -n "$ns" route add 198.19.0.0/24 dev v0
run() { ip netns exec "$ns" "$@"; }
drive() { run "$bin" "$1" --interface v0 --tags "${2:-$new}" --tag AzureCloud >/dev/null; }
clear_all() { run "$bin" clear --interface v0 >/dev/null; }
now() { date +%s%N; }
ms() { echo "scale=2; ($(now) - $1) / 1000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The tc -batch file of a fresh install, and its ip link header.
run "$bin" render --interface v0 --tags "$new" --tag AzureCloud > "$work/install.tc"
grep '^#   ip link' "$work/install.tc" | sed 's/^#   //' > "$work/links.sh"
grep -v '^#' "$work/install.tc" > "$work/batch.tc"
filters=$(grep -c '^filter' "$work/batch.tc")

# 1. First apply of all merged AzureCloud prefixes (both directions), whole process, vs ip link + tc -batch.
ours=(); theirs=()
for _ in $(seq "$rounds"); do
    t=$(now); drive apply; ours+=("$(ms "$t")"); clear_all
    t=$(now); while read -r line; do run $line; done < "$work/links.sh"; run tc -batch "$work/batch.tc"; theirs+=("$(ms "$t")")
    clear_all
done
ours_install=$(printf '%s\n' "${ours[@]}" | median); tc_install=$(printf '%s\n' "${theirs[@]}" | median)

# 1b. One tc process per filter (tcconfig's way), on the first 300 filter lines, scaled to the whole file.
while read -r line; do run $line; done < "$work/links.sh"
grep -v '^filter' "$work/batch.tc" | while read -r line; do run tc $line; done
awk '/^filter/ && n < 300 { print; n++ }' "$work/batch.tc" > "$work/first300.tc"
t=$(now); while read -r line; do run tc $line; done < "$work/first300.tc"
per_filter=$(echo "scale=2; $(ms "$t") * $filters / 300" | bc)
clear_all

# 2. No change: re-apply of the same file (reads the kernel, writes nothing).
drive apply
noop=(); for _ in $(seq "$rounds"); do t=$(now); drive apply; noop+=("$(ms "$t")"); done
ours_noop=$(printf '%s\n' "${noop[@]}" | median)

# 3. Weekly diff (20251013 → 20251028) vs a fresh install of 20251028.
diffs=(); for _ in $(seq "$rounds"); do
    clear_all; drive apply "$old"; t=$(now); drive apply "$new"; diffs+=("$(ms "$t")")
done
ours_diff=$(printf '%s\n' "${diffs[@]}" | median)

# 4. Unselected traffic with the whole selection applied vs nothing applied: 64-byte UDP packets/s and TCP.
udp() { sleep 1; ip netns exec "$peer" iperf3 -s -1 -p 5301 >/dev/null 2>&1 & sleep 0.3
        run iperf3 -c 198.18.0.2 -p 5301 -u -l 64 -b 100M -t 4 -J | tee "$work/udp.json" | python3 -c 'import json,sys; end=json.load(sys.stdin)["end"]; e=end.get("sum_received") or end.get("sum"); print((e["packets"]-e.get("lost_packets",0))/e["seconds"])' 2>/dev/null || echo 0; }
tcp() { ip netns exec "$peer" iperf3 -s -1 -p 5302 >/dev/null 2>&1 & sleep 0.3
        run iperf3 -c 198.18.0.2 -p 5302 -t 4 -J | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])'; }
clear_all
udp_none=$(udp); tcp_none=$(tcp)
drive apply
udp_sel=$(udp); tcp_sel=$(tcp)
clear_all

printf '%-58s %12s %12s %8s\n' "measure ($rounds rounds, medians)" throttlectl "reference" ratio
row() { awk -v n="$1" -v o="$2" -v t="$3" 'BEGIN { printf "%-58s %12.2f %12.2f %8.3f\n", n, o, t, (t > 0 ? o / t : 0) }'; }
row "first apply, AzureCloud both directions (ms; tc -batch)" "$ours_install" "$tc_install"
row "first apply (ms; one tc per filter, $filters filters)" "$ours_install" "$per_filter"
row "no-change re-apply (ms; target < 50)" "$ours_noop" 50
row "weekly diff 20251013→20251028 (ms; fresh install)" "$ours_diff" "$ours_install"
row "unselected UDP 64 B packets/s (selection; nothing)" "$udp_sel" "$udp_none"
row "unselected TCP bit/s (selection; nothing)" "$tcp_sel" "$tcp_none"
