#!/usr/bin/env bash
# Runs every benchmark and writes their tables to one Markdown file (default Benchmarks/results/latest.md,
# with --quick results/quick.md; a relative --out is relative to the current folder): start-up, apply speed,
# accuracy, transitions (its SVG chart beside it: FILE.md → FILE.svg), and the package-benchmark suites.
# Each script exits non-zero when one of its targets is missed; this one then lists which and exits 1.
#   bash Benchmarks/run-all.sh [--quick] [--out FILE] [--no-package-benchmarks]
# --quick: 2 rates instead of 6, shorter flows, fewer rounds; under five minutes on a 2-core machine once built.
# Needs root (else 77), ip, tc, iperf3 and ping (else 69); a usage error exits 64. BENCH_LOCK=FILE flocks FILE
# around every kernel-touching step (the machine's traffic tests wait on it); THROTTLECTL_BIN=PATH skips the build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
quick=""; out=""; package=1; given=("$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=--quick; shift;;
        --out) [ $# -ge 2 ] && [ -n "$2" ] || { echo "run-all.sh: --out needs a file" >&2; exit 64; }; out="$2"; shift 2;;
        --no-package-benchmarks) package=""; shift;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
        *) echo "run-all.sh: unknown option $1 (see --help)" >&2; exit 64;;
    esac
done
source "$here/lib/preflight.sh"
require_root
require_lock_file
# The report: results/quick.md with --quick, else results/latest.md; a relative --out is relative to the
# folder run-all.sh was started in. Its folder must be writable before an hour is spent measuring.
if [ -z "$out" ]; then if [ -n "$quick" ]; then out="$here/results/quick.md"; else out="$here/results/latest.md"; fi; fi
case "$out" in /*) ;; *) out="$PWD/$out";; esac
require_writable_file report "$out"
for tool in ip tc iperf3 ping; do
    command -v "$tool" >/dev/null || { echo "run-all.sh: needs $tool (apt-get install iproute2 iperf3 iputils-ping)" >&2; exit 69; }
done
cd "$root"
if [ -z "${THROTTLECTL_BIN:-}" ]; then
    swift build -c release --product throttlectl >&2
    THROTTLECTL_BIN="$(swift build -c release --show-bin-path)/throttlectl"
fi
require_executable THROTTLECTL_BIN "$THROTTLECTL_BIN"
export THROTTLECTL_BIN
started=$(date +%s)
body="$(mktemp)"; trap 'rm -f "$body"' EXIT
failed=(); timings=()
step() {  # step NAME COMMAND…: runs a benchmark, its stdout into the report, its stderr to ours
    local name=$1; shift
    echo "run-all: $name…" >&2
    local t0=$SECONDS
    if "$@" >>"$body"; then :; else failed+=("$name (exit $?)"); fi
    timings+=("$name $(( SECONDS - t0 )) s")
}
if [ -n "$quick" ]; then rounds=(--rounds 30); apply_rounds=(--rounds 8); else rounds=(--rounds 300); apply_rounds=(--rounds 40); fi
step startup bash "$here/startup.sh" "${rounds[@]}"
step apply-speed bash "$here/apply-speed.sh" "${apply_rounds[@]}"
step accuracy bash "$here/accuracy.sh" $quick
step transitions bash "$here/transitions.sh" $quick --svg "${out%.md}.svg"
if [ -n "$package" ]; then
    echo "run-all: package benchmarks…" >&2
    t0=$SECONDS
    {
        echo "### Package benchmarks (ordo-one/benchmark)"
        echo
        if (cd "$here" && swift package --allow-writing-to-package-directory benchmark --format markdown --no-progress) \
                >"$body.pkg" 2>&1; then
            sed -n '/^## [A-Z][a-z]*Benchmarks/,$p' "$body.pkg" | sed -n '/^#\|^|\|^$/p' | sed 's/^## /#### /; s/^### /##### /' | cat -s
        else
            failed+=("package benchmarks"); tail -20 "$body.pkg"
        fi
        rm -f "$body.pkg"
        echo
    } >>"$body"
    timings+=("package benchmarks $(( SECONDS - t0 )) s")
fi
{
    echo "# Benchmark results"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
    echo "$(. /etc/os-release && echo "$PRETTY_NAME") (Debian $(cat /etc/debian_version)), kernel $(uname -r),"
    echo "$(swift --version 2>/dev/null | head -1), $(tc -V), iperf3 $(iperf3 --version | head -1 | awk '{print $2}')."
    echo "Run: \`bash Benchmarks/run-all.sh${given[*]:+ ${given[*]}}\` in $(( $(date +%s) - started )) s ($(IFS=,; echo "${timings[*]}" | sed 's/,/, /g'), lock waits included)$([ -n "$package" ] || echo ', package benchmarks skipped');"
    echo "binary: $("$THROTTLECTL_BIN" --version 2>/dev/null | head -1) at $THROTTLECTL_BIN (checkout $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources || echo '+changes'))."
    echo
    cat "$body"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "**Targets missed in:** ${failed[*]} (see each section)."
    else
        echo "Every target held."
    fi
} >"$out"
echo "run-all: wrote $out" >&2
if [ ${#failed[@]} -gt 0 ]; then echo "run-all: targets missed in: ${failed[*]}" >&2; exit 1; fi
