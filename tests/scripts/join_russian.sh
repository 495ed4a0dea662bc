#!/usr/bin/env bash
# join_russian.sh — chorus-join against the tools users migrate from (SPEC §5), on CooRTweet's own
# example data ($CHORUS_DATA/coortweet-russian-coord/events.jsonl: 35,125 retweets). The marks are
# made here with jq, independently of chorus: key "share:" + parent, ts, account, and as event id
# source_content_id (CooRTweet's content_id; see the data set's README). The references are brute
# forces in Python (standard library only; coortweet_ref.py, next to this script), every pair of
# rows of an object, O(n²):
#
#   (a) -w 10 --min-participation 2: the evidence is exactly CooRTweet's detect_groups result —
#       447 co-actions, the number CooRTweet itself gives (README) — row for row.
#       detect_groups: drop accounts with < 2 rows; per object every pair of rows i < j with
#       |Δt| <= window; drop pairs with the same content_id or the same account; count per account
#       its rows whose content_id is in the result, keep the accounts with >= 2 of them; keep the
#       result rows where either side's content is a kept account's.
#   (b) the same at -w 60 (the issue: --window 60 --min-participation 2 gives detect_groups pairs).
#   (c) --weight own-events -w 60: the coordination-network-toolkit's directed co_retweet weights —
#       weight(u1 -> u2) = distinct messages of u1 that retweet a tweet some message of u2 retweets
#       within ±60 s (inclusive), u1 != u2. Every edge's a_events is weight(a -> b), b_events is
#       weight(b -> a), weight their sum, and the pairs are exactly those with a weight.
#   (d) chorus-hash -s share on the events, then chorus-join: the same edges (accounts prefixed
#       "twitter:", keys hashed) at -w 10 and -w 60. chorus-parse's event ids are not CooRTweet's:
#       the 40 tweets that share two objects are two events there (id, id_2) but one content_id in
#       CooRTweet, whose participation rule counts rows by content_id — so with
#       --min-participation the hash marks' ids are mapped back (id_2 -> id) before comparing with
#       (a) and (b); the count without the mapping is printed.
#
# Needs jq and python3. Exit status: 0 pass, 1 fail, 77 skipped (no data, no jq/python3).
set -u
set -o pipefail

bin=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
data=${CHORUS_DATA:-}
events=$data/coortweet-russian-coord/events.jsonl
if [[ ! -f $events ]]; then
  echo "join_russian.sh: skipped: no $events"
  exit 77
fi
for tool in jq python3; do
  command -v "$tool" >/dev/null || { echo "join_russian.sh: skipped: $tool is not installed"; exit 77; }
done
for exe in chorus-join chorus-hash; do
  [[ -x $bin/$exe ]] || { echo "join_russian.sh: skipped: no $bin/$exe"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chorus-join-russian.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# The references (detect_groups, co_retweet) are in coortweet_ref.py, next to this script.
brute=$(dirname "${BASH_SOURCE[0]}")/coortweet_ref.py
[[ -f $brute ]] || { echo "FAIL: no $brute"; exit 1; }

# The marks, by jq. Times are whole seconds in this data set (checked, as marks need them).
jq -r '["share:" + .parent, (.ts | tostring), .account, .source_content_id] | @tsv' "$events" >"$tmp/marks.tsv" ||
  { echo "FAIL: jq could not read $events"; exit 1; }
n=$(wc -l <"$tmp/marks.tsv")
[[ $n == 35125 ]] || fail "$n marks from jq, the README says 35125 events"
bad=$(awk -F'\t' 'NF != 4 || $2 !~ /^[0-9]+$/ || length($2) != 10' "$tmp/marks.tsv" | wc -l)
[[ $bad == 0 ]] || fail "$bad jq marks are not 'key ts account content_id' with a 10-digit time"

# run_join NAME OPTION...: chorus-join on the jq marks, edges in NAME.edges, evidence in NAME.ev
# (sorted, without its header); nothing on stderr, exit 0.
run_join() {
  local name=$1
  shift
  "$bin/chorus-join" "$@" --evidence "$tmp/$name.evidence" "$tmp/marks.tsv" >"$tmp/$name.edges" 2>"$tmp/$name.err"
  local status=$?
  [[ $status == 0 ]] || fail "$name: chorus-join $* exited $status"
  [[ -s $tmp/$name.err ]] && fail "$name: chorus-join $* wrote to stderr: $(head -3 "$tmp/$name.err")"
  head -1 "$tmp/$name.edges" | grep -q '^#chorus-edges v1 {' || fail "$name: no edges header"
  grep -v '^#' "$tmp/$name.evidence" | sort >"$tmp/$name.ev"
}

# (a), (b): detect_groups.
check_detect() {  # check_detect WINDOW [EXPECTED_COUNT]
  local w=$1 want=${2:-} name=detect$1
  run_join "$name" -w "$w" --min-participation 2
  python3 "$brute" detect "$w" "$tmp/marks.tsv" 2 | sort >"$tmp/$name.want"
  local got ref edges pairs_ok
  got=$(wc -l <"$tmp/$name.ev")
  ref=$(wc -l <"$tmp/$name.want")
  edges=$(grep -vc '^#' "$tmp/$name.edges")
  [[ -z $want || $ref == "$want" ]] || fail "$name: the brute force gives $ref co-actions, CooRTweet $want"
  [[ -z $want || $got == "$want" ]] || fail "$name: chorus-join gives $got co-actions, CooRTweet $want"
  cmp -s "$tmp/$name.ev" "$tmp/$name.want" ||
    fail "$name: co-actions differ from detect_groups (< chorus, > brute force): $(diff "$tmp/$name.ev" "$tmp/$name.want" | head -4 | tr '\n' ' ')"
  # Each edge's co-actions column is its pair's count of detect_groups rows.
  pairs_ok=$(cut -f1,2 "$tmp/$name.want" | uniq -c | awk '{ print $2 "\t" $3 "\t" $1 }' | sort |
    cmp -s - <(grep -v '^#' "$tmp/$name.edges" | cut -f1,2,4 | sort) && echo yes)
  [[ $pairs_ok == yes ]] || fail "$name: the edges' co-action counts are not those of detect_groups per pair"
  echo "detect_groups, window $w, min_participation 2: $got co-actions (brute force $ref), $edges edges"
}
check_detect 10 447
check_detect 60

# (c): co_retweet, directed.
run_join coretweet --weight own-events -w 60
python3 "$brute" co_retweet 60 "$tmp/marks.tsv" | sort >"$tmp/coretweet.want"
grep -v '^#' "$tmp/coretweet.edges" |
  awk -F'\t' -v OFS='\t' '{ if ($3 != $11 + $12) print "weight", $0; print $1, $2, $11; print $2, $1, $12 }' |
  sort >"$tmp/coretweet.got"
bad=$(grep -c '^weight' "$tmp/coretweet.got")
[[ $bad == 0 ]] || fail "co_retweet: $bad edges whose weight is not a_events + b_events"
cmp -s "$tmp/coretweet.got" "$tmp/coretweet.want" ||
  fail "co_retweet: directed weights differ (< chorus, > brute force): $(diff "$tmp/coretweet.got" "$tmp/coretweet.want" | head -4 | tr '\n' ' ')"
echo "co_retweet, window 60: $(grep -vc '^#' "$tmp/coretweet.edges") edges, $(wc -l <"$tmp/coretweet.want") directed weights" \
  "(total $(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$tmp/coretweet.want"))"

# (d): chorus-hash, then chorus-join.
"$bin/chorus-hash" -s share "$events" >"$tmp/hash.marks" 2>"$tmp/hash.err"
status=$?
[[ $status == 0 && ! -s $tmp/hash.err ]] || fail "chorus-hash -s share exited $status: $(head -3 "$tmp/hash.err")"
# Line by line the same events: the time, the account with its platform, the id (id or id_2 for
# content_id), and one hashed key per parent and one parent per hashed key.
grep -v '^#' "$tmp/hash.marks" >"$tmp/hash.body"
[[ $(wc -l <"$tmp/hash.body") == 35125 ]] || fail "chorus-hash -s share: $(wc -l <"$tmp/hash.body") marks, not 35125"
paste "$tmp/marks.tsv" "$tmp/hash.body" | awk -F'\t' -v keys="$tmp/keys" '
  $6 != $2 || $7 != "twitter:" $3 || ($8 != $4 && $8 != $4 "_2") { bad++ }
  ($1 in hashed && hashed[$1] != $5) || ($5 in parent && parent[$5] != $1) { bad++ }
  { hashed[$1] = $5; parent[$5] = $1 }
  END { for (k in parent) print k "\t" parent[k] > keys; exit bad > 0 }' ||
  fail "chorus-hash marks are not the jq marks line for line (time, twitter:account, id, one key per parent)"
unprefix() {  # the accounts of edges or evidence without their platform
  awk -F'\t' -v OFS='\t' '{ sub(/^twitter:/, "", $1); sub(/^twitter:/, "", $2); print }'
}
# With the hash marks' ids mapped back to content_id, the co-actions of (a) and (b).
awk -F'\t' -v OFS='\t' '/^#/ { print; next } { sub(/_2$/, "", $4); print }' "$tmp/hash.marks" >"$tmp/hash.content.marks"
for w in 10 60; do
  "$bin/chorus-join" -w "$w" "$tmp/hash.marks" >"$tmp/hash$w.edges" 2>/dev/null || fail "hash, window $w: chorus-join failed"
  "$bin/chorus-join" -w "$w" "$tmp/marks.tsv" >"$tmp/jq$w.edges" 2>/dev/null || fail "jq, window $w: chorus-join failed"
  if ! cmp -s <(grep -v '^#' "$tmp/hash$w.edges" | unprefix) <(grep -v '^#' "$tmp/jq$w.edges"); then
    fail "hash, window $w: edges differ from those of the jq marks: $(diff <(grep -v '^#' "$tmp/hash$w.edges") <(grep -v '^#' "$tmp/jq$w.edges") | head -4 | tr '\n' ' ')"
  fi
  "$bin/chorus-join" -w "$w" --min-participation 2 --evidence "$tmp/hashc$w.evidence" "$tmp/hash.content.marks" >/dev/null 2>&1 ||
    fail "hash, window $w: chorus-join --min-participation 2 failed"
  grep -v '^#' "$tmp/hashc$w.evidence" |
    awk -F'\t' -v OFS='\t' -v keys="$tmp/keys" '
      FNR == NR { parent[$1] = $2; next }
      { $3 = parent[$3]; print }' "$tmp/keys" - | unprefix | sort >"$tmp/hashc$w.ev"
  cmp -s "$tmp/hashc$w.ev" "$tmp/detect$w.want" ||
    fail "hash, window $w: co-actions differ from detect_groups: $(diff "$tmp/hashc$w.ev" "$tmp/detect$w.want" | head -4 | tr '\n' ' ')"
  as_ids=$("$bin/chorus-join" -w "$w" --min-participation 2 --evidence "$tmp/ids$w.evidence" "$tmp/hash.marks" 2>/dev/null |
    grep -vc '^#')
  echo "chorus-hash | chorus-join, window $w: $(grep -vc '^#' "$tmp/hash$w.edges") edges as from the jq marks;" \
    "with --min-participation 2 $(wc -l <"$tmp/hashc$w.ev") co-actions as detect_groups" \
    "($(grep -vc '^#' "$tmp/ids$w.evidence") co-actions, $as_ids edges with chorus-parse's ids)"
done

if ((failures)); then
  echo "join_russian.sh: $failures failure(s)"
  exit 1
fi
echo "join_russian.sh: ok"
