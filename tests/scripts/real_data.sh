#!/usr/bin/env bash
# real_data.sh — chorus-parse on the real data sets in $CHORUS_DATA (../shared/data): every record
# parses (zero skipped, nothing on stderr), the event counts are the ones the data sets' READMEs
# state, and every event says what its source line says — checked with jq, an independent JSON
# reader, on both sides: the same projection of each input line and each output event must be
# identical, line for line. --accounts-out on the IRA slice gives exactly the 823 accounts of
# labels.csv, each with the profile of its latest event.
#
# Needs jq and zstd. Exit status: 0 pass, 1 fail, 77 skipped (no data, no jq/zstd).
set -u
set -o pipefail

bin=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
data=${CHORUS_DATA:-}
if [[ -z $data || ! -d $data ]]; then
  echo "real_data.sh: skipped: no data sets (CHORUS_DATA='$data' is not a directory)"
  exit 77
fi
for tool in jq zstd; do
  command -v "$tool" >/dev/null || { echo "real_data.sh: skipped: $tool is not installed"; exit 77; }
done
parse=$bin/chorus-parse
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chorus-real-data.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Every canonical field, with the defaults a missing key takes (SPEC 2).
proj='[.id, .account, .ts, (.type // "post"), (.text // ""), (.urls // []), (.hashtags // []),
       (.mentions // []), (.media // []), .parent, .lang, .audience, .platform, .views, .likes]'

cat_input() {  # the input's JSON lines, decompressed with zstd(1), not with chorus
  case $1 in
    *.zst) zstd -dcq -- "$1" ;;
    *) cat -- "$1" ;;
  esac
}

# pass OUT: copy stdin to stdout, keeping its first and last lines in OUT.first / OUT.last and
# the number of lines in OUT.n.
pass() {
  awk -v o="$1" 'NR == 1 { print > (o ".first") } { print; last = $0 }
                 END { print last > (o ".last"); print NR > (o ".n") }'
}

# check_set NAME FILE COUNT [OPTION...]: parse FILE (with the options); compare the count, stderr
# and the projection of every event with that of its source line. The input and the output side
# run at the same time (jq is the slow part).
check_set() {
  local name=$1 file=$2 want=$3
  shift 3
  if [[ ! -f $file ]]; then
    fail "$name: $file is missing"
    return
  fi
  local out=$tmp/$name.out in=$tmp/$name.in
  ( "$parse" "$@" "$file" 2>"$out.err"; echo $? >"$out.status" ) | pass "$out" | jq -c "$proj" | md5sum >"$out.md5" &
  cat_input "$file" | pass "$in" | jq -c "$proj" | md5sum >"$in.md5"
  wait
  local status n first_in last_in first_out last_out
  status=$(<"$out.status")
  n=$(<"$out.n")
  if [[ $status != 0 ]]; then
    fail "$name: chorus-parse exited $status"
  fi
  if [[ -s $out.err ]]; then
    fail "$name: chorus-parse wrote to stderr (records skipped?):"
    sed 's/^/  /' "$out.err" | head -20
  fi
  [[ $n == "$want" ]] || fail "$name: $n events, the README says $want"
  if ! cmp -s "$out.md5" "$in.md5"; then
    fail "$name: events differ from their source lines; first differences (< input, > output):"
    diff <(cat_input "$file" | jq -c "$proj") <("$parse" "$file" 2>/dev/null | jq -c "$proj") | head -10 | cut -c1-300
  fi
  # The first and last events, spelled out (the comparison above covers every line).
  first_in=$(jq -c '[.id, .account, .ts, .parent]' "$in.first")
  last_in=$(jq -c '[.id, .account, .ts, .parent]' "$in.last")
  first_out=$(jq -c '[.id, .account, .ts, .parent]' "$out.first")
  last_out=$(jq -c '[.id, .account, .ts, .parent]' "$out.last")
  [[ $first_in == "$first_out" ]] || fail "$name: first event $first_out, source line $first_in"
  [[ $last_in == "$last_out" ]] || fail "$name: last event $last_out, source line $last_in"
  echo "$name: $n events; first $first_out; last $last_out"
}

check_set coortweet-russian-coord "$data/coortweet-russian-coord/events.jsonl" 35125
check_set coortweet-german-elections "$data/coortweet-german-elections/events.jsonl.zst" 194326
ira=$data/ira538-2016h2
check_set ira538-2016h2 "$ira/events.jsonl.zst" 589604 --accounts-out "$tmp/accounts.jsonl"

# Accounts of the IRA slice: the set of labels.csv, and the profile of each account's latest
# event (on equal ts, the later line), computed here by jq.
if [[ -f $tmp/accounts.jsonl && -f $ira/labels.csv ]]; then
  n=$(wc -l <"$tmp/accounts.jsonl")
  [[ $n == 823 ]] || fail "ira538-2016h2: $n accounts, the README (labels.csv) says 823"
  tail -n +2 "$ira/labels.csv" | cut -d, -f1 | sort >"$tmp/labels.accounts"
  jq -r .account "$tmp/accounts.jsonl" | sort >"$tmp/out.accounts"
  cmp -s "$tmp/labels.accounts" "$tmp/out.accounts" ||
    fail "ira538-2016h2: accounts differ from labels.csv: $(diff "$tmp/labels.accounts" "$tmp/out.accounts" | head -5 | tr '\n' ' ')"
  # jq picks the fields, awk keeps each account's latest line (ts >= the one kept: the later line
  # wins a tie), as tab-separated text on both sides.
  zstd -dcq "$ira/events.jsonl.zst" |
    jq -r '[.account, .ts, .platform, .followers, .following, .country] | @tsv' |
    awk -F'\t' -v OFS='\t' '!($1 in ts) || $2 + 0 >= ts[$1] { ts[$1] = $2 + 0; row[$1] = $1 OFS $3 OFS $4 OFS $5 OFS $6 }
                            END { for (a in row) print row[a] }' | sort >"$tmp/acc.want"
  jq -r '[.account, .platform, .followers, .following, .country] | @tsv' "$tmp/accounts.jsonl" | sort >"$tmp/acc.got"
  cmp -s "$tmp/acc.want" "$tmp/acc.got" ||
    fail "ira538-2016h2: account profiles are not those of the latest events: $(diff "$tmp/acc.want" "$tmp/acc.got" | head -4 | tr '\n' ' ')"
  echo "ira538-2016h2: $n accounts, as labels.csv"
else
  fail "ira538-2016h2: no accounts written, or labels.csv is missing"
fi

if ((failures)); then
  echo "real_data.sh: $failures failure(s)"
  exit 1
fi
echo "real_data.sh: ok"
