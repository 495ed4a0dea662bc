#!/usr/bin/env bash
# join_bench.sh — chorus-join: throughput, a hot key under the cap, and memory against --memory
# (SPEC §5, §8, §11).
#
# Three parts, each on one core (taskset -c 0; a generator feeding a pipe runs on core 1):
#   1 real marks   chorus-gen -n EVENTS | chorus-hash (once: the marks file is reused while its
#                  parameters are the same); chorus-join with the default --memory, with a budget
#                  big enough that nothing spills (--in-memory), and with --memory 64M (spilling).
#                  Best of --runs each: marks/s, co-actions/s, peak RSS, bytes spilled; the edges
#                  of every run must be byte-identical.
#   2 hot key      --hot-marks marks (100,000) on one key within 60 s by as many accounts;
#                  chorus-join -w 60 with the default --max-accounts (1000), once with the default
#                  --hot cap and once with --hot skip: seconds, co-actions and the hot counts of the
#                  edges header.
#   3 memory       bench/gen_marks (synthetic marks: heavy-tailed sharers per key, accounts from a
#                  pool of 1 M, a week of time) piped into chorus-join --memory M, for each M of
#                  --big-memory, on --big-marks (50 M) and --small-marks (5 M) marks, once each:
#                  peak RSS against M, wall time, marks/s, bytes spilled; the edges must be the same
#                  whatever M.
#   4 beyond       what grows beyond --memory 64M: N distinct accounts with one mark each (the
#                  account table), and one account pair with N co-actions (the pair's group while
#                  its edge is made), for N of 1 M and 2 M, piped from awk: peak RSS, and the
#                  bytes per account and per co-action of the pair from the difference.
# Edges go to a pipe that keeps their header and a SHA-256 of the rest, so nothing but the spilled
# runs touches the disk. Bytes spilled are the file-system output of chorus-join (GNU time %O,
# 512-byte blocks): its only file writes are its spilled runs ($TMPDIR; not counted on a tmpfs).
#
# A benchmark, not a test: nothing is judged against a target. Exit status: 0 the benchmark ran,
# 1 something failed to run (a missing binary, a program that failed, outputs that differ),
# 2 usage error.
#
# Environment: CHORUS_BIN (default ./build) holds chorus-gen, chorus-hash, chorus-join and
# gen_marks; BENCH_DIR (default /tmp/chorus-bench) holds the marks of part 1; TMPDIR (default /tmp)
# receives chorus-join's spilled runs: part 2 spills about 12 GB there, part 3 about 11 GB.

set -euo pipefail

prog=join_bench.sh
usage() {
    cat <<EOF
usage: $prog [--parts LIST] [--events N] [--runs N] [--seed S] [--in-memory BYTES]
             [--hot-marks N] [--big-marks N] [--small-marks N] [--big-memory LIST]
  --parts LIST        parts to run, comma-separated: 1 (real marks), 2 (hot key), 3 (memory),
                      4 (what grows beyond --memory) (default 1,2,3,4)
  --events N          chorus-gen events for part 1's marks (default 2000000)
  --runs N            part 1: best of N runs of each setting (default 3)
  --seed S            chorus-gen and gen_marks seed (default 1)
  --in-memory BYTES   part 1: a --memory under which nothing spills (default 8G)
  --hot-marks N       part 2: marks (and accounts) on the hot key (default 100000)
  --big-marks N       part 3: marks of the large run (default 50000000)
  --small-marks N     part 3: marks of the small run (default 5000000)
  --big-memory LIST   part 3: --memory values, comma-separated (default 256M,1G)
environment: CHORUS_BIN (default ./build), BENCH_DIR (default /tmp/chorus-bench), TMPDIR (spills)
EOF
}
die() { echo "$prog: $*" >&2; exit 1; }
usage_error() { echo "$prog: $*" >&2; echo "Try '$prog --help'" >&2; exit 2; }

parts=1,2,3,4
n_events=2000000
runs=3
seed=1
in_memory=8G
hot_marks=100000
big_marks=50000000
small_marks=5000000
big_memory=256M,1G
while (($#)); do
    case $1 in
        --parts) parts=${2-}; shift ;;
        --events) n_events=${2-}; shift ;;
        --runs) runs=${2-}; shift ;;
        --seed) seed=${2-}; shift ;;
        --in-memory) in_memory=${2-}; shift ;;
        --hot-marks) hot_marks=${2-}; shift ;;
        --big-marks) big_marks=${2-}; shift ;;
        --small-marks) small_marks=${2-}; shift ;;
        --big-memory) big_memory=${2-}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
    shift || usage_error "missing value"
done
for v in "$n_events" "$runs" "$seed" "$hot_marks" "$big_marks" "$small_marks"; do
    [[ $v =~ ^[0-9]+$ ]] || usage_error "not a whole number: '$v'"
done
((n_events > 0 && runs > 0 && hot_marks > 1 && big_marks > 0 && small_marks > 0)) ||
    usage_error "--events, --runs, --big-marks and --small-marks must be positive, --hot-marks above 1"
[[ $parts =~ ^[1-4](,[1-4])*$ ]] || usage_error "--parts: a comma-separated list of 1, 2, 3 and 4"
# BYTES as chorus-join reads them: a number and an optional k, M or G (powers of 1024).
to_bytes() {
    [[ $1 =~ ^([0-9]+)([kKMG]?)$ ]] || return 1
    local n=${BASH_REMATCH[1]} s=${BASH_REMATCH[2]}
    case $s in k|K) n=$((n << 10)) ;; M) n=$((n << 20)) ;; G) n=$((n << 30)) ;; esac
    echo "$n"
}
to_bytes "$in_memory" >/dev/null || usage_error "--in-memory: not a byte count: '$in_memory'"
IFS=, read -r -a memories <<<"$big_memory"
((${#memories[@]} > 0)) || usage_error "--big-memory: empty list"
for m in "${memories[@]}"; do to_bytes "$m" >/dev/null || usage_error "--big-memory: not a byte count: '$m'"; done
want() { [[ ,$parts, == *,$1,* ]]; }

bin=${CHORUS_BIN:-./build}
dir=${BENCH_DIR:-/tmp/chorus-bench}
gen=$bin/chorus-gen
hash=$bin/chorus-hash
join=$bin/chorus-join
gen_marks=$bin/gen_marks
need=("$join")
want 1 && need+=("$gen" "$hash")
want 3 && need+=("$gen_marks")
for b in "${need[@]}"; do
    [[ -x $b ]] || die "$b: not found or not executable (build first, or set CHORUS_BIN)"
done

pin=(taskset -c 0)
feed_pin=(taskset -c 1)
if ! command -v taskset >/dev/null; then
    pin=() feed_pin=()
    echo "note: taskset not found: runs are not pinned to one core"
elif (($(nproc) < 2)); then
    feed_pin=()
fi
gnu_time=/usr/bin/time
[[ -x $gnu_time ]] && "$gnu_time" -f %M true 2>/dev/null || gnu_time=
spill_dir=${TMPDIR:-/tmp}
spill_fs=$(stat -f -c %T "$spill_dir" 2>/dev/null || echo unknown)
spill_note=''
[[ $spill_fs == tmpfs ]] && spill_note=" (a tmpfs: spilled bytes are not counted, and they take RAM)"

work=$(mktemp -d "${TMPDIR:-/tmp}/join_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- running chorus-join ------------------------------------------------------------------------
# Edges go to this reader: it keeps the header line and a SHA-256 of the rest.
consume() {
    local h=''
    IFS= read -r h || true
    printf '%s\n' "$h" >"$work/header"
    sha256sum | cut -c1-64 >"$work/sum"
}

# run_once ARGS... : chorus-join ARGS on core 0; its input is the file among ARGS or, when the array
# `feed` is set, the standard output of that command (on core 1). Sets seconds (wall), cpu_seconds
# (user + system), rss_kb (peak RSS), spilled (bytes written to files), header and sum; without GNU
# time the last three but header and sum are empty and seconds comes from date.
feed=()
run_once() {
    local t0 t1 timer=() status=0
    [[ -n $gnu_time ]] && timer=("$gnu_time" -f '%e %M %U %S %O' -o "$work/rusage")
    t0=$(date +%s%N)
    if ((${#feed[@]})); then
        "${feed[@]}" 2>"$work/feed-stderr" | "${timer[@]}" "${pin[@]}" "$join" "$@" 2>"$work/stderr" | consume ||
            status=$?
    else
        "${timer[@]}" "${pin[@]}" "$join" "$@" 2>"$work/stderr" | consume || status=$?
    fi
    t1=$(date +%s%N)
    if ((status != 0)); then
        cat "$work/stderr" >&2
        [[ -s $work/feed-stderr ]] && cat "$work/feed-stderr" >&2
        die "failed (status $status): ${feed[*]:+${feed[*]} | }chorus-join $*"
    fi
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    rss_kb='' cpu_seconds='' spilled=''
    if [[ -n $gnu_time ]]; then
        local e
        read -r e rss_kb cpu_seconds spilled < <(tail -n 1 "$work/rusage" |
            awk '{ printf "%s %s %.2f %.0f\n", $1, $2, $3 + $4, $5 * 512 }')
        seconds=$e
    fi
    header=$(cat "$work/header")
    sum=$(cat "$work/sum")
    [[ $header == '#chorus-edges v1 '* ]] || die "chorus-join $*: no edges header in its output"
}

# field NAME: a whole-number field of the last edges header.
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$header"; }
mib() { [[ -n $1 ]] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || echo -; }
mb() { [[ -n $1 ]] && awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }' || echo -; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
# On one core, wall time well above CPU time means the core was shared.
busy_note() {
    if [[ -n $3 ]] && awk -v w="$2" -v c="$3" 'BEGIN { exit !(w > 1.15 * c + 0.05) }'; then
        echo "note: $1 waited for core 0 (wall $2 s, CPU $3 s): the machine is busy, wall figures are low"
    fi
}
free_gb() { df -P -k "$spill_dir" | awk 'NR == 2 { printf "%.0f", $4 / 1048576 }'; }
check_space() {
    local have
    have=$(free_gb)
    ((have >= $1)) || echo "WARNING: $spill_dir has $have GB free; this part spills about $1 GB there"
}

echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores," \
    "$(free -g | awk '/^Mem:/ { print $2 }') GB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "chorus-join pinned with: ${pin[*]:-(nothing)}; spills to $spill_dir ($spill_fs)$spill_note"
[[ -n $gnu_time ]] || echo "note: GNU time (/usr/bin/time, package time) not found: no CPU time, RSS or spilled bytes"

# --- part 1: real marks -------------------------------------------------------------------------
if want 1; then
    mkdir -p "$dir" || die "cannot create $dir"
    data=$dir/marks-n$n_events-seed$seed.tsv
    params="$("$gen" --version 2>/dev/null | head -n 1) / $("$hash" --version 2>/dev/null | head -n 1) events=$n_events seed=$seed"
    if [[ -f $data && -f $data.params && $(head -n 1 "$data.params") == "$params" ]]; then
        echo "reusing $data"
    else
        rm -f "$data" "$data.params"
        echo "generating $n_events events | chorus-hash into $data ..."
        "$gen" --quiet --events "$n_events" --seed "$seed" | "$hash" --quiet -o "$data.tmp" ||
            die "chorus-gen | chorus-hash failed"
        mv "$data.tmp" "$data"
        # The number of marks and of distinct accounts, counted once.
        { echo "$params"; grep -vc '^#' "$data"; grep -v '^#' "$data" | cut -f3 | LC_ALL=C sort -u | wc -l; } >"$data.params"
    fi
    marks=$(sed -n 2p "$data.params")
    accounts=$(sed -n 3p "$data.params")
    bytes=$(stat -c %s "$data")

    settings=("default|" "in memory|--memory $in_memory" "spilling|--memory 64M")
    declare -A r_best r_cpu r_rss r_spill r_coactions
    first_sum=''
    for s in "${settings[@]}"; do
        name=${s%%|*} opts=${s#*|}
        best='' best_cpu='' peak='' spill=''
        for ((i = 0; i < runs; i++)); do
            # shellcheck disable=SC2086 # opts is a flag and its value
            run_once $opts -o - "$data"
            if [[ -z $best ]] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
                best=$seconds best_cpu=$cpu_seconds
            fi
            if [[ -n $rss_kb ]] && { [[ -z $peak ]] || ((rss_kb > peak)); }; then peak=$rss_kb; fi
            spill=$spilled
            [[ -z $first_sum ]] && first_sum=$sum
            [[ $sum == "$first_sum" ]] || die "part 1: the edges of chorus-join $opts differ from the first run's"
        done
        r_best[$name]=$best r_cpu[$name]=$best_cpu r_rss[$name]=$peak r_spill[$name]=$spill
        r_coactions[$name]=$(field coactions)
    done
    coactions=${r_coactions[default]}

    echo
    echo "== 1. real marks: chorus-gen -n $n_events --seed $seed | chorus-hash; best of $runs runs, one core"
    echo "   $marks marks ($((bytes / 1000000)) MB), $accounts accounts, $coactions co-actions (-w 60)"
    printf '%-10s %-14s %9s %8s %11s %13s %11s %9s %11s\n' setting --memory seconds "cpu s" marks/s co-actions/s "marks/cpu s" "RSS MiB" "spilled MB"
    for s in "${settings[@]}"; do
        name=${s%%|*} opts=${s#*|}
        m=${opts#--memory }
        [[ -z $m ]] && m="1G (default)"
        cpu=${r_cpu[$name]}
        printf '%-10s %-14s %9s %8s %11s %13s %11s %9s %11s\n' "$name" "$m" "${r_best[$name]}" "${cpu:--}" \
            "$(rate "$marks" "${r_best[$name]}")" "$(rate "$coactions" "${r_best[$name]}")" \
            "$([[ -n $cpu ]] && rate "$marks" "$cpu" || echo -)" "$(mib "${r_rss[$name]}")" "$(mb "${r_spill[$name]}")"
    done
    echo "edges byte-identical in all $((3 * runs)) runs: yes (sha256 ${first_sum:0:16}...)"
    if [[ -n ${r_rss[in memory]} ]]; then
        awk -v k="${r_rss[in memory]}" -v e="$n_events" -v m="$marks" 'BEGIN {
            printf "in memory: %.0f MB per million events (%.0f bytes per mark)\n", k * 1024 / 1e6 / (e / 1e6), k * 1024 / m }'
    fi
    for s in "${settings[@]}"; do busy_note "${s%%|*}" "${r_best[${s%%|*}]}" "${r_cpu[${s%%|*}]}"; done
fi

# --- part 2: one hot key ------------------------------------------------------------------------
if want 2; then
    check_space $((hot_marks * 120 / 1000000 + 1))
    hot=$work/hot.tsv
    # One key; mark i at second floor(60 i / N) of one minute, by account i: every mark is in one
    # 60-second window with every other.
    awk -v n="$hot_marks" 'BEGIN {
        for (i = 0; i < n; i++)
            printf "share:5bd1e9955bd1e9955bd1e9955bd1e995\t%010d\ttwitter:u%07d\te%010d\n", 1704067200 + int(60 * i / n), i, i
    }' >"$hot" || die "cannot write $hot"

    echo
    echo "== 2. one key, $hot_marks sharers within 60 s: chorus-join -w 60 (--max-accounts 1000), one run each"
    printf '%-30s %9s %8s %9s %11s %12s %9s %10s %14s\n' command seconds "cpu s" "RSS MiB" "spilled MB" co-actions hot_keys hot_marks capped
    for opts in "" "--hot skip"; do
        # shellcheck disable=SC2086
        run_once -w 60 $opts -o - "$hot"
        printf '%-30s %9s %8s %9s %11s %12s %9s %10s %14s\n' "chorus-join -w 60${opts:+ $opts}" "$seconds" "${cpu_seconds:--}" \
            "$(mib "$rss_kb")" "$(mb "$spilled")" "$(field coactions)" "$(field hot_keys)" "$(field hot_marks)" "$(field capped_coactions)"
        busy_note "chorus-join -w 60${opts:+ $opts}" "$seconds" "$cpu_seconds"
    done
    rm -f "$hot"
fi

# --- part 3: memory against --memory ------------------------------------------------------------
if want 3; then
    check_space $((big_marks * 220 / 1000000000 + 1))
    echo
    echo "== 3. gen_marks --seed $seed | chorus-join --memory M, one run each (gen_marks on core 1)"
    printf '%-10s %9s %10s %9s %8s %11s %12s %9s %10s %11s\n' marks accounts --memory seconds "cpu s" marks/s co-actions "RSS MiB" "RSS - M" "spilled MB"
    for n in "$small_marks" "$big_marks"; do
        first_sum=''
        for m in "${memories[@]}"; do
            feed=("${feed_pin[@]}" "$gen_marks" --marks "$n" --seed "$seed" --stats)
            run_once --memory "$m" -o - -
            feed=()
            [[ -z $first_sum ]] && first_sum=$sum
            [[ $sum == "$first_sum" ]] || die "part 3: the edges of $n marks differ between --memory ${memories[0]} and $m"
            acc=$(sed -n 's/.* \([0-9]*\) accounts,.*/\1/p' "$work/feed-stderr")
            over=-
            [[ -n $rss_kb ]] && over=$(awk -v k="$rss_kb" -v b="$(to_bytes "$m")" 'BEGIN { printf "%+.0f", (k * 1024 - b) / 1048576 }')
            printf '%-10s %9s %10s %9s %8s %11s %12s %9s %10s %11s\n' "$n" "${acc:--}" "$m" "$seconds" "${cpu_seconds:--}" \
                "$(rate "$n" "$seconds")" "$(field coactions)" "$(mib "$rss_kb")" "$over" "$(mb "$spilled")"
            busy_note "$n marks, --memory $m" "$seconds" "$cpu_seconds"
        done
    done
    echo "edges byte-identical whatever --memory: yes"
fi

# --- part 4: what grows beyond --memory ---------------------------------------------------------
if want 4; then
    echo
    echo "== 4. what grows beyond --memory 64M (marks piped from awk, one run each)"
    printf '%-44s %9s %9s %9s %9s\n' case N seconds "RSS MiB" "RSS - M"
    declare -A r4
    for c in accounts pair; do
        # The account table is charged against --memory: 2 M accounts (~160 MiB with their growth) do not fit in 64M
        # (chorus-join says to raise --memory), so the accounts case stops at 500 k.
        sizes="1000000 2000000"
        [[ $c == accounts ]] && sizes="250000 500000"
        for n in $sizes; do
            if [[ $c == accounts ]]; then
                # N accounts, one mark each, each on its own key: no co-action at all.
                feed=("${feed_pin[@]}" awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
                    printf "share:%032d\t1704067200\ttwitter:u%07d\te%010d\n", i, i, i }')
                label="N accounts, one mark each"
            else
                # Two accounts on N keys, a second apart: N co-actions, all of one pair.
                feed=("${feed_pin[@]}" awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) {
                    printf "share:%032d\t%010d\ttwitter:u0000001\ta%010d\n", i, 1704067200 + i, i
                    printf "share:%032d\t%010d\ttwitter:u0000002\tb%010d\n", i, 1704067200 + i, i } }')
                label="one pair with N co-actions (2 N marks)"
            fi
            run_once --memory 64M -o - -
            feed=()
            r4[$c$n]=$rss_kb
            over=-
            [[ -n $rss_kb ]] && over=$(awk -v k="$rss_kb" 'BEGIN { printf "%+.0f", k / 1024 - 64 }')
            printf '%-44s %9s %9s %9s %9s\n' "$label" "$n" "$seconds" "$(mib "$rss_kb")" "$over"
        done
    done
    if [[ -n ${r4[accounts250000]} && -n ${r4[pair1000000]} ]]; then
        awk -v a1="${r4[accounts250000]}" -v a2="${r4[accounts500000]}" -v p1="${r4[pair1000000]}" -v p2="${r4[pair2000000]}" 'BEGIN {
            printf "RSS growth: %.0f bytes per distinct account (charged against --memory), %.0f bytes per co-action of one pair\n",
                (a2 - a1) * 1024 / 2.5e5, (p2 - p1) * 1024 / 1e6 }'
    fi
fi
