# Loaded by scripts/fping-ci/run.sh (perl -MFpingCiHook) in front of fping's ci/test-*.pl:
# after each command that Test::Command runs, it prints the command, its exit status and
# the start of its stdout and stderr as TAP comments, so that run.sh can tell which
# assertions belong to which command (and whether the shim said "feature not in rawping"
# or "not applicable").
package FpingCiHook;
use strict;
use warnings;
use Test::Command ();

my $orig = \&Test::Command::run;
{
  no warnings 'redefine';
  *Test::Command::run = sub {
    my ($self) = @_;
    my $r = $orig->(@_);
    my $res = $self->{'result'};
    my $cmd = ref $self->{'cmd'} ? join(' ', @{ $self->{'cmd'} }) : $self->{'cmd'};
    my $exit = defined $res->{'exit_status'} ? $res->{'exit_status'} : 'signal ' . $res->{'term_signal'};
    print STDOUT "# fping-ci cmd: $cmd\n";
    print STDOUT "# fping-ci exit: $exit\n";
    for my $which (qw(stdout stderr)) {
      open my $fh, '<', $res->{"${which}_file"} or next;
      my $lines = 0;
      while (my $l = <$fh>) {
        last if ++$lines > 12;
        chomp $l;
        print STDOUT "# fping-ci $which: $l\n";
      }
      close $fh;
    }
    return $r;
  };
}
1;
