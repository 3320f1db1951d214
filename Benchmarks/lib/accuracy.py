"""Shaping accuracy of throttlectl beside tc HTB (defaults) and tc TBF (CNI's 25 ms), one run, side by side.
Called by Benchmarks/accuracy.sh, which builds throttlectl and removes the namespaces whatever happens."""
import argparse
import sys

import benchlib as b

RATES = [("512 Kibit/s", 512 * 1024), ("2 Mbit/s", 2_000_000), ("10 Mbit/s", 10_000_000),
         ("100 Mbit/s", 100_000_000), ("1 Gbit/s", 1_000_000_000), ("4 Gbit/s", 4_000_000_000)]
QUICK = {"512 Kibit/s", "1 Gbit/s"}
FLOWS = [("tcp", "upload"), ("tcp", "download"), ("udp", "upload"), ("udp", "download")]


def flow_seconds(protocol, bits, quick):
    """How long a flow runs. Below 5 Mbit/s a TCP receiver's in-order delivery comes in lumps (a lost segment
    holds back everything behind it until it is retransmitted): its goodput needs a long window to mean anything."""
    if protocol == "udp":  # at 512 Kibit/s one frame is 23 ms: the window must be long for ±1 % to mean much
        return (6 if quick else 10) if bits < 5_000_000 else (3 if quick else 8)
    if bits < 5_000_000:
        return 10 if quick else 24
    return 5 if quick else 10


def warm_seconds(protocol, bits, quick):
    """When the measured window starts. Below 5 Mbit/s TCP's slow start overshoots into a queue of several hundred
    ms, and the receiver is still delivering what it held behind the losses until about 5 s in (seen at 512 Kibit/s:
    1.1–1.2 × the rate in the 4th and 5th second): counted, those seconds inflate goodput above the framing
    maximum."""
    if protocol == "tcp" and bits < 5_000_000:
        return 4 if quick else 6
    return 2 if quick else 3


def fmt(value, pattern="%.3f"):
    return "—" if value is None or value != value else pattern % value


def main():
    parser = b.Arguments()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=b.positive_int, default=1)
    parser.add_argument("--slow-tcp-repeat", type=b.positive_int, default=None,
                        help="runs of each throttlectl TCP cell below 5 Mbit/s, median (default 3, 1 with --quick)")
    parser.add_argument("--rates", help="comma-separated labels, e.g. '10 Mbit/s,1 Gbit/s' (default: all)")
    parser.add_argument("--only-throttlectl", action="store_true",
                        help="measure throttlectl alone, without the tc reference columns")
    args = parser.parse_args()
    if args.slow_tcp_repeat is None:
        args.slow_tcp_repeat = 1 if args.quick else 3
    b.install_signal_exit()
    rates = [r for r in RATES if not args.quick or r[0] in QUICK]
    if args.rates:
        asked = [label.strip() for label in args.rates.split(",")]
        known = [r[0] for r in RATES]
        unknown = [label for label in asked if label not in known]
        if unknown:
            parser.error(f"--rates: unknown {', '.join(map(repr, unknown))}; the rates are {', '.join(known)}")
        rates = [r for r in RATES if r[0] in asked]
    pair = b.Pair(args.host, args.peer)
    ours = None
    results = {}
    try:
        with b.kernel_lock():
            pair.create()
            ours = b.Throttlectl(args.binary, pair)
            timestamps = b.tcp_timestamps(pair)
        frame_share, mss = b.framing_maximum(pair.mtu, timestamps)
        burst_for = lambda bits: ours.queue_ms(bits)[1]["burst"]
        # A TCP flow below 5 Mbit/s is lumpy (a retransmission timeout idles a local sender for 200 ms or more, and
        # the flow has few of them, or none, in a window), so throttlectl's cells there are the median of several.
        repeats = lambda shaper, protocol, bits: max(args.repeat, args.slow_tcp_repeat) if (
            shaper is ours and protocol == "tcp" and bits < 5_000_000) else args.repeat
        shapers = [ours] if args.only_throttlectl else [ours, b.HtbDefaults(pair), b.CniTbf(pair, burst_for)]
        for label, bits in rates:
            # One lock per rate: every shaper at this rate is measured back to back, then others may run.
            with b.kernel_lock():
                for shaper in shapers:
                    shaper.install(bits)
                    try:
                        for protocol, direction in FLOWS:
                            device = "v0" if direction == "upload" else shaper.download_device()
                            seconds = flow_seconds(protocol, bits, args.quick)
                            warm = warm_seconds(protocol, bits, args.quick)
                            runs = [b.measure_flow(pair, device, direction, protocol, bits, seconds, warm)
                                    for _ in range(repeats(shaper, protocol, bits))]
                            results[(label, protocol, direction, shaper.name)] = {
                                key: b.median([r[key] for r in runs]) if protocol == "tcp" or key != "goodput"
                                else None for key in ("onwire", "goodput", "rtt", "drops", "pings")}
                            results[(label, protocol, direction, shaper.name)]["stolen"] = max(r["stolen"] for r in runs)
                            results[(label, protocol, direction, shaper.name)]["saturated"] = all(
                                r["saturated"] for r in runs)
                            print(f"# {label} {protocol} {direction} {shaper.name}: "
                                  f"{results[(label, protocol, direction, shaper.name)]}; runs: "
                                  + ", ".join(f"on-wire {r['onwire'] / bits:.4f} goodput "
                                              f"{fmt(None if r['goodput'] is None else r['goodput'] / bits, '%.4f')} "
                                              f"stolen {r['stolen']:.1%}" for r in runs), file=sys.stderr)
                    finally:
                        shaper.remove()
    finally:
        with b.kernel_lock():
            pair.remove()

    misses = []
    names = [s.name for s in shapers]
    tcp_slow, tcp_fast, udp_slow, udp_fast = (flow_seconds(p, r, args.quick) for p, r in
                                              (("tcp", 1), ("tcp", 10 ** 9), ("udp", 1), ("udp", 10 ** 9)))
    print(f"### Accuracy ({'quick: ' if args.quick else ''}flows of {tcp_slow} s (TCP) and {udp_slow} s (UDP) below "
          f"5 Mbit/s, {tcp_fast} and {udp_fast} s above; measured from {warm_seconds('tcp', 1, args.quick)} s (TCP below 5 Mbit/s) or {warm_seconds('udp', 1, args.quick)} s to 0.5 s before the end, "
          f"{args.repeat} run{'s' if args.repeat > 1 else ''} per cell"
          + (f", {max(args.repeat, args.slow_tcp_repeat)} for throttlectl's TCP cells below 5 Mbit/s"
             if args.slow_tcp_repeat > args.repeat else "") + ", median)")
    print()
    print(f"On-wire = root qdisc bytes (Ethernet header included) ÷ rate; goodput = iperf3 receiver payload per second ÷ rate (the window's edges moved to steady seconds, so that no loss "
          f"episode, a dip and the lump that refills it, is cut in two), "
          f"TCP/IP framing maximum {frame_share:.4f} (MSS {mss} of a {pair.mtu + 14}-byte frame"
          f"{', timestamps on' if timestamps else ''}); RTT = median ping under load, ms (every 0.1 s, or less often where 98-byte echoes would take more than 0.25 % of the rate: every {b.ping_interval(rates[0][1]):.1f} s at {rates[0][0]}); queue = the worst-case "
          f"queue time `throttlectl params` reports. UDP offered at 1.25 × the rate; a UDP cell whose queue "
          f"dropped less than 1 % and did not stay occupied was not saturated by the sender (marked *, no target).")
    print()
    above_framing = False
    head = ["rate", "flow", "queue ms"]
    for name in names:
        head += [f"{name} on-wire", f"{name} goodput", f"{name} RTT"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, bits in rates:
        queue_ms = ours.queue_ms(bits)[0]
        for protocol, direction in FLOWS:
            row = [label, f"{protocol.upper()} {direction}", "%.0f" % queue_ms]
            for name in names:
                r = results[(label, protocol, direction, name)]
                ratio = r["onwire"] / bits
                saturated = protocol == "tcp" or r["saturated"]
                good = None if r["goodput"] is None else r["goodput"] / bits
                # Above the framing maximum the receiver's window caught data that was queued before it (a lumpy
                # slow flow): the cell is marked, and a longer run (not --quick) measures it.
                beyond = good is not None and good > frame_share * 1.005
                above_framing |= beyond
                row += [fmt(ratio) + ("" if saturated else "*"), fmt(good) + ("†" if beyond else ""),
                        fmt(r["rtt"], "%.0f")]
                if name != ours.name:
                    continue
                steal = r["stolen"]
                where = f"{label} {protocol} {direction}" + (f" (the host stole {steal:.1%} of the CPU meanwhile)"
                                                             if steal >= 0.005 else "")
                if saturated and abs(ratio - 1) > 0.01:
                    misses.append(f"{where}: on-wire {ratio:.4f} of the rate (target ±1%)")
                if protocol == "tcp" and not (good >= 0.99 * frame_share):
                    misses.append(f"{where}: goodput {good:.4f} of the rate (target ≥ {0.99 * frame_share:.4f})")
                if protocol == "tcp" and not (r["rtt"] <= queue_ms):
                    rtt = "no ping reply" if r["rtt"] != r["rtt"] else f"median RTT {r['rtt']:.0f} ms"
                    misses.append(f"{where}: {rtt} (target ≤ {queue_ms:.0f} ms)")
            print("| " + " | ".join(row) + " |")
    print()
    if above_framing:
        print(f"† goodput above the framing maximum ({frame_share:.4f}), which a steady flow cannot reach: the "
              f"receiver's window caught data queued before it (a lumpy slow flow, or a short warm-up); a longer "
              f"run measures it.")
        print()
    print(f"Targets (throttlectl only; the tc columns are references): on-wire within ±1 %, TCP goodput ≥ "
          f"{0.99 * frame_share:.4f} (0.99 × framing maximum), TCP median RTT ≤ queue ms.")
    steals = sorted((r["stolen"], key) for key, r in results.items())
    if steals:
        worst, where = steals[-1]
        print()
        print(f"CPU time the host of this virtual machine took (steal): median {steals[len(steals) // 2][0]:.1%} a "
              f"flow, at most {worst:.1%} ({where[0]} {where[1].upper()} {where[2]}, {where[3]}).")
    print()
    return b.report_misses(misses, "accuracy")


if __name__ == "__main__":
    sys.exit(main())
