#!/usr/bin/env bash
# run_bench.sh -- the whole pipeline (`chorus run`) on chorus-gen data with
# every tactic and the default confounders: the time of each step, the peak
# memory of the largest step, and chorus-eval's figures against the ground
# truth (issue 5: account-level F1 >= 0.9 on >= 1 million events, no organic
# account and not the benign publisher flagged coordinated).
#
#   bash bench/run_bench.sh [--events 1M] [--seed 1] [--build DIR] [--dir DIR]
#
# Not a test: it takes minutes at 1M events (one `chorus run`, every stage one
# process after another). The files stay in --dir (default a temporary
# directory, removed at the end).
set -euo pipefail
events=1M seed=1 build=build dir=
while (($#)); do
  case $1 in
  --events) events=$2; shift 2 ;;
  --seed) seed=$2; shift 2 ;;
  --build) build=$2; shift 2 ;;
  --dir) dir=$2; shift 2 ;;
  -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "run_bench: unknown option $1" >&2; exit 2 ;;
  esac
done
bin=$(cd "$build" && pwd)
[ -x /usr/bin/time ] || { echo "run_bench: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/chorus-run-bench.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"
cd "$dir"

echo "chorus-gen -n $events --seed $seed"
"$bin/chorus-gen" -q -n "$events" --seed "$seed" --truth-out truth.csv --accounts-out accounts.jsonl -o gen.jsonl
echo "chorus run gen.jsonl --accounts accounts.jsonl -o out (defaults: window 1h, min-repeat 2, alpha 0.02, leiden)"
/usr/bin/time -f '%e %M' -o time.txt "$bin/chorus" run -q gen.jsonl --accounts accounts.jsonl -o out > run.txt
read -r wall rss < time.txt
grep '^stages:' run.txt
n=$(wc -l < gen.jsonl)
awk -v w="$wall" -v r="$rss" -v n="$n" 'BEGIN {
  printf "whole run: %.1f s wall for %d events (%.0f events/s); peak RSS of the largest step %.0f MiB\n", w, n, n / w, r / 1024 }'
echo
"$bin/chorus-eval" --truth truth.csv out/networks.jsonl
