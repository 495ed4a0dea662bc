#!/usr/bin/env bash
# hash_bench.sh — chorus-hash on one core, with and without near-duplicates (SPEC §11).
#
# Generates canonical events with chorus-gen (default tactics; once: the file is reused while its
# parameters are the same), then times, on one core (taskset -c 0) and on the same file:
#   reference           bench/ndjson_count: simdjson On-Demand iterate_many, reading each "id"
#   chorus-hash         chorus-hash -q -o /dev/null: every signal, near-duplicates included
#   chorus-hash -x near chorus-hash -q -x near -o /dev/null: the exact signals only
# Best of --runs runs each. Prints a table, the events/s of each, their ratio to the reference, the
# target (>= 1.5 M events/s with near-duplicates) with PASS or MISS, and chorus-hash's peak RSS.
#
# A benchmark, not a test: a missed target is reported, not failed. Exit status: 0 the benchmark
# ran, 1 something failed to run (a missing binary, a program that failed, a generation error),
# 2 usage error.
#
# Environment: CHORUS_BIN (default ./build) holds chorus-gen, chorus-hash and ndjson_count;
# BENCH_DIR (default /tmp/chorus-bench) holds the generated data.

set -euo pipefail

prog=hash_bench.sh
usage() {
    cat <<EOF
usage: $prog [--events N] [--runs N] [--seed S]
  --events N     events to generate (default 2000000)
  --runs N       best of N runs for each program (default 3)
  --seed S       chorus-gen seed (default 1)
environment: CHORUS_BIN (default ./build), BENCH_DIR (default /tmp/chorus-bench)
EOF
}
die() { echo "$prog: $*" >&2; exit 1; }
usage_error() { echo "$prog: $*" >&2; echo "Try '$prog --help'" >&2; exit 2; }

n_events=2000000
runs=3
seed=1
while (($#)); do
    case $1 in
        --events) n_events=${2-}; shift ;;
        --runs) runs=${2-}; shift ;;
        --seed) seed=${2-}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
    shift || usage_error "missing value"
done
for v in "$n_events" "$runs" "$seed"; do
    [[ $v =~ ^[0-9]+$ ]] || usage_error "not a whole number: '$v'"
done
((n_events > 0 && runs > 0)) || usage_error "--events and --runs must be positive"

target_eps=1500000  # SPEC §11: chorus-hash with near-duplicates, one core

bin=${CHORUS_BIN:-./build}
dir=${BENCH_DIR:-/tmp/chorus-bench}
gen=$bin/chorus-gen
hash=$bin/chorus-hash
ref=$bin/ndjson_count
for b in "$gen" "$hash" "$ref"; do
    [[ -x $b ]] || die "$b: not found or not executable (build first, or set CHORUS_BIN)"
done
mkdir -p "$dir" || die "cannot create $dir"

pin=(taskset -c 0)
command -v taskset >/dev/null || { pin=(); echo "note: taskset not found: runs are not pinned to one core"; }
gnu_time=/usr/bin/time
[[ -x $gnu_time ]] && "$gnu_time" -f %M true 2>/dev/null || gnu_time=

# --- data ---------------------------------------------------------------------------------------
data=$dir/events-n$n_events-seed$seed.jsonl
params="chorus-gen $("$gen" --version 2>/dev/null | head -n 1) events=$n_events seed=$seed"
file_size() { stat -c %s "$1"; }

if [[ -f $data && -f $data.params && $(cat "$data.params") == "$params" ]]; then
    echo "reusing $data"
else
    rm -f "$data" "$data.params"
    echo "generating $n_events events into $data ..."
    "$gen" --quiet --events "$n_events" --seed "$seed" -o "$data.tmp" || die "chorus-gen failed"
    mv "$data.tmp" "$data"
    echo "$params" >"$data.params"
fi
bytes=$(file_size "$data")

# --- timing -------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/hash_bench.XXXXXX")
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

# Check that chorus-hash reads every event and writes marks: a tool that drops records or writes
# nothing would look fast for the wrong reason. Every event has a key of some kind (a share its
# parent, a post its text, its tags or its links) except short posts with nothing else: most do.
"$hash" -q "$data" | awk -F'\t' -v total="$events" '
    /^#/ { next }
    { marks++; if ($1 ~ /^near:/) near++ }
    !($4 in seen) { seen[$4] = 1; keyed++ }
    END {
        printf "marks: %d (%.2f per event, %d near:), %d of %d events with a key\n",
            marks, marks / total, near, keyed, total
        if (keyed > total) print "WARNING: more events with a key than the reference counted"
        if (near == 0) print "WARNING: no near: marks: the near-duplicate signal did nothing"
    }' || die "chorus-hash failed on $data"

best_of "$runs" /dev/null "$ref" "$data"
ref_s=$best ref_cpu=$best_cpu
best_of "$runs" /dev/null "$hash" -q -o /dev/null "$data"
near_s=$best near_cpu=$best_cpu near_rss_kb=$peak_rss_kb
best_of "$runs" /dev/null "$hash" -q -x near -o /dev/null "$data"
exact_s=$best exact_cpu=$best_cpu exact_rss_kb=$peak_rss_kb

# --- report -------------------------------------------------------------------------------------
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
evps() { awk -v e="$1" -v s="$2" 'BEGIN { printf "%.0f", e / s }'; }
row() { printf '%-20s %12s %10s %10s %10s %10s %12s\n' "$@"; }

echo
echo "best of $runs runs each, on $events events"
row program bytes events seconds "cpu s" MB/s events/s
row ndjson_count "$bytes" "$events" "$ref_s" "${ref_cpu:--}" "$(mbps "$bytes" "$ref_s")" "$(evps "$events" "$ref_s")"
row chorus-hash "$bytes" "$events" "$near_s" "${near_cpu:--}" "$(mbps "$bytes" "$near_s")" "$(evps "$events" "$near_s")"
row "chorus-hash -x near" "$bytes" "$events" "$exact_s" "${exact_cpu:--}" "$(mbps "$bytes" "$exact_s")" \
    "$(evps "$events" "$exact_s")"
# On one core, wall time well above CPU time means something else ran there: every figure is low,
# and the ratios are only as good as the share each program got.
for triple in "ndjson_count|$ref_s|${ref_cpu:-}" "chorus-hash|$near_s|${near_cpu:-}" \
    "chorus-hash -x near|$exact_s|${exact_cpu:-}"; do
    IFS='|' read -r name wall cpu <<<"$triple"
    if [[ -n ${cpu:-} ]] && awk -v w="$wall" -v c="$cpu" 'BEGIN { exit !(w > 1.15 * c + 0.02) }'; then
        echo "note: $name waited for core 0 (wall $wall s, CPU $cpu s): the machine is busy, figures are low"
    fi
done
echo

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t ? "PASS" : "MISS") }'; }
# ratio PROGRAM_SECONDS PROGRAM_CPU: "x % of the reference", and the same by CPU time.
ratio() {
    local by_cpu=''
    if [[ -n ${2:-} && -n ${ref_cpu:-} ]]; then
        by_cpu=$(awk -v p="$2" -v r="$ref_cpu" 'BEGIN { if (p > 0) printf "   (by CPU time: %.1f %%)", 100 * r / p }')
    fi
    awk -v p="$1" -v r="$ref_s" -v c="$by_cpu" 'BEGIN { printf "%.1f %% of the reference%s", 100 * r / p, c }'
}
near_eps=$(evps "$events" "$near_s")
exact_eps=$(evps "$events" "$exact_s")
near_by_cpu=''
if [[ -n ${near_cpu:-} ]]; then
    near_by_cpu=$(awk -v e="$events" -v c="$near_cpu" 'BEGIN { if (c > 0) printf "   (by CPU time: %.2f M events/s)", e / c / 1e6 }')
fi
echo "chorus-hash:         $(awk -v e="$near_eps" 'BEGIN { printf "%.2f", e / 1e6 }') M events/s   target >= 1.5 M events/s: $(verdict "$near_eps" "$target_eps")$near_by_cpu"
echo "chorus-hash:         $(ratio "$near_s" "${near_cpu:-}")"
echo "chorus-hash -x near: $(awk -v e="$exact_eps" 'BEGIN { printf "%.2f", e / 1e6 }') M events/s   $(ratio "$exact_s" "${exact_cpu:-}")"
mib() { awk -v k="$1" -v e="$events" 'BEGIN { printf "%.1f MiB (%.1f MiB per million events)", k / 1024, k / 1024 / (e / 1e6) }'; }
if [[ -n $near_rss_kb ]]; then
    echo "chorus-hash peak RSS:         $(mib "$near_rss_kb")"
    echo "chorus-hash -x near peak RSS: $(mib "$exact_rss_kb")"
else
    echo "chorus-hash peak RSS:         not measured (/usr/bin/time not installed: apt-get install time)"
fi
