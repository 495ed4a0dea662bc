# report_common.bash -- sourced by the report_*.sh tests (not a test itself):
# report_setup NAME TOOL...: BIN, SRC, REPORT (chorus-report), XSD (the GraphML
# schema) and CHECK (report_checks.py) set; skipped (77) without a TOOL; a
# temporary directory as the working directory, removed at exit; err() and
# has() for the checks, `fail` set by err.
report_setup() {
  local name=$1 tool
  shift
  BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
  SRC=${CHORUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  REPORT=$BIN/chorus-report
  XSD=$SRC/tests/data/graphml/graphml.xsd
  CHECK=$SRC/tests/scripts/report_checks.py
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: skipped: no $tool"; exit 77; }
  done
  [ -x "$REPORT" ] || { echo "$name: no $REPORT: build first"; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cd "$tmp" || exit 1
  fail=0
}
err() {
  echo "FAIL $*"
  fail=1
}
# has FILE TEXT: FILE contains TEXT (bytes).
has() { LC_ALL=C grep -qF -- "$2" "$1" || err "$1 does not contain: $2"; }
