#!/usr/bin/env bash
# man_render.sh -- every man page renders without a warning, as man(1) shows
# it (groff -k: preconv reads UTF-8, as man-db does) and with man -l.
# Skipped (77) when neither groff nor man is installed (Debian: groff-base, man-db).
#
# Environment: CHORUS_SRC (repo root).
set -u
SRC=${CHORUS_SRC:?CHORUS_SRC must name the source directory}
have_groff=0 have_man=0
command -v groff >/dev/null && have_groff=1
command -v man >/dev/null && have_man=1
if [ "$have_groff" = 0 ] && [ "$have_man" = 0 ]; then
  echo "man_render: neither groff nor man is installed (apt-get install groff-base man-db): skipped"
  exit 77
fi
[ "$have_groff" = 1 ] || echo "note: groff is not installed: checked with man -l only"
[ "$have_man" = 1 ] || echo "note: man is not installed: checked with groff only"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pages=0
for page in "$SRC"/man/*.[1-9]; do
  [ -f "$page" ] || continue
  name=${page##*/}
  pages=$((pages + 1))
  ok=1
  grep -q '^\.TH ' "$page" || { echo "FAIL $name: no .TH line"; ok=0; }
  grep -q '^\.SH NAME' "$page" || { echo "FAIL $name: no NAME section"; ok=0; }
  if [ "$have_groff" = 1 ]; then
    groff -k -man -Tutf8 -ww -z "$page" 2>"$tmp/err"
    status=$?
    if [ "$status" -ne 0 ] || [ -s "$tmp/err" ]; then
      echo "FAIL $name: groff -k -man -Tutf8 -ww warns:"
      sed 's/^/  /' "$tmp/err" | head -20
      ok=0
    fi
  fi
  if [ "$have_man" = 1 ]; then
    MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "$status" -ne 0 ] || [ -s "$tmp/err" ] || [ ! -s "$tmp/out" ]; then
      echo "FAIL $name: man --warnings -l (exit status $status):"
      sed 's/^/  /' "$tmp/err" | head -20
      ok=0
    fi
  fi
  if [ "$ok" = 1 ]; then echo "ok   $name"; else fail=1; fi
done
[ "$pages" -gt 0 ] || { echo "FAIL no man pages under $SRC/man"; fail=1; }
exit "$fail"
