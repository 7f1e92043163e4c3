#!/usr/bin/env bash
# Run fping's own test suite (its ci/test-*.pl, Perl with Test::Command) against rawping,
# through the translation shim beside this file (scripts/fping-ci/fping), or against the
# real fping for a baseline. A manual check, not part of CI.
#
#   scripts/fping-ci/run.sh [--target rawping|fping] [--ref v5.1] <fping-ci-dir | fping-git-dir>
#
# The argument is fping's ci/ directory, or a clone (or bare git directory) of fping, from
# which ci/ of --ref (default v5.1, the Debian fping this was written against) is taken.
# fping's tests are not in this repository. Needs root (raw sockets, namespaces), `unshare`,
# `ip`, and Perl's Test::Command (Debian: libtest-command-perl; or PERL5LIB pointing at it).
#
# Every test file runs as root in a fresh network namespace with only loopback up, and a new
# pid namespace (the tests `pkill fping`: only their own processes are there to be found), so
# no packet can leave the machine, DNS included. The shim refuses targets outside 127.0.0.0/8
# and ::1 (status 98: "not applicable") in both modes, so nothing is sent to them at all.
# Each file is bounded by `timeout`.
#
# Prints one line per assertion (file, number, ok/FAIL/skip, class, command) and the totals;
# the full TAP with each command's status and output is kept in the --log directory
# (default /tmp/fping-ci-<target>).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target=rawping
ref=v5.1
log=""
while (($#)); do
  case $1 in
    --target) target=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
(($# == 1)) || { sed -n '2,21p' "$0" >&2; exit 2; }
src=$1
[[ $target == rawping || $target == fping ]] || { echo "run.sh: --target rawping|fping" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "run.sh: run as root (raw sockets and namespaces)" >&2; exit 2; }
perl -MTest::Command -e1 2>/dev/null || {
  echo "run.sh: Perl's Test::Command is missing (apt-get install libtest-command-perl, or PERL5LIB)" >&2
  exit 2
}
log=${log:-/tmp/fping-ci-$target}
rm -rf "$log"
mkdir -p "$log"

if [[ -d $src/ci ]] && ls "$src"/ci/test-*.pl >/dev/null 2>&1 && ! git --git-dir="$src/.git" rev-parse -q --verify "$ref" >/dev/null 2>&1; then
  ci=$src/ci
elif ls "$src"/test-*.pl >/dev/null 2>&1; then
  ci=$src
else
  gitdir=$src
  [[ -d $src/.git ]] && gitdir=$src/.git
  mkdir -p "$log/fping-src"
  git --git-dir="$gitdir" archive "$ref" ci | tar -x -C "$log/fping-src"
  ci=$log/fping-src/ci
fi
ci=$(cd "$ci" && pwd)

if [[ $target == rawping ]]; then
  [[ -f $here/../../dist/cli/main.cjs ]] || { echo "run.sh: build rawping first (npm run build)" >&2; exit 2; }
  rawping_cli=$(cd "$here/../../dist/cli" && pwd)/main.cjs
else
  rawping_cli=""
fi

for t in "$ci"/test-*.pl; do
  name=$(basename "$t" .pl)
  # A fresh loopback-only network namespace (and pid namespace) per file.
  timeout -k 5 300 unshare --net --pid --fork --mount-proc \
    env PATH="$here:$PATH" PERL5LIB="$here${PERL5LIB:+:$PERL5LIB}" \
    FPING_CI_TARGET="$target" FPING_CI_RAWPING="$rawping_cli" \
    bash -c 'ip link set lo up && cd "$1" && exec timeout -k 5 240 perl -MFpingCiHook "$2"' _ "$log" "$t" \
    >"$log/$name.tap" 2>"$log/$name.err" || true
done

perl "$here/summarize.pl" "$target" "$ci" "$log"
