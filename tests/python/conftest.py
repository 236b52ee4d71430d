"""Shared fixtures of the Python suite: the golden vectors and the CLI to cross-check with.

The suite tests the installed package (``pip install .``), never the source tree's
python/smtpcodes, which lacks the extension: tests/CMakeLists.txt runs it in a virtual
environment under the build directory.
"""

import os
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
sys.path.insert(0, str(ROOT / "tests"))
import vectorfiles  # noqa: E402
from vectorfiles import unescape  # noqa: E402,F401 (the suite imports it from here)


def read_tsv(name):
    """Rows of a golden-vector file as dicts (tests/vectors/README.md), "-" cells as None."""
    return vectorfiles.rows(VECTORS, name, dash=None)


@pytest.fixture(scope="session")
def cli():
    """The smtpcodes command of the same tree: $SMTPCODES_CLI (set by ctest), else
    build/core/smtpcodes, else one on PATH."""
    path = os.environ.get("SMTPCODES_CLI")
    if path:
        assert os.access(path, os.X_OK), "SMTPCODES_CLI=%s is not executable" % path
        return path
    built = ROOT / "build" / "core" / "smtpcodes"
    if built.exists():
        return str(built)
    found = shutil.which("smtpcodes")
    if found is None:
        pytest.skip("no smtpcodes CLI: build it or set SMTPCODES_CLI")
    return found
