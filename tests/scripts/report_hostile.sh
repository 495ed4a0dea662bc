#!/usr/bin/env bash
# report_hostile.sh -- chorus-report on an input written by an adversary
# (report_hostile_fixture.py: script and HTML injection, javascript: links,
# quotes, bidirectional overrides, Markdown links, pipes and backticks,
# control characters, invalid UTF-8, a 1 MB label and text in account names,
# handles, labels, reasons and posts), and on a normal one (chorus demo),
# without a browser (report_chromium.sh loads the page in one):
#   HTML: no script, img, event handler or URL out of the page, the CSP meta,
#     the user text escaped and bidi controls shown, valid UTF-8, long texts cut;
#   Markdown: no raw HTML, no link, tables intact, specials escaped;
#   GraphML/GEXF: well-formed, GraphML valid against tests/data/graphml/graphml.xsd,
#     one node per account and one edge per clustered edge.
#
# Environment: CHORUS_BIN (build dir), CHORUS_SRC (source dir).
set -u
# shellcheck source=report_common.bash
. "$(dirname "$0")/report_common.bash"
report_setup report_hostile python3 xmllint jq iconv
# hasnt FILE TEXT: FILE does not contain TEXT, bytes.
hasnt() {
  local n
  n=$(LC_ALL=C grep -cF -- "$2" "$1")
  [ "$n" = 0 ] || err "$1 contains $2 ($n lines), e.g. $(LC_ALL=C grep -aoF -m1 -- "$2" "$1" | head -c 200)"
}
# hasnt_i FILE REGEX: no match, case-insensitive (extended regex, bytes).
hasnt_i() {
  local n
  n=$(LC_ALL=C grep -ciE -- "$2" "$1")
  [ "$n" = 0 ] || err "$1 matches /$2/ ($n lines): $(LC_ALL=C grep -aoiE -m1 -- ".{0,40}$2.{0,40}" "$1" | head -n1)"
}
# longest_run FILE: the longest run of "x" (the 1 MB label is LONGxxxx...).
longest_run() { LC_ALL=C grep -ao 'x*' "$1" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }

RLO=$'\xe2\x80\xae' LRI=$'\xe2\x81\xa6' RLE=$'\xe2\x80\xab' PDI=$'\xe2\x81\xa9' FFFD=$'\xef\xbf\xbd'

mkdir hostile demo
python3 "$SRC/tests/scripts/report_hostile_fixture.py" hostile || { echo "FAIL the hostile fixture"; exit 1; }
"$BIN/chorus" demo --dir "$tmp/demo" -n 50k >demo.log 2>&1 || { cat demo.log; echo "FAIL chorus demo"; exit 1; }
jq -c '{id, accounts}' demo/networks.jsonl | jq -sc --argjson e "$(grep -vc '^#' demo/clusters.tsv)" \
  '{networks: ., edges: $e}' >demo/expect.json
jq -c --argjson e "$(grep -vc '^#' hostile/clusters.tsv)" '. + {edges: $e}' hostile/expect.json >hostile/expect2.json
mv hostile/expect2.json hostile/expect.json

for d in hostile demo; do
  start=$(date +%s.%N)
  "$REPORT" -q --title "<script>alert('title')</script> ${RLO}T-$d" --clusters "$d/clusters.tsv" \
    --accounts "$d/accounts.jsonl" --events "$d/events.jsonl" \
    --html "$d.html" --markdown "$d.md" --graphml "$d.graphml" --gexf "$d.gexf" --json "$d.json" \
    "$d/networks.jsonl" >"$d.stdout" 2>"$d.err"
  status=$?
  echo "$d: chorus-report took $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
  [ "$status" -eq 0 ] || err "$d: chorus-report: status $status: $(head -c 500 "$d.err")"
  if [ "$d" = hostile ]; then  # the raw invalid UTF-8 lines: reported with file and line, left out
    nl=$(wc -l <hostile/networks.jsonl) el=$(wc -l <hostile/events.jsonl)
    has "$d.err" "hostile/networks.jsonl:$nl: invalid UTF-8"
    has "$d.err" "hostile/events.jsonl:$el: invalid UTF-8"
    LC_ALL=C grep -q '000099' "$d.md" "$d.html" && err "$d: the bad networks line was reported"
  fi
  [ -s "$d.stdout" ] && err "$d: wrote to stdout with only --html/--markdown/... given"
  for f in "$d.html" "$d.md" "$d.graphml" "$d.gexf" "$d.json"; do
    [ -s "$f" ] || err "$f: missing or empty"
  done
  ids=$(jq -r ".networks[].id" "$d/expect.json")

  # HTML
  python3 "$CHECK" html "$d.html" || err "$d.html: unsafe (above)"
  hasnt_i "$d.html" '<script'
  hasnt_i "$d.html" '<img'
  hasnt_i "$d.html" '<iframe'
  hasnt_i "$d.html" '(href|src)="?(https?:|//|javascript:)'
  hasnt "$d.html" "$RLO"
  hasnt "$d.html" "$LRI"
  hasnt "$d.html" "$RLE"
  hasnt "$d.html" "$PDI"
  has "$d.html" "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
  iconv -f UTF-8 -t UTF-8 "$d.html" >/dev/null 2>&1 || err "$d.html: not valid UTF-8"
  iconv -f UTF-8 -t UTF-8 "$d.md" >/dev/null 2>&1 || err "$d.md: not valid UTF-8"
  has "$d.html" "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; [U+202E]T-$d"
  for i in $ids; do
    has "$d.html" "$i"
    has "$d.md" "## Network $i — "
  done

  # Markdown
  python3 "$CHECK" md "$d.md" || err "$d.md: unsafe (above)"
  hasnt_i "$d.md" '<script'
  hasnt_i "$d.md" '<img'
  hasnt "$d.md" "$RLO"
  hasnt "$d.md" "$LRI"
  hasnt "$d.md" "$RLE"
  hasnt "$d.md" "$PDI"

  # GraphML, GEXF, JSON
  xmllint --noout "$d.graphml" 2>"$d.xmlerr" || err "$d.graphml: not well-formed: $(head -c 300 "$d.xmlerr")"
  xmllint --noout --schema "$XSD" "$d.graphml" 2>"$d.xmlerr" || err "$d.graphml: not valid GraphML: $(head -c 600 "$d.xmlerr")"
  xmllint --noout "$d.gexf" 2>"$d.xmlerr" || err "$d.gexf: not well-formed: $(head -c 300 "$d.xmlerr")"
  python3 "$CHECK" graph "$d.graphml" "$d/expect.json" || err "$d.graphml: nodes and edges (above)"
  python3 "$CHECK" graph "$d.gexf" "$d/expect.json" || err "$d.gexf: nodes and edges (above)"
  jq -e --argjson n "$(echo "$ids" | wc -w)" '.networks | length == $n' "$d.json" >/dev/null \
    || err "$d.json: not JSON, or not $(echo "$ids" | wc -w) networks"
done

# The hostile strings, escaped.
h=hostile.html
has $h '&lt;script&gt;alert(1)&lt;/script&gt;'
has $h '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
has $h 'Tom &amp; Jerry&#39;s &quot;quote&quot;'
hasnt $h 'Tom & Jerry'
has $h '[U+202E]'
has $h '[U+2066]'
has $h '[U+202B]'
has $h '[U+2069]'
has $h "$FFFD"
has $h '<bdi>'
has $h '[x](http://evil.example)'  # as text
n=$(longest_run $h)
[ "$n" -le 300 ] || err "$h: a run of $n x: the 1 MB text is not cut at 280 characters"
size=$(wc -c <$h)
[ "$size" -lt 500000 ] || err "$h: $size bytes: the 1 MB texts are not cut"
has $h 'LONGxxxxxxxxxx'
has $h '…'

m=hostile.md
has $m '&lt;script&gt;alert(1)&lt;/script&gt;'
# Shown as [U+202E], its brackets maybe backslash-escaped.
has_re() { LC_ALL=C grep -qE -- "$2" "$1" || err "$1 does not match /$2/"; }
has_re $m '\\?\[U\+202E\\?\]'
has_re $m '\\?\[U\+2066\\?\]'
has $m "$FFFD"
n=$(longest_run $m)
[ "$n" -le 300 ] || err "$m: a run of $n x: the 1 MB text is not cut at 280 characters"
has $m 'LONGxxxxxxxxxx'
# Markdown specials backslash-escaped wherever the fixture's markers show.
python3 - "$m" <<'EOF' || err "$m: Markdown specials not escaped (above)"
import re, sys
md = open(sys.argv[1], encoding="utf-8", errors="replace").read()
bad = 0
for a, b, what in (("BT1", "BT2", "`"), ("P1", "P2", "|")):
    found = re.findall(re.escape(a) + r"(.{0,40}?)" + re.escape(b), md)
    if not found:
        print("FAIL %s: the marker %s...%s not found" % (sys.argv[1], a, b)); bad = 1
    for f in found:
        if re.search(r"(?<!\\)" + re.escape(what), f):
            print("FAIL %s: unescaped %s in %s%s%s" % (sys.argv[1], what, a, f, b)); bad = 1
for m in re.finditer(r"(?<!\\)\[x(\\?)\]", md):
    if not m.group(1):
        print("FAIL %s: unescaped [x] at %d: %r" % (sys.argv[1], m.start(), md[m.start():m.start() + 40])); bad = 1
sys.exit(bad)
EOF

# The node labels hold the hostile names, XML-escaped: the parser gives them back.
python3 - hostile.graphml hostile.gexf <<'EOF' || err "hostile names not given back by the XML parser (above)"
import sys, xml.etree.ElementTree as ET
bad = 0
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    # GraphML: the labels are data text; GEXF: attribute values.
    text = "\n".join(list(root.itertext()) + [v for e in root.iter() for v in e.attrib.values()])
    for s in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "Tom & Jerry's \"quote\""):
        if s not in text:
            print("FAIL %s: %r not among the parsed labels" % (path, s)); bad = 1
sys.exit(bad)
EOF

if [ "$fail" = 0 ]; then echo "report_hostile: ok"; fi
exit "$fail"
