#!/usr/bin/env bash
# run_case.sh — run one end-to-end case folder and compare what the command
# did with what the folder expects. The case format is described in README.md
# beside this script.
#
#   CHORUS_BIN=build bash tests/e2e/run_case.sh tests/e2e/cases/NAME
#   CHORUS_BIN=build bash tests/e2e/run_case.sh --update tests/e2e/cases/NAME
#
# Exit status: 0 the case passed (or was updated), 1 it failed, 2 the case or
# the environment is broken (no CHORUS_BIN, no cmd file, setup failed).
set -u

usage() {
  echo "usage: run_case.sh [--update] CASE_DIR" >&2
  exit 2
}

update=0
if [[ ${1:-} == --update ]]; then
  update=1
  shift
fi
[[ $# -eq 1 ]] || usage
[[ -d $1 ]] || { echo "run_case.sh: $1: no such case folder" >&2; exit 2; }
case_dir=$(cd "$1" && pwd)
name=$(basename "$case_dir")
[[ -f $case_dir/cmd ]] || { echo "run_case.sh: $name: no cmd file" >&2; exit 2; }
[[ -n ${CHORUS_BIN:-} && -d $CHORUS_BIN ]] || {
  echo "run_case.sh: set CHORUS_BIN to the build directory holding the chorus executables" >&2
  exit 2
}
bin=$(cd "$CHORUS_BIN" && pwd)
timeout_s=${CHORUS_E2E_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-e2e.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
run=$work/run   # the command's working directory
out=$work/out   # what it printed (outside run/, so it never sees these files)
mkdir -p "$run" "$out" "$work/tmp" "$work/home"

# The case's files, except the ones that describe the case itself.
shopt -s dotglob nullglob
for f in "$case_dir"/*; do
  case $(basename "$f") in
    cmd | setup | stdin | expected_stdout | expected_stderr | expected_status | expected_files | README*) ;;
    *) cp -a "$f" "$run/" ;;
  esac
done
shopt -u dotglob nullglob

# A fixed environment: the same case gives the same bytes on every machine.
run_env=(env -i "PATH=$bin:${PATH:-/usr/bin:/bin}" "HOME=$work/home" "TMPDIR=$work/tmp" LC_ALL=C TZ=UTC
  "CHORUS_BIN=$bin" "CHORUS_DATA=${CHORUS_DATA:-}")
# Sanitizer builds keep their settings.
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [[ -n ${!v:-} ]] && run_env+=("$v=${!v}")
done

if [[ -f $case_dir/setup ]]; then
  if ! (cd "$run" && "${run_env[@]}" bash "$case_dir/setup") >"$out/setup.log" 2>&1; then
    echo "FAIL $name: setup failed"
    cat "$out/setup.log"
    exit 2
  fi
fi

stdin=/dev/null
[[ -f $case_dir/stdin ]] && stdin=$case_dir/stdin
cmd=$(<"$case_dir/cmd")
(cd "$run" && exec timeout -k 5 "$timeout_s" "${run_env[@]}" bash -c "$cmd") <"$stdin" >"$out/stdout" 2>"$out/stderr"
status=$?

if ((update)); then
  changed=()
  put() {  # put NAME FILE: keep FILE as the case's NAME, or remove NAME when FILE is empty
    local target=$case_dir/$1
    if [[ -s $2 ]]; then
      cmp -s "$2" "$target" 2>/dev/null || { cp "$2" "$target"; changed+=("$1"); }
    elif [[ -e $target ]]; then
      rm -f "$target"
      changed+=("$1 (removed)")
    fi
  }
  if ((status == 124)); then
    echo "FAIL $name: timed out after ${timeout_s}s; nothing updated"
    exit 1
  fi
  put expected_stdout "$out/stdout"
  put expected_stderr "$out/stderr"
  if ((status != 0)); then echo "$status" >"$out/status"; else : >"$out/status"; fi
  put expected_status "$out/status"
  if [[ -d $case_dir/expected_files ]]; then
    while IFS= read -r -d '' f; do
      rel=${f#"$case_dir/expected_files/"}
      if [[ -f $run/$rel ]]; then
        cmp -s "$run/$rel" "$f" || { cp "$run/$rel" "$f"; changed+=("expected_files/$rel"); }
      else
        echo "warning: $name: the command did not create $rel" >&2
      fi
    done < <(find "$case_dir/expected_files" -type f -print0)
  fi
  if ((${#changed[@]})); then
    echo "updated $name: ${changed[*]} — review with git diff before keeping it"
  else
    echo "unchanged $name"
  fi
  exit 0
fi

failed=0
fail() {
  ((failed)) || { echo "FAIL $name"; echo "  case: $case_dir"; echo "  cmd:  $cmd"; }
  failed=1
  echo "--- $*"
}
show_diff() {  # show_diff WHAT EXPECTED ACTUAL
  local nul
  nul=$(cat "$2" "$3" | tr -cd '\000' | wc -c)
  if ((nul > 0)); then
    cmp "$2" "$3" 2>&1 | sed 's/^/  /'
  else
    diff -u -a --label "expected $1" --label "actual $1" "$2" "$3" | head -n 200
  fi
}

expected_status=0
[[ -f $case_dir/expected_status ]] && expected_status=$(tr -d ' \n' <"$case_dir/expected_status")
if ((status == 124)); then
  fail "timed out after ${timeout_s}s (a hang?)"
elif [[ $status != "$expected_status" ]]; then
  fail "exit status $status, expected $expected_status"
fi
for stream in stdout stderr; do
  exp=$case_dir/expected_$stream
  [[ -f $exp ]] || exp=/dev/null
  if ! cmp -s "$exp" "$out/$stream"; then
    fail "$stream differs"
    show_diff "$stream" "$exp" "$out/$stream"
  fi
done
if [[ -d $case_dir/expected_files ]]; then
  while IFS= read -r -d '' f; do
    rel=${f#"$case_dir/expected_files/"}
    if [[ ! -f $run/$rel ]]; then
      fail "file $rel was not created"
    elif ! cmp -s "$f" "$run/$rel"; then
      fail "file $rel differs"
      show_diff "$rel" "$f" "$run/$rel"
    fi
  done < <(find "$case_dir/expected_files" -type f -print0 | sort -z)
fi

if ((failed)); then
  echo "  reproduce: CHORUS_BIN=$bin bash $(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run_case.sh $case_dir"
  exit 1
fi
echo "ok $name"
exit 0
