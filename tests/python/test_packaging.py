"""Packaging the Python way, as a user meets it (slow: select with -m packaging).

From a copy of the checkout: ``pip install .`` in a fresh virtual environment; ``python -m
build`` makes an sdist and a wheel (the wheel built from the sdist); the sdist and the wheel
each install into another fresh virtual environment. Each environment then runs the command
of the README's quick start, from a directory outside the source tree, the ``smtpcodes``
command and ``python -m smtpcodes``, and its extension is checked: it exports only its
PyInit_ function and carries no debug information.

The sdist also installs under the oldest and the newest Python the package supports (3.9 and
3.13, found with pyenv or on PATH; the test skips, naming the version, when one is missing),
and Python 3.8 is refused with a message that says which Python is needed.
``setup.py build_ext --inplace`` gives a source tree that imports, and git ignores what it
generates there.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

import plaintest
from conftest import ROOT

pytestmark = pytest.mark.packaging

QUICK_START = "import smtpcodes; print(smtpcodes.compare(504, 421, lang='tr'))"
# What the build generates, which neither the checkout nor the sdist may hold.
GENERATED = ("builtin.c", "smtpcodes_wrap.c", "_core.py")


def run(*args, cwd=None, env=None):
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, "%s\n%s\n%s" % (" ".join(map(str, args)), done.stdout,
                                                  done.stderr[-4000:])
    return done.stdout


def fresh_venv(path, base=sys.executable):
    """A new virtual environment of the Python `base` with an up-to-date pip; returns its
    python."""
    run(base, "-m", "venv", path)
    python = pathlib.Path(path) / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    return python


def find_python(version):
    """A Python `version` ("3.9") to build with: pyenv's, else python3.9 on PATH; or None.
    A candidate counts only if it runs and is that version (pyenv's shims exist for versions
    that are not selected)."""
    candidates = []
    if shutil.which("pyenv"):
        done = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True)
        if done.returncode == 0:
            candidates += [os.path.join(p.strip(), "bin", "python" + version)
                           for p in done.stdout.split(":") if p.strip()]
    candidates.append(shutil.which("python" + version))
    for candidate in candidates:
        if not candidate or not os.access(candidate.strip(), os.X_OK):
            continue
        done = subprocess.run([candidate.strip(), "-c",
                               "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == version:
            return candidate.strip()
    return None


def python_or_skip(version):
    found = find_python(version)
    if found is None:
        pytest.skip("Python %s is not installed (pyenv install %s, or a python%s on PATH)"
                    % (version, version, version))
    return found


def check_quick_start(python, workdir):
    # Turkish's catalog is complete: the page is Turkish throughout, not only its labels.
    out = run(python, "-c", QUICK_START, cwd=workdir)
    assert out.startswith("SMTP 421 Hizmet Kullanılamıyor ile 504 Parametre Uygulanmamış "
                          "karşılaştırması\n")
    assert "Açıklama" in out and "Temel farklar" in out
    located = run(python, "-c", "import smtpcodes; print(smtpcodes.__file__)", cwd=workdir)
    assert "site-packages" in located and str(ROOT) not in located


def check_command(python, workdir):
    """The console script and ``python -m smtpcodes`` run smtpcodes(1)."""
    script = pathlib.Path(python).parent / "smtpcodes"
    assert script.exists(), "no smtpcodes command in %s" % script.parent
    # The command speaks the locale's language when not told otherwise: English here.
    env = plaintest.neutral_environment(dict(os.environ))
    for command in ([script], [python, "-m", "smtpcodes"]):
        out = run(*command, "show", "421", cwd=workdir, env=env)
        assert out.startswith("SMTP 421 Service Not Available\nClass: 4xx Transient Negative\n")
        out = run(*command, "compare", "421", "504", cwd=workdir, env=env)
        assert out.startswith("SMTP 421 Service Not Available vs 504 Parameter Not Implemented")
        done = subprocess.run([str(c) for c in command] + ["show", "299"], cwd=workdir,
                              capture_output=True, text=True)
        assert done.returncode == 1 and done.stderr.startswith("smtpcodes: "), done.stderr
        done = subprocess.run([str(c) for c in command] + ["--no-such-option"], cwd=workdir,
                              capture_output=True, text=True)
        assert done.returncode == 2 and "Try 'smtpcodes --help'" in done.stderr, done.stderr


def check_extension(python, workdir):
    """The extension exports only PyInit__smtpcodes_core (no smtpc_ symbol that could clash
    with a libsmtpcodes.so in the same process) and carries no debug information."""
    extension = run(python, "-c", "import smtpcodes._smtpcodes_core as m; print(m.__file__)",
                    cwd=workdir).strip()
    exported = run("nm", "-D", "--defined-only", extension)
    names = [line.split()[-1] for line in exported.splitlines() if line.strip()]
    assert names == ["PyInit__smtpcodes_core"], names
    sections = run("readelf", "-S", "-W", extension)
    assert ".debug_" not in sections, "the extension carries debug information"


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
    check_command(python, tmp_path)
    check_extension(python, tmp_path)
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
        "python/smtpcodes/__init__.py", "python/smtpcodes/_codes.py",
        "python/smtpcodes/py.typed", "python/smtpcodes/__main__.py",
        "core/cli/cli.c", "core/cli/cli.h", "bindings/python/sources.txt",
        "bindings/python/cli_entry.h", "bindings/python/smtpc_py.h",
    ):
        assert needed in names, needed
    with open(ROOT / "core" / "sources.txt", encoding="utf-8") as f:
        sources = [line.split()[1] for line in f
                   if line.startswith(("parser ", "library ", "decoders ", "cli "))]
    assert sources and all("core/" + s in names for s in sources)
    with open(ROOT / "bindings" / "python" / "sources.txt", encoding="utf-8") as f:
        bindings = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    assert bindings and all("bindings/python/" + s in names for s in bindings)
    for name in names:
        assert os.path.basename(name) not in GENERATED, name
        assert not name.endswith((".so", ".o", ".pyc")), name


def test_wheel_holds_the_package_and_the_generated_module(dist):
    _, wheel = dist
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for needed in ("smtpcodes/__init__.py", "smtpcodes/_codes.py", "smtpcodes/_replies.py",
                   "smtpcodes/py.typed", "smtpcodes/_core.py",
                   "smtpcodes/__main__.py"):
        assert needed in names, needed
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as zf:
        scripts = zf.read(entry_points).decode()
    assert re.search(r"^\[console_scripts\]\s*^smtpcodes = smtpcodes\.__main__:main$", scripts,
                     re.M), scripts
    assert [n for n in names if n.startswith("smtpcodes/_smtpcodes_core.") and
            n.endswith(".so")]
    assert not [n for n in names if n.endswith(".c")]


def test_sdist_installs_into_a_fresh_venv(dist, tmp_path):
    sdist, _ = dist
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", sdist)
    check_quick_start(python, tmp_path)
    check_command(python, tmp_path)


def test_wheel_installs_into_a_fresh_venv(dist, tmp_path):
    _, wheel = dist
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", wheel)
    check_quick_start(python, tmp_path)
    check_command(python, tmp_path)
    check_extension(python, tmp_path)


@pytest.mark.parametrize("version", ["3.9", "3.13"])
def test_sdist_installs_under_the_oldest_and_newest_python(dist, tmp_path, version):
    base = python_or_skip(version)
    sdist, _ = dist
    python = fresh_venv(tmp_path / "venv", base)
    run(python, "-m", "pip", "install", "--quiet", sdist)
    assert run(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])") == \
        version + "\n"
    out = run(python, "-c", "import smtpcodes; c = smtpcodes.lookup(421); print(c.code, c.name)",
              cwd=tmp_path)
    assert out == "421 Service Not Available\n"
    check_quick_start(python, tmp_path)
    check_command(python, tmp_path)
    check_extension(python, tmp_path)


def test_python_38_is_refused_with_a_clear_message(checkout, tmp_path):
    base = python_or_skip("3.8")
    with open(ROOT / "pyproject.toml", encoding="utf-8") as f:
        assert re.search(r'^requires-python = ">=3\.9"$', f.read(), re.M)
    python = fresh_venv(tmp_path / "venv", base)
    done = subprocess.run([str(python), "-m", "pip", "install", str(checkout)],
                          capture_output=True, text=True)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "smtpcodes requires Python >= 3.9; this is Python 3.8." in output, output[-3000:]
    # refused before anything is compiled
    assert "gcc" not in output and "swig" not in output.lower(), output[-3000:]


def build_requirements():
    """The build-system requirements of pyproject.toml for this Python."""
    with open(ROOT / "pyproject.toml", encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"^requires = \[(.*?)\]", text, re.M | re.S).group(1)
    return re.findall(r'"([^"]+)"', block)


def test_build_ext_inplace_gives_an_importable_tree_and_git_ignores_its_output(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tree = tmp_path / "smtpcodes"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
        ".git", "build", "build-*", "dist", ".venv", "__pycache__", "*.egg-info",
        ".pytest_cache", ".hypothesis", "*.so", *GENERATED))
    # Everything copied is staged: what the build adds and git does not ignore shows as '??'.
    run("git", "init", "-q", cwd=tree)
    run("git", "add", "-A", cwd=tree)
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--quiet", *build_requirements())
    run(python, "setup.py", "build_ext", "--inplace", cwd=tree)
    assert list((tree / "python" / "smtpcodes").glob("_smtpcodes_core.*.so"))
    assert (tree / "python" / "smtpcodes" / "_core.py").exists()
    status = run("git", "status", "--porcelain", "--untracked-files=all", cwd=tree)
    assert not [line for line in status.splitlines() if not line.startswith("A ")], status
    env = dict(os.environ, PYTHONPATH=str(tree / "python"))
    out = run(python, "-c", "import smtpcodes; print(smtpcodes.lookup(421))", cwd=tmp_path,
              env=env)
    assert out == "421\n"
    out = run(python, "-c", "import smtpcodes; print(smtpcodes.__file__)", cwd=tmp_path, env=env)
    assert out.startswith(str(tree / "python" / "smtpcodes"))
    out = run(python, "-m", "smtpcodes", "show", "421", cwd=tmp_path, env=env)
    assert out.startswith("SMTP 421 Service Not Available\n")
