"""Start-up: `throttlectl --version` against `tc -V`, whole processes, interleaved, median of many runs.
Called by Benchmarks/startup.sh; prints the table of medians and their ratio."""
import argparse
import subprocess
import sys
import time

import benchlib as b


def once(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main():
    parser = b.Arguments()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rounds", type=b.positive_int, default=300)
    args = parser.parse_args()
    commands = {"throttlectl --version": [args.binary, "--version"], "tc -V": ["tc", "-V"], "ip -V": ["ip", "-V"]}
    times = {name: [] for name in commands}
    for name, command in commands.items():
        once(command)  # warm the page cache
    for _ in range(args.rounds):
        for name, command in commands.items():
            times[name].append(once(command))
    m = {name: b.median(values) for name, values in times.items()}
    p90 = {name: sorted(values)[int(len(values) * 0.9)] for name, values in times.items()}
    print(f"### Start-up (whole process, {args.rounds} interleaved runs each)")
    print()
    print("| command | median ms | p90 ms | ratio to `tc -V` |")
    print("|---|---|---|---|")
    for name in commands:
        print(f"| `{name}` | {m[name]:.2f} | {p90[name]:.2f} | {m[name] / m['tc -V']:.2f} |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
