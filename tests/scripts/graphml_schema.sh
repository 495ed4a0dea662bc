#!/usr/bin/env bash
# graphml_schema.sh -- tests/data/graphml/graphml.xsd, the GraphML schema the
# report tests validate against, accepts a correct document and rejects each
# broken one, each for its own reason.
#
# Environment: CHORUS_SRC (source dir).
set -u
SRC=${CHORUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
DIR=$SRC/tests/data/graphml
command -v xmllint >/dev/null || { echo "graphml_schema: skipped: no xmllint"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0
err() {
  echo "FAIL $*"
  fail=1
}

xmllint --noout "$DIR/graphml.xsd" || err "graphml.xsd: not well-formed"
xmllint --noout --schema "$DIR/graphml.xsd" "$DIR/good.graphml" 2>"$tmp/out" || err "good.graphml rejected: $(cat "$tmp/out")"
# bad FILE REASON: rejected (status 3: invalid), with REASON in the message.
bad() {
  local status
  xmllint --noout --schema "$DIR/graphml.xsd" "$DIR/$1" >/dev/null 2>"$tmp/out"
  status=$?
  [ "$status" -eq 3 ] || err "$1: xmllint status $status, not 3 (invalid)"
  grep -qF -- "$2" "$tmp/out" || err "$1: not rejected for '$2': $(cat "$tmp/out")"
}
bad bad-edge-target.graphml "No match found for key-sequence ['n9'] of keyref"
bad bad-data-key.graphml "No match found for key-sequence ['wieght'] of keyref"
bad bad-no-edgedefault.graphml "The attribute 'edgedefault' is required but missing"
bad bad-duplicate-node.graphml "Duplicate key-sequence ['n0']"
bad bad-duplicate-key.graphml "Duplicate key-sequence ['label']"
bad bad-attr-type.graphml "The value 'decimal' is not an element of the set"
bad bad-edge-source-missing.graphml "The attribute 'source' is required but missing"
n=$(ls "$DIR"/bad-*.graphml | wc -l)
[ "$n" -eq 7 ] || err "$n bad-*.graphml files, 7 tested"

if [ "$fail" = 0 ]; then echo "graphml_schema: ok"; fi
exit "$fail"
