#!/usr/bin/env bash
# cluster_coortweet.sh — chorus reproduces CooRTweet's coordinated network on CooRTweet's own example
# data ($CHORUS_DATA/coortweet-russian-coord: 35,125 retweets), with CooRTweet's settings:
#
#   CooRTweet: detect_groups(time_window = 60, min_participation = 2) |>
#              generate_coordinated_network(edge_weight = 0.5, subgraph = 1), then its connected
#              components (igraph::components)
#   chorus:    chorus-parse --preset coortweet | chorus-hash -s share |
#              chorus-join -w 60 --min-participation 2 |
#              chorus-cluster --quantile 0.5 --quantile-rule gt --method components
#
# The input is CooRTweet's own table, written here from the events with python3 (the data set's
# README: object_id = parent, account_id = account, content_id = source_content_id, timestamp_share
# = ts); chorus-parse reads that CSV with its coortweet preset, so chorus's event ids are CooRTweet's
# content_ids (the 40 tweets that retweet two objects are two rows with one content_id, as in R).
#
# The reference is coortweet_ref.py (next to this script; python3 standard library only), a brute
# force of detect_groups (as join_russian.sh checks it) and of generate_coordinated_network, read in
# nicolarighetti/CooRTweet R/generate_coordinated_network.R (commit 39b70f01) and R/detect_groups.R:
#   - weight of a pair = .N, its number of detect_groups rows (co-actions), grouped by
#     (pmin(account_id, account_id_y), pmax(...)) — not distinct content_ids (n_content_id is only
#     for edge_symmetry_score): chorus-join's default --weight coactions;
#   - threshold = quantile(E(g)$weight, edge_weight) — R's type 7, over every pair's weight;
#   - weight_threshold = weight > threshold (strict: --quantile-rule gt);
#   - subgraph = 1: subgraph.edges(g, edges with weight_threshold == 1, delete.vertices = TRUE).
#
# Checked, at quantile 0.5 with gt (CooRTweet's setting), and also at 0.99 gt and 0.5 ge (>=, not
# CooRTweet's rule: here it keeps every pair, so the components of the whole graph are checked):
# chorus-join's edges are every pair with its weight; chorus-cluster's clustered edges are exactly
# the kept pairs with their weights, and its clusters exactly the connected components. And on 26
# of the edges, that the quantile is R's to the last bit (R's double arithmetic, see below).
#
# Needs python3. Exit status: 0 pass, 1 fail, 77 skipped (no data, no python3, no binaries).
set -u
set -o pipefail

bin=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
data=${CHORUS_DATA:-}
events=$data/coortweet-russian-coord/events.jsonl
ref=$(dirname "${BASH_SOURCE[0]}")/coortweet_ref.py
if [[ ! -f $events ]]; then
  echo "cluster_coortweet.sh: skipped: no $events"
  exit 77
fi
command -v python3 >/dev/null || { echo "cluster_coortweet.sh: skipped: python3 is not installed"; exit 77; }
for exe in chorus-parse chorus-hash chorus-join chorus-cluster; do
  [[ -x $bin/$exe ]] || { echo "cluster_coortweet.sh: skipped: no $bin/$exe"; exit 77; }
done
[[ -f $ref ]] || { echo "FAIL: no $ref"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chorus-cluster-coortweet.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# differ WHAT GOT WANT: a failure with a summary of the difference of two sorted files.
differ() {
  local what=$1 got=$2 want=$3
  fail "$what: $(comm -23 "$got" "$want" | wc -l) only in chorus, $(comm -13 "$got" "$want" | wc -l) only in the reference" \
    "(of $(wc -l <"$got") and $(wc -l <"$want")); first differences (< chorus, > reference):"
  diff "$got" "$want" | grep '^[<>]' | head -6 | cut -c1-200 | sed 's/^/    /'
}

# CooRTweet's input table.
python3 - "$events" "$tmp/coortweet.csv" <<'EOF' || { echo "FAIL: could not write CooRTweet's table from $events"; exit 1; }
import csv, json, sys
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["object_id", "account_id", "content_id", "timestamp_share"])
    for line in open(sys.argv[1], encoding="utf-8"):
        e = json.loads(line)
        w.writerow([e["parent"], e["account"], e["source_content_id"], e["ts"]])
EOF
rows=$(($(wc -l <"$tmp/coortweet.csv") - 1))
[[ $rows == 35125 ]] || fail "$rows rows in CooRTweet's table, the README says 35125 events"

# chorus up to the edges.
"$bin/chorus-parse" --preset coortweet "$tmp/coortweet.csv" 2>"$tmp/parse.err" |
  "$bin/chorus-hash" -s share 2>"$tmp/hash.err" |
  "$bin/chorus-join" -w 60 --min-participation 2 >"$tmp/edges" 2>"$tmp/join.err" ||
  fail "chorus-parse --preset coortweet | chorus-hash -s share | chorus-join -w 60 --min-participation 2 failed:" \
    "$(cat "$tmp/parse.err" "$tmp/hash.err" "$tmp/join.err" | head -3)"
head -1 "$tmp/edges" | grep -q '^#chorus-edges v1 {' || fail "no edges header"

# cluster_check NAME QUANTILE RULE: chorus-cluster on the edges against the reference.
cluster_check() {
  local name=$1 q=$2 rule=$3
  python3 "$ref" network 60 "$tmp/coortweet.csv" 2 "$q" "$tmp/$name" "$rule" >"$tmp/$name.counts" ||
    { fail "$name: the reference failed"; return; }
  local threshold
  threshold=$(awk '$1 == "threshold" { print $2 }' "$tmp/$name.counts")
  if [[ ! -f $tmp/all.checked ]]; then  # chorus-join's edges: every pair, weight = co-actions
    grep -v '^#' "$tmp/edges" | cut -f1-3 | sort >"$tmp/edges.pairs"
    cmp -s "$tmp/edges.pairs" "$tmp/$name.all" || differ "chorus-join's edges (a b weight) vs every pair of detect_groups" "$tmp/edges.pairs" "$tmp/$name.all"
    grep -v '^#' "$tmp/edges" | awk -F'\t' '$3 != $4' | grep -q . && fail "chorus-join: edges whose weight is not their co-actions"
    touch "$tmp/all.checked"
  fi
  "$bin/chorus-cluster" --quantile "$q" --quantile-rule "$rule" --method components "$tmp/edges" \
    >"$tmp/$name.clusters" 2>"$tmp/$name.err" ||
    { fail "$name: chorus-cluster --quantile $q --quantile-rule $rule --method components exited $?: $(head -3 "$tmp/$name.err")"; return; }
  head -1 "$tmp/$name.clusters" | grep -q '^#chorus-clusters v1 {' || fail "$name: no clusters header"
  grep -v '^#' "$tmp/$name.clusters" >"$tmp/$name.body"
  local bad
  bad=$(awk -F'\t' 'NF != 16 || $1 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9]$/ || !($2 < $3)' "$tmp/$name.body" | wc -l)
  [[ $bad == 0 ]] || fail "$name: $bad clustered edges are not 16 fields 'cluster a b ...' with a 6-digit cluster and a < b"
  # The kept pairs with their weights.
  cut -f2-4 "$tmp/$name.body" | sort >"$tmp/$name.got.pairs"
  cmp -s "$tmp/$name.got.pairs" "$tmp/$name.pairs" ||
    differ "$name: kept pairs (a b weight), quantile $q ($threshold), $rule" "$tmp/$name.got.pairs" "$tmp/$name.pairs"
  # The clusters: each one's accounts, sorted, as one line; the same set of lines as the components.
  awk -F'\t' '{ print $1 "\t" $2; print $1 "\t" $3 }' "$tmp/$name.body" | sort -u |
    awk -F'\t' '$1 != c { if (NR > 1) print s; c = $1; s = $2; next } { s = s " " $2 } END { if (NR) print s }' |
    sort >"$tmp/$name.got.components"
  sort "$tmp/$name.components" >"$tmp/$name.want.components"
  cmp -s "$tmp/$name.got.components" "$tmp/$name.want.components" ||
    differ "$name: clusters (accounts) vs connected components" "$tmp/$name.got.components" "$tmp/$name.want.components"
  # Clusters numbered 1.. by size descending, each a connected component (so ids in order of size).
  awk -F'\t' '{ print $1 "\t" $2; print $1 "\t" $3 }' "$tmp/$name.body" | sort -u | cut -f1 | uniq -c |
    awk -v want=1 '$2 + 0 != want++ || (NR > 1 && $1 > last) { bad = 1 } { last = $1 } END { exit bad }' ||
    fail "$name: clusters are not numbered 1.. by size descending"
  local pairs comps accounts largest
  pairs=$(wc -l <"$tmp/$name.got.pairs")
  comps=$(wc -l <"$tmp/$name.got.components")
  accounts=$(awk '{ n += NF } END { print n + 0 }' "$tmp/$name.got.components")
  largest=$(awk '{ if (NF > m) m = NF } END { print m + 0 }' "$tmp/$name.got.components")
  echo "quantile $q ($threshold), $rule: $pairs pairs of $(wc -l <"$tmp/$name.all"), $comps components," \
    "$accounts accounts, largest $largest (reference: $(awk '$1 == "kept_pairs" { p = $2 } $1 == "components" { c = $2 }
      $1 == "accounts" { a = $2 } $1 == "largest" { l = $2 } END { print p " pairs, " c " components, " a " accounts, largest " l }' "$tmp/$name.counts"))"
}
cluster_check coortweet 0.5 gt
cluster_check q99 0.99 gt
cluster_check ge 0.5 ge

# R's arithmetic, not only its formula: 26 of the edges (8 of weight 1, then 18 of weight 2) at
# quantile 0.28. R: index = 1 + 25 * 0.28 is 8 exactly in doubles, so the threshold is x[8] = 1 and
# >= keeps all 26 (> keeps 18). Interpolating from h = 25 * 0.28 = 7.000000000000001 instead gives
# 1.0000000000000009, which >= would cut to 18.
{
  head -1 "$tmp/edges"
  grep -v '^#' "$tmp/edges" | awk -F'\t' '$3 == 1' | head -8
  grep -v '^#' "$tmp/edges" | awk -F'\t' '$3 == 2' | head -18
} >"$tmp/r26.edges"
for rule in ge gt; do
  python3 "$ref" quantile 0.28 "$rule" "$tmp/r26.edges" | sort >"$tmp/r26.$rule.want"
  if "$bin/chorus-cluster" --quantile 0.28 --quantile-rule "$rule" --method components "$tmp/r26.edges" >"$tmp/r26.$rule.clusters" 2>"$tmp/r26.err"; then
    grep -v '^#' "$tmp/r26.$rule.clusters" | cut -f2-4 | sort >"$tmp/r26.$rule.got"
    cmp -s "$tmp/r26.$rule.got" "$tmp/r26.$rule.want" ||
      fail "26 edges (8 of weight 1, 18 of weight 2), quantile 0.28, $rule: chorus-cluster keeps $(wc -l <"$tmp/r26.$rule.got")," \
        "R's quantile (threshold 1 exactly) keeps $(wc -l <"$tmp/r26.$rule.want")"
  else
    fail "chorus-cluster --quantile 0.28 --quantile-rule $rule on 26 edges failed: $(head -3 "$tmp/r26.err")"
  fi
done
echo "26 edges (8 of weight 1, 18 of weight 2), quantile 0.28 (R: 1): ge keeps $(wc -l <"$tmp/r26.ge.want"), gt $(wc -l <"$tmp/r26.gt.want") as in R"

if ((failures)); then
  echo "cluster_coortweet.sh: $failures failure(s)"
  exit 1
fi
echo "cluster_coortweet.sh: ok"
