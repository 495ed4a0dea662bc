#!/usr/bin/env bash
# man_examples.sh -- the examples in the man pages run, and print what the
# pages show (STYLE habit 8).
#
# An example is an .EX/.EE block whose first line starts with "$ ":
#   $ command          a command, run with bash in a temporary directory
#   > more             continues the command on the next line
#   output             the command's expected standard output (optional)
#   ...                as the last output line: only the lines above it are compared
# Each page's examples run in order in one directory, so a later example can
# use the files an earlier one made. Every command must exit 0 (write
# "cmd; echo $?" to show another status). Blocks that do not start with "$ "
# (diagrams, formats) are not run. Example text may use the roff escapes
# \- \e \& \(aq \(dq \(ga \(ti \(ha \(rs and no others.
#
# Environment: CHORUS_BIN (build dir, put first on PATH), CHORUS_SRC (repo root).
set -u
BIN=${CHORUS_BIN:?CHORUS_BIN must name the build directory}
SRC=${CHORUS_SRC:?CHORUS_SRC must name the source directory}
command -v perl >/dev/null || { echo "man_examples: perl is missing: skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# extract PAGE DIR: writes DIR/NNN.cmd, DIR/NNN.out (expected output, when the
# page shows one) and DIR/NNN.prefix (when only a prefix is compared).
extract() {
  perl -e '
    use strict; use warnings;
    my ($page, $dir) = @ARGV;
    my %esc = ("-" => "-", "e" => "\\", "&" => "", "(aq" => "\x27", "(dq" => "\"",
               "(ga" => "`", "(ti" => "~", "(ha" => "^", "(rs" => "\\");
    sub unroff {
      my ($s, $where) = @_;
      $s =~ s{\\(\(..|.)}{
        exists $esc{$1} ? $esc{$1} : die "$where: unsupported roff escape \\$1 in an example\n"
      }ge;
      return $s;
    }
    open(my $fh, "<", $page) or die "$page: $!\n";
    my ($in, $example, $n, $cur) = (0, 0, 0, undef);
    my @examples;
    while (my $line = <$fh>) {
      chomp $line;
      my $where = "$page:$.";
      if ($line =~ /^\.EX\b/) { ($in, $example, $cur) = (1, 0, undef); next; }
      if ($line =~ /^\.EE\b/) { $in = 0; next; }
      next unless $in;
      next if $line =~ /^[.\x27]/;   # requests and comments inside the block
      next if !$example && $line !~ /^\$ /;  # not an example block
      my $text = unroff($line, $where);
      if ($text =~ /^\$ (.*)$/) {
        $example = 1;
        $cur = { cmd => $1, out => [], line => $. };
        push @examples, $cur;
      } elsif ($text =~ /^> (.*)$/ && !@{$cur->{out}}) {
        $cur->{cmd} .= "\n$1";
      } else {
        push @{$cur->{out}}, $text;
      }
    }
    for my $e (@examples) {
      my $base = sprintf("%s/%03d", $dir, ++$n);
      open(my $c, ">", "$base.cmd") or die; print $c "$e->{cmd}\n"; close $c;
      open(my $l, ">", "$base.line") or die; print $l "$e->{line}\n"; close $l;
      next unless @{$e->{out}};
      my @out = @{$e->{out}};
      if ($out[-1] eq "...") {
        pop @out;
        open(my $p, ">", "$base.prefix") or die; close $p;
      }
      open(my $o, ">", "$base.out") or die; print $o map { "$_\n" } @out; close $o;
    }
  ' "$1" "$2"
}

fail=0 ran=0
for page in "$SRC"/man/*.[1-9]; do
  [ -f "$page" ] || continue
  name=$(basename "$page")
  spec="$work/spec-$name"
  run="$work/run-$name"
  mkdir -p "$spec" "$run"
  if ! extract "$page" "$spec"; then
    fail=1
    continue
  fi
  count=0
  for cmdfile in "$spec"/*.cmd; do
    [ -f "$cmdfile" ] || continue
    base=${cmdfile%.cmd}
    line=$(cat "$base.line")
    count=$((count + 1))
    ran=$((ran + 1))
    (cd "$run" && PATH="$BIN:$PATH" LC_ALL=C TZ=UTC timeout 120 bash -c "$(cat "$cmdfile")") \
      >"$base.actual" 2>"$base.stderr" </dev/null
    status=$?
    if [ "$status" -ne 0 ]; then
      echo "FAIL $name:$line: exit status $status: $(cat "$cmdfile")"
      sed 's/^/  stderr: /' "$base.stderr" | head -20
      fail=1
      continue
    fi
    if [ -f "$base.out" ]; then
      expected="$base.out"
      actual="$base.actual"
      if [ -f "$base.prefix" ]; then
        head -n "$(wc -l <"$expected")" "$base.actual" >"$base.head"
        actual="$base.head"
      fi
      if ! cmp -s "$expected" "$actual"; then
        echo "FAIL $name:$line: output differs from the page: $(cat "$cmdfile")"
        diff -u --label page --label actual "$expected" "$actual" | head -40
        fail=1
        continue
      fi
    fi
    echo "ok   $name:$line: $(head -n 1 "$cmdfile")"
  done
  [ "$count" -eq 0 ] && echo "note $name: no examples marked (.EX blocks whose lines start with '\$ ')"
done

if [ "$ran" -eq 0 ]; then
  echo "man_examples: no examples found under $SRC/man"
  exit 1
fi
exit "$fail"
