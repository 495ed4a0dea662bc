#!/usr/bin/env bash
# docs_flags.sh -- the man pages and the completions know every flag of every
# command, and the completions offer no flag that the command lacks (STYLE
# habit 5: one flag table, or a test that compares).
#
# For every executable chorus-X in the build directory, the flags (short and
# long) of `chorus-X --help` must be
#   - in man/chorus-X.1, and every flag the page's OPTIONS section lists must
#     be in --help;
#   - exactly the flags that completions/chorus.bash offers for `chorus-X -`
#     and for `chorus X -` (run in bash);
#   - exactly the flags of the _chorus-X function in completions/_chorus (read);
#   - exactly the flags of the `complete -c chorus-X` lines in
#     completions/chorus.fish (read; and, when fish is installed, offered by
#     `complete -C 'chorus-X -'` and `complete -C 'chorus X -'`).
# A command that `chorus` runs itself (chorus X with no chorus-X, such as
# demo) is checked the same way against `chorus X --help`, with chorus.1 as
# its page, _chorus-X in _chorus and the `complete -c chorus -n
# '__fish_seen_subcommand_from X'` lines in chorus.fish.
# The commands that `chorus --help` lists must be the commands the three
# completion files offer after `chorus`, and be items of chorus.1's COMMANDS;
# the flags offered after `chorus` itself must be accepted by it and be the
# flags of chorus.1's OPTIONS. The presets of `chorus-parse --list-presets`
# must be offered for --preset and shown in chorus-parse.1.
#
# Environment: CHORUS_BIN (build dir), CHORUS_SRC (repo root).
set -u
BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
SRC=${CHORUS_SRC:?CHORUS_SRC must name the source directory}
BASH_COMP=$SRC/completions/chorus.bash
ZSH_COMP=$SRC/completions/_chorus
FISH_COMP=$SRC/completions/chorus.fish

fail=0 errors=0
err() {
  echo "FAIL $*"
  fail=1
  errors=$((errors + 1))
}
for f in "$BASH_COMP" "$ZSH_COMP" "$FISH_COMP"; do
  [ -f "$f" ] || err "missing completion file ${f#"$SRC"/}"
done
[ -x "$BIN/chorus" ] || { echo "docs_flags: no $BIN/chorus: build first"; exit 1; }

# The words of a list, one per line, sorted and unique.
words() { tr ' \t' '\n\n' | sed '/^$/d' | LC_ALL=C sort -u; }

# compare WHAT EXPECTED ACTUAL: the two word lists must be equal.
compare() {
  local what=$1 expected=$2 actual=$3 missing extra
  missing=$(LC_ALL=C comm -23 <(words <<<"$expected") <(words <<<"$actual") | tr '\n' ' ')
  extra=$(LC_ALL=C comm -13 <(words <<<"$expected") <(words <<<"$actual") | tr '\n' ' ')
  [ -z "$missing" ] || err "$what: missing $missing"
  [ -z "$extra" ] || err "$what: has $extra which --help does not list"
}

# The flags of a CLI11 --help text on stdin: the first word of the lines that
# start with spaces and a dash ("  -o,--output FILE=-   Write ...").
help_flags() {
  grep -E '^[[:space:]]+-' | awk '{print $1}' | tr ',' '\n' |
    grep -E '^--?[A-Za-z0-9]' | sed 's/=.*//' | words
}

# Roff source to plain text, enough to find flags: \- and font changes.
unroff() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\&//g' "$@"; }

# in_text FLAG: whether stdin mentions FLAG as a whole word.
in_text() { grep -qE -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|$)"; }

# The flags that the tag lines (the line after .TP) of a page's OPTIONS section name.
man_option_flags() {
  unroff "$1" | awk '
    /^\.SH/ { in_opts = ($0 ~ /^\.SH +"?OPTIONS"?/); next }
    in_opts && /^\.TP/ { tag = 1; next }
    in_opts && tag { print; tag = 0 }' |
    grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[^-]//' | words
}

# bash_offer WORD...: what completions/chorus.bash offers for the command line
# WORD... (the last word is the one being completed).
bash_offer() {
  bash -c '
    source "$1" || exit 1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    spec=$(complete -p "$1" 2>/dev/null) || { echo "no completion for $1" >&2; exit 1; }
    func=$(sed -E "s/.* -F ([^ ]+) .*/\1/" <<<"$spec")
    "$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$BASH_COMP" "$@" | words
}

# zsh_flags FUNCTION: the flags of the option specs (lines starting with a
# quote) in FUNCTION's body in completions/_chorus, before the [description].
zsh_flags() {
  awk -v f="$1() {" '$0 == f { on = 1; next } on && /^}/ { on = 0 } on' "$ZSH_COMP" |
    grep -E "^[[:space:]]*'" | sed -E 's/\[.*//; s/\([^)]*\)//g' |
    grep -oE -- '--?[A-Za-z0-9][A-Za-z0-9-]*' | words
}

# fish_flags PREFIX: the -s/-l flags of the lines of chorus.fish that start
# with PREFIX (an extended regular expression).
fish_flags() {
  grep -E "^$1" "$FISH_COMP" |
    grep -oE -- ' -[sl] [A-Za-z0-9][A-Za-z0-9-]*' |
    sed -E 's/^ -s /-/; s/^ -l /--/' | words
}

# fish_offer COMMANDLINE: what fish completes for it (when fish is installed).
fish_offer() {
  fish --no-config -c "source $(printf '%q' "$FISH_COMP"); complete -C $(printf '%q' "$1")" 2>/dev/null |
    cut -f1 | words
}
have_fish=0
if command -v fish >/dev/null; then
  have_fish=1
  fish --no-config -n "$FISH_COMP" || err "chorus.fish: fish -n finds a syntax error"
else
  echo "note: fish is not installed: chorus.fish is only read, not run"
fi
if command -v zsh >/dev/null; then
  zsh -n "$ZSH_COMP" || err "_chorus: zsh -n finds a syntax error"
else
  echo "note: zsh is not installed: _chorus is only read, not run"
fi
bash -n "$BASH_COMP" || err "chorus.bash: bash -n finds a syntax error"

# The dispatcher: its commands and its own flags.
commands=$("$BIN/chorus" --help | awk '/^Commands:/ { on = 1; next } on && /^[[:space:]]*$/ { exit } on { print $1 }' | words)
[ -n "$commands" ] || err "chorus --help lists no commands"
compare "chorus.bash: commands after 'chorus'" "$commands" "$(bash_offer chorus '')"
compare "_chorus: commands after 'chorus'" "$commands" \
  "$(awk '/commands=\(/ { on = 1; next } on && /^[[:space:]]*\)/ { on = 0 } on' "$ZSH_COMP" |
    grep -oE "^[[:space:]]*'[a-z][a-z0-9-]*:" | tr -d " ':")"
compare "chorus.fish: commands after 'chorus'" "$commands" \
  "$(grep -E '^complete -c chorus -n __fish_use_subcommand( .*)? -a ' "$FISH_COMP" | sed -E 's/.* -a ([^ ]+).*/\1/')"
[ "$have_fish" = 1 ] && compare "fish: commands after 'chorus'" "$commands" "$(fish_offer 'chorus ')"
for c in $commands; do
  awk '/^\.SH/ { on = ($0 ~ /COMMANDS/) } on' "$SRC/man/chorus.1" | grep -qE "^\.B $c\$" ||
    err "chorus.1: COMMANDS has no item '.B $c'"
done
for exe in "$BIN"/chorus-*; do
  [ -x "$exe" ] || continue
  c=${exe##*/chorus-}
  grep -qx -- "$c" <<<"$commands" || err "chorus --help does not list the command '$c' (chorus-$c exists)"
done
dispatcher_flags="$(bash_offer chorus -) $(zsh_flags _chorus) $(fish_flags 'complete -c chorus -n __fish_use_subcommand -[sl] ')"
for f in $(words <<<"$dispatcher_flags"); do
  "$BIN/chorus" "$f" >/dev/null 2>&1 || err "the completions offer '$f' after 'chorus', which chorus does not accept"
done

extra=$(LC_ALL=C comm -3 <(words <<<"$dispatcher_flags") <(man_option_flags "$SRC/man/chorus.1") | tr -d '\t' | tr '\n' ' ')
[ -z "$extra" ] || err "chorus.1: OPTIONS and the flags the completions offer after 'chorus' differ in $extra"

# check_command LABEL FLAGS PAGE OPTIONS_TOO ZSH_FUNCTION FISH_PREFIX COMMANDLINE...:
# FLAGS must be in PAGE (and PAGE's OPTIONS must be FLAGS when OPTIONS_TOO is
# 1), and be what the completions offer after each COMMANDLINE.
check_command() {
  local label=$1 flags=$2 page=$3 options_too=$4 zfunc=$5 fprefix=$6 before=$errors f cl text extra
  shift 6
  if [ -z "$flags" ]; then
    err "$label --help lists no flags"
    return
  fi
  if [ ! -f "$page" ]; then
    err "$label has no man page ${page#"$SRC"/}"
  else
    text=$(unroff "$page")
    for f in $flags; do
      in_text "$f" <<<"$text" || err "${page#"$SRC"/} does not mention $f of $label"
    done
    if [ "$options_too" = 1 ]; then
      extra=$(LC_ALL=C comm -13 <(words <<<"$flags") <(man_option_flags "$page") | tr '\n' ' ')
      [ -z "$extra" ] || err "${page#"$SRC"/}: OPTIONS lists $extra which --help does not list"
    fi
  fi
  for cl in "$@"; do
    # shellcheck disable=SC2086 # the command line is words
    compare "chorus.bash: '$cl -'" "$flags" "$(bash_offer $cl -)"
  done
  compare "_chorus: $zfunc" "$flags" "$(zsh_flags "$zfunc")"
  compare "chorus.fish: $fprefix" "$flags" "$(fish_flags "$fprefix")"
  if [ "$have_fish" = 1 ]; then
    for cl in "$@"; do
      compare "fish: '$cl -'" "$flags" "$(fish_offer "$cl -")"
    done
  fi
  [ "$errors" = "$before" ] && echo "ok   $label: $(wc -w <<<"$flags") flags"
}

# Every command.
checked=0
for exe in "$BIN"/chorus-*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  name=${exe##*/}
  sub=${name#chorus-}
  checked=$((checked + 1))
  check_command "$name" "$("$exe" --help | help_flags)" "$SRC/man/$name.1" 1 \
    "_$name" "complete -c $name " "$name" "chorus $sub"
done
[ "$checked" -gt 0 ] || err "no chorus-* executables in $BIN"
# The commands chorus runs itself.
for c in $commands; do
  [ -e "$BIN/chorus-$c" ] && continue
  help=$(timeout 20 "$BIN/chorus" "$c" --help 2>/dev/null) || continue
  check_command "chorus $c" "$(help_flags <<<"$help")" "$SRC/man/chorus.1" 0 \
    "_chorus-$c" "complete -c chorus -n '__fish_seen_subcommand_from $c' " "chorus $c"
done

# chorus-parse's presets.
if [ -x "$BIN/chorus-parse" ]; then
  presets=$("$BIN/chorus-parse" --list-presets | sed -n 's/^preset \([^ ]*\).*/\1/p' | words)
  compare "chorus.bash: presets after --preset" "$presets" "$(bash_offer chorus-parse --preset '')"
  compare "_chorus: presets after --preset" "$presets" \
    "$(grep -E -- "--preset=\}" "$ZSH_COMP" | sed -E 's/.*:\(([^)]*)\).*/\1/')"
  compare "chorus.fish: presets after --preset" "$presets" \
    "$(grep -E -- "^complete -c chorus-parse .*-l preset " "$FISH_COMP" | sed -E "s/.* -a '([^']*)'.*/\1/")"
  [ "$have_fish" = 1 ] && compare "fish: presets after --preset" "$presets" "$(fish_offer 'chorus-parse --preset ')"
  for p in $presets; do
    unroff "$SRC/man/chorus-parse.1" | grep -qx -- "preset $p (.*)" ||
      err "chorus-parse.1 does not show the field map of preset $p"
  done
fi

exit "$fail"
