#!/usr/bin/env bash
# parse_bench.sh — chorus-parse against a bare simdjson document count and against jq (SPEC §11).
#
# Generates canonical events with chorus-gen (once; the file is reused while its parameters are the
# same), then times, on one core (taskset -c 0) and on the same file:
#   reference     bench/ndjson_count: simdjson On-Demand iterate_many, reading each event's "id"
#   chorus-parse  chorus-parse --preset canonical --quiet -o /dev/null
#   jq            jq -c "$jq_filter" (below: every field of the canonical event, in chorus-parse's
#                 order), on the first --jq-size MB of the same file (whole lines): jq is slow,
#                 throughput is per byte. Before timing, jq's output on that prefix is compared
#                 with chorus-parse's: they must be byte-identical (the same fields extracted),
#                 else the jq ratio is marked as not comparable.
# Best of --runs runs for each program (jq included). Prints a table, the ratios
# against the targets with PASS or MISS, and chorus-parse's peak RSS.
#
# A benchmark, not a test: a missed target is reported, not failed. Exit status: 0 the benchmark
# ran, 1 something failed to run (a missing binary, a program that failed, a generation error),
# 2 usage error.
#
# Environment: CHORUS_BIN (default ./build) holds chorus-gen, chorus-parse and ndjson_count;
# BENCH_DIR (default /tmp/chorus-bench) holds the generated data.

set -euo pipefail

prog=parse_bench.sh
usage() {
    cat <<EOF
usage: $prog [--size MB] [--jq-size MB] [--runs N] [--seed S]
  --size MB      at least this many megabytes (10^6 bytes) of events (default 1000)
  --jq-size MB   prefix of the file given to jq (default 100)
  --runs N       best of N runs for the reference and chorus-parse (default 3)
  --seed S       chorus-gen seed (default 1)
environment: CHORUS_BIN (default ./build), BENCH_DIR (default /tmp/chorus-bench)
EOF
}
die() { echo "$prog: $*" >&2; exit 1; }
usage_error() { echo "$prog: $*" >&2; echo "Try '$prog --help'" >&2; exit 2; }

size_mb=1000
jq_mb=100
runs=3
seed=1
while (($#)); do
    case $1 in
        --size) size_mb=${2-}; shift ;;
        --jq-size) jq_mb=${2-}; shift ;;
        --runs) runs=${2-}; shift ;;
        --seed) seed=${2-}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
    shift || usage_error "missing value"
done
for v in "$size_mb" "$jq_mb" "$runs" "$seed"; do
    [[ $v =~ ^[0-9]+$ ]] || usage_error "not a whole number: '$v'"
done
((size_mb > 0 && jq_mb > 0 && runs > 0)) || usage_error "--size, --jq-size and --runs must be positive"

bin=${CHORUS_BIN:-./build}
dir=${BENCH_DIR:-/tmp/chorus-bench}
gen=$bin/chorus-gen
parse=$bin/chorus-parse
ref=$bin/ndjson_count
for b in "$gen" "$parse" "$ref"; do
    [[ -x $b ]] || die "$b: not found or not executable (build first, or set CHORUS_BIN)"
done
mkdir -p "$dir" || die "cannot create $dir"

pin=(taskset -c 0)
command -v taskset >/dev/null || { pin=(); echo "note: taskset not found: runs are not pinned to one core"; }
gnu_time=/usr/bin/time
[[ -x $gnu_time ]] && "$gnu_time" -f %M true 2>/dev/null || gnu_time=
have_jq=1
command -v jq >/dev/null || have_jq=0

# --- data ---------------------------------------------------------------------------------------
target_bytes=$((size_mb * 1000000))
data=$dir/events-${size_mb}MB-seed$seed.jsonl
params="chorus-gen $("$gen" --version 2>/dev/null | head -n 1) size_mb=$size_mb seed=$seed"
file_size() { stat -c %s "$1"; }

if [[ -f $data && -f $data.params && $(cat "$data.params") == "$params" ]]; then
    echo "reusing $data"
else
    rm -f "$data" "$data.params"
    # chorus-gen takes a number of events: measure bytes per event on a sample, then aim a little high.
    sample=$dir/sample.jsonl
    "$gen" --events 20000 --seed "$seed" -o "$sample" || die "chorus-gen failed on the sample"
    sample_bytes=$(file_size "$sample")
    rm -f "$sample"
    ((sample_bytes > 0)) || die "chorus-gen wrote an empty sample"
    events=$(((target_bytes / sample_bytes + 1) * 20000 * 103 / 100))
    for attempt in 1 2 3; do
        echo "generating $events events into $data (at least $size_mb MB) ..."
        "$gen" --events "$events" --seed "$seed" -o "$data.tmp" || die "chorus-gen failed"
        got=$(file_size "$data.tmp")
        ((got >= target_bytes)) && break
        ((attempt < 3)) || die "chorus-gen wrote $got bytes, fewer than $target_bytes"
        events=$((events * target_bytes * 103 / (got * 100) + 1))
    done
    mv "$data.tmp" "$data"
    echo "$params" >"$data.params"
fi
bytes=$(file_size "$data")

# Every field chorus-parse writes for a canonical event, in its order.
jq_filter='{id, account, ts, type, text, urls, hashtags, mentions, media, parent, lang, audience, platform, views, likes}'
jq_data=$dir/events-${size_mb}MB-seed$seed.jq-${jq_mb}MB.jsonl
if ((have_jq)) && [[ ! -f $jq_data || $jq_data -ot $data ]]; then
    # Whole lines only: drop the line the cut falls in.
    head -c $((jq_mb * 1000000)) "$data" | head -n -1 >"$jq_data.tmp"
    mv "$jq_data.tmp" "$jq_data"
fi

# --- timing -------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/parse_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run_once OUT CMD... : runs CMD pinned, stdout to OUT; sets seconds (wall), and with GNU time
# cpu_seconds (user + system) and rss_kb (peak RSS), else leaves them empty.
run_once() {
    local out=$1 t0 t1
    shift
    t0=$(date +%s%N)
    if [[ -n $gnu_time ]]; then
        "$gnu_time" -f '%M %U %S' -o "$work/rusage" "${pin[@]}" "$@" >"$out" 2>"$work/stderr" || {
            cat "$work/stderr" >&2
            die "failed: $*"
        }
    else
        "${pin[@]}" "$@" >"$out" 2>"$work/stderr" || { cat "$work/stderr" >&2; die "failed: $*"; }
    fi
    t1=$(date +%s%N)
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    rss_kb='' cpu_seconds=''
    if [[ -n $gnu_time ]]; then
        read -r rss_kb cpu_seconds < <(tail -n 1 "$work/rusage" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
    fi
}

# best_of N OUT CMD... : sets best (the least wall seconds), best_cpu (that run's CPU seconds) and
# peak_rss_kb over N runs.
best_of() {
    local n=$1 i
    shift
    best=
    peak_rss_kb=
    for ((i = 0; i < n; i++)); do
        run_once "$@"
        if [[ -z $best ]] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$seconds best_cpu=$cpu_seconds
        fi
        if [[ -n $rss_kb ]] && { [[ -z $peak_rss_kb ]] || ((rss_kb > peak_rss_kb)); }; then peak_rss_kb=$rss_kb; fi
    done
}

echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;" \
    "runs pinned with: ${pin[*]:-(nothing)}"
# The first reference run also warms the page cache and counts the events.
events=$("${pin[@]}" "$ref" --verbose "$data" 2>"$work/ref-info") || {
    cat "$work/ref-info" >&2
    die "ndjson_count failed on $data"
}
echo "reference: $(sed 's/^ndjson_count: .*; stage 1/stage 1/' "$work/ref-info")"

# Check that chorus-parse keeps every event: a tool that drops records would look fast for the
# wrong reason.
parsed=$("$parse" --preset canonical --quiet "$data" | wc -l) || die "chorus-parse failed on $data"
if [[ $parsed != "$events" ]]; then
    echo "WARNING: chorus-parse wrote $parsed events, the reference counted $events"
fi

# "The same fields": jq's output on its prefix must be chorus-parse's, byte for byte (canonical
# input keeps every field's text; chorus-parse writes compact JSON in this field order).
jq_same=''
if ((have_jq)); then
    jq -c "$jq_filter" "$jq_data" >"$work/jq.out" || die "jq failed on $jq_data"
    "$parse" --preset canonical --quiet "$jq_data" >"$work/parse.out" || die "chorus-parse failed on $jq_data"
    if cmp -s "$work/jq.out" "$work/parse.out"; then
        jq_same=yes
    else
        jq_same=no
        echo "WARNING: jq's output differs from chorus-parse's on $jq_data: the jq ratio is not comparable"
    fi
    rm -f "$work/jq.out" "$work/parse.out"
fi

best_of "$runs" /dev/null "$ref" "$data"
ref_s=$best ref_cpu=$best_cpu
best_of "$runs" /dev/null "$parse" --preset canonical --quiet -o /dev/null "$data"
parse_s=$best parse_cpu=$best_cpu
parse_rss_kb=$peak_rss_kb

if ((have_jq)); then
    jq_bytes=$(file_size "$jq_data")
    jq_events=$(wc -l <"$jq_data")
    # Best of N like the others: jq's speed varies by a fifth from run to run, and one slow
    # run of the slower program would flatter the ratio.
    best_of "$runs" /dev/null jq -c "$jq_filter" "$jq_data"
    jq_s=$best jq_cpu=$best_cpu
fi

# --- report -------------------------------------------------------------------------------------
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
evps() { awk -v e="$1" -v s="$2" 'BEGIN { printf "%.0f", e / s }'; }
row() { printf '%-14s %14s %10s %10s %10s %10s %12s\n' "$@"; }

echo
if ((have_jq)); then
    echo "best of $runs runs each; jq on the first $jq_mb MB of the same file (throughput is per byte)"
else
    echo "best of $runs runs for ndjson_count and chorus-parse; jq not installed, skipped"
fi
row program bytes events seconds "cpu s" MB/s events/s
row ndjson_count "$bytes" "$events" "$ref_s" "${ref_cpu:--}" "$(mbps "$bytes" "$ref_s")" "$(evps "$events" "$ref_s")"
row chorus-parse "$bytes" "$events" "$parse_s" "${parse_cpu:--}" "$(mbps "$bytes" "$parse_s")" "$(evps "$events" "$parse_s")"
if ((have_jq)); then
    row jq "$jq_bytes" "$jq_events" "$jq_s" "${jq_cpu:--}" "$(mbps "$jq_bytes" "$jq_s")" "$(evps "$jq_events" "$jq_s")"
else
    row jq - - - - - "(not installed: skipped)"
fi
# On one core, wall time well above CPU time means something else ran there: every figure is low,
# and the ratios are only as good as the share each program got.
for pair in "ndjson_count $ref_s ${ref_cpu:-}" "chorus-parse $parse_s ${parse_cpu:-}" "jq ${jq_s:-} ${jq_cpu:-}"; do
    read -r name wall cpu <<<"$pair"
    if [[ -n ${cpu:-} ]] && awk -v w="$wall" -v c="$cpu" 'BEGIN { exit !(w > 1.15 * c + 0.02) }'; then
        echo "note: $name waited for core 0 (wall $wall s, CPU $cpu s): the machine is busy, figures are low"
    fi
done
echo

# The same ratios by CPU time (user + system): steadier than wall time when core 0 is shared.
by_cpu_ref='' by_cpu_jq=''
if [[ -n ${ref_cpu:-} && -n ${parse_cpu:-} ]]; then
    by_cpu_ref=$(awk -v p="$parse_cpu" -v r="$ref_cpu" 'BEGIN { if (p > 0) printf "   (by CPU time: %.1f %%)", 100 * r / p }')
    if ((have_jq)) && [[ -n ${jq_cpu:-} ]]; then
        by_cpu_jq=$(awk -v pb="$bytes" -v ps="$parse_cpu" -v jb="$jq_bytes" -v js="$jq_cpu" \
            'BEGIN { if (ps > 0 && js > 0) printf "   (by CPU time: %.1f x)", (pb / ps) / (jb / js) }')
    fi
fi
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t ? "PASS" : "MISS") }'; }
vs_ref=$(awk -v p="$parse_s" -v r="$ref_s" 'BEGIN { printf "%.1f", 100 * r / p }')
echo "chorus-parse / reference: $vs_ref %   target >= 25 %: $(verdict "$vs_ref" 25)   stretch >= 40 %: $(verdict "$vs_ref" 40)$by_cpu_ref"
if ((have_jq)); then
    vs_jq=$(awk -v pb="$bytes" -v ps="$parse_s" -v jb="$jq_bytes" -v js="$jq_s" \
        'BEGIN { printf "%.1f", (pb / ps) / (jb / js) }')
    if [[ $jq_same == yes ]]; then
        echo "chorus-parse / jq:        $vs_jq x   target >= 30 x: $(verdict "$vs_jq" 30)$by_cpu_jq   (outputs byte-identical)"
    else
        echo "chorus-parse / jq:        $vs_jq x   NOT COMPARABLE: jq's output differs from chorus-parse's$by_cpu_jq"
    fi
else
    echo "chorus-parse / jq:        not measured (jq not installed)"
fi
if [[ -n $parse_rss_kb ]]; then
    echo "chorus-parse peak RSS:    $(awk -v k="$parse_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
else
    echo "chorus-parse peak RSS:    not measured (/usr/bin/time not installed: apt-get install time)"
fi
