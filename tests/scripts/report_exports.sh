#!/usr/bin/env bash
# report_exports.sh -- chorus-report's figures and exports on the networks of
# chorus demo, every number computed here from the inputs (jq, awk):
#   GraphML valid against tests/data/graphml/graphml.xsd, GEXF well-formed in
#   the GEXF 1.3 namespace, both with one node per account of the reported
#   networks and one edge per clustered edge of them (networkx, when it can be
#   imported, reads both and counts the same); the JSON totals are the sums of
#   networks.jsonl; each network's id, size, followers, score and verdict are in
#   the Markdown report. All reported networks, then --verdict coordinated.
#
# Environment: CHORUS_BIN (build dir), CHORUS_SRC (source dir).
set -u
# shellcheck source=report_common.bash
. "$(dirname "$0")/report_common.bash"
report_setup report_exports xmllint jq awk python3

# same WHAT GOT WANT
same() { [ "$2" = "$3" ] || err "$1: $2, not $3"; }
# count FILE XPATH: the number of elements.
count() { xmllint --xpath "count($2)" "$1" 2>/dev/null; }
# commas N: N with thousands separated by commas, as the report writes them.
commas() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

xmllint --noout --schema "$XSD" "$SRC/tests/data/graphml/good.graphml" 2>/dev/null \
  || err "graphml.xsd rejects good.graphml (run graphml_schema.sh)"

"$BIN/chorus" demo --dir "$tmp/d" -n 50k >demo.log 2>&1 || { cat demo.log; echo "FAIL chorus demo"; exit 1; }
[ -s d/networks.jsonl ] && [ -s d/clusters.tsv ] || { echo "FAIL chorus demo wrote no networks or clusters"; exit 1; }
python3 -c 'import networkx' 2>/dev/null && nx=1 || { nx=0; echo "report_exports: networkx cannot be imported: its checks skipped"; }

for sel in all coordinated; do
  if [ "$sel" = all ]; then
    verdict=()
    jq -c . d/networks.jsonl >nets.$sel
  else
    verdict=(--verdict "$sel")
    jq -c "select(.verdict == \"$sel\")" d/networks.jsonl >nets.$sel
  fi
  jq -r .id nets.$sel >ids.$sel
  [ -s ids.$sel ] || { err "$sel: no network in the demo"; continue; }
  # Expected figures, from the inputs.
  want_networks=$(wc -l <nets.$sel)
  want_accounts=$(jq -s 'map(.size) | add' nets.$sel)
  want_accounts2=$(jq -s 'map(.accounts | length) | add' nets.$sel)
  same "$sel: networks.jsonl: sum of size and the accounts listed" "$want_accounts" "$want_accounts2"
  want_followers=$(jq -s 'map(.followers // 0) | add' nets.$sel)
  want_coactions=$(jq -s 'map(.coactions) | add' nets.$sel)
  want_edges=$(awk -F'\t' 'NR == FNR { want[$1] = 1; next } !/^#/ && ($1 in want) { n++ } END { print n + 0 }' \
    ids.$sel d/clusters.tsv)
  want_edges2=$(jq -s 'map(.edges) | add' nets.$sel)
  same "$sel: clustered edge lines and the sum of edges in networks.jsonl" "$want_edges" "$want_edges2"

  "$REPORT" -q "${verdict[@]}" --clusters d/clusters.tsv --accounts d/accounts.jsonl --events d/events.jsonl \
    --graphml $sel.graphml --gexf $sel.gexf --json $sel.json --markdown $sel.md d/networks.jsonl 2>$sel.err
  status=$?
  [ "$status" -eq 0 ] || err "$sel: chorus-report: status $status: $(head -c 500 $sel.err)"

  # GraphML
  xmllint --noout --schema "$XSD" $sel.graphml 2>$sel.xmlerr || err "$sel.graphml: not valid: $(head -c 600 $sel.xmlerr)"
  g='//*[local-name()="graphml"]/*[local-name()="graph"]'
  same "$sel.graphml: graphs" "$(count $sel.graphml "$g")" 1
  same "$sel.graphml: edgedefault" "$(xmllint --xpath "string($g/@edgedefault)" $sel.graphml)" undirected
  same "$sel.graphml: nodes" "$(count $sel.graphml '//*[local-name()="node"]')" "$want_accounts"
  same "$sel.graphml: edges" "$(count $sel.graphml '//*[local-name()="edge"]')" "$want_edges"
  # GEXF
  xmllint --noout $sel.gexf 2>$sel.xmlerr || err "$sel.gexf: not well-formed: $(head -c 300 $sel.xmlerr)"
  same "$sel.gexf: namespace" "$(xmllint --xpath 'namespace-uri(/*)' $sel.gexf)" "http://gexf.net/1.3"
  same "$sel.gexf: root" "$(xmllint --xpath 'local-name(/*)' $sel.gexf)" gexf
  same "$sel.gexf: version" "$(xmllint --xpath 'string(/*/@version)' $sel.gexf)" 1.3
  same "$sel.gexf: nodes" "$(count $sel.gexf '//*[local-name()="node"]')" "$want_accounts"
  same "$sel.gexf: edges" "$(count $sel.gexf '//*[local-name()="edge"]')" "$want_edges"
  # Each node in its network, from both exports.
  jq -c '{id, accounts}' nets.$sel | jq -sc --argjson e "$want_edges" '{networks: ., edges: $e}' >expect.$sel
  for f in $sel.graphml $sel.gexf; do
    python3 "$SRC/tests/scripts/report_checks.py" graph $f expect.$sel || err "$f: nodes and edges (above)"
  done
  if [ "$nx" = 1 ]; then
    python3 - $sel.graphml $sel.gexf "$want_accounts" "$want_edges" <<'EOF' || err "$sel: networkx (above)"
import sys, networkx as nx
graphml, gexf, nodes, edges = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bad = 0
for name, read, path in (("read_graphml", nx.read_graphml, graphml), ("read_gexf", nx.read_gexf, gexf)):
    try:
        g = read(path)
    except Exception as e:
        print("FAIL networkx.%s(%s): %s: %s" % (name, path, type(e).__name__, e)); bad = 1; continue
    if (g.number_of_nodes(), g.number_of_edges()) != (nodes, edges):
        print("FAIL networkx.%s(%s): %d nodes and %d edges, not %d and %d"
              % (name, path, g.number_of_nodes(), g.number_of_edges(), nodes, edges)); bad = 1
    if g.is_directed():
        print("FAIL networkx.%s(%s): a directed graph" % (name, path)); bad = 1
sys.exit(bad)
EOF
  fi

  # JSON totals: the sums of networks.jsonl.
  jq -e . $sel.json >/dev/null 2>&1 || err "$sel.json: not JSON"
  [ "$(wc -l <$sel.json)" = 1 ] || err "$sel.json: not one line"
  same "$sel.json: totals.networks" "$(jq .totals.networks $sel.json)" "$want_networks"
  same "$sel.json: totals.accounts" "$(jq .totals.accounts $sel.json)" "$want_accounts"
  same "$sel.json: totals.followers" "$(jq .totals.followers $sel.json)" "$want_followers"
  same "$sel.json: totals.coactions" "$(jq .totals.coactions $sel.json)" "$want_coactions"
  same "$sel.json: totals.edges" "$(jq .totals.edges $sel.json)" "$want_edges"
  same "$sel.json: totals.verdicts" "$(jq -c '.totals.verdicts' $sel.json)" \
    "$(jq -sc 'group_by(.verdict) | map({(.[0].verdict): length}) | add' nets.$sel)"
  same "$sel.json: the networks' ids" "$(jq -r '.networks[].id' $sel.json | tr '\n' ' ')" "$(tr '\n' ' ' <ids.$sel)"
  same "$sel.json: the networks' figures" \
    "$(jq -c '.networks[] | [.id, .size, .followers, .score, .verdict, .coactions]' $sel.json)" \
    "$(jq -c '[.id, .size, .followers, .score, .verdict, .coactions]' nets.$sel)"

  # Markdown: each network's figures, in its section and in the summary table.
  same "$sel.md: network sections" "$(grep -c '^## Network ' $sel.md)" "$want_networks"
  grep -qF "| Accounts | $(commas "$want_accounts") |" $sel.md || err "$sel.md: no total of $want_accounts accounts"
  grep -qF "| Followers | $(commas "$want_followers") |" $sel.md || err "$sel.md: no total of $want_followers followers"
  grep -qF "| Co-actions | $(commas "$want_coactions") " $sel.md || err "$sel.md: no total of $want_coactions co-actions"
  while IFS=$'\t' read -r id size followers score verdict; do
    awk -v h="## Network $id — " 'index($0, h) == 1 { on = 1; print; next } /^## / { on = 0 } on' $sel.md >section
    [ -s section ] || { err "$sel.md: no section for network $id"; continue; }
    grep -qF "## Network $id — $verdict (score $score)" section \
      || err "$sel.md: network $id: heading $(head -n1 section), not '## Network $id — $verdict (score $score)'"
    grep -qE "^- \*\*Accounts:\*\* $(commas "$size")( |$)" section || err "$sel.md: network $id: not $size accounts"
    [ "$followers" = null ] ||
      grep -qE "^- \*\*Followers:\*\* $(commas "$followers")( |$)" section || err "$sel.md: network $id: not $followers followers"
    grep -qF "| $id | $verdict | $score | $(commas "$size") | $(commas "$followers") |" $sel.md \
      || err "$sel.md: network $id: no summary row | $id | $verdict | $score | $size | $followers |"
  done < <(jq -r '[.id, .size, .followers, .score, .verdict] | @tsv' nets.$sel)
  # Only the selected networks.
  if [ "$sel" != all ]; then
    jq -r "select(.verdict != \"$sel\") | .id" d/networks.jsonl | while read -r id; do
      grep -q "^## Network $id " $sel.md && echo "FAIL $sel.md: network $id ($(jq -r "select(.id == \"$id\") | .verdict" d/networks.jsonl)) reported"
    done | grep FAIL && fail=1
  fi
done

if [ "$fail" = 0 ]; then echo "report_exports: ok"; fi
exit "$fail"
