"""The CI scripts (.ci/), run in a scratch copy with the programs they call replaced by stubs.

    test_ci.py --source SRC --scratch DIR

- .ci/deps --list: `build` has what building the library, the CLI and the bindings needs and
  no server, sanitizer or benchmark baseline; `test` adds what the tests need; `all` adds the
  sanitizers and Sisimai. Nothing is installed when nothing is missing.
- .ci/demo installs `build`, builds without the tests and shows the two commands.
- .ci/test installs `test`, configures with SMTPCODES_WERROR=ON, runs ctest and not the
  benchmarks; its last line is ctest's.
- .ci/run runs test, bench (bench/run.sh --quick), sanitize and fuzz, each even when an earlier
  one failed, and ends with "N passed, N failed".
"""

import argparse
import os
import shutil
import stat
import subprocess
import sys

failures = []


def check(ok, message, detail=""):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def stub(path, name, status=0, extra=""):
    """A program that logs its name and arguments to $STUB_LOG, then exits with `status`."""
    write(path, '#!/bin/sh\necho "%s $*" >> "$STUB_LOG"\n%sexit %d\n' % (name, extra, status))


def deps_list(source, which):
    done = subprocess.run(["sh", os.path.join(source, ".ci", "deps"), "--list", which],
                          capture_output=True, text=True)
    check(done.returncode == 0, ".ci/deps --list %s" % which, done.stderr)
    return set(done.stdout.split())


def check_deps(source, scratch):
    build, test, everything = (deps_list(source, w) for w in ("build", "test", "all"))
    for needed in ("cmake", "ninja-build", "gcc", "swig", "liblua5.4-dev", "python3-venv"):
        check(needed in build, "deps build has %s" % needed)
    servers = {"postfix", "dovecot-core", "dovecot-auth-lua", "rspamd"}
    analysis = {"clang", "libclang-rt-14-dev", "valgrind"}
    for unwanted in servers | analysis | {"luarocks", "libsisimai-perl", "libcmocka-dev",
                                          "openjdk-17-jre-headless"}:
        check(unwanted not in build, "deps build leaves out %s" % unwanted)
    check(build < test, "deps test adds to build: %s" % " ".join(sorted(test - build)))
    for needed in servers | {"libcmocka-dev", "luarocks", "lua5.4", "make",
                             "openjdk-17-jre-headless"}:  # Java: Spark in test_distributed.py
        check(needed in test, "deps test has %s" % needed)
    for unwanted in analysis | {"libsisimai-perl"}:
        check(unwanted not in test, "deps test leaves out %s" % unwanted)
    check(test < everything and analysis | {"libsisimai-perl"} <= everything,
          "deps all adds: %s" % " ".join(sorted(everything - test)))
    done = subprocess.run(["sh", os.path.join(source, ".ci", "deps"), "bogus"],
                          capture_output=True, text=True)
    check(done.returncode == 2 and "usage" in done.stderr, "deps refuses an unknown set")

    # Nothing missing: nothing installed (dpkg-query says every package is installed).
    bin_dir = os.path.join(scratch, "deps-bin")
    log = os.path.join(scratch, "deps.log")
    write(os.path.join(bin_dir, "dpkg-query"), "#!/bin/sh\nprintf 'install ok installed'\n")
    for name in ("apt-get", "debconf-set-selections"):
        stub(os.path.join(bin_dir, name), name)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], STUB_LOG=log)
    done = subprocess.run(["sh", os.path.join(source, ".ci", "deps"), "all"], env=env,
                          capture_output=True, text=True)
    ran = open(log).read() if os.path.exists(log) else ""
    check(done.returncode == 0 and not ran and not done.stdout,
          "deps installs nothing when nothing is missing", ran + done.stdout + done.stderr)
    with open(os.path.join(source, ".ci", "deps"), encoding="utf-8") as f:
        text = f.read()
    check("policy-rc.d" in text and "debconf-set-selections" in text,
          "deps keeps services from starting and preseeds Postfix")


def scratch_tree(scratch, name, source, scripts):
    """A tree with the real .ci/<scripts> and stubs for what they call."""
    root = os.path.join(scratch, name)
    shutil.rmtree(root, ignore_errors=True)
    for script in scripts:
        os.makedirs(os.path.join(root, ".ci"), exist_ok=True)
        shutil.copy(os.path.join(source, ".ci", script), os.path.join(root, ".ci", script))
    stub(os.path.join(root, ".ci", "deps"), "deps")
    stub(os.path.join(root, "bench", "run.sh"), "bench")
    bin_dir = os.path.join(root, "stub-bin")
    # cmake --build makes a CLI that echoes its arguments; ctest ends with its summary.
    stub(os.path.join(bin_dir, "cmake"), "cmake", extra=(
        'if [ "$1" = --build ]; then mkdir -p build/core\n'
        '  printf \'#!/bin/sh\\necho "cli $*"\\n\' > build/core/smtpcodes\n'
        '  chmod +x build/core/smtpcodes; fi\n'))
    stub(os.path.join(bin_dir, "ctest"), "ctest",
         extra='echo "100% tests passed, 0 tests failed out of 7"\n')
    log = os.path.join(root, "stub.log")
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], STUB_LOG=log)
    return root, env, log


def run_script(root, env, log, script):
    done = subprocess.run(["sh", os.path.join(root, ".ci", script)], cwd=root, env=env,
                          capture_output=True, text=True)
    calls = open(log).read().splitlines() if os.path.exists(log) else []
    return done, calls


def check_demo_and_test(source, scratch):
    root, env, log = scratch_tree(scratch, "demo", source, ["demo"])
    done, calls = run_script(root, env, log, "demo")
    check(done.returncode == 0, ".ci/demo runs", done.stdout + done.stderr)
    check(calls[:1] == ["deps build"], ".ci/demo installs the build set", "\n".join(calls))
    configure = [c for c in calls if c.startswith("cmake -S")]
    check(configure and "-DSMTPCODES_BUILD_TESTS=OFF" in configure[0],
          ".ci/demo configures without the tests (no cmocka needed)", "\n".join(calls))
    check("$ smtpcodes compare 421 504\ncli compare 421 504\n" in done.stdout and
          "$ smtpcodes show 5.7.1\ncli show 5.7.1\n" in done.stdout,
          ".ci/demo shows compare 421 504 and show 5.7.1", done.stdout)

    root, env, log = scratch_tree(scratch, "test", source, ["test"])
    done, calls = run_script(root, env, log, "test")
    check(done.returncode == 0, ".ci/test runs", done.stdout + done.stderr)
    check(calls[:1] == ["deps test"], ".ci/test installs the test set", "\n".join(calls))
    configure = [c for c in calls if c.startswith("cmake -S")]
    check(configure and "-DSMTPCODES_WERROR=ON" in configure[0] and
          "-DSMTPCODES_BUILD_TESTS=ON" in configure[0],
          ".ci/test configures with SMTPCODES_WERROR=ON and the tests", "\n".join(calls))
    check(any(c.startswith("ctest") for c in calls), ".ci/test runs ctest", "\n".join(calls))
    check(not any(c.startswith("bench") for c in calls), ".ci/test runs no benchmark",
          "\n".join(calls))
    check(done.stdout.rstrip("\n").splitlines()[-1:] ==
          ["100% tests passed, 0 tests failed out of 7"],
          ".ci/test ends with ctest's summary", done.stdout[-500:])


def check_run(source, scratch):
    root, env, log = scratch_tree(scratch, "run", source, ["run"])
    stub(os.path.join(root, ".ci", "test"), "test", status=1)
    stub(os.path.join(root, ".ci", "sanitize"), "sanitize")
    stub(os.path.join(root, "tests", "fuzz", "run.sh"), "fuzz", status=1)
    done, calls = run_script(root, env, log, "run")
    stages = [c.split()[0] for c in calls if c.split()[0] in
              ("test", "bench", "sanitize", "fuzz")]
    check(stages == ["test", "bench", "sanitize", "fuzz"],
          ".ci/run runs test, bench, sanitize, fuzz, each after a failed one",
          "\n".join(calls))
    check("bench --quick" in calls, ".ci/run runs the benchmarks in their quick mode",
          "\n".join(calls))
    check(done.returncode != 0, ".ci/run fails when a stage failed")
    check(done.stdout.rstrip("\n").splitlines()[-1:] == ["2 passed, 2 failed"],
          ".ci/run ends with \"N passed, N failed\"", done.stdout[-800:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--scratch", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.scratch, ignore_errors=True)
    os.makedirs(args.scratch)
    check_deps(args.source, args.scratch)
    check_demo_and_test(args.source, args.scratch)
    check_run(args.source, args.scratch)
    print("%d failed" % len(failures))
    if not failures:
        shutil.rmtree(args.scratch, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
