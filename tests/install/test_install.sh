#!/bin/sh
# Installs smtpcodes from the build tree into a scratch prefix, then builds a small C program
# against that copy twice: with pkg-config, and with CMake's find_package(smtpcodes).
# Usage: test_install.sh BUILD-DIR SOURCE-DIR SCRATCH-DIR
set -eu
build=$1 source=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
prefix=$scratch/prefix

cmake --install "$build" --prefix "$prefix" > "$scratch/install.log"
for f in bin/smtpcodes include/smtpcodes.h share/man/man1/smtpcodes.1; do
    test -f "$prefix/$f" || { echo "FAIL: $f was not installed"; exit 1; }
done
libdir=$(find "$prefix" -name libsmtpcodes.so -printf '%h\n' | head -n 1)
test -n "$libdir" || { echo "FAIL: libsmtpcodes.so was not installed"; exit 1; }
test -f "$libdir/libsmtpcodes.a" || { echo "FAIL: libsmtpcodes.a was not installed"; exit 1; }

# The installed CLI finds its library through its RPATH.
"$prefix/bin/smtpcodes" show 421 | grep -q '^SMTP 421 ' || { echo "FAIL: installed CLI"; exit 1; }

# pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs smtpcodes)
cc -o "$scratch/pc-consumer" "$source/tests/install/consumer/main.c" $flags
out=$(LD_LIBRARY_PATH="$libdir" "$scratch/pc-consumer")
echo "pkg-config: $out"
case $out in "421 Service Not Available | SMTP 421 Dịch vụ "*" so với 504 "*) ;; *) echo "FAIL: pkg-config consumer"; exit 1;; esac

# find_package
cmake -S "$source/tests/install/consumer" -B "$scratch/consumer" \
      -DCMAKE_PREFIX_PATH="$prefix" > "$scratch/consumer.log"
cmake --build "$scratch/consumer" >> "$scratch/consumer.log"
out=$("$scratch/consumer/consumer")
echo "find_package: $out"
case $out in "421 Service Not Available | "*) ;; *) echo "FAIL: find_package consumer"; exit 1;; esac
out=$("$scratch/consumer/consumer_static")
case $out in "421 Service Not Available | "*) ;; *) echo "FAIL: static consumer"; exit 1;; esac
echo "install: ok"
