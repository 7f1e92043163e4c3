#!/usr/bin/perl
# Reads the TAP that run.sh kept (with FpingCiHook's comments) and sorts every assertion of
# fping's tests: not applicable, feature not in rawping, or translated (passed / failed).
#   perl summarize.pl <rawping|fping> <fping-ci-dir> <log-dir>
use strict;
use warnings;

my ($target, $ci, $log) = @ARGV;
my %total = (cases => 0, na => 0, notin => 0, pass => 0, fail => 0, skip => 0);
my @fails;

sub na_reason {
  my ($cmd, $exit, $what) = @_;
  return 'needs DNS (the namespace has no resolver: names fail as a temporary failure)'
    if $cmd =~ /nosuchname/ && $what =~ /^stderr_like/;
  return 'target not on loopback' if defined $exit && $exit eq '98';
  return "fping's help text" if $cmd =~ /^fping -h$/;
  return "fping's version banner" if $cmd =~ /^fping -v$/;
  return "fping's limits for unprivileged users (the suite runs as root)" if $cmd =~ /^fping (-i 0 -T10 |-c3 -p 9 )/;
  return 'needs an unprivileged user (the suite runs as root)' if $cmd =~ m{/tmp/fping\.copy};
  return undef;
}

for my $t (sort glob("$ci/test-*.pl")) {
  (my $name = $t) =~ s{.*/}{};
  $name =~ s/\.pl$//;
  open my $fh, '<', "$log/$name.tap" or die "no $log/$name.tap";
  my ($cmd, $exit, $planned, $seen, $skip_all) = ('', undef, undef, 0, undef);
  my %first_err;
  while (my $l = <$fh>) {
    chomp $l;
    if ($l =~ /^1\.\.(\d+)(?:\s*#\s*skip\s*(.*))?/i) { $planned = $1; $skip_all = $2 if defined $2; next }
    if ($l =~ /^# fping-ci cmd: (.*)/) { $cmd = $1; $exit = undef; next }
    if ($l =~ /^# fping-ci exit: (.*)/) { $exit = $1; next }
    if ($l =~ /^# fping-ci stderr: (.*)/) { $first_err{$cmd} //= $1; next }
    next unless $l =~ /^(not )?ok (\d+)(.*)/;
    my ($bad, $n, $rest) = ($1, $2, $3);
    $seen++;
    $total{cases}++;
    my ($class, $why);
    if ($rest =~ /#\s*skip\b\s*(.*)/i) { ($class, $why) = ('skip', $1) }
    elsif (defined(my $r = na_reason($cmd, $exit, $rest =~ /- (.*)/ ? $1 : ''))) { ($class, $why) = ('na', $r) }
    elsif ($target eq 'rawping' && defined $exit && $exit eq '99') { ($class, $why) = ('notin', $first_err{$cmd} // '') }
    elsif ($target eq 'rawping' && $cmd =~ /pkill -QUIT fping/ && $rest =~ /- stderr_/) {
      # the shim cannot see it in the flags: fping's SIGQUIT report (README: not in rawping)
      ($class, $why) = ('notin', "fping's SIGQUIT report")
    }
    elsif ($bad) { $class = 'fail'; push @fails, "$name #$n: $cmd (exit $exit)" . ($rest =~ /- (.*)/ ? " [$1]" : '') }
    else { $class = 'pass' }
    $total{$class}++;
    printf "%-28s %3d  %-5s %s%s\n", $name, $n, $class, $cmd, defined $why && $why ne '' ? "  -- $why" : '';
  }
  close $fh;
  if (defined $skip_all) {
    # the whole file skipped itself (no DNS in the namespace): count what it plans
    open my $src, '<', $t or die;
    my ($n) = join('', <$src>) =~ /tests\s*=>\s*(\d+)/;
    $n //= 0;
    $total{cases} += $n;
    $total{na} += $n;
    printf "%-28s all  na    (%d assertions) -- the test skipped itself: %s\n", $name, $n, $skip_all;
  } elsif (defined $planned && $seen < $planned) {
    my $missing = $planned - $seen;
    $total{cases} += $missing;
    $total{fail} += $missing;
    push @fails, "$name: $missing planned assertions never ran (see $log/$name.err)";
  }
}

print "\n== $target: fping's ci tests ==\n";
printf "cases: %d; not applicable: %d; skipped by the test: %d; feature not in rawping: %d; translated: %d passed, %d failed\n",
  @total{qw(cases na skip notin)}, $total{pass}, $total{fail};
print "failed: $_\n" for @fails;
print "$total{pass} passed, $total{fail} failed\n";
