#!/usr/bin/env bash
# track_runs.sh -- chorus-track across three simulated daily runs, one of them
# killed (issue 6):
#   day 1: two networks, one coordinated (removed);
#   day 2: the removed one returns with one new account, and an account on
#          another platform comes back linked by its handle; the run is first
#          killed just before its commit (CHORUS_TRACK_TEST_KILL_BEFORE_RENAME)
#          and once while it holds the lock and reads its input, and a
#          concurrent run is refused meanwhile; then run again, and its state
#          and output must equal those of a run never killed;
#   day 3: one network splits, two merge.
# The ids must stay stable and the returning accounts be flagged.
#
# Environment: CHORUS_BIN (build dir).
set -u
BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
TRACK=$BIN/chorus-track
[ -x "$TRACK" ] || { echo "track_runs: no $TRACK: build first"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

fail=0
err() {
  echo "FAIL $*"
  fail=1
}
# has FILE TEXT: FILE contains TEXT (fixed string).
has() { grep -qF -- "$2" "$1" || err "$1 does not contain: $2"; }

cat >day1.jsonl <<'EOF'
{"id":"000001","accounts":["x:a","x:b","x:c"],"score":0.91,"verdict":"coordinated"}
{"id":"000002","accounts":["x:p","x:q","x:r"],"score":0.1,"verdict":"benign"}
EOF
cat >acc1.jsonl <<'EOF'
{"account":"c","platform":"x","handle":"NewsBot","name":"Daily News"}
{"account":"p","platform":"x","handle":"peter","name":"Peter"}
EOF
cat >day2.jsonl <<'EOF'
{"id":"000001","accounts":["x:p","x:q","x:r","x:s"],"score":0.2,"verdict":"benign"}
{"id":"000002","accounts":["x:a","x:b","x:c","x:d"],"score":0.95,"verdict":"coordinated"}
{"id":"000003","accounts":["x:f","x:g","y:newsbot2"],"score":0.5,"verdict":"review"}
EOF
cat >acc2.jsonl <<'EOF'
{"account":"newsbot2","platform":"y","handle":"newsbot_2","name":"NB"}
EOF
cat >day3.jsonl <<'EOF'
{"id":"000001","accounts":["x:a","x:b","x:c"],"score":0.9,"verdict":"coordinated"}
{"id":"000002","accounts":["x:d","x:h","x:i"],"score":0.4,"verdict":"review"}
{"id":"000003","accounts":["x:f","x:p","x:q","x:r","x:s","y:newsbot2"],"score":0.3,"verdict":"review"}
EOF

# A run never killed, for reference.
"$TRACK" -q --state clean --run day1 --accounts acc1.jsonl day1.jsonl >clean1.jsonl || err "clean day 1: status $?"
"$TRACK" -q --state clean --run day2 --accounts acc2.jsonl day2.jsonl >clean2.jsonl || err "clean day 2: status $?"
cp clean/state clean-state2

# Day 1.
"$TRACK" --state st --run day1 --accounts acc1.jsonl day1.jsonl >out1.jsonl 2>err1 || err "day 1: status $?"
cmp -s out1.jsonl clean1.jsonl || err "day 1: output differs from the clean run's"
has out1.jsonl '{"id":"CIB-000001","accounts":["x:a","x:b","x:c"],"score":0.91,"verdict":"coordinated","track":{"run":"day1","cluster":"000001","first_run":"day1","runs":1,"overlap":null'
has out1.jsonl '{"id":"CIB-000002","accounts":["x:p","x:q","x:r"]'
has err1 'run day1: 2 networks (0 tracked, 2 new); 0 returning accounts'
cp st/state state1

# Day 2, killed after writing the new state but before the rename.
{
  CHORUS_TRACK_TEST_KILL_BEFORE_RENAME=1 "$TRACK" -q --state st --run day2 --accounts acc2.jsonl day2.jsonl >/dev/null
  status=$?
} 2>/dev/null  # also bash's "Killed" notice
[ "$status" -eq 137 ] || err "killed day 2: status $status, not 137 (SIGKILL)"
cmp -s st/state state1 || err "killed day 2: the state changed"
[ -f st/state.tmp ] || err "killed day 2: no state.tmp left (the hook did not run where expected)"

# Day 2, killed while it holds the lock and waits for its input; a concurrent run is refused.
mkfifo fifo
"$TRACK" -q --state st --run day2 fifo >/dev/null 2>&1 &
pid=$!
exec 3>fifo  # returns once the run opened its input: it holds the lock by then
"$TRACK" -q --state st --run day2b day2.jsonl >/dev/null 2>lockerr
status=$?
[ "$status" -eq 2 ] || err "concurrent run: status $status, not 2"
has lockerr 'chorus-track: st: state is locked by another chorus-track run'
printf '%s\n' '{"id":"000001","accounts":["x:a"' >&3  # half a line, then killed
kill -KILL "$pid"
{ wait "$pid"; } 2>/dev/null
pid=
exec 3>&-
cmp -s st/state state1 || err "day 2 killed while reading: the state changed"

# Day 2 again: as if never killed.
"$TRACK" --state st --run day2 --accounts acc2.jsonl day2.jsonl >out2.jsonl 2>err2 || err "day 2: status $?"
cmp -s st/state clean-state2 || err "day 2 after the killed runs: state differs from the clean run's"
cmp -s out2.jsonl clean2.jsonl || err "day 2 after the killed runs: output differs from the clean run's"
[ -f st/state.tmp ] && err "day 2: state.tmp left behind"
has out2.jsonl '{"id":"CIB-000002","accounts":["x:p","x:q","x:r","x:s"]'
has out2.jsonl '{"id":"CIB-000001","accounts":["x:a","x:b","x:c","x:d"],"score":0.95,"verdict":"coordinated","track":{"run":"day2","cluster":"000002","first_run":"day1","runs":2,"overlap":0.75,"new_accounts":["x:d"],"returning":[{"account":"x:a","how":"same"'
has out2.jsonl '{"account":"x:c","how":"same","via":"account","removed_account":"x:c","removed_network":"CIB-000001","removed_run":"day1"}]}}'
has out2.jsonl '{"id":"CIB-000003","accounts":["x:f","x:g","y:newsbot2"]'
has out2.jsonl '"returning":[{"account":"y:newsbot2","how":"linked","via":"handle","removed_account":"x:c","removed_network":"CIB-000001","removed_run":"day1"}]}}'
has err2 'run day2: 3 networks (2 tracked, 1 new); 4 returning accounts in them (3 same, 1 linked), 0 in no network'

# The same run name again is refused, and changes nothing.
"$TRACK" -q --state st --run day2 day2.jsonl >again.jsonl 2>againerr
status=$?
[ "$status" -eq 2 ] || err "day 2 again: status $status, not 2"
[ -s again.jsonl ] && err "day 2 again: wrote networks"
has againerr "chorus-track: run 'day2' is already in st/state; give another --run"
cmp -s st/state clean-state2 || err "day 2 again: the state changed"

# Day 3: CIB-1 splits (x:d leaves with two new accounts), CIB-2 and CIB-3 merge.
"$TRACK" -q --state st --run day3 day3.jsonl >out3.jsonl || err "day 3: status $?"
has out3.jsonl '{"id":"CIB-000001","accounts":["x:a","x:b","x:c"],"score":0.9,"verdict":"coordinated","track":{"run":"day3","cluster":"000001","first_run":"day1","runs":3,"overlap":0.75,"new_accounts":[]'
has out3.jsonl '{"id":"CIB-000004","accounts":["x:d","x:h","x:i"],"score":0.4,"verdict":"review","track":{"run":"day3","cluster":"000002","first_run":"day3","runs":1,"overlap":null'
has out3.jsonl '{"account":"x:d","how":"same","via":"account","removed_account":"x:d","removed_network":"CIB-000001","removed_run":"day2"}'
has out3.jsonl '{"id":"CIB-000002","accounts":["x:f","x:p","x:q","x:r","x:s","y:newsbot2"],"score":0.3,"verdict":"review","track":{"run":"day3","cluster":"000003","first_run":"day1","runs":3,"overlap":0.667'
has st/state '#chorus-track-state v1 {"next":5,"runs":["day1","day2","day3"]}'
has st/state '{"network":"CIB-000003","first_run":"day2","last_run":"day2","runs":1,"removed_run":null,"accounts":["x:f","x:g","y:newsbot2"]}'
has st/state '{"removed":"x:c","network":"CIB-000001","run":"day1","keys":["handle:newsbot","name:dailynews"]}'

if [ "$fail" = 0 ]; then echo "track_runs: ok"; fi
exit "$fail"
