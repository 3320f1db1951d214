# Sourced by the benchmark scripts: the release build of throttlectl and namespace clean-up.
# THROTTLECTL_BIN skips the build; BENCH_LOCK names a file to flock around every kernel-touching step.

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Prints the path of a release throttlectl, building it first (outside any lock) unless THROTTLECTL_BIN is set.
release_binary() {
    if [ -n "${THROTTLECTL_BIN:-}" ]; then echo "$THROTTLECTL_BIN"; return; fi
    (cd "$bench_root" && swift build -c release --product throttlectl >&2 && echo "$(swift build -c release --show-bin-path)/throttlectl")
}

# Namespaces named after this process; removed on exit, error or signal, even if the Python driver was killed.
bench_host="thrb-h-$$"; bench_peer="thrb-p-$$"
bench_cleanup() {
    ip netns del "$bench_host" 2>/dev/null || true
    ip netns del "$bench_peer" 2>/dev/null || true
}
trap bench_cleanup EXIT
trap 'bench_cleanup; exit 130' INT TERM HUP

require_root() {
    if [ "$(id -u)" != 0 ]; then echo "$0: needs root (network namespaces, tc)" >&2; exit 77; fi
}
