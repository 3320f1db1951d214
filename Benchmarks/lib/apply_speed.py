"""Apply speed, whole processes: throttlectl against the same kernel work done by `ip` + one `tc` per command,
and by `ip` + one `tc -batch` (the files `throttlectl apply --dry-run --tc-batch` prints, so both do exactly
the same operations), and against the daemon's in-process apply when the binary has `throttlectl run`.
Called by Benchmarks/apply-speed.sh."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import benchlib as b

WORK_AT, NON_WORK_AT = "2026-11-24T06:00:00Z", "2026-11-24T18:00:00Z"
POLICY = ["--work-days", "mon-sun", "--start-work-hour", "00:00", "--end-work-hour", "12:00",
          "--work-hour-bandwidth", "20mbit", "--non-work-hour-bandwidth", "5mbit", "--time-zone", "UTC"]


def timed(commands):
    """Milliseconds to run the commands one after another (each a whole process), failing loudly."""
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip()}")
    return (time.perf_counter() - start) * 1000


class Batch:
    """A `--dry-run --tc-batch` file: the `ip link` commands of its header, and its tc lines."""

    def __init__(self, text, folder, name):
        self.links = [line[4:].split() for line in text.splitlines() if line.startswith("#   ip ")]
        self.lines = [line for line in text.splitlines() if line and not line.startswith("#")]
        self.path = os.path.join(folder, name)
        with open(self.path, "w") as handle:
            handle.write("\n".join(self.lines) + "\n")

    def one_tc_per_line(self):
        return self.links + [["tc", *line.split()] for line in self.lines]

    def tc_batch(self):
        return self.links + ([["tc", "-batch", self.path]] if self.lines else [])


def daemon_available(binary):
    result = subprocess.run([binary, "run", "--help"], capture_output=True, text=True)
    return result.returncode == 0 and "USAGE: throttlectl run" in result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    b.install_signal_exit()
    pair = b.Pair(args.host, args.peer)
    folder = tempfile.mkdtemp(prefix="thr-apply-")
    ours = b.Throttlectl(args.binary, pair)
    apply = lambda at: [args.binary, "apply", *POLICY, "--at", at, *ours.dirs()]
    dry = lambda at: subprocess.run(apply(at) + ["--dry-run", "--tc-batch"], capture_output=True, text=True,
                                    check=True).stdout
    clear = [args.binary, "clear", *ours.dirs()]
    times = {key: [] for key in ("first-ours", "first-tc", "first-batch", "change-ours", "change-tc",
                                 "change-batch", "noop-ours", "noop-tc", "noop-batch")}
    try:
        with b.kernel_lock():
            pair.create()  # this process now lives in the host namespace: no `ip netns exec` in any timing
            install = Batch(dry(WORK_AT), folder, "install.tc")
            ifb = ours.download_device()
            reading = [["tc", "qdisc", "show", "dev", "v0"], ["tc", "filter", "show", "dev", "v0", "ingress"],
                       ["tc", "qdisc", "show", "dev", ifb]]
            with open(os.path.join(folder, "show.tc"), "w") as handle:
                handle.write("\n".join(" ".join(c[1:]) for c in reading) + "\n")
            # The transitions cycle through four states (a smaller bucket grafts the other handle): record the
            # batch file of each step from the state it starts in.
            timed([apply(WORK_AT)])
            cycle = []
            for step, at in enumerate([NON_WORK_AT, WORK_AT, NON_WORK_AT, WORK_AT]):
                cycle.append((at, Batch(dry(at), folder, f"change{step}.tc")))
                timed([apply(at)])
            timed([clear])
            for _ in range(args.rounds):
                times["first-ours"].append(timed([apply(WORK_AT)]))
                timed([clear])
                times["first-tc"].append(timed(install.one_tc_per_line()))
                timed([clear])
                times["first-batch"].append(timed(install.tc_batch()))
                timed([clear])
            timed([apply(WORK_AT)])
            for _ in range(max(1, args.rounds // 4)):
                for at, _ in cycle:
                    times["change-ours"].append(timed([apply(at)]))
                for _, batch in cycle:
                    times["change-tc"].append(timed(batch.one_tc_per_line()))
                for _, batch in cycle:
                    times["change-batch"].append(timed(batch.tc_batch()))
            for _ in range(args.rounds):
                times["noop-ours"].append(timed([apply(WORK_AT)]))
                times["noop-tc"].append(timed(reading))
                times["noop-batch"].append(timed([["tc", "-batch", os.path.join(folder, "show.tc")]]))
            timed([clear])
            daemon = daemon_available(args.binary)
    finally:
        with b.kernel_lock():
            pair.remove()

    m = {key: b.median(values) for key, values in times.items()}
    daemon_cell = "present; its in-process apply is not measured by this script yet" if daemon else \
        "n/a (no daemon in this build)"
    print(f"### Apply speed (whole processes, median of {args.rounds} rounds; ratio = throttlectl ÷ reference, "
          f"below 1 is faster)")
    print()
    print("| task | throttlectl ms | `ip` + one `tc` per command ms | ratio | `ip` + `tc -batch` ms | ratio | "
          "daemon in-process |")
    print("|---|---|---|---|---|---|---|")
    rows = [("first apply (IFB, ingress, 2 filters, 2 TBFs)", "first", len(install.one_tc_per_line())),
            ("transition (median of the 4-step cycle: 2 grafts, 2 in-place changes)", "change",
             len(cycle[0][1].one_tc_per_line())),
            ("no-change re-apply (tc: the three `show`s that read the same)", "noop", len(reading))]
    for label, key, processes in rows:
        ours_ms, tc_ms, batch_ms = m[f"{key}-ours"], m[f"{key}-tc"], m[f"{key}-batch"]
        print(f"| {label} | {ours_ms:.2f} | {tc_ms:.2f} ({processes} processes) | {ours_ms / tc_ms:.2f} | "
              f"{batch_ms:.2f} | {ours_ms / batch_ms:.2f} | {daemon_cell} |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
