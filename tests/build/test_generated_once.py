"""Each file that a custom command generates has exactly one producing target.

    test_generated_once.py --source SRC --scratch DIR [--jobs N] [--no-build] [-- CMAKE ARG...]

Configures SRC with the Unix Makefiles generator in DIR (emptied first), then reads the rules
of every target (CMakeFiles/<target>.dir/build.make). The Makefiles generator writes a custom
command's rule into each target that lists one of its outputs among its sources, and every
such target runs the command when it is built: two targets that consume the same generated
file race each other in a parallel build (one reads a half-written file, or both write it).
So a rule that runs a custom command must appear in one target only. The generated sources
the project must have (builtin.c; the Lua wrappers when the Lua binding is on) must be among
them. Then the whole tree is built from scratch with -jN, as a check that it does build; a
race would only make that fail sometimes, which is why the structure is checked first.
DIR is removed when everything passed.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

# CMake's Makefiles announce a custom command with a blue, bold line (objects are green, links
# green and bold).
CUSTOM_COMMAND = re.compile(r"cmake_echo_color .*--blue --bold")


def custom_command_outputs(build_make):
    """The rule targets in a build.make whose recipe runs a custom command."""
    outputs = set()
    current = None
    with open(build_make, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("\t"):
                if current and CUSTOM_COMMAND.search(line):
                    outputs.add(current)
                continue
            m = re.match(r"^([^\s#:][^:]*?):(?!=)", line)
            current = m.group(1).strip() if m else None
    return outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("cmake_args", nargs="*")
    args = parser.parse_args()

    if shutil.which("make") is None:
        print("FAIL: make is not installed (apt-get install make)")
        return 1
    shutil.rmtree(args.scratch, ignore_errors=True)
    os.makedirs(args.scratch)
    configure = ["cmake", "-S", args.source, "-B", args.scratch, "-G", "Unix Makefiles",
                 *args.cmake_args]
    print("+ " + " ".join(configure), flush=True)
    done = subprocess.run(configure, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout, done.stderr)
        print("FAIL: configuring with Unix Makefiles failed")
        return 1

    producers = collections.defaultdict(list)
    for root, _dirs, files in os.walk(args.scratch):
        if "build.make" in files and root.endswith(".dir"):
            target = os.path.relpath(root, args.scratch)
            for output in custom_command_outputs(os.path.join(root, "build.make")):
                producers[output].append(target)
    if not producers:
        print("FAIL: no custom command found in any build.make: has the Makefiles format "
              "changed?")
        return 1

    failures = 0
    for output, targets in sorted(producers.items()):
        if len(targets) == 1:
            print("ok   %s: produced by %s" % (output, targets[0]))
        else:
            failures += 1
            print("FAIL %s: its custom command is in %d targets, which race in a parallel "
                  "build: %s" % (output, len(targets), ", ".join(sorted(targets))))

    cache = open(os.path.join(args.scratch, "CMakeCache.txt"), encoding="utf-8").read()
    lua_on = re.search(r"^SMTPCODES_LUA:BOOL=(ON|TRUE|1|YES)$", cache, re.M | re.I)
    expected = [r"(^|/)core/builtin\.c$"]
    if lua_on:
        expected.append(r"(^|/)bindings/lua/.*_wrap\.c$")
    for pattern in expected:
        if not any(re.search(pattern, o) for o in producers):
            failures += 1
            print("FAIL no target generates a file matching %s" % pattern)
    wrappers = [o for o in producers if o.endswith("_wrap.c")]
    print("%d generated files, %d SWIG wrappers" % (len(producers), len(wrappers)))
    if failures:
        print("FAIL: %d generated files with no or several producers" % failures)
        return 1

    if not args.no_build:
        build = ["cmake", "--build", args.scratch, "-j%d" % args.jobs]
        print("+ " + " ".join(build), flush=True)
        done = subprocess.run(build, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        if done.returncode != 0:
            print(done.stdout[-8000:])
            print("FAIL: the -j%d build from scratch failed" % args.jobs)
            return 1
        print("ok   the whole tree builds from scratch with -j%d" % args.jobs)
    shutil.rmtree(args.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
