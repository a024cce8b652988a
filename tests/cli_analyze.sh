#!/usr/bin/env bash
# vraagbaak-analyze as a user runs it: output, exit codes, one-line errors.
set -u
bin=$1
fail=0
check() { # description, expected status, command...
  local what=$1 want=$2; shift 2
  out=$("$@" 2>&1); got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want; output: $out"; fail=1
  fi
}
expect_output() { # description, pattern
  if ! grep -q -- "$2" <<<"$out"; then
    echo "FAIL: $1: output lacks '$2': $out"; fail=1
  fi
}

check "help" 0 "$bin" --help;                 expect_output "help" "Usage: vraagbaak-analyze"
check "version" 0 "$bin" --version;           expect_output "version" "vraagbaak-analyze [0-9]"
check "bad flag" 2 "$bin" --bogus;            expect_output "bad flag" "unknown option '--bogus'"
[ "$(wc -l <<<"$out")" -eq 1 ] || { echo "FAIL: bad flag error is not one line"; fail=1; }
check "bad lang" 2 "$bin" --lang de x;        expect_output "bad lang" "unknown language 'de'"
check "compound" 0 "$bin" --lang nl glasvezelaansluitingen
expect_output "compound" "glasvezelaansluiting glasvezel aansluiting"
check "detect" 0 "$bin" "Le client souhaite résilier l'abonnement"
expect_output "detect" "language: fr"
out=$(printf 'ab\xffcd' | "$bin" 2>&1); got=$?
[ "$got" = 1 ] || { echo "FAIL: invalid UTF-8 exit $got"; fail=1; }
expect_output "invalid UTF-8" "invalid UTF-8 at byte 2"
out=$(printf 'facturen betalen' | "$bin" --lang nl 2>&1)
expect_output "stdin" "factuur"
exit $fail
