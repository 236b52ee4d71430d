#!/usr/bin/perl
# sisimai_bounce.pl - Debian's libsisimai-perl reading bounce messages, the baseline of the
# bounce rows of the benchmark (bench/bounce.sh).
#
#   perl sisimai_bounce.pl time MBOX MESSAGES REPS [PREFIX]
#       Sisimai->dump(MBOX) (every record as JSON, as `smtpcodes bounce --format json` prints
#       them), REPS times after one warm-up run; prints the median CPU time as "key<TAB>value"
#       lines for bench/report.py: PREFIX_s, PREFIX_msgs_per_s (MESSAGES messages in MBOX),
#       PREFIX_records, and sisimai_version. PREFIX defaults to sisimai_bounce.
#   perl sisimai_bounce.pl list FILE...
#       One line per record Sisimai finds in each message FILE, tab-separated: file, recipient,
#       reply code, status, action, reason, softbounce, command; "(none)" for a file without
#       records. For comparing with tests/vectors/bounces/expected.tsv.
#
# Sisimai 4 offers make() and dump() (Sisimai 5 renamed make() to rise()); "delivered" records
# are asked for, as smtpcodes reports them too.
use strict;
use warnings;
use Time::HiRes qw(clock_gettime CLOCK_PROCESS_CPUTIME_ID);
use Sisimai;

my $api = Sisimai->can('rise') ? 'rise' : 'make';

sub records {
    my ($path) = @_;
    my $list = Sisimai->$api($path, 'delivered' => 1);
    return $list ? @$list : ();
}

sub time_dump {
    my ($mbox, $messages, $reps, $prefix) = @_;
    $prefix //= 'sisimai_bounce';
    my $json = Sisimai->dump($mbox, 'delivered' => 1) // '[]';
    my @times;
    for my $rep (1 .. $reps) {
        my $t0 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID);
        $json = Sisimai->dump($mbox, 'delivered' => 1);
        push @times, clock_gettime(CLOCK_PROCESS_CPUTIME_ID) - $t0;
    }
    @times = sort { $a <=> $b } @times;
    my $n = scalar @times;
    my $median = $n % 2 ? $times[int($n / 2)] : ($times[$n / 2 - 1] + $times[$n / 2]) / 2;
    my $records = () = ($json // '') =~ /"recipient"\s*:/g;
    printf "sisimai_version\t%s\n", Sisimai->version;
    printf "%s_s\t%.6f\n", $prefix, $median;
    printf "%s_msgs_per_s\t%.1f\n", $prefix, $messages / $median if $median > 0;
    printf "%s_records\t%d\n", $prefix, $records;
}

sub list {
    for my $path (@_) {
        (my $name = $path) =~ s{.*/}{};
        my @found = records($path);
        unless (@found) {
            print "$name\t(none)\n";
            next;
        }
        for my $e (@found) {
            print join("\t", $name, $e->recipient->address, $e->replycode || '-',
                       $e->deliverystatus || '-', $e->action || '-', $e->reason,
                       $e->softbounce, $e->smtpcommand || '-'), "\n";
        }
    }
}

my $mode = shift @ARGV // '';
if ($mode eq 'time' && @ARGV >= 3) {
    time_dump(@ARGV);
} elsif ($mode eq 'list' && @ARGV) {
    list(@ARGV);
} else {
    die "usage: sisimai_bounce.pl time MBOX MESSAGES REPS [PREFIX] | list FILE...\n";
}
