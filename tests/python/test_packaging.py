"""Packaging the Python way, as a user meets it (slow: select with -m packaging).

From a copy of the checkout: ``pip install .`` in a fresh virtual environment; ``python -m
build`` makes an sdist and a wheel (the wheel built from the sdist); the sdist and the wheel
each install into another fresh virtual environment. Each environment then runs the command
of the README's quick start, from a directory outside the source tree.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

from conftest import ROOT

pytestmark = pytest.mark.packaging

QUICK_START = "import smtpcodes; print(smtpcodes.compare(504, 421, lang='tr'))"
# What the build generates, which neither the checkout nor the sdist may hold.
GENERATED = ("builtin.c", "smtpcodes_wrap.c", "_core.py")


def run(*args, cwd=None):
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, "%s\n%s\n%s" % (" ".join(map(str, args)), done.stdout,
                                                  done.stderr[-4000:])
    return done.stdout


def fresh_venv(path):
    """A new virtual environment with an up-to-date pip; returns its python."""
    run(sys.executable, "-m", "venv", path)
    python = pathlib.Path(path) / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    return python


def check_quick_start(python, workdir):
    out = run(python, "-c", QUICK_START, cwd=workdir)
    assert out.startswith("SMTP 421 Service Not Available vs 504 Parameter Not Implemented\n")
    assert "Açıklama" in out and "Temel Farklar" in out
    located = run(python, "-c", "import smtpcodes; print(smtpcodes.__file__)", cwd=workdir)
    assert "site-packages" in located and str(ROOT) not in located


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the source tree as a fresh clone has it: no build output, no caches."""
    dest = tmp_path_factory.mktemp("checkout") / "smtpcodes"
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns(
            ".git", "build", "build-*", "dist", ".venv", "__pycache__", "*.egg-info",
            ".pytest_cache", ".hypothesis", "*.so", *GENERATED,
        ),
    )
    return dest


@pytest.fixture(scope="module")
def dist(checkout, tmp_path_factory):
    """The sdist and the wheel that ``python -m build`` makes from the checkout."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, checkout)
    (sdist,) = out.glob("smtpcodes-*.tar.gz")
    (wheel,) = out.glob("smtpcodes-*.whl")
    return sdist, wheel


def test_pip_install_from_the_checkout(checkout, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", checkout)
    check_quick_start(python, tmp_path)
    # Build output goes under build/ (ignored by git), never among the sources.
    for source_dir in ("core", "bindings", "python"):
        for name in GENERATED:
            found = list((checkout / source_dir).glob("**/" + name))
            assert not found, "generated into the source tree: %s" % found


def test_sdist_holds_the_sources_and_nothing_generated(dist):
    sdist, _ = dist
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in (
        "setup.py", "pyproject.toml", "MANIFEST.in", "README.md", "LICENSE",
        "core/include/smtpcodes.h", "core/sources.txt", "core/data/smtpcodes.txt",
        "core/tools/gen_builtin.c", "core/src/internal.h", "docs/data-format.md",
        "bindings/smtpcodes.i", "bindings/python/python.swg",
        "python/smtpcodes/__init__.py", "python/smtpcodes/__init__.pyi",
        "python/smtpcodes/py.typed",
    ):
        assert needed in names, needed
    with open(ROOT / "core" / "sources.txt", encoding="utf-8") as f:
        sources = [line.split()[1] for line in f if line.startswith(("parser ", "library "))]
    assert sources and all("core/" + s in names for s in sources)
    for name in names:
        assert os.path.basename(name) not in GENERATED, name
        assert not name.endswith((".so", ".o", ".pyc")), name


def test_wheel_holds_the_package_and_the_generated_module(dist):
    _, wheel = dist
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for needed in ("smtpcodes/__init__.py", "smtpcodes/_codes.py", "smtpcodes/_replies.py",
                   "smtpcodes/py.typed", "smtpcodes/_core.py"):
        assert needed in names, needed
    assert [n for n in names if n.startswith("smtpcodes/_smtpcodes_core.") and
            n.endswith(".so")]
    assert not [n for n in names if n.endswith(".c")]


def test_sdist_installs_into_a_fresh_venv(dist, tmp_path):
    sdist, _ = dist
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", sdist)
    check_quick_start(python, tmp_path)


def test_wheel_installs_into_a_fresh_venv(dist, tmp_path):
    _, wheel = dist
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", wheel)
    check_quick_start(python, tmp_path)
