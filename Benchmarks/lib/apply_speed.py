"""Apply speed, whole processes: throttlectl against the same kernel work done by `ip` + one `tc` per command,
and by `ip` + one `tc -batch` (the files `throttlectl apply --dry-run --tc-batch` prints, so both do exactly
the same operations), and against the daemon's in-process apply when the binary has `throttlectl run`.
Called by Benchmarks/apply-speed.sh."""
import argparse
import datetime
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
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


class Daemon:
    """`throttlectl run` on v0 with the benchmark's rates, work hours `start`…`end` (UTC); its log lines read
    as they come, each pass's own time taken from the line's `ms=` field (the in-process apply)."""

    def __init__(self, binary, ours, start, end):
        policy = POLICY[:2] + ["--start-work-hour", start, "--end-work-hour", end] + POLICY[6:]
        self.process = subprocess.Popen([binary, "run", *policy, *ours.dirs()], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, event, timeout=15):
        """The `ms` of the next line with `event=EVENT`, in milliseconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
            if fields.get("event") == event and "ms" in fields:
                return float(fields["ms"])
            if fields.get("level") == "error":
                raise RuntimeError(f"throttlectl run: {line.strip()}")
        raise RuntimeError(f"throttlectl run logged no event={event} within {timeout} s")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)


def daemon_times(binary, ours, rounds, clear):
    """In-process times from the daemon's own log: its first apply, the two transitions of a work window two
    seconds wide, and no-change passes (each SIGHUP re-reads the policy and finds the kernel in place)."""
    times = {"first": [], "change": [], "noop": []}
    for _ in range(rounds):
        now = datetime.datetime.now(datetime.timezone.utc)
        start, end = (now + datetime.timedelta(seconds=s) for s in (3, 5))
        daemon = Daemon(binary, ours, start.strftime("%H:%M:%S"), end.strftime("%H:%M:%S"))
        try:
            times["first"].append(daemon.wait_for("apply"))
            for _ in range(3):
                daemon.process.send_signal(signal.SIGHUP)
                times["noop"].append(daemon.wait_for("in-place"))
            times["change"].append(daemon.wait_for("transition"))
            times["change"].append(daemon.wait_for("transition"))
        finally:
            daemon.stop()
            timed([clear])
    return times


def main():
    parser = b.Arguments()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--rounds", type=b.positive_int, default=30)
    parser.add_argument("--daemon-rounds", type=b.positive_int, default=3,
                        help="daemon runs (each ~6 s: a first apply, 3 no-change passes, 2 transitions)")
    args = parser.parse_args()
    b.install_signal_exit()
    pair = b.Pair(args.host, args.peer)
    folder = b.private_folder("thr-apply-")
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
            daemon_ms = daemon_times(args.binary, ours, args.daemon_rounds, clear) if daemon else None
    finally:
        with b.kernel_lock():
            pair.remove()

    m = {key: b.median(values) for key, values in times.items()}
    d = {key: b.median(values) for key, values in daemon_ms.items()} if daemon_ms else None
    print(f"### Apply speed (whole processes, median of {args.rounds} rounds; ratio = throttlectl ÷ reference, "
          f"below 1 is faster)")
    print()
    print("| task | throttlectl ms | `ip` + one `tc` per command ms | ratio | `ip` + `tc -batch` ms | ratio | "
          "daemon in-process ms (its log's `ms=`) | ratio daemon ÷ throttlectl process |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [("first apply (IFB, ingress, 2 filters, 2 TBFs)", "first", len(install.one_tc_per_line())),
            ("transition (median of the 4-step cycle: 2 grafts, 2 in-place changes)", "change",
             len(cycle[0][1].one_tc_per_line())),
            ("no-change re-apply (tc: the three `show`s that read the same)", "noop", len(reading))]
    for label, key, processes in rows:
        ours_ms, tc_ms, batch_ms = m[f"{key}-ours"], m[f"{key}-tc"], m[f"{key}-batch"]
        daemon_cells = f"{d[key]:.2f} | {d[key] / ours_ms:.3f}" if d else "n/a (no daemon in this build) | n/a"
        print(f"| {label} | {ours_ms:.2f} | {tc_ms:.2f} ({processes} processes) | {ours_ms / tc_ms:.2f} | "
              f"{batch_ms:.2f} | {ours_ms / batch_ms:.2f} | {daemon_cells} |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
