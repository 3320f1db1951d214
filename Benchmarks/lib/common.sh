# Sourced by the benchmark scripts: the release build of throttlectl and namespace clean-up.
# THROTTLECTL_BIN skips the build; BENCH_LOCK names a file to flock around every kernel-touching step.

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Prints the path of a release throttlectl, building it first (outside any lock) unless THROTTLECTL_BIN is set.
release_binary() {
    if [ -n "${THROTTLECTL_BIN:-}" ]; then
        require_executable THROTTLECTL_BIN "$THROTTLECTL_BIN"
        echo "$THROTTLECTL_BIN"; return
    fi
    (cd "$bench_root" && swift build -c release --product throttlectl >&2 && echo "$(swift build -c release --show-bin-path)/throttlectl")
}

# Namespaces named after this process; removed on exit, error or signal, even if the Python driver was killed.
bench_host="thrb-h-$$"; bench_peer="thrb-p-$$"
bench_cleanup() {
    ip netns del "$bench_host" 2>/dev/null || true
    ip netns del "$bench_peer" 2>/dev/null || true
}
trap bench_cleanup EXIT
# The Python driver runs as a child that bash waits for (`bench_run`), so that a signal reaches bash at once
# (bash runs no trap while a foreground child runs): the trap passes it on, waits for the driver's own
# clean-up, removes the namespaces and exits 128 + the signal's number.
bench_child=""
bench_stop() {
    # TERM whatever came: a background child of a script ignores SIGINT, and every driver turns TERM into its
    # clean-up (benchlib.install_signal_exit).
    if [ -n "$bench_child" ]; then kill -TERM "$bench_child" 2>/dev/null || true; wait "$bench_child" 2>/dev/null || true; fi
    bench_cleanup
    exit "$2"
}
trap 'bench_stop INT 130' INT
trap 'bench_stop TERM 143' TERM
trap 'bench_stop HUP 129' HUP

source "$bench_root/Benchmarks/lib/preflight.sh"
require_lock_file

# Runs the driver and returns its exit status.
bench_run() {
    "$@" &
    bench_child=$!
    local status=0
    wait "$bench_child" || status=$?
    bench_child=""
    return "$status"
}

# Exits 69 (EX_UNAVAILABLE) naming each command that is missing, before anything is measured.
require_tools() {
    local missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "$0: needs ${missing[*]} (apt-get install iproute2 iperf3 iputils-ping)" >&2
        exit 69
    fi
}
