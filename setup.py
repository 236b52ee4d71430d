"""Builds the Python package smtpcodes: the facade in python/smtpcodes/ and its extension.

The extension holds the whole C library, compiled from the source list that CMake reads too
(core/sources.txt), plus the SWIG wrapper generated from bindings/smtpcodes.i. As in the
CMake build, the built-in database (builtin.c) is generated at build time: the generator
core/tools/gen_builtin.c is compiled with the build's own compiler and run on
core/data/smtpcodes.txt. Everything generated goes to the build directories, never into the
source tree (except with ``build_ext --inplace``, which puts the module next to the facade).

Metadata and the build requirements (setuptools, wheel and SWIG from PyPI) are in
pyproject.toml.
"""

import os
import re
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build import build
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.join("core")
HEADER = os.path.join(CORE, "include", "smtpcodes.h")
DATA_FILE = os.path.join(CORE, "data", "smtpcodes.txt")
INTERFACE = os.path.join("bindings", "smtpcodes.i")
GENERATOR = os.path.join(CORE, "tools", "gen_builtin.c")

# Flags shared by every C file of the extension. The core is C11 (DESIGN.md section 7).
C_FLAGS = ["-std=c11", "-fvisibility=hidden"]
BINDING = os.path.join("bindings", "python")
# The generated module is private: smtpcodes._core, its C part smtpcodes._smtpcodes_core.
SWIG_FLAGS = ["-python", "-doxygen", "-module", "_core", "-interface", "_smtpcodes_core",
              "-I" + os.path.join(CORE, "include")]


def sanitizer_flags():
    """The flags that instrument the extension when SMTPCODES_SANITIZE names sanitizers, as
    the CMake option of that name does (e.g. "address,undefined"; .ci/sanitize uses it). The
    generator stays plain: only the code that ends up in the package is instrumented."""
    wanted = os.environ.get("SMTPCODES_SANITIZE", "")
    if not wanted:
        return []
    if not re.fullmatch(r"[a-z]+(,[a-z]+)*", wanted):
        raise RuntimeError("SMTPCODES_SANITIZE=%r is not a list of sanitizers like "
                           "'address,undefined'" % wanted)
    return ["-fsanitize=" + wanted, "-fno-omit-frame-pointer"]


SANITIZER_FLAGS = sanitizer_flags()
# An instrumented build has a directory of its own, so neither kind reuses the other's objects.
BUILD_BASE = os.path.join("build", "python-sanitize" if SANITIZER_FLAGS else "python")


def read_version():
    """The version from the header's SMTPC_VERSION_* macros, as CMakeLists.txt reads it."""
    with open(os.path.join(HERE, HEADER), encoding="utf-8") as f:
        text = f.read()
    parts = [
        re.search(r"^#define SMTPC_VERSION_%s (\d+)$" % part, text, re.M).group(1)
        for part in ("MAJOR", "MINOR", "PATCH")
    ]
    return ".".join(parts)


def read_sources():
    """The (parser, library) C sources from core/sources.txt, relative to the project."""
    parser, library = [], []
    with open(os.path.join(HERE, CORE, "sources.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(parser|library) +(\S+)\s*$", line)
            if m:
                path = os.path.join(CORE, m.group(2))
                library.append(path)
                if m.group(1) == "parser":
                    parser.append(path)
    if not parser:
        raise RuntimeError("core/sources.txt lists no parser sources")
    return parser, library


def read_binding_sources():
    """The hand-written C files of the extension, from bindings/python/sources.txt (the list
    CMake reads too)."""
    with open(os.path.join(HERE, BINDING, "sources.txt"), encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return [os.path.join(BINDING, name) for name in names]


def find_swig():
    """The SWIG executable: the one from the PyPI package 'swig' (a build requirement in
    pyproject.toml) when it is installed, else a swig on PATH."""
    try:
        import swig  # the PyPI package; importing it sets SWIG_LIB for its own executable
    except ImportError:
        pass
    else:
        exe = os.path.join(swig.BIN_DIR, "swig")
        if os.path.exists(exe):
            return exe
    exe = shutil.which("swig") or shutil.which("swig4.0")
    if exe is None:
        raise RuntimeError(
            "SWIG was not found: install the build requirements (pip installs them from "
            "pyproject.toml) or a system swig 4.1 or later"
        )
    return exe


class BuildExt(build_ext):
    """build_ext that generates builtin.c and the SWIG wrapper before compiling."""

    def build_extension(self, ext):
        os.makedirs(self.build_temp, exist_ok=True)
        builtin = self.generate_builtin()
        wrapper = self.run_swig(ext)
        ext.sources = ext.sources + [builtin, wrapper]
        super().build_extension(ext)

    def generate_builtin(self):
        """Compiles the generator with this build's compiler and runs it on the data file."""
        parser_sources, _ = read_sources()
        gen_dir = os.path.join(self.build_temp, "gen_builtin")
        objects = self.compiler.compile(
            parser_sources + [GENERATOR],
            output_dir=gen_dir,
            include_dirs=[os.path.join(CORE, "include"), os.path.join(CORE, "src")],
            extra_postargs=C_FLAGS,
        )
        self.compiler.link_executable(objects, "smtpcodes_gen", output_dir=gen_dir)
        exe = os.path.join(gen_dir, self.compiler.executable_filename("smtpcodes_gen"))
        builtin = os.path.join(self.build_temp, "builtin.c")
        self.announce("generating %s from %s" % (builtin, DATA_FILE), level=2)
        subprocess.run([exe, DATA_FILE, builtin], check=True)
        return builtin

    def run_swig(self, ext):
        """Runs SWIG: the C wrapper goes to the build's temporary directory, the Python module
        _core.py next to the extension, inside the smtpcodes package."""
        wrapper = os.path.join(self.build_temp, "smtpcodes_wrap.c")
        outdir = os.path.dirname(self.get_ext_fullpath(ext.name))
        os.makedirs(outdir, exist_ok=True)
        cmd = [find_swig()] + SWIG_FLAGS + ["-outdir", outdir, "-o", wrapper, INTERFACE]
        self.announce(" ".join(cmd), level=2)
        subprocess.run(cmd, check=True)
        return wrapper


class Build(build):
    """Runs build_ext before build_py: the SWIG-generated module is part of the package."""

    sub_commands = [c for c in build.sub_commands if c[0] == "build_ext"] + [
        c for c in build.sub_commands if c[0] != "build_ext"
    ]


def extension():
    _, library = read_sources()
    return Extension(
        "smtpcodes._smtpcodes_core",
        sources=library + read_binding_sources(),
        include_dirs=[os.path.join(CORE, "include"), os.path.join(CORE, "src"), BINDING],
        extra_compile_args=C_FLAGS + SANITIZER_FLAGS,
        extra_link_args=SANITIZER_FLAGS,
    )


os.chdir(HERE)
setup(
    version=read_version(),
    package_dir={"": "python"},
    packages=["smtpcodes"],
    package_data={"smtpcodes": ["py.typed", "*.pyi"]},
    ext_modules=[extension()],
    cmdclass={"build": Build, "build_ext": BuildExt},
    options={"build": {"build_base": BUILD_BASE}},
)
