#!/usr/bin/env bash
# run_planted.sh -- `chorus run` on chorus-gen data with every tactic and the
# default confounders finds the planted networks (issue 5):
#   - account-level F1 >= 0.9 over the networks with verdict coordinated,
#     computed here in Python from networks.jsonl and truth.csv, and equal to
#     what chorus-eval reports;
#   - no organic account and none of the benign publisher's accounts in a
#     network with verdict coordinated;
#   - every planted network (every tactic) found: recall >= 0.8 each;
#   - the run is repeatable byte for byte (its report and actions too), and
#     so is chorus-cluster with Leiden and --seeds on its edges;
#   - the actions remove exactly the accounts of the coordinated networks, and
#     the report's totals are the sums over networks.jsonl (issue 6);
#   - with --state, a second run of the same data keeps every network's id
#     and counts it in two runs.
# Environment: CHORUS_BIN (build dir). CHORUS_RUN_EVENTS (default 200k).
set -euo pipefail
BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
command -v python3 >/dev/null || { echo "run_planted: python3 missing: skipped"; exit 77; }
EVENTS=${CHORUS_RUN_EVENTS:-200k}
work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-run-planted.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

"$BIN/chorus-gen" -q -n "$EVENTS" --seed 7 --truth-out truth.csv --accounts-out accounts.jsonl -o gen.jsonl
"$BIN/chorus" run -q gen.jsonl --accounts accounts.jsonl -o one > one.txt
"$BIN/chorus" run -q gen.jsonl --accounts accounts.jsonl -o two > two.txt
for f in edges.tsv evidence.tsv clusters.tsv networks.jsonl actions.jsonl report.md report.html report.json graph.gexf graph.graphml; do
  cmp -s "one/$f" "two/$f" || { echo "FAIL run_planted: $f differs between two runs"; exit 1; }
done
"$BIN/chorus-eval" --truth truth.csv --format json one/networks.jsonl > eval.json

python3 - one/networks.jsonl truth.csv eval.json <<'EOF'
import json, sys
networks, truth_path, eval_path = sys.argv[1:]
truth = {}
with open(truth_path) as f:
    next(f)
    for line in f:
        account, network, tactic = line.rstrip('\n').split(',')
        truth[account] = (network, tactic)
planted = {a for a, (n, _) in truth.items() if ':' not in n}
flagged = set()
for line in open(networks):
    d = json.loads(line)
    if d['verdict'] == 'coordinated':
        flagged |= {a.split(':', 1)[1] for a in d['accounts']}
tp = len(flagged & planted)
p = tp / len(flagged) if flagged else 0.0
r = tp / len(planted)
f1 = 2 * p * r / (p + r) if p + r else 0.0
organic = [a for a in flagged if a not in truth]
publisher = [a for a in flagged if truth.get(a, ('',))[0] == 'benign:publisher']
fails = []
if f1 < 0.9: fails.append(f'F1 {f1:.3f} < 0.9')
if organic: fails.append(f'{len(organic)} organic accounts flagged: {sorted(organic)[:5]}')
if publisher: fails.append(f'publisher accounts flagged: {sorted(publisher)}')
by_net = {}
for a in planted:
    by_net.setdefault(truth[a], set()).add(a)
tactics = set()
for (net, tactic), members in sorted(by_net.items()):
    rec = len(members & flagged) / len(members)
    tactics.add(tactic)
    print(f'  {net} {tactic:20s} {len(members & flagged):3d} of {len(members):3d} found ({rec:.2f})')
    if rec < 0.8: fails.append(f'{net} ({tactic}) recall {rec:.2f} < 0.8')
want = {'copy-paste', 'link-amplification', 'share-ring', 'paraphrase', 'hashtag-chain', 'state-media'}
if tactics != want: fails.append(f'tactics planted {sorted(tactics)}, expected every one')
ev = json.load(open(eval_path))
for name, mine in (('precision', p), ('recall', r), ('f1', f1)):
    if abs(ev[name] - mine) > 1e-6: fails.append(f'chorus-eval {name} {ev[name]} != {mine:.6f} computed here')
print(f'run_planted: {len(flagged)} flagged, {tp} of {len(planted)} planted: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}; '
      f'{len(organic)} organic, {len(publisher)} publisher accounts flagged')
for f in fails: print('FAIL run_planted:', f)
sys.exit(1 if fails else 0)
EOF

# Seeded Leiden from a tip of three planted accounts: the same bytes twice.
awk -F, 'NR > 1 && $2 == "net01" { print $1 }' truth.csv | head -3 > tip.txt
for i in 1 2; do
  "$BIN/chorus-cluster" -q one/edges.tsv --marks one/marks.tsv --alpha 0.02 --method leiden --seed 5 \
    --seeds tip.txt --hops 2 -o "tip$i.tsv"
done
cmp -s tip1.tsv tip2.tsv || { echo "FAIL run_planted: seeded Leiden differs between two runs"; exit 1; }
n=$(grep -vc '^#' tip1.tsv || true)
[ "$n" -gt 0 ] || { echo "FAIL run_planted: the tip of net01 reached no edge"; exit 1; }
echo "run_planted: ok (seeded Leiden from 3 accounts of net01: $n edges, twice the same)"

# The actions and the report against networks.jsonl, computed here with jq.
want=$(jq -r 'select(.verdict == "coordinated") | .accounts[]' one/networks.jsonl | sort -u)
got=$(jq -r 'select(.action == "remove") | .account' one/actions.jsonl | sort -u)
[ "$want" = "$got" ] || { echo "FAIL run_planted: removals are not the accounts of the coordinated networks"; exit 1; }
want=$(jq -s '{networks: length, accounts: (map(.size) | add), coactions: (map(.coactions) | add), followers: (map(.followers // 0) | add)}' one/networks.jsonl)
got=$(jq '.totals | {networks, accounts, coactions, followers}' one/report.json)
[ "$(echo "$want" | jq -S -c .)" = "$(echo "$got" | jq -S -c .)" ] ||
  { echo "FAIL run_planted: report totals $got, networks.jsonl says $want"; exit 1; }
grep -q '^## Network ' one/report.md || { echo "FAIL run_planted: no network section in report.md"; exit 1; }

# Two runs tracked in one state: the same ids, in 2 runs.
"$BIN/chorus" run -q gen.jsonl --accounts accounts.jsonl --state st --run day1 -o d1 > /dev/null
"$BIN/chorus" run -q gen.jsonl --accounts accounts.jsonl --state st --run day2 -o d2 > /dev/null
ids1=$(jq -r '.id' d1/tracked.jsonl | sort) ids2=$(jq -r '.id' d2/tracked.jsonl | sort)
[ -n "$ids1" ] && [ "$ids1" = "$ids2" ] || { echo "FAIL run_planted: tracked ids changed between runs: $ids1 / $ids2"; exit 1; }
[ "$(jq -r '.track.runs' d2/tracked.jsonl | sort -u)" = 2 ] || { echo "FAIL run_planted: day 2's networks not seen in 2 runs"; exit 1; }
grep -q 'Tracked:\*\* first seen in run day1, in 2 runs' d2/report.md || { echo "FAIL run_planted: report.md lacks the tracking"; exit 1; }
jq -e -s 'map(select(.action == "remove") | .evidence.network | startswith("CIB-")) | all' d2/actions.jsonl > /dev/null ||
  { echo "FAIL run_planted: removals do not name the tracked ids"; exit 1; }
echo "run_planted: report, actions and tracking checked"
