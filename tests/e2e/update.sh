#!/usr/bin/env bash
# update.sh — regenerate the expected files of end-to-end cases from the
# current binaries, for review:
#
#   tests/e2e/update.sh                  every case
#   tests/e2e/update.sh NAME [NAME...]   these cases (names or folders)
#
# CHORUS_BIN defaults to build/ at the top of the repository. The new files
# are the program's output, not the truth: read `git diff tests/e2e/cases`
# line by line, and check each changed value against the SPEC or an
# independent computation before keeping it.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CHORUS_BIN=${CHORUS_BIN:-$here/../../build}
export CHORUS_DATA=${CHORUS_DATA:-$here/../../../shared/data}

cases=()
if (($# == 0)); then
  for d in "$here"/cases/*/; do cases+=("${d%/}"); done
else
  for c in "$@"; do
    if [[ -d $c ]]; then cases+=("$c"); else cases+=("$here/cases/$c"); fi
  done
fi

status=0
for c in "${cases[@]}"; do
  bash "$here/run_case.sh" --update "$c" || status=1
done
exit $status
