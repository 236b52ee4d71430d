"""Scan summaries that combine, through Python: ``a + b``, ``ScanSummary.merge()``, equality,
hashing, the saved form and pickling, on the shared logs (tests/vectors/logs/, scan-rows.tsv,
scan-saved.tsv); threads scanning files at once; and properties (hypothesis): the summary of a
log does not depend on the order of its lines, nor on where it is cut and in which order the
parts' summaries are merged."""

import copy
import itertools
import pickle
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smtpcodes
from conftest import VECTORS, read_tsv
from vectorfiles import unescape_bytes

LOGS = [VECTORS / "logs" / name
        for name in ("relay-postfix.log", "relay-exim.log", "relay-bounces.mbox")]
# The lines of logs, which are read one by one, in any order: an mbox is read message by
# message, and an export's header names its columns.
LINES = [line for path in LOGS[:2] + [VECTORS / "logs" / "mta" / name for name in (
             "postfix.log", "exim.log", "sendmail.log", "opensmtpd.log", "dovecot.log")]
         for line in path.read_bytes().splitlines(keepends=True)]


def whole():
    return smtpcodes.scan(LINES)


# ---- the rows of each log ---------------------------------------------------------------------

def test_each_log_gives_its_rows():
    expected = {}
    for row in read_tsv("scan-rows.tsv"):
        expected.setdefault(row["log"], []).append(row)
    for path in LOGS:
        want = expected[path.name]
        summary = smtpcodes.scan(path)
        assert summary.lines == int(want[0]["count"])
        got = [(str(r.code or 0), r.enhanced, r.count, r.action, r.reason, r.sample)
               for r in summary]
        assert got == [(w["code"], w["enhanced"], int(w["count"]), w["action"], w["reason"],
                        unescape_bytes(w["sample"]).decode("utf-8", "replace"))
                       for w in want[1:]], path.name


# ---- merging ----------------------------------------------------------------------------------

def test_logs_merge_in_any_order_and_grouping():
    expected = smtpcodes.scan(b"".join(path.read_bytes() for path in LOGS).splitlines())
    parts = [smtpcodes.scan(path) for path in LOGS]
    for a, b, c in itertools.permutations(parts):
        assert (a + b) + c == expected
        assert a + (b + c) == expected
        assert smtpcodes.ScanSummary.merge([a, b, c]) == expected
        assert smtpcodes.ScanSummary.merge(iter((a, b, c))) == expected
    # rows, counts and renderings, not only the saved forms
    merged = smtpcodes.ScanSummary.merge(parts)
    assert merged.rows == expected.rows
    assert (merged.lines, merged.replies, merged.skipped) == (
        expected.lines, expected.replies, expected.skipped)
    assert str(merged) == str(expected) and merged.to_dict() == expected.to_dict()


def test_a_log_cut_at_every_line_merges_back():
    for path in LOGS[:2]:  # an mbox is read message by message
        lines = path.read_bytes().splitlines(keepends=True)
        expected = smtpcodes.scan(lines)
        for cut in range(len(lines) + 1):
            a, b = smtpcodes.scan(lines[:cut]), smtpcodes.scan(lines[cut:])
            assert a + b == expected, (path.name, cut)
            assert b + a == expected, (path.name, cut)


def test_merging_leaves_its_summaries_alone():
    a, b = (smtpcodes.scan(path) for path in LOGS[:2])
    before = (a.save(), b.save(), a.rows, b.rows)
    c = a + b
    assert (a.save(), b.save(), a.rows, b.rows) == before
    assert c is not a and c is not b
    assert a + a == smtpcodes.scan(LOGS[0].read_bytes().splitlines() * 2)
    assert smtpcodes.ScanSummary.merge([a]) == a


def test_merge_refusals(tmp_path):
    a = smtpcodes.scan(LOGS[0])
    with pytest.raises(TypeError):
        a + 1
    with pytest.raises(TypeError):
        1 + a
    with pytest.raises(TypeError, match="not int"):
        smtpcodes.ScanSummary.merge([a, 1])
    with pytest.raises(TypeError):
        smtpcodes.ScanSummary.merge(None)
    with pytest.raises(ValueError, match="at least one"):
        smtpcodes.ScanSummary.merge([])
    db = smtpcodes.load(VECTORS / "data" / "valid" / "override-421.txt")
    other = db.scan(LOGS[0])
    with pytest.raises(ValueError, match="different databases"):
        a + other
    # moved across through the saved form, it merges
    moved = smtpcodes.ScanSummary.load(other.save())
    assert a + moved == a + a


def test_merged_rows_are_the_databases(tmp_path):
    db = smtpcodes.load(VECTORS / "data" / "valid" / "override-421.txt")
    a, b = db.scan(LOGS[0]), db.scan(LOGS[1])
    merged = a + b
    assert merged.rows[0].entry is db.lookup(merged.rows[0].code)
    assert merged == smtpcodes.scan(LOGS[0]) + smtpcodes.scan(LOGS[1])


# ---- equality, the saved form, pickling ------------------------------------------------------

def test_equality_and_hashing():
    a, b = smtpcodes.scan(LOGS[0]), smtpcodes.scan(LOGS[0])
    assert a == b and hash(a) == hash(b) and a is not b
    assert len({a, b, smtpcodes.scan(LOGS[1])}) == 2
    assert a != smtpcodes.scan(LOGS[1])
    assert a != a.save() and a != 1
    assert smtpcodes.scan([]) == smtpcodes.scan(iter(()))
    # counts alone make a difference: an empty line more
    assert smtpcodes.scan([b"x"]) != smtpcodes.scan([b"x", b""])


def test_the_saved_form_round_trips():
    for path in LOGS:
        summary = smtpcodes.scan(path)
        text = summary.save()
        assert isinstance(text, str) and text.startswith("smtpcodes-scan 2\n")
        assert text.isascii() and text.endswith(
            "\nend %d %d\n" % (len(summary), len(summary.groups)))
        for saved in (text, text.encode("ascii")):
            back = smtpcodes.ScanSummary.load(saved)
            assert back == summary and back.rows == summary.rows
            assert back.save() == text
            assert back.rows[0].entry is smtpcodes.lookup(back.rows[0].code)
        db = smtpcodes.load(VECTORS / "data" / "valid" / "override-421.txt")
        there = smtpcodes.ScanSummary.load(text, db)
        assert there == summary and there.rows[0].entry is db.lookup(there.rows[0].code)


@pytest.mark.parametrize("case", read_tsv("scan-saved.tsv"), ids=lambda c: c["name"])
def test_saved_vectors(case):
    text = unescape_bytes(case["input"])
    if case["status"] == "ok":
        assert smtpcodes.ScanSummary.load(text).save().encode("ascii") == text
        return
    with pytest.raises(smtpcodes.DataError) as caught:
        smtpcodes.ScanSummary.load(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column, error.reason) == (
        int(case["error_line"]), int(case["error_column"]),
        unescape_bytes(case["message"]).decode())
    assert str(error).startswith("saved summary:%s:%s: " % (case["error_line"],
                                                             case["error_column"]))


def test_load_refuses_other_types():
    for bad in (None, 1, ["smtpcodes-scan 1"]):
        with pytest.raises(TypeError):
            smtpcodes.ScanSummary.load(bad)
    with pytest.raises(TypeError, match="Database"):
        smtpcodes.ScanSummary.load(smtpcodes.scan([]).save(), "builtin")


def test_pickling(tmp_path):
    summary = whole()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(summary, protocol))
        assert back == summary and back.rows == summary.rows
        assert back.rows[1].entry is smtpcodes.lookup(back.rows[1].code)
    # a summary of a loaded database unpickles with that data file loaded again
    path = VECTORS / "data" / "valid" / "override-421.txt"
    db = smtpcodes.load(path)
    theirs = db.scan(LOGS[1])
    back = pickle.loads(pickle.dumps(theirs))
    assert back == theirs
    assert back.rows[0].entry.code == theirs.rows[0].entry.code
    assert back.rows[0].entry is not smtpcodes.lookup(back.rows[0].code)
    assert copy.copy(summary) is summary and copy.deepcopy(summary) is summary


# ---- threads ----------------------------------------------------------------------------------

def test_two_threads_scan_two_files_at_once(tmp_path):
    """The scan of each file runs on its own thread (the feed releases the GIL); the merged
    summary is the scan of both files, one after the other."""
    paths = []
    for i, path in enumerate(LOGS[:2]):
        paths.append(tmp_path / ("big%d.log" % i))
        paths[-1].write_bytes(path.read_bytes() * 2000)  # some megabytes each
    results = [None, None]
    start = threading.Barrier(2)

    def work(i):
        start.wait()
        results[i] = smtpcodes.scan(paths[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(paths[0], "rb") as a, open(paths[1], "rb") as b:
        expected = smtpcodes.scan(a.read().splitlines() + b.read().splitlines())
    assert results[0] + results[1] == expected
    assert results[0].replies > 10000


# ---- properties -------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.permutations(LINES))
def test_the_order_of_the_lines_does_not_matter(lines):
    assert smtpcodes.scan(lines) == whole()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_parts_merge_back_whatever_the_cuts_and_the_order(data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(LINES)), max_size=6)))
    bounds = [0] + cuts + [len(LINES)]
    parts = [smtpcodes.scan(LINES[a:b]) for a, b in zip(bounds, bounds[1:])]
    order = data.draw(st.permutations(parts))
    assert smtpcodes.ScanSummary.merge(order) == whole()
    # merged one by one, through saved forms, as worker processes would send them
    merged = smtpcodes.ScanSummary.load(order[0].save())
    for part in order[1:]:
        merged = merged + smtpcodes.ScanSummary.load(part.save())
    assert merged == whole()
