#!/usr/bin/env bash
# hash_planted.sh — chorus-hash finds what chorus-gen plants: on generated data with copy-paste and
# paraphrase networks, the copies of every planted copy-paste message share a text: or near: key,
# and at least 90 % of the paraphrased copies share the near: key of their narrative's original.
#
# The ground truth is chorus-gen's event-level truth (--campaigns-out: event, network, tactic,
# campaign, role), joined to the marks with awk alone, independently of chorus's own code:
#   copy-paste  every campaign's events have a text: or near: key in common (the intersection of
#               their key sets is not empty); where that fails, the weaker property is reported
#               too — every copy shares a text: or near: key with the campaign's original — and
#               the test passes only if it holds for every copy;
#   paraphrase  the share of copies with a near: key of their original, ≥ 0.9.
#
# Exit status: 0 pass, 1 fail, 77 skipped (no chorus-gen or chorus-hash in the build).
set -u
set -o pipefail

bin=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
for exe in chorus-gen chorus-hash; do
  [[ -x $bin/$exe ]] || { echo "hash_planted.sh: skipped: no $bin/$exe"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chorus-hash-planted.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

"$bin/chorus-gen" -q -n 300k --seed 7 --tactics copy-paste,paraphrase --campaigns-out "$tmp/campaigns.csv" |
  "$bin/chorus-hash" -q -s text,near -o "$tmp/marks.tsv"
status=$?
if [[ $status != 0 ]]; then
  echo "FAIL: chorus-gen | chorus-hash exited $status"
  exit 1
fi
if ! head -1 "$tmp/marks.tsv" | grep -q '^#chorus-marks v1 '; then
  echo "FAIL: the marks do not start with a '#chorus-marks v1' header"
  exit 1
fi

# campaigns.csv first (event -> campaign, tactic, role), then the marks (key ts account event_id).
awk -F'\t' '
  FNR == NR {
    if (FNR == 1) next
    split($0, f, ",")
    c = f[2] "#" f[4]
    campaign[f[1]] = c
    tactic[c] = f[3]
    if (f[5] == "original") original[c] = f[1]
    else copies[c] = copies[c] " " f[1]
    events[c] = events[c] " " f[1]
    size[c]++
    next
  }
  /^#/ { next }
  ($4 in campaign) && ($1 ~ /^(text|near):/) {
    if (seen[$4, $1]++) next
    keys[$4] = keys[$4] " " $1
    has[$4, $1] = 1
    marked[$4] = 1
  }
  END {
    for (c in tactic) {
      if (tactic[c] == "copy-paste") {
        cp_campaigns++
        n = split(events[c], ev, " ")
        cp_events += n
        # A key of the first event that every other event has too.
        m = split(keys[ev[1]], k, " ")
        common = 0
        for (i = 1; i <= m && !common; i++) {
          all = 1
          for (j = 2; j <= n && all; j++) all = ((ev[j], k[i]) in has)
          common = all
        }
        cp_common += common
        # Every copy with a key of the original.
        n = split(copies[c], cs, " ")
        cp_copies += n
        m = split(c in original ? keys[original[c]] : "", k, " ")
        for (j = 1; j <= n; j++) {
          hit = 0
          for (i = 1; i <= m && !hit; i++) hit = ((cs[j], k[i]) in has)
          cp_matched += hit
        }
        if (!(c in original)) cp_no_original++
      } else if (tactic[c] == "paraphrase") {
        pp_campaigns++
        n = split(copies[c], cs, " ")
        pp_copies += n
        m = split(c in original ? keys[original[c]] : "", k, " ")
        for (j = 1; j <= n; j++) {
          hit = 0
          for (i = 1; i <= m && !hit; i++) hit = k[i] ~ /^near:/ && ((cs[j], k[i]) in has)
          pp_matched += hit
        }
      }
    }
    for (e in campaign) {
      all_events++
      unmarked += !(e in marked)
    }
    printf "campaign events: %d, %d without a text: or near: key\n", all_events, unmarked
    printf "copy-paste: %d campaigns, %d events; %d campaigns whose events all share a key\n",
      cp_campaigns, cp_events, cp_common
    printf "copy-paste: %d copies, %d share a text: or near: key with their original (%d campaigns without one)\n",
      cp_copies, cp_matched, cp_no_original
    printf "paraphrase: %d campaigns, %d copies, %d share the near: key of their original (%.3f)\n",
      pp_campaigns, pp_copies, pp_matched, pp_copies ? pp_matched / pp_copies : 0
    ok = 1
    if (cp_campaigns == 0 || pp_campaigns == 0) {
      print "FAIL: no copy-paste or no paraphrase campaign in the truth"
      ok = 0
    }
    if (cp_common < cp_campaigns) {
      printf "note: %d copy-paste campaigns have no key common to all their events\n", cp_campaigns - cp_common
      if (cp_matched < cp_copies || cp_no_original) {
        printf "FAIL: %d copy-paste copies share no text: or near: key with their original\n", cp_copies - cp_matched
        ok = 0
      }
    }
    if (pp_copies == 0 || pp_matched < 0.9 * pp_copies) {
      printf "FAIL: %d of %d paraphrase copies share their original near: key, fewer than 90 %%\n", pp_matched, pp_copies
      ok = 0
    }
    exit !ok
  }' "$tmp/campaigns.csv" "$tmp/marks.tsv"
