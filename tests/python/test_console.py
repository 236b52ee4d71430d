"""smtpcodes(1) in the package: smtpcodes._core.cli_main(), `python -m smtpcodes` and the
`smtpcodes` console script run the C core's command (core/cli/cli.c), and print what the
executable built by CMake prints.

Each case runs in a child process: the command writes to the file descriptors of the process.
"""

import os
import pathlib
import subprocess
import sys
import sysconfig
import tempfile

import pytest

from conftest import ROOT

SCRIPTS = pathlib.Path(sysconfig.get_path("scripts"))


def python(code, *args, stdin=None):
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          input=stdin, cwd=tempfile.gettempdir())


def cli_main(argv_source):
    """cli_main(<argv_source>) in a child; prints the status on a line of its own."""
    return python("import sys\nfrom smtpcodes._core import cli_main\n"
                  "status = cli_main(%s)\nprint('status', status)" % argv_source)


def test_cli_main_runs_the_command_and_returns_its_status():
    done = cli_main("['smtpcodes', 'show', '421']")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"SMTP 421 Service Not Available\n")
    assert done.stdout.endswith(b"\nstatus 0\n")
    done = cli_main("['smtpcodes', 'show', '299']")
    assert done.stdout == b"status 1\n" and b"smtpcodes: " in done.stderr
    done = cli_main("['smtpcodes', 'no-such-command']")
    assert done.stdout == b"status 2\n"
    assert b"Try 'smtpcodes --help'" in done.stderr


def test_output_of_python_and_of_the_command_comes_out_in_order():
    code = ("import sys\nfrom smtpcodes._core import cli_main\n"
            "print('before'); print('err-before', file=sys.stderr)\n"
            "cli_main(['smtpcodes', 'reply', '250', 'ok'])\n"
            "cli_main(['smtpcodes', 'show', '4x1'])\n"
            "print('after'); print('err-after', file=sys.stderr)\n")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"before\n250 ok\r\nafter\n"
    lines = done.stderr.decode().splitlines()
    assert lines[0] == "err-before" and lines[-1] == "err-after" and len(lines) > 2


def test_arguments_are_encoded_as_os_fsencode_does(tmp_path):
    data = tmp_path / "site.txt"
    data.write_bytes((ROOT / "tests" / "vectors" / "data" / "valid" /
                      "override-421.txt").read_bytes())
    # bytes, str and os.PathLike arguments
    done = cli_main("[b'smtpcodes', '--data', __import__('pathlib').Path(%r), b'show', '421']"
                    % str(data))
    assert done.returncode == 0 and done.stdout.endswith(b"status 0\n"), done.stderr
    # a str decoded with surrogateescape gives its bytes back: the command sees \xff
    as_str = cli_main("['smtpcodes', 'show', '4\\udcff1']")
    as_bytes = cli_main("['smtpcodes', 'show', b'4\\xff1']")
    assert as_str.stdout == as_bytes.stdout == b"status 1\n"
    assert as_str.stderr == as_bytes.stderr and as_str.stderr


@pytest.mark.parametrize("argv, error", [
    ("['smtpcodes', 'show', '4\\x0021']", "ValueError"),
    ("['smtpcodes', 421]", "TypeError"),
    ("('smtpcodes', 'show', '421')", "TypeError"),
    ("'smtpcodes show 421'", "TypeError"),
    ("[]", "ValueError"),
])
def test_bad_arguments_raise_before_the_command_runs(argv, error):
    done = cli_main(argv)
    assert done.returncode == 1 and done.stdout == b""
    assert error in done.stderr.decode().splitlines()[-1]


def test_python_m_smtpcodes_is_the_command(cli):
    for args, stdin in ((["show", "421"], None),
                        (["compare", "504", "421", "--lang", "vi", "--format", "json"], None),
                        (["parse", "--format", "json"], b"250-a\r\n250 5.1.1 ok\r\n"),
                        (["--version"], None)):
        expected = subprocess.run([cli, *args], capture_output=True, input=stdin)
        done = subprocess.run([sys.executable, "-m", "smtpcodes", *args], capture_output=True,
                              input=stdin, cwd=tempfile.gettempdir())
        assert (done.returncode, done.stdout, done.stderr) == \
            (expected.returncode, expected.stdout, expected.stderr), args
    done = subprocess.run([sys.executable, "-m", "smtpcodes"], capture_output=True)
    assert done.returncode == 2 and done.stderr.startswith(b"smtpcodes: ")


def test_the_console_script_is_the_command(cli):
    script = SCRIPTS / "smtpcodes"
    assert script.exists(), "pip install did not make the smtpcodes command in %s" % SCRIPTS
    expected = subprocess.run([cli, "compare", "421", "504"], capture_output=True)
    done = subprocess.run([str(script), "compare", "421", "504"], capture_output=True,
                          env=dict(os.environ, SMTPCODES_DATA=""))
    assert done.returncode == 0 and done.stdout == expected.stdout
    done = subprocess.run([str(script), "show", "299"], capture_output=True)
    assert done.returncode == 1 and done.stderr.startswith(b"smtpcodes: ")
