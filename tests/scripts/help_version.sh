#!/usr/bin/env bash
# help_version.sh -- every executable (chorus and chorus-*), and every command
# that chorus runs itself (chorus demo), behaves alike on the command line (STYLE habits 3, 4, 7; coreutils tests/help/help-version.sh):
#   --help and --version print to standard output, nothing to standard error,
#   and exit 0; --version names the program and a version number;
#   an unknown flag prints "prog: ..." and "Try 'prog --help' ..." to standard
#   error, nothing to standard output, and exits 2;
#   --help and --version into a full device (/dev/full) exit non-zero.
#
# Environment: CHORUS_BIN (build dir).
set -u
BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0 errors=0
err() {
  echo "FAIL $*"
  fail=1
  errors=$((errors + 1))
}

# check NAME COMMAND...: NAME is what messages call the program.
check() {
  local name=$1 before=$errors flag status
  shift
  for flag in --help --version; do
    "$@" "$flag" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    [ "$status" -eq 0 ] || err "$name $flag: exit status $status, not 0"
    [ -s "$tmp/out" ] || err "$name $flag: nothing on standard output"
    [ -s "$tmp/err" ] && err "$name $flag: wrote to standard error: $(head -n 1 "$tmp/err")"
  done
  "$@" --version >"$tmp/out" 2>/dev/null </dev/null
  head -n 1 "$tmp/out" | grep -qE "^$name .*[0-9]+\.[0-9]+" ||
    err "$name --version: '$(head -n 1 "$tmp/out")' does not start with '$name' and hold a version number"

  "$@" --no-such-flag-xyzzy >"$tmp/out" 2>"$tmp/err" </dev/null
  status=$?
  [ "$status" -eq 2 ] || err "$name --no-such-flag-xyzzy: exit status $status, not 2"
  [ -s "$tmp/out" ] && err "$name --no-such-flag-xyzzy: wrote to standard output"
  head -n 1 "$tmp/err" | grep -q "^$name: " ||
    err "$name --no-such-flag-xyzzy: first line of standard error does not start with '$name: ': $(head -n 1 "$tmp/err")"
  grep -qF "Try '$name --help'" "$tmp/err" ||
    err "$name --no-such-flag-xyzzy: standard error does not say \"Try '$name --help'\""

  if [ -w /dev/full ]; then
    for flag in --help --version; do
      "$@" "$flag" >/dev/full 2>/dev/null </dev/null
      status=$?
      [ "$status" -ne 0 ] || err "$name $flag >/dev/full: exit status 0 (a failed write must be an error)"
    done
  fi
  [ "$errors" = "$before" ] && echo "ok   $name"
}

checked=0
for exe in "$BIN"/chorus "$BIN"/chorus-*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  checked=$((checked + 1))
  check "${exe##*/}" "$exe"
done
[ "$checked" -gt 0 ] || err "no executables chorus, chorus-* in $BIN"

# The commands that chorus runs itself (listed by chorus --help, no chorus-X).
if [ -x "$BIN/chorus" ]; then
  for c in $("$BIN/chorus" --help | awk '/^Commands:/ { on = 1; next } on && /^[[:space:]]*$/ { exit } on { print $1 }'); do
    [ -e "$BIN/chorus-$c" ] || check "chorus $c" timeout 20 "$BIN/chorus" "$c"
  done
fi

[ -w /dev/full ] || echo "note: no /dev/full: the write-error checks were skipped"
exit "$fail"
