#!/usr/bin/env bash
# ira_networks.sh — the networks chorus finds among the IRA accounts of FiveThirtyEight's Russian troll
# tweets, 2016-07..12 ($CHORUS_DATA/ira538-2016h2: 589,604 canonical events, labels.csv: 823
# accounts, all IRA, with Linvill & Warren's account_category). There is no organic control, so
# this measures how many accounts fall in networks and how pure the networks are: a network's purity
# is the share of its accounts in its majority account_category; the overall purity is weighted by
# network size (accounts in majority categories / accounts in networks).
#
#   chorus-parse events.jsonl.zst | chorus-hash -s share,text,url |
#   chorus-join -w 60 --min-repeat 2 |
#   chorus-cluster --method components [--quantile 0.5 --quantile-rule gt] | --method leiden --seed 1
#
# share: the data set's parent is a key derived from the retweeted text (README); timestamps have
# minute resolution, so -w 60 is "the same or the next minute". domain is left out (every URL is an
# unexpanded t.co link, so domain:t.co would join everything). Accounts are "twitter:<author>" in
# chorus, "<author>" in labels.csv.
#
# Asserted (robust properties; the numbers are printed): chorus-join's edges and chorus-cluster's
# output are the same bytes in two runs; every account in a network is labelled; weighted purity
# >= 0.90 and accounts in networks >= 400 with components (measured: 26 networks, 537 accounts,
# purity 0.968), >= 300 with the quantile (measured: 19 networks, 372 accounts, purity 0.960);
# with Leiden, >= 400 accounts and purity >= 0.95 (measured: 34 networks, 537 accounts, purity
# 0.998: it splits components' HashtagGamer + RightTroll network of 71).
#
# Needs python3 (standard library only). Exit status: 0 pass, 1 fail, 77 skipped.
set -u
set -o pipefail

bin=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
data=${CHORUS_DATA:-}/ira538-2016h2
events=$data/events.jsonl.zst
labels=$data/labels.csv
if [[ ! -f $events || ! -f $labels ]]; then
  echo "ira_networks.sh: skipped: no $events or $labels"
  exit 77
fi
command -v python3 >/dev/null || { echo "ira_networks.sh: skipped: python3 is not installed"; exit 77; }
for exe in chorus-parse chorus-hash chorus-join chorus-cluster; do
  [[ -x $bin/$exe ]] || { echo "ira_networks.sh: skipped: no $bin/$exe"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chorus-ira-networks.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Purity per network and overall, from clustered edges and the labels. Prints "key value" lines,
# then the largest networks: "network size purity category:accounts ...".
cat >"$tmp/purity.py" <<'EOF'
import collections, csv, sys

labels = {r["account"]: r["account_category"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
networks = collections.defaultdict(set)
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    networks[f[0]].update(f[1:3])
accounts = majority = unlabelled = 0
rows = []
for nid, members in networks.items():
    cats = collections.Counter(labels.get(a.split(":", 1)[1] if a.startswith("twitter:") else a, "?") for a in members)
    unlabelled += cats.pop("?", 0)
    top = cats.most_common(1)[0][1] if cats else 0
    accounts += len(members)
    majority += top
    rows.append((nid, len(members), top / len(members), cats))
in_categories = collections.Counter()
for _, _, _, cats in rows:
    in_categories.update(cats)
print(f"networks {len(networks)}")
print(f"accounts {accounts}")
print(f"labelled {len(labels)}")
print(f"unlabelled {unlabelled}")
print(f"pure_networks {sum(1 for r in rows if r[2] == 1)}")
print(f"purity {majority / accounts if accounts else 0:.4f}")
print("in_networks_by_category " + ",".join(
    f"{c}:{in_categories[c]}/{n}" for c, n in collections.Counter(labels.values()).most_common()))
for nid, size, purity, cats in sorted(rows, key=lambda r: (-r[1], r[0]))[:10]:
    print(f"  network {nid} size {size} purity {purity:.3f} " + " ".join(f"{c}:{n}" for c, n in cats.most_common()))
EOF

# edges NAME: chorus-parse | chorus-hash | chorus-join into NAME.
edges() {
  "$bin/chorus-parse" "$events" 2>"$tmp/$1.parse.err" |
    "$bin/chorus-hash" -s share,text,url 2>"$tmp/$1.hash.err" |
    "$bin/chorus-join" -w 60 --min-repeat 2 -o "$tmp/$1" 2>"$tmp/$1.join.err" ||
    { fail "chorus-parse | chorus-hash -s share,text,url | chorus-join -w 60 --min-repeat 2 failed:" \
      "$(cat "$tmp/$1".*.err | head -3)"; return 1; }
  head -1 "$tmp/$1" | grep -q '^#chorus-edges v1 {' || { fail "no edges header"; return 1; }
}
edges edges || exit 1
edges edges.again && { cmp -s "$tmp/edges" "$tmp/edges.again" || fail "chorus-join's edges differ between two runs"; }

# check NAME MIN_ACCOUNTS MIN_PURITY CLUSTER_OPTION...: chorus-cluster twice, compare, measure.
check() {
  local name=$1 min_accounts=$2 min_purity=$3 run
  shift 3
  for run in "$name" "$name.again"; do
    "$bin/chorus-cluster" "$@" -o "$tmp/$run" "$tmp/edges" 2>"$tmp/$run.err" ||
      { fail "chorus-cluster $* exited $?: $(head -3 "$tmp/$run.err")"; return; }
  done
  head -1 "$tmp/$name" | grep -q '^#chorus-clusters v1 {' || fail "chorus-cluster $*: no clusters header"
  cmp -s "$tmp/$name" "$tmp/$name.again" || fail "chorus-cluster $*: the output differs between two runs"
  python3 "$tmp/purity.py" "$labels" "$tmp/$name" >"$tmp/$name.purity" || { fail "$name: purity.py failed"; return; }
  local accounts purity unlabelled
  accounts=$(awk '$1 == "accounts" { print $2 }' "$tmp/$name.purity")
  purity=$(awk '$1 == "purity" { print $2 }' "$tmp/$name.purity")
  unlabelled=$(awk '$1 == "unlabelled" { print $2 }' "$tmp/$name.purity")
  echo "chorus-cluster $*: $(grep -vc '^#' "$tmp/edges") edges in, $(grep -vc '^#' "$tmp/$name") kept;" \
    "$(awk '$1 == "networks" { print $2 }' "$tmp/$name.purity") networks, $accounts accounts of" \
    "$(awk '$1 == "labelled" { print $2 }' "$tmp/$name.purity"), weighted purity $purity," \
    "$(awk '$1 == "pure_networks" { print $2 }' "$tmp/$name.purity") networks pure"
  grep '^in_networks_by_category\|^  network' "$tmp/$name.purity"
  [[ $unlabelled == 0 ]] || fail "$name: $unlabelled accounts in networks are not in labels.csv"
  awk -v n="$accounts" -v m="$min_accounts" 'BEGIN { exit !(n >= m) }' || fail "$name: $accounts accounts in networks, fewer than $min_accounts"
  awk -v p="$purity" -v m="$min_purity" 'BEGIN { exit !(p >= m) }' || fail "$name: weighted purity $purity < $min_purity"
}

check components 400 0.90 --method components
check quantile 300 0.90 --quantile 0.5 --quantile-rule gt --method components
check leiden 400 0.95 --method leiden --seed 1

if ((failures)); then
  echo "ira_networks.sh: $failures failure(s)"
  exit 1
fi
echo "ira_networks.sh: ok"
