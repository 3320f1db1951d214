"""Shared pieces of the benchmark scripts: the kernel lock, a namespace pair, the three shapers compared
(throttlectl, tc HTB with its defaults, tc TBF as the CNI bandwidth plugin sets it), traffic and ping, medians.

Only the standard library. Runs as root; every namespace it makes is removed by `Pair.remove` (the calling
shell script removes them too, from a trap, should Python itself be killed).
"""
import argparse
import atexit
import contextlib
import fcntl
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import qdisc_stats  # noqa: E402

HOST_V4, PEER_V4 = "198.18.0.1", "198.18.0.2"
HOST_V6, PEER_V6 = "2001:db8::1", "2001:db8::2"


def run(*command, check=True, quiet=True):
    """Runs a command; its output is returned (stderr too, on failure)."""
    result = subprocess.run(command, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.strip()}")
    return result.stdout


class Arguments(argparse.ArgumentParser):
    """The drivers' option parser: a usage error exits 64 (EX_USAGE), as the shell scripts do, and the options
    the shell wrapper passes itself (--binary, --host, --peer) stay out of the usage line."""

    def __init__(self, **kwargs):
        super().__init__(usage="see the script's --help", **kwargs)

    def error(self, message):
        self.exit(64, f"{os.path.basename(sys.argv[0])}: {message} (see the script's --help)\n")


def positive_int(text):
    """An option value of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def private_folder(prefix):
    """A temporary folder that is removed when the driver exits (also on a signal, which raises SystemExit)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, True)
    return folder


def median(values):
    values = sorted(v for v in values if v is not None and not math.isnan(v))
    if not values:
        return float("nan")
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@contextlib.contextmanager
def kernel_lock():
    """Holds $BENCH_LOCK (flock) for the block, when it is set: the machine's traffic tests wait on it too."""
    path = os.environ.get("BENCH_LOCK")
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def install_signal_exit():
    """SIGTERM/SIGINT/SIGHUP become SystemExit, so `finally` blocks clean up."""
    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)


class Pair:
    """Two namespaces joined by a veth pair: `host` (v0, the shaped side) and `peer` (v1, the iperf3 server)."""

    def __init__(self, host, peer, mtu=1500):
        self.host, self.peer, self.mtu = host, peer, mtu

    def create(self):
        run("ip", "netns", "add", self.host)
        run("ip", "netns", "add", self.peer)
        run("ip", "-n", self.host, "link", "add", "v0", "mtu", str(self.mtu), "type", "veth", "peer", "name", "v1",
            "mtu", str(self.mtu), "netns", self.peer)
        for ns, dev, v4, v6 in ((self.host, "v0", HOST_V4, HOST_V6), (self.peer, "v1", PEER_V4, PEER_V6)):
            run("ip", "-n", ns, "addr", "add", f"{v4}/24", "dev", dev)
            run("ip", "-n", ns, "addr", "add", f"{v6}/64", "dev", dev, "nodad")
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "set", dev, "up")
        qdisc_stats.enter_namespace(self.host)  # counters are read from here on without spawning anything
        return self

    def remove(self):
        for ns in (self.host, self.peer):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def host_run(self, *command, check=True):
        return run("ip", "netns", "exec", self.host, *command, check=check)

    def popen(self, ns, *command, stdout=subprocess.DEVNULL):
        return subprocess.Popen(["ip", "netns", "exec", ns, *command], stdout=stdout, stderr=subprocess.DEVNULL,
                                text=True)


# ---------------------------------------------------------------------------------------------------- shapers

class Throttlectl:
    """The product: `throttlectl apply` of an all-day policy (or two instants of a schedule)."""
    name = "throttlectl"

    def __init__(self, binary, pair):
        self.binary, self.pair = binary, pair
        self.state = private_folder("thr-bench-")

    def dirs(self):
        return ["--interface", "v0", "--state-dir", self.state, "--run-dir", self.state + "/run"]

    def apply(self, flags):
        return self.pair.host_run(self.binary, "apply", *flags, *self.dirs())

    def install(self, bits):
        self.apply(["--work-days", "mon-sun", "--start-work-hour", "00:00", "--end-work-hour", "24:00",
                    "--work-hour-bandwidth", str(bits), "--non-work-hour-bandwidth", str(bits), "--time-zone", "UTC"])

    def download_device(self):
        return "ifb-t%d" % socket_index("v0")

    def remove(self):
        self.pair.host_run(self.binary, "clear", *self.dirs(), check=False)

    def queue_ms(self, bits):
        """The worst-case queue time `throttlectl params` reports for this rate on this MTU."""
        out = json.loads(run(self.binary, "params", "--rate", str(bits), "--qdisc", "tbf", "--mode", "safe",
                             "--mtu", str(self.pair.mtu), "--json"))
        return out["worstCaseQueueMicroseconds"] / 1000, out


def socket_index(name):
    import socket
    return socket.if_nametoindex(name)


class TcPeer:
    """A peer set up with `tc` the way its users do: the same qdisc on v0 (upload) and on an IFB that the
    ingress of v0 redirects to (download)."""
    ifb = "ifb-peer"

    def __init__(self, pair):
        self.pair = pair

    def download_device(self):
        return self.ifb

    def qdisc(self, dev, bits):
        raise NotImplementedError

    def install(self, bits):
        h = self.pair.host_run
        h("ip", "link", "add", self.ifb, "type", "ifb")
        h("ip", "link", "set", self.ifb, "up")
        h("tc", "qdisc", "add", "dev", "v0", "handle", "ffff:", "ingress")
        h("tc", "filter", "add", "dev", "v0", "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0",
          "action", "mirred", "egress", "redirect", "dev", self.ifb)
        for dev in ("v0", self.ifb):
            for command in self.qdisc(dev, bits):
                h("tc", *command)

    def remove(self):
        h = self.pair.host_run
        h("tc", "qdisc", "del", "dev", "v0", "root", check=False)
        h("tc", "qdisc", "del", "dev", "v0", "ingress", check=False)
        h("ip", "link", "del", self.ifb, check=False)


class HtbDefaults(TcPeer):
    """tc HTB with every default: `htb default 1`, one class `rate R` (ceil = rate, burst = rate/HZ + mtu, tc's
    own), no leaf qdisc (the kernel's default leaf: pfifo of txqueuelen packets)."""
    name = "tc HTB defaults"

    def qdisc(self, dev, bits):
        return [["qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "1"],
                ["class", "add", "dev", dev, "parent", "1:", "classid", "1:1", "htb", "rate", f"{bits}bit"]]


class CniTbf(TcPeer):
    """tc TBF as the CNI bandwidth plugin installs it: latency fixed at 25 ms (limit = rate × 25 ms + burst).
    CNI takes the burst from its configuration; here it is throttlectl's own (5 ms or two frames), so that the
    column differs from throttlectl's in the queue alone."""
    name = "CNI TBF 25 ms"

    def __init__(self, pair, burst_for):
        super().__init__(pair)
        self.burst_for = burst_for

    def qdisc(self, dev, bits):
        return [["qdisc", "add", "dev", dev, "root", "tbf", "rate", f"{bits}bit", "burst", str(self.burst_for(bits)),
                 "latency", "25ms"]]


# ---------------------------------------------------------------------------------------------------- traffic

class Sampler:
    """Reads the root qdisc's counters of one device (in the host namespace)."""

    def __init__(self, device):
        self.stats = qdisc_stats.RootStats(device)

    def sample(self):
        kind, bytes_, packets, drops, backlog, qlen, handle = self.stats.read()
        return {"t": time.monotonic(), "kind": kind, "bytes": bytes_, "packets": packets, "drops": drops,
                "backlog": backlog, "qlen": qlen, "handle": handle}


PING_FRAME_BYTES = 98  # a default echo (56 B of data) on the wire: 14 Ethernet + 20 IPv4 + 8 ICMP + 56


def ping_interval(bits):
    """Seconds between pings under load: every 0.1 s, but never more than 0.25 % of the rate in either direction,
    so the probe does not take the flow's share it measures (at 512 Kibit/s, ten 98-byte echoes a second would be
    1.5 % of the rate, and TCP goodput ÷ rate could not reach 0.99 × the framing maximum)."""
    return max(0.1, math.ceil(PING_FRAME_BYTES * 8 / (0.0025 * bits) * 10) / 10)


class Pinger:
    """ping from the host to the peer (every `ping_interval(bits)` s): the request crosses the upload shaper, the
    reply the download one."""
    LINE = re.compile(r"^\[(\d+\.\d+)\].*time=([\d.]+) ms")

    def __init__(self, pair, interval=0.1):
        self.process = pair.popen(pair.host, "ping", "-n", "-D", "-i", "%.1f" % interval, "-W", "5", PEER_V4,
                                  stdout=subprocess.PIPE)

    def finish(self):
        """[(unix time of the reply, RTT ms)]"""
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=10)
        replies = []
        for line in out.splitlines():
            m = self.LINE.match(line)
            if m:
                replies.append((float(m.group(1)), float(m.group(2))))
        return replies


_port = [5300]


def iperf(pair, direction, protocol, seconds, offered_bits=None):
    """Starts an iperf3 server in the peer and a client in the host; returns (client, server, start time)."""
    _port[0] = 5300 + (_port[0] - 5299) % 50
    port = str(_port[0])
    server = pair.popen(pair.peer, "iperf3", "-s", "-1", "-J", "-p", port)  # -J: the client gets its intervals
    time.sleep(0.3)
    command = ["iperf3", "-c", PEER_V4, "-p", port, "-t", str(seconds), "-J", "--get-server-output"]
    if direction == "download":
        command.append("-R")
    if protocol == "udp":
        command += ["-u", "-b", str(int(offered_bits)), "-l", "1472"]
    client = pair.popen(pair.host, *command, stdout=subprocess.PIPE)
    return client, server, time.monotonic()


def receiver_intervals(report, direction):
    """Per-second intervals as the receiving side counted them: the server for uploads, the client for -R."""
    if direction == "download":
        return report.get("intervals", [])
    return (report.get("server_output_json") or {}).get("intervals", [])


def goodput(report, direction, start, end):
    """Payload bits/s the receiver got over the intervals lying within [start, end] seconds of the test, with the
    window's edges moved inwards to steady seconds.

    A TCP receiver delivers in lumps: after a tail drop it holds everything behind the lost segment until the
    retransmission arrives (up to a second at the low rates), then hands it all over at once, so a loss episode is
    a dip followed by a lump that refills it. Inside the window an episode adds up to nothing; cut by an edge it
    moves the result by up to a round trip of data (2–3 % at 2 Mbit/s). So each edge is moved to the nearest
    interval boundary whose seconds on both sides are steady (within 2 % of the median second), as long as at
    least half of the window remains; otherwise the whole window counts."""
    every = [i["sum"] for i in receiver_intervals(report, direction)]
    inside = [k for k, s in enumerate(every) if s["start"] >= start - 0.05 and s["end"] <= end + 0.05]
    if not inside:
        return float("nan")
    typical = median(every[k]["bytes"] for k in inside)
    # Whole segments make steady seconds differ by one or two (43 or 44 a second at 512 Kibit/s): allowed.
    allowed = 0.02 * typical + 2 * 1448

    def steady(k):  # a second beyond the flow (or its short last piece) is not steady
        return 0 <= k < len(every) and every[k]["seconds"] > 0.9 and abs(every[k]["bytes"] - typical) <= allowed

    first = next((k for k in inside if (k == 0 or steady(k - 1)) and steady(k)), None)
    last = next((k for k in reversed(inside) if steady(k) and steady(k + 1)), None)
    if first is None or last is None or last - first + 1 < len(inside) / 2:
        first, last = inside[0], inside[-1]
    chosen = every[first:last + 1]
    seconds = sum(i["seconds"] for i in chosen)
    return sum(i["bytes"] for i in chosen) * 8 / seconds if seconds else float("nan")


def cpu_times():
    """(all of user … steal, steal) from /proc/stat's `cpu` line, in clock ticks; guest time is inside user."""
    with open("/proc/stat") as stat:
        columns = [int(c) for c in stat.readline().split()[1:9]]
    return sum(columns), columns[7]


def stolen_share(earlier, later):
    """The share of CPU time between two cpu_times() that the host of this virtual machine took ("steal")."""
    elapsed = later[0] - earlier[0]
    return (later[1] - earlier[1]) / elapsed if elapsed > 0 else 0.0


def measure_flow(pair, device, direction, protocol, bits, seconds, warm):
    """One flow through a shaper: on-wire bits/s from the root qdisc's byte counter over [warm, seconds − 0.5],
    TCP goodput over the whole seconds inside it, median ping RTT over it, the qdisc's drops in it, and the
    share of the CPU the host stole during the flow."""
    sampler = Sampler(device)
    clock0 = cpu_times()
    client, server, started = iperf(pair, direction, protocol, seconds, offered_bits=bits * 1.25)
    try:
        time.sleep(max(0, started + warm - time.monotonic()))
        pinger = Pinger(pair, ping_interval(bits))
        first = sampler.sample()
        time.sleep(max(0, started + seconds - 0.5 - time.monotonic()))
        last = sampler.sample()
        clock1 = cpu_times()
        replies = pinger.finish()
        out, _ = client.communicate(timeout=seconds + 30)
    finally:
        for process in (client, server):
            if process.poll() is None:
                process.kill()
                process.wait()
    onwire = (last["bytes"] - first["bytes"]) * 8 / (last["t"] - first["t"])
    try:
        report = json.loads(out)
    except ValueError:
        report = {}
    # iperf3 counts from its own start, slightly after ours: the steady window in its time is the same.
    good = goodput(report, direction, math.ceil(warm), math.floor(seconds - 0.5)) if protocol == "tcp" else None
    return {"onwire": onwire, "goodput": good, "rtt": median(r for _, r in replies), "pings": len(replies),
            "drops": last["drops"] - first["drops"], "kind": last["kind"], "stolen": stolen_share(clock0, clock1),
            # More was offered than the rate (the shaper was saturated) when the queue dropped at least 1 % of
            # what it sent, or held packets at both samples (a local sender is pushed back before any drop).
            "saturated": (last["drops"] - first["drops"]) >= 0.01 * (last["packets"] - first["packets"])
                         and last["drops"] > first["drops"] or (first["qlen"] > 1 and last["qlen"] > 1)}


def framing_maximum(mtu, timestamps=True, ipv6=False):
    """Payload share of a full TCP segment on the wire the shaper counts (Ethernet header, no FCS/preamble)."""
    ip = 40 if ipv6 else 20
    mss = mtu - ip - 20 - (12 if timestamps else 0)
    return mss / (mtu + 14), mss


def tcp_timestamps(pair):
    return pair.host_run("sysctl", "-n", "net.ipv4.tcp_timestamps").strip() != "0"


def rate_text(bits):
    """524288 → "512 Kibit/s", 2097152 → "2 Mibit/s", 10000000 → "10 Mbit/s"."""
    for unit, size in (("Gibit/s", 1 << 30), ("Mibit/s", 1 << 20), ("Kibit/s", 1 << 10)):
        if bits >= size and bits % size == 0:
            return f"{bits // size} {unit}"
    for unit, size in (("Gbit/s", 10 ** 9), ("Mbit/s", 10 ** 6), ("kbit/s", 10 ** 3)):
        if bits >= size and bits % size == 0:
            return f"{bits // size} {unit}"
    return f"{bits} bit/s"


def report_misses(misses, what):
    """Prints the missed targets (exit status 1) or that every `what` target held (0)."""
    if misses:
        print("Missed targets:")
        for miss in misses:
            print(f"- {miss}")
        print()
        return 1
    print(f"All {what} targets held.")
    print()
    return 0
