"""Scanning compressed logs through Python (tests/vectors/logs/compressed/, expected.tsv): each
file from a path, a file object and in chunks gives the summary of the plain log, or raises
ScanInputError with the core's message; scan_compressions(); what is no text."""

import gzip
import io
import pickle

import pytest

import smtpcodes
from conftest import VECTORS, read_tsv

DIR = VECTORS / "logs" / "compressed"
CASES = read_tsv("logs/compressed/expected.tsv")
PLAIN = (DIR / "mail.log").read_bytes()


def expected_error(case):
    if case["compression"] not in ("none", "gzip") and \
            case["compression"] not in smtpcodes.scan_compressions():
        return case["built_without"]
    return case["error"]


def test_scan_compressions_lists_what_is_built_in():
    names = smtpcodes.scan_compressions()
    assert "gzip" in names and "none" not in names
    assert set(names) <= {"gzip", "xz", "bzip2", "zstd"}
    assert names == sorted(names, key=["gzip", "xz", "bzip2", "zstd"].index)
    assert smtpcodes.scan_compressions() is not names  # a new list each time


def test_scan_input_error_is_an_error_and_a_value_error():
    assert issubclass(smtpcodes.ScanInputError, smtpcodes.Error)
    assert issubclass(smtpcodes.ScanInputError, ValueError)
    assert smtpcodes.ScanInputError.__module__ == "smtpcodes"
    e = smtpcodes.ScanInputError("a zip archive, not a text log", "x.zip")
    assert str(e) == "x.zip: a zip archive, not a text log"
    assert (e.reason, e.filename) == ("a zip archive, not a text log", "x.zip")
    assert str(smtpcodes.ScanInputError("why")) == "why"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_each_file_from_its_path(case):
    path = DIR / case["file"]
    error = expected_error(case)
    if error is not None:
        with pytest.raises(smtpcodes.ScanInputError) as info:
            smtpcodes.scan(path)
        assert info.value.reason == error
        assert info.value.filename == str(path)
        assert str(info.value) == "%s: %s" % (path, error)
        return
    summary = smtpcodes.scan(path)
    assert (summary.lines, summary.replies, len(summary)) == (
        int(case["lines"]), int(case["replies"]), int(case["rows"]))
    assert summary == smtpcodes.scan(io.BytesIO(PLAIN * int(case["copies"])))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_each_file_from_a_file_object_in_small_reads(case):
    data = (DIR / case["file"]).read_bytes()

    class Trickle(io.RawIOBase):
        """Gives at most 7 bytes a read: the magic number arrives in pieces."""
        def __init__(self):
            self.at = 0

        def readable(self):
            return True

        def read(self, n=-1):
            chunk = data[self.at:self.at + 7]
            self.at += len(chunk)
            return chunk

    error = expected_error(case)
    if error is not None:
        with pytest.raises(smtpcodes.ScanInputError) as info:
            smtpcodes.scan(Trickle())
        assert info.value.filename is None
        # a corrupt zstd file fails where the input it was given ends (expected.tsv)
        if case["compression"] != "zstd":
            assert info.value.reason == error
        return
    assert smtpcodes.scan(Trickle()) == smtpcodes.scan(DIR / case["file"])


def test_gzip_made_by_python_reads_as_its_text():
    lines = PLAIN.splitlines(keepends=True)
    data = b"".join(gzip.compress(b"".join(lines[i:i + 5]), mtime=0)
                    for i in range(0, len(lines), 5))
    assert smtpcodes.scan(io.BytesIO(data)) == smtpcodes.scan(io.BytesIO(PLAIN))


def test_lines_of_binary_data_are_refused():
    with pytest.raises(smtpcodes.ScanInputError, match="NUL bytes on 3 of its first 3 lines"):
        smtpcodes.scan([b"a\0", b"b\0", b"c\0"])
    # one damaged line among many is a log
    summary = smtpcodes.scan([b"said: 250 ok"] * 20 + [b"said: 550 no\0such user"])
    assert summary.replies == 21


def test_summaries_of_compressed_logs_merge_and_pickle():
    gz = smtpcodes.scan(DIR / "mail-members.log.gz")
    plain = smtpcodes.scan(DIR / "mail.log")
    assert gz + plain == smtpcodes.scan(io.BytesIO(PLAIN * 2))
    assert pickle.loads(pickle.dumps(gz)) == plain


def test_a_loaded_database_scans_compressed_logs_too():
    db = smtpcodes.load(VECTORS / "data" / "valid" / "override-421.txt")
    assert db.scan(DIR / "mail.log.gz").lines == 29
    with pytest.raises(smtpcodes.ScanInputError):
        db.scan(DIR / "mail.tar")
