#!/bin/sh
# Makes the compressed logs of this directory from mail.log with Debian's gzip, xz, bzip2 and
# zstd (sh .ci/deps test installs them), and tar. The outputs are committed: the tests read
# them as they are, and another version of a tool may compress to other bytes. expected.tsv
# gives what a scan of each makes; README.md (tests/vectors) says what each file is for.
#
#   cd tests/vectors/logs/compressed && sh make.sh
set -eu

log=mail.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The log in three parts, for the files of several members, streams or frames.
split -l 12 "$log" "$tmp/part."
: > "$tmp/empty"

# One of each format, and the log 40 times over (283 KiB of text: more than the scanner's
# buffer of decoded text holds at once).
gzip -9nc "$log" > mail.log.gz
xz -9c "$log" > mail.log.xz
bzip2 -9c "$log" > mail.log.bz2
zstd -19qc "$log" > mail.log.zst
for i in $(seq 40); do cat "$log"; done > "$tmp/x40"
gzip -9nc "$tmp/x40" > mail-x40.log.gz
zstd -19qc "$tmp/x40" > mail-x40.log.zst

# Several members, streams or frames one after another (an empty one among them for gzip and
# zstd), as `gzip -c part >> log` or pbzip2 make them.
for p in "$tmp/part.aa" "$tmp/empty" "$tmp/part.ab" "$tmp/part.ac"; do gzip -9nc "$p"; done \
    > mail-members.log.gz
for p in "$tmp/part.aa" "$tmp/part.ab" "$tmp/part.ac"; do xz -9c "$p"; done > mail-streams.log.xz
for p in "$tmp/part.aa" "$tmp/part.ab" "$tmp/part.ac"; do bzip2 -9c "$p"; done \
    > mail-streams.log.bz2
for p in "$tmp/part.aa" "$tmp/empty" "$tmp/part.ab" "$tmp/part.ac"; do zstd -19qc "$p"; done \
    > mail-frames.log.zst

# Cut short (the first half of the bytes) and corrupt (16 bytes overwritten in the middle).
for f in mail.log.gz mail.log.xz mail.log.bz2 mail.log.zst; do
    size=$(wc -c < "$f")
    head -c $((size / 2)) "$f" > "mail-truncated.${f#mail.}"
    cp "$f" "mail-corrupt.${f#mail.}"
    printf 'CORRUPTCORRUPT!!' | dd of="mail-corrupt.${f#mail.}" bs=1 seek=$((size / 2)) \
        conv=notrunc status=none
done

# Binary data that is no text log: a tar archive of the log, the same gzip-compressed, and raw
# deflate data (gzip's output without its 10-byte header), which has no magic number.
tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 -cf mail.tar "$log"
gzip -9nc mail.tar > mail.tar.gz
tail -c +11 mail.log.gz > mail.log.deflate
