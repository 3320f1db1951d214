# Sourced by the benchmark scripts: the checks made before anything is built, measured or written, each with its
# sysexits code. Sourcing it also makes THROTTLECTL_BIN, SELECTION_BENCH_BIN and BENCH_LOCK absolute (relative to
# the folder the script was started in), so that a later `cd` does not change what they name.

for bench_variable in THROTTLECTL_BIN SELECTION_BENCH_BIN BENCH_LOCK; do
    bench_value="${!bench_variable:-}"
    if [ -n "$bench_value" ] && [[ "$bench_value" != /* ]]; then export "$bench_variable=$PWD/$bench_value"; fi
done
unset bench_variable bench_value

# Exits 77 (EX_NOPERM) unless this is root with CAP_NET_ADMIN and CAP_SYS_ADMIN (a container's root may lack them).
require_root() {
    if [ "$(id -u)" != 0 ]; then echo "$0: needs root (network namespaces, tc)" >&2; exit 77; fi
    local effective
    effective=$(awk '/^CapEff:/ { print $2 }' /proc/self/status 2>/dev/null || true)
    if [ -n "$effective" ] && (( (0x$effective >> 12 & 1) == 0 || (0x$effective >> 21 & 1) == 0 )); then
        echo "$0: root here lacks CAP_NET_ADMIN or CAP_SYS_ADMIN (CapEff $effective): network namespaces and tc need both" >&2
        exit 77
    fi
}

# Exits 69 (EX_UNAVAILABLE) unless PATH ($2, given as $1) is an executable regular file (a folder is not).
require_executable() {
    if [ ! -f "$2" ] || [ ! -x "$2" ]; then echo "$0: $1=$2 is not an executable file" >&2; exit 69; fi
}

# Exits 73 (EX_CANTCREAT) unless BENCH_LOCK, when it is set, can be opened for the lock.
require_lock_file() {
    if [ -n "${BENCH_LOCK:-}" ] && { [ -d "$BENCH_LOCK" ] || ! { : >>"$BENCH_LOCK"; } 2>/dev/null; }; then
        echo "$0: BENCH_LOCK=$BENCH_LOCK cannot be opened for the lock" >&2
        exit 73
    fi
}

# Exits 73 unless FILE ($2, the $1 of the message) can be written: its folder is made (or exists) and takes a new
# file, and FILE itself is absent or writable. Checked before measuring, not after.
require_writable_file() {
    local folder probe
    folder="$(dirname "$2")"
    if probe="$(mkdir -p "$folder" 2>/dev/null && mktemp -p "$folder" 2>/dev/null)"; then rm -f "$probe"; else probe=""; fi
    if [ -z "$probe" ] || [ -d "$2" ] || { [ -e "$2" ] && [ ! -w "$2" ]; }; then
        echo "$0: cannot write the $1 to $2" >&2
        exit 73
    fi
}
