#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Benchmarks/Fuzz/Harnesses) and runs each for a given time, one at a time.
#
#   Benchmarks/fuzz.sh [--seconds N] [--debug | --release] [--keep-corpus] [--skip-known] [harness…]
#
# Harnesses: policy (PolicyLoader, YAML and JSON), quantities (RateParser, Bandwidth, ByteSize, Duration),
# iso8601 (ISO8601.parse), netlink (the tc dump decoders fed arbitrary bytes),
# service-tags (ServiceTagFile.parse, its JSON reader, IPPrefix, PrefixSet and HashLayout). Default: all,
# 600 s each.
#
# Each run starts from the committed seeds (Benchmarks/Fuzz/Corpus/<harness>/) copied to a scratch corpus in
# Benchmarks/Fuzz/.work/<harness>/ (git-ignored; --keep-corpus continues from the last run's corpus), and
# writes crashes there. A crash, a timeout (an input that runs over 10 s is a hang) or running out of
# memory is minimised, printed as hex and text with its stack, and makes the script exit 1. Add the
# minimised input under Benchmarks/Fuzz/Crashes/<harness>/ so that it becomes a regression test: every run
# first replays those and says which still fail. --skip-known makes the harnesses pass over the inputs of
# those known bugs (THROTTLECTL_FUZZ_SKIP_KNOWN=1), to look for others behind them; without it a harness
# stops at the first known bug it meets.
#
# Builds with the address sanitizer on. Release (the default) runs several times more inputs per second than
# debug; --debug gives exact line numbers in stacks. Runs under `nice -n 10`; run one fuzz.sh at a time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fuzz="$here/Fuzz"
package="$fuzz/Harnesses"

declare -A HARNESSES=(
    [policy]=FuzzPolicy
    [quantities]=FuzzQuantities
    [iso8601]=FuzzISO8601
    [netlink]=FuzzNetlink
    [service-tags]=FuzzServiceTags
)
ORDER=(policy quantities iso8601 netlink service-tags)

seconds=600
configuration=release
keep_corpus=no
selected=()
while (($#)); do
    case "$1" in
    --seconds)
        [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds takes a whole number of seconds" >&2; exit 64; }
        seconds=$2
        shift 2
        ;;
    --debug) configuration=debug; shift ;;
    --release) configuration=release; shift ;;
    --keep-corpus) keep_corpus=yes; shift ;;
    --skip-known) export THROTTLECTL_FUZZ_SKIP_KNOWN=1; shift ;;
    -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 64 ;;
    *)
        [[ -n ${HARNESSES[$1]:-} ]] || { echo "fuzz.sh: unknown harness $1 (known: ${ORDER[*]})" >&2; exit 64; }
        selected+=("$1")
        shift
        ;;
    esac
done
((${#selected[@]})) || selected=("${ORDER[@]}")

echo "== building the harnesses ($configuration, -sanitize=fuzzer,address)"
# -Xcc instruments the C parts too (Yams' libyaml), so that the fuzzer sees their branches.
build_flags=(-c "$configuration" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    -Xcc -fsanitize=fuzzer-no-link,address)
mkdir -p "$fuzz/.work"
build_log="$fuzz/.work/build.log"
# ld.gold warns "Cannot export local symbol" for every harness; the warning is harmless.
if ! swift build --package-path "$package" "${build_flags[@]}" >"$build_log" 2>&1; then
    grep -v 'Cannot export local symbol' "$build_log" | tail -40 >&2
    echo "fuzz.sh: the build failed (log: ${build_log#"$here"/})" >&2
    exit 1
fi
tail -1 "$build_log"
bin=$(swift build --package-path "$package" "${build_flags[@]}" --show-bin-path)

# `od` and `tr` rather than xxd: both are in coreutils.
show_input() {
    echo "    hex:  $(od -An -v -tx1 "$1" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
    echo "    text: $(LC_ALL=C tr -c '[:print:]' '.' <"$1")"
}

failed=0
summary=()
for name in "${selected[@]}"; do
    target=${HARNESSES[$name]}
    work="$fuzz/.work/$name"
    corpus="$work/corpus"
    artifacts="$work/artifacts"
    log="$work/fuzz.log"
    if [[ $keep_corpus == no ]]; then rm -rf "$corpus"; fi
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    cp -n "$fuzz/Corpus/$name"/* "$corpus/" 2>/dev/null || true
    seeds=$(find "$corpus" -type f | wc -l)
    dictionary=()
    [[ -f $fuzz/Dictionaries/$name.dict ]] && dictionary=(-dict="$fuzz/Dictionaries/$name.dict")

    echo "== $name ($target): $seconds s from $seeds inputs; log in ${log#"$here"/}"
    for known in "$fuzz/Crashes/$name"/*; do
        [[ -f $known && $(basename "$known") != README* ]] || continue
        if SWIFT_BACKTRACE=enable=no THROTTLECTL_FUZZ_SKIP_KNOWN=0 timeout 60 "$bin/$target" -timeout=10 \
            -rss_limit_mb=2048 "$known" >/dev/null 2>&1; then
            echo "   known crash ${known#"$fuzz"/}: passes now (turn it into a test, drop its skip in the harness)"
        else
            echo "   known crash ${known#"$fuzz"/}: still fails"
        fi
    done
    # With the Swift backtracer on, a crash leaves swift-backtrace holding the output open for minutes.
    status=0
    SWIFT_BACKTRACE=enable=no nice -n 10 "$bin/$target" "$corpus" "${dictionary[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?

    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    new_units=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
    initial_cov=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$log" | head -1)
    final_cov=$(sed -n 's/^#[0-9]*.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    problems=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    count=$(grep -c . <<<"$problems" || true)
    echo "   executions: ${executions:-?}, exec/s: ${per_second:-?}, corpus: $seeds -> $files files" \
        "(${new_units:-?} new units), coverage: ${initial_cov:-?} -> ${final_cov:-?} edges, crashes: $count," \
        "libFuzzer exit $status"
    summary+=("$name $seconds ${executions:-?} ${per_second:-?} $files $count")

    if ((count == 0 && status != 0)); then
        echo "   libFuzzer failed without an artifact; the end of the log:"
        tail -20 "$log" | sed 's/^/    /'
        failed=1
    fi
    while IFS= read -r artifact; do
        [[ -n $artifact ]] || continue
        failed=1
        kind=$(basename "$artifact" | cut -d- -f1)
        minimized="$artifacts/minimized-$(basename "$artifact")"
        if [[ $kind == crash || $kind == leak ]]; then
            SWIFT_BACKTRACE=enable=no "$bin/$target" -minimize_crash=1 -max_total_time=60 -runs=100000 \
                -exact_artifact_path="$minimized" "$artifact" >"$minimized.log" 2>&1 || true
        fi
        [[ -s $minimized ]] || cp "$artifact" "$minimized"
        echo "   $kind: ${artifact#"$here"/} (minimised: ${minimized#"$here"/}, $(wc -c <"$minimized") bytes)"
        show_input "$minimized"
        SWIFT_BACKTRACE=enable=no timeout 60 "$bin/$target" -timeout=10 -rss_limit_mb=2048 "$minimized" \
            >"$minimized.stack" 2>&1 || true
        # The message, the sanitizer's verdict and the frames in throttlectl's code, not libFuzzer's or libc's.
        grep -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY|^ +#[0-9]+ .* in .*(/Sources/|/Harnesses/)' \
            "$minimized.stack" | head -12 | sed 's/^ */    /'
    done <<<"$problems"
done

echo "== summary (harness, seconds, executions, exec/s, corpus files, crashes)${THROTTLECTL_FUZZ_SKIP_KNOWN:+, known bugs skipped}"
printf '   %s\n' "${summary[@]}"
exit "$failed"
