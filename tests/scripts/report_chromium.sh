#!/usr/bin/env bash
# report_chromium.sh -- chorus-report's HTML page in a real browser (headless
# Chromium), on a hostile input (report_hostile_fixture.py) and on a normal
# one (chorus demo):
#   (a) the DOM (--dump-dom) has no script, img, iframe... element, no on*
#       attribute, no URL leaving the page, and a section per network;
#   (b) the console stays silent: no error, no "Uncaught", no CSP violation;
#   (c) the page makes no network request (--log-net-log; the host resolver
#       maps every name to nothing besides);
#   (d) a screenshot is a PNG that is not a blank page.
# A canary page with a script, an event handler and a remote image checks
# first that the harness sees each of these, and a blank page that (d) can fail.
# Skipped (77) without a chromium binary.
#
# Environment: CHORUS_BIN (build dir), CHORUS_SRC (source dir), CHROMIUM (optional).
set -u
# shellcheck source=report_common.bash
. "$(dirname "$0")/report_common.bash"
browser=
for c in ${CHROMIUM:-} chromium chromium-browser google-chrome-stable google-chrome; do
  if command -v "$c" >/dev/null 2>&1; then browser=$(command -v "$c"); break; fi
done
[ -n "$browser" ] || { echo "report_chromium: skipped: no chromium binary (set CHROMIUM or install chromium)"; exit 77; }
report_setup report_chromium python3 jq

# browse NAME PAGE: loads PAGE twice (DOM, then screenshot), each time with
# the console on stderr and a net log; leaves NAME.dom, NAME.err, NAME.net,
# NAME.png, NAME.shot.err, NAME.shot.net.
run=0
browse() {
  local name=$1 page=$2 status
  run=$((run + 1))
  local flags=(--headless --no-sandbox --disable-background-networking --disable-gpu --disable-dev-shm-usage
    --disable-component-update --disable-sync --no-first-run --disable-default-apps --disable-extensions
    "--host-resolver-rules=MAP * ~NOTFOUND" --enable-logging=stderr --v=0)
  timeout 60 "$browser" "${flags[@]}" --user-data-dir="$tmp/profile$run" --log-net-log="$tmp/$name.net" \
    --dump-dom "file://$page" >"$name.dom" 2>"$name.err"
  status=$?
  [ "$status" -eq 0 ] || err "$name: chromium --dump-dom: status $status (124: timed out)"
  run=$((run + 1))
  timeout 60 "$browser" "${flags[@]}" --user-data-dir="$tmp/profile$run" --log-net-log="$tmp/$name.shot.net" \
    --screenshot="$tmp/$name.png" --window-size=1280,2000 "file://$page" >/dev/null 2>"$name.shot.err"
  status=$?
  [ "$status" -eq 0 ] || err "$name: chromium --screenshot: status $status (124: timed out)"
}

# check NAME IDS...: the checks (a) to (d) on what browse NAME left.
check() {
  local name=$1
  shift
  [ -s "$name.dom" ] || err "$name: empty DOM dump"
  python3 "$CHECK" dom "$name.dom" "$@" || err "$name: (a) the DOM"
  python3 "$CHECK" console "$name.err" || err "$name: (b) console messages (DOM run)"
  python3 "$CHECK" console "$name.shot.err" || err "$name: (b) console messages (screenshot run)"
  python3 "$CHECK" netlog "$name.net" || err "$name: (c) network requests (DOM run)"
  python3 "$CHECK" netlog "$name.shot.net" || err "$name: (c) network requests (screenshot run)"
  [ -s "$name.png" ] || err "$name: (d) no screenshot"
  python3 "$CHECK" png "$name.png" || err "$name: (d) the screenshot"
}

# The canary: each check must fail on it.
cat >canary.html <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>canary</title></head>
<body onload="void 0"><h1>Network 000001</h1><script>undefinedFunction()</script>
<img src="http://canary.example/x.png"></body></html>
EOF
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>\n' >blank.html
browse canary "$tmp/canary.html"
python3 "$CHECK" dom canary.dom 000001 >canary.out && err "harness: the canary's script, img and onload not seen in its DOM"
grep -q 'a <script> element' canary.out || err "harness: the canary's <script> not seen in its DOM"
grep -q 'event handler attribute onload' canary.out || err "harness: the canary's onload not seen in its DOM"
python3 "$CHECK" console canary.err >/dev/null && err "harness: the canary's script error not seen on the console"
python3 "$CHECK" netlog canary.net >/dev/null && err "harness: the canary's request of canary.example not seen in the net log"
browse blank "$tmp/blank.html"
python3 "$CHECK" png blank.png >/dev/null && err "harness: a blank page's screenshot taken for a page with content"
python3 "$CHECK" png canary.png >/dev/null || err "harness: the canary's screenshot taken for a blank page"

# The hostile input, and a normal one.
mkdir hostile demo
python3 "$SRC/tests/scripts/report_hostile_fixture.py" hostile || { echo "FAIL the hostile fixture"; exit 1; }
"$BIN/chorus" demo --dir "$tmp/demo" -n 50k >demo.log 2>&1 || { cat demo.log; echo "FAIL chorus demo"; exit 1; }
for d in hostile demo; do
  "$REPORT" -q -f html --title "<script>alert('title')</script> $d" --clusters "$d/clusters.tsv" \
    --accounts "$d/accounts.jsonl" --events "$d/events.jsonl" "$d/networks.jsonl" >"$d.html" 2>"$d.report.err"
  status=$?
  [ "$status" -eq 0 ] || err "$d: chorus-report -f html: status $status: $(head -c 500 "$d.report.err")"
  [ -s "$d.html" ] || { err "$d: empty HTML"; continue; }
  browse "$d" "$tmp/$d.html"
  if [ -f "$d/expect.json" ]; then ids=$(jq -r ".networks[].id" "$d/expect.json"); else ids=$(jq -r .id "$d/networks.jsonl"); fi
  # shellcheck disable=SC2086
  check "$d" $ids
done

if [ "$fail" = 0 ]; then echo "report_chromium: ok"; fi
exit "$fail"
