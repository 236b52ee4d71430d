"""Builds the Python package smtpcodes: the facade in python/smtpcodes/ and its extension.

The extension holds the whole C library, compiled from the source list that CMake reads too
(core/sources.txt), plus the SWIG wrapper generated from bindings/smtpcodes.i. As in the
CMake build, the built-in database (builtin.c) is generated at build time: the generator
core/tools/gen_builtin.c is compiled with the build's own compiler and run on
core/data/smtpcodes.txt. Everything generated goes to the build directories, never into the
source tree (except with ``build_ext --inplace``, which puts the module next to the facade).

The scanner's decompression libraries are core/sources.txt's "compression" lines: zlib is
required (the wheel always reads gzip), liblzma, libbz2 and libzstd are linked when their
header is found.

The extension also holds smtpcodes(1): core/cli/cli.c, run by bindings/python/cli_entry.c as
smtpcodes._core.cli_main(), which the package's `smtpcodes` command and `python -m smtpcodes`
call. Only PyInit__smtpcodes_core is exported: the core is compiled with SMTPC_API defined
empty and hidden visibility, so its symbols cannot clash with a libsmtpcodes.so that the
process also loads. The core, the CLI and cli_entry.c get the core's warning flags
(core/sources.txt; SMTPCODES_WERROR=ON adds -Werror); the SWIG wrapper does not. The
extension carries no debug information (-g0) unless SMTPCODES_SANITIZE is set or build_ext
runs with --debug.

Metadata and the build requirements (setuptools, wheel and SWIG from PyPI) are in
pyproject.toml.
"""

import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def require_python():
    """Stops at once, saying why, on a Python older than pyproject.toml's requires-python.

    pip checks requires-python only once the metadata is built, which needs this file to run
    first; pyproject.toml lets an older Python install a setuptools that can run it."""
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        m = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', f.read(), re.M)
    if m is None:
        return
    minimum = (int(m.group(1)), int(m.group(2)))
    if sys.version_info[:2] < minimum:
        sys.exit("smtpcodes requires Python >= %d.%d; this is Python %d.%d.%d (%s)"
                 % (minimum + tuple(sys.version_info[:3]) + (sys.executable,)))


require_python()

import copy  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

from setuptools import Extension, setup  # noqa: E402
from setuptools.command.build import build  # noqa: E402
from setuptools.command.build_ext import build_ext  # noqa: E402

CORE = os.path.join("core")
HEADER = os.path.join(CORE, "include", "smtpcodes.h")
DATA_FILE = os.path.join(CORE, "data", "smtpcodes.txt")
INTERFACE = os.path.join("bindings", "smtpcodes.i")
GENERATOR = os.path.join(CORE, "tools", "gen_builtin.c")
BINDINGS = os.path.join("bindings", "python")

# Flags shared by every C file of the extension. The core is C11, as in core/CMakeLists.txt;
# only SMTPC_API functions would be exported, and SMTPC_API is defined empty.
C_FLAGS = ["-std=c11", "-fvisibility=hidden"]
MACROS = [("SMTPC_API", "")]
INCLUDE_DIRS = [os.path.join(CORE, "include"), os.path.join(CORE, "src"),
                os.path.join(CORE, "cli"), BINDINGS]
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


def read_sources_txt():
    """{kind: [words]} from core/sources.txt: "parser", "library", "decoders" and "cli"
    sources (relative to the project), "warnings" flags, and the "compression" libraries as
    (format, library, header, required) tuples."""
    found = {"parser": [], "library": [], "decoders": [], "cli": [], "warnings": [],
             "compression": []}
    with open(os.path.join(HERE, CORE, "sources.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(parser|library|decoders|cli|warnings|compression) +(.+?)\s*$",
                         line)
            if not m:
                continue
            if m.group(1) == "warnings":
                found["warnings"] += m.group(2).split()
            elif m.group(1) == "compression":
                fields = m.group(2).split()
                found["compression"].append(
                    (fields[0], fields[1], fields[2], fields[3:] == ["required"]))
            else:
                found[m.group(1)].append(os.path.join(CORE, m.group(2)))
    if not found["parser"] or not found["cli"]:
        raise RuntimeError("core/sources.txt lists no parser or no cli sources")
    return found


def read_sources():
    """The (parser, library) C sources from core/sources.txt, relative to the project."""
    found = read_sources_txt()
    return found["parser"], found["parser"] + found["library"] + found["decoders"]


def warning_flags():
    """The core's warning flags (core/sources.txt), with -Werror when SMTPCODES_WERROR is on,
    as the CMake option of that name does."""
    flags = read_sources_txt()["warnings"]
    if os.environ.get("SMTPCODES_WERROR", "").upper() in ("1", "ON", "TRUE", "YES"):
        flags = flags + ["-Werror"]
    return flags


def debug_flags(debug):
    """-g0 (no debug information in the package) unless sanitizers or --debug ask for it."""
    return [] if SANITIZER_FLAGS or debug else ["-g0"]


def read_binding_sources():
    """The hand-written C files of the extension, from bindings/python/sources.txt (the list
    CMake reads too)."""
    with open(os.path.join(HERE, BINDINGS, "sources.txt"), encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return [os.path.join(BINDINGS, name) for name in names]


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

    def header_compiles(self, header):
        """Whether a C file that includes `header` compiles with this build's compiler."""
        probe_dir = os.path.join(self.build_temp, "probe")
        os.makedirs(probe_dir, exist_ok=True)
        probe = os.path.join(probe_dir, "has_%s.c" % re.sub(r"\W", "_", header))
        with open(probe, "w", encoding="utf-8") as f:
            f.write("#include <%s>\nint smtpc_probe;\n" % header)
        try:
            self.compiler.compile([probe], output_dir=probe_dir)
        except Exception:  # distutils' CompileError, whichever setuptools provides it
            return False
        return True

    def add_compression_libraries(self, ext):
        """The decompression libraries of core/sources.txt: each required one (zlib, so that
        the wheel always reads gzip) and each optional one whose header is present, linked and
        compiled in with SMTPC_WITH_<FORMAT>, as the CMake build does."""
        for fmt, library, header, required in read_sources_txt()["compression"]:
            if not self.header_compiles(header):
                if required:
                    raise RuntimeError("smtpcodes needs %s and lib%s (for %s-compressed logs): "
                                       "install them (Debian: zlib1g-dev)"
                                       % (header, library, fmt))
                self.announce("no %s: building without %s-compressed logs" % (header, fmt),
                              level=2)
                continue
            ext.define_macros = ext.define_macros + [("SMTPC_WITH_" + fmt.upper(), None)]
            ext.libraries = ext.libraries + [library]

    def build_extension(self, ext):
        os.makedirs(self.build_temp, exist_ok=True)
        self.add_compression_libraries(ext)
        builtin = self.generate_builtin()
        wrapper = self.run_swig(ext)
        # The core, builtin.c, the CLI and its entry point with the core's warnings; the SWIG
        # wrapper, which is not written to them, by build_ext itself.
        flags = ext.extra_compile_args + debug_flags(self.debug)
        checked = self.compiler.compile(
            ext.sources + [builtin],
            output_dir=self.build_temp,
            macros=ext.define_macros,
            include_dirs=ext.include_dirs,
            debug=self.debug,
            extra_postargs=flags + warning_flags(),
            depends=ext.depends,
        )
        wrapped = copy.copy(ext)
        wrapped.sources = [wrapper]
        wrapped.extra_compile_args = flags
        wrapped.extra_objects = checked + list(ext.extra_objects or [])
        super().build_extension(wrapped)

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
        catalogs = sorted(glob.glob(os.path.join(CORE, "po", "*.po")))
        subprocess.run([exe, DATA_FILE, builtin] + catalogs, check=True)
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


    def swig_module_paths(self):
        """(where run_swig writes _core.py, its place beside the facade)."""
        build_py = self.get_finalized_command("build_py")
        return (os.path.join(self.build_lib, "smtpcodes", "_core.py"),
                os.path.join(build_py.get_package_dir("smtpcodes"), "_core.py"))

    def copy_extensions_to_source(self):
        """build_ext --inplace: the generated module goes beside the extension, into
        python/smtpcodes/, so that the source tree imports (git ignores both)."""
        super().copy_extensions_to_source()
        regular, inplace = self.swig_module_paths()
        self.copy_file(regular, inplace, level=self.verbose)

    def get_output_mapping(self):
        mapping = super().get_output_mapping()
        if self.inplace:
            regular, inplace = self.swig_module_paths()
            mapping[regular] = inplace
        return mapping


class Build(build):
    """Runs build_ext before build_py: the SWIG-generated module is part of the package."""

    sub_commands = [c for c in build.sub_commands if c[0] == "build_ext"] + [
        c for c in build.sub_commands if c[0] != "build_ext"
    ]


def extension():
    found = read_sources_txt()
    return Extension(
        "smtpcodes._smtpcodes_core",
        sources=(found["parser"] + found["library"] + found["decoders"] + found["cli"]
                 + read_binding_sources()),
        depends=[HEADER, os.path.join(CORE, "src", "internal.h"),
                 os.path.join(CORE, "cli", "cli.h"), os.path.join(BINDINGS, "cli_entry.h"),
                 os.path.join(BINDINGS, "smtpc_py.h")],
        define_macros=MACROS,
        include_dirs=INCLUDE_DIRS,
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
