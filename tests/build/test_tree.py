"""The build's options and the tree's references to itself.

    test_tree.py --source SRC --scratch DIR

- SMTPCODES_WERROR: off by default, core/ compiles with its warnings but without -Werror;
  with -DSMTPCODES_WERROR=ON every core/ source gets -Werror (read from the compile commands
  of two configurations in DIR); .ci/test and .ci/sanitize configure with it on.
- Every file the tree names for CMake exists: include() of a path, add_subdirectory(), and
  the files tested with if(EXISTS ...) under the source tree.
- No comment or document cites a design document that is not in the repository ("DESIGN"),
  and every relative link of a Markdown file leads to a file of the tree.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)


def listed(items, what):
    return " (%s: %s)" % (what, ", ".join(items[:8])) if items else ""


def tracked_files(source):
    try:
        out = subprocess.run(["git", "-C", source, "ls-files"], capture_output=True, text=True,
                             check=True).stdout
        files = [f for f in out.splitlines() if os.path.isfile(os.path.join(source, f))]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    found = []
    for root, dirs, names in os.walk(source):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build", "dist"))
                   and d not in ("__pycache__",) and not d.endswith(".egg-info")]
        found += [os.path.relpath(os.path.join(root, n), source) for n in names]
    return found


def compile_flags(source, scratch, *options):
    """{source file: command} of core/'s C files, configured with `options`."""
    shutil.rmtree(scratch, ignore_errors=True)
    cmd = ["cmake", "-S", source, "-B", scratch, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
           "-DSMTPCODES_PYTHON=OFF", "-DSMTPCODES_LUA=OFF", "-DSMTPCODES_BUILD_TESTS=OFF",
           *options]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout, done.stderr)
        check(False, "configure %s" % " ".join(options))
        return {}
    with open(os.path.join(scratch, "compile_commands.json"), encoding="utf-8") as f:
        entries = json.load(f)
    core = os.path.join(os.path.realpath(source), "core") + os.sep
    flags = {}
    for e in entries:
        path = os.path.realpath(os.path.join(e["directory"], e["file"]))
        if path.startswith(core):
            flags[os.path.relpath(path, source)] = e.get("command") or " ".join(e["arguments"])
    return flags


def check_werror(source, scratch):
    default = compile_flags(source, os.path.join(scratch, "default"))
    check(len(default) >= 10, "core/ has its C files in the compile commands (%d)" % len(default))
    check(all("-Wall" in c for c in default.values()), "core/ compiles with its warnings")
    werror = [f for f, c in default.items() if re.search(r"(^|\s)-Werror(\s|$)", c)]
    check(not werror, "-Werror is off by default" + listed(werror, "found in"))
    on = compile_flags(source, os.path.join(scratch, "werror"), "-DSMTPCODES_WERROR=ON")
    missing = [f for f, c in on.items() if not re.search(r"(^|\s)-Werror(\s|$)", c)]
    check(on and not missing,
          "-DSMTPCODES_WERROR=ON gives -Werror to every core/ file" + listed(missing, "not in"))
    for script in (".ci/test", ".ci/sanitize"):
        with open(os.path.join(source, script), encoding="utf-8") as f:
            text = f.read()
        configures = re.findall(r"cmake -S [^\n]*(?:\\\n[^\n]*)*", text)
        check(configures and all("-DSMTPCODES_WERROR=ON" in c for c in configures),
              "%s configures with -DSMTPCODES_WERROR=ON" % script)
    shutil.rmtree(scratch, ignore_errors=True)


def check_cmake_references(source, files):
    for name in files:
        if os.path.basename(name) != "CMakeLists.txt" and not name.endswith(".cmake"):
            continue
        directory = os.path.dirname(name)
        with open(os.path.join(source, name), encoding="utf-8") as f:
            text = f.read()
        named = []
        for m in re.finditer(r"\bEXISTS\s+\$\{(CMAKE_CURRENT_SOURCE_DIR|PROJECT_SOURCE_DIR)\}/"
                             r"([^\s)]+)", text):
            base = directory if m.group(1) == "CMAKE_CURRENT_SOURCE_DIR" else ""
            named.append(os.path.join(base, m.group(2)))
        for m in re.finditer(r"^\s*add_subdirectory\(\s*([^\s)$]+)", text, re.M):
            named.append(os.path.join(directory, m.group(1), "CMakeLists.txt"))
        for m in re.finditer(r"^\s*include\(\s*\"?([^\s)\"]+)", text, re.M):
            target = m.group(1)
            if "/" in target or target.endswith(".cmake"):
                target = re.sub(r"^\$\{(CMAKE_CURRENT_SOURCE_DIR|CMAKE_CURRENT_LIST_DIR)\}/",
                                directory + "/", target)
                if "${" not in target:
                    named.append(target)
        for path in named:
            if "${" in path:
                continue
            check(os.path.exists(os.path.join(source, path)),
                  "%s names %s, which exists" % (name, os.path.normpath(path)))


def check_documents(source, files):
    design = []
    links = 0
    for name in files:
        path = os.path.join(source, name)
        if name.startswith("tests/vectors/") or "/corpus/" in name or "/regressions/" in name:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        if name != "tests/build/test_tree.py":
            design += ["%s:%d" % (name, text.count("\n", 0, m.start()) + 1)
                       for m in re.finditer(r"\bDESIGN\b", text)]
        if name.endswith(".md"):
            for m in re.finditer(r"\]\(([^)\s#]+)(#[^)]*)?\)", text):
                target = m.group(1)
                if re.match(r"^[a-z]+:", target):
                    continue
                links += 1
                resolved = os.path.normpath(os.path.join(os.path.dirname(name), target))
                check(os.path.exists(os.path.join(source, resolved)),
                      "%s links to %s, which exists" % (name, target))
    check(not design, "no reference to a DESIGN document, which the repository does not have"
          + listed(design, "found at"))
    check(links > 0, "the Markdown files' relative links were read (%d)" % links)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--scratch", required=True)
    args = parser.parse_args()
    files = tracked_files(args.source)
    check_werror(args.source, args.scratch)
    check_cmake_references(args.source, files)
    check_documents(args.source, files)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
