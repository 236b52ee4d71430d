"""Shared fixtures of the Python suite: the golden vectors and the CLI to cross-check with.

The suite tests the installed package (``pip install .``), never the source tree's
python/smtpcodes, which lacks the extension: tests/CMakeLists.txt runs it in a virtual
environment under the build directory.
"""

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"


def read_tsv(name):
    """Rows of a golden-vector file as dicts (tests/vectors/README.md): '#' lines are
    comments, the first other line names the columns, '-' is an empty cell."""
    rows = []
    columns = None
    with open(VECTORS / name, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if columns is None:
                columns = cells
                continue
            assert len(cells) == len(columns), "%s: %r" % (name, line)
            rows.append({k: (None if v == "-" else v) for k, v in zip(columns, cells)})
    assert rows, "%s holds no cases" % name
    return rows


def unescape(text):
    """The input escapes of lookup.tsv, commands.tsv and classify.tsv: \\t, \\s (space),
    \\r, \\n, \\0 (NUL) and <empty>."""
    if text == "<empty>":
        return ""
    for escape, char in (("\\t", "\t"), ("\\s", " "), ("\\r", "\r"), ("\\n", "\n"),
                         ("\\0", "\0")):
        text = text.replace(escape, char)
    return text


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
