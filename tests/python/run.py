"""Runs the Python suite for ctest (tests/python/CMakeLists.txt), with the base interpreter.

    run.py setup --venv DIR --source SRC
        Creates the virtual environment DIR if it is missing and installs the package from
        the source tree SRC into it, with the extras the suite needs (test, jupyter, pandas,
        dask, spark: the last two install nothing on a Python older than they need),
        then atheris for the fuzz test when it installs. The package is rebuilt and
        reinstalled on every run, so the suite always tests the current sources.

    run.py pytest --venv DIR --source SRC [PYTEST ARGUMENT...]
        Runs pytest from DIR on SRC/tests/python with SRC/pyproject.toml's settings. Extra
        arguments can also come from the environment variable SMTPCODES_PYTEST_ARGS
        (e.g. "-k compare"). pytest's exit status 5 (no test collected) is a failure, unless
        SMTPCODES_PYTEST_ARGS narrowed the run to a selection that matched nothing.
"""

import argparse
import os
import shlex
import subprocess
import sys
import venv

NO_TESTS_COLLECTED = 5
# The extras of pyproject.toml that the suite uses. dask and spark carry markers for the Python
# versions they need: on an older one they install nothing and test_distributed.py says so.
EXTRAS = ["test", "jupyter", "pandas", "dask", "spark"]
# What the fuzz extra of pyproject.toml lists, installed on its own: the package is already
# there, and atheris may not build everywhere.
FUZZ = ["atheris>=2.3"]


def python_of(env_dir):
    return os.path.join(env_dir, "bin", "python")


def run(*args):
    print("+ " + " ".join(args), flush=True)
    return subprocess.call(args)


def setup(env_dir, source):
    if not os.path.exists(python_of(env_dir)):
        venv.EnvBuilder(with_pip=True).create(env_dir)
    python = python_of(env_dir)
    if run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
        return 1
    status = run(python, "-m", "pip", "install", "--quiet", source + "[%s]" % ",".join(EXTRAS))
    if status == 0 and run(python, "-m", "pip", "install", "--quiet", *FUZZ) != 0:
        # The fuzz test then runs its harness on random inputs instead (fuzz_python.py).
        print("run.py: atheris does not install here; python-fuzz will use random inputs")
    return status


def pytest(env_dir, source, extra):
    narrowed = shlex.split(os.environ.get("SMTPCODES_PYTEST_ARGS", ""))
    status = run(
        python_of(env_dir), "-m", "pytest",
        "-c", os.path.join(source, "pyproject.toml"),
        "--rootdir", source,
        os.path.join(source, "tests", "python"),
        *extra,
        *narrowed,
    )
    if status == NO_TESTS_COLLECTED:
        if narrowed:
            print("pytest: SMTPCODES_PYTEST_ARGS=%s matched no test" % " ".join(narrowed))
            return 0
        print("pytest collected no test: the Python suite is missing", file=sys.stderr)
        return 1
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["setup", "pytest"])
    parser.add_argument("--venv", required=True)
    parser.add_argument("--source", required=True)
    args, extra = parser.parse_known_args()
    if args.action == "setup":
        return setup(args.venv, args.source)
    return pytest(args.venv, args.source, extra)


if __name__ == "__main__":
    sys.exit(main())
