#!/usr/bin/perl
# sisimai.pl LINES REPS - the baseline of the "reply code extraction" row: Debian's
# libsisimai-perl finding the SMTP reply code (Sisimai::SMTP::Reply->find) and the enhanced
# status code (Sisimai::SMTP::Status->find) of each line of LINES, as smtpc_bench extract does
# with smtpc_reply_parse(SMTPC_REPLY_EMBEDDED). Prints the median time per line over REPS runs
# (CPU time) as "key<TAB>value" lines for bench/report.py.
use strict;
use warnings;
use Time::HiRes qw(clock_gettime CLOCK_PROCESS_CPUTIME_ID);
use Sisimai::SMTP::Reply;
use Sisimai::SMTP::Status;

my ($path, $reps) = @ARGV;
die "usage: sisimai.pl LINES REPS\n" unless defined $path && defined $reps;
open(my $fh, '<', $path) or die "$path: $!\n";
my @lines = <$fh>;
close $fh;
chomp @lines;

my @times;
my $found = 0;
for my $rep (1 .. $reps) {
    $found = 0;
    my $t0 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID);
    for my $line (@lines) {
        my $code = Sisimai::SMTP::Reply->find($line);
        my $status = Sisimai::SMTP::Status->find($line);
        $found++ if defined $code && $code ne '';
    }
    push @times, clock_gettime(CLOCK_PROCESS_CPUTIME_ID) - $t0;
}
@times = sort { $a <=> $b } @times;
my $n = scalar @times;
my $median = $n % 2 ? $times[int($n / 2)] : ($times[$n / 2 - 1] + $times[$n / 2]) / 2;
printf "sisimai_version\t%s\n", $Sisimai::SMTP::Reply::VERSION // `dpkg-query -W -f='\${Version}' libsisimai-perl 2>/dev/null`;
printf "sisimai_lines\t%d\n", scalar @lines;
printf "sisimai_found\t%d\n", $found;
printf "sisimai_ns_per_line\t%.1f\n", $median / scalar(@lines) * 1e9;
