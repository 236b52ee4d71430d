"""The golden vectors of tests/vectors/, shared with the C, CLI and Lua suites."""

import re

import pytest

import smtpcodes
from conftest import VECTORS, read_tsv, unescape

LOOKUP = read_tsv("lookup.tsv")
COMPARE = read_tsv("compare.tsv")
COMPARE_ERRORS = read_tsv("compare-errors.tsv")
ERRORS = {
    "syntax": smtpcodes.InvalidCodeError,
    "notfound": smtpcodes.UnknownCodeError,
    "lang": smtpcodes.UnknownLanguageError,
    "same": smtpcodes.SameCodeError,
}


@pytest.mark.parametrize("case", LOOKUP, ids=[c["input"] for c in LOOKUP])
def test_lookup(case):
    text = unescape(case["input"])
    if case["status"] == "ok":
        code = smtpcodes.lookup(text)
        assert code.entry == case["entry"]
        assert code.kind == case["kind"]
        assert code.klass == int(case["class"])
        assert code.category == int(case["category"])
    else:
        with pytest.raises(ERRORS[case["status"]]):
            smtpcodes.lookup(text)
    if case["closest"] is None:
        with pytest.raises(ERRORS[case["status"]]):
            smtpcodes.lookup_closest(text)
    else:
        code, exact = smtpcodes.lookup_closest(text)
        assert code.entry == case["closest"]
        assert exact is (case["status"] == "ok")
        if case["class"] is not None:
            assert code.klass == int(case["class"])


@pytest.mark.parametrize(
    "case", COMPARE, ids=["%s-%s-%s" % (c["a"], c["b"], c["lang"]) for c in COMPARE]
)
def test_compare(case):
    cmp = smtpcodes.compare(case["a"], case["b"], lang=case["lang"])
    assert (cmp.first.code, cmp.second.code) == (case["first"], case["second"])
    assert cmp.lang == case["lang_tag"]
    if case["intro"] == "same":
        assert cmp.intro.startswith("Both SMTP ")
    else:
        assert " is a " in cmp.intro and ", while " in cmp.intro
    assert (cmp.differences[0].kind == "class") is (case["class_item"] == "yes")


@pytest.mark.parametrize(
    "case",
    COMPARE_ERRORS,
    ids=["%s-%s-%s" % (c["a"], c["b"], c["lang"]) for c in COMPARE_ERRORS],
)
def test_compare_errors(case):
    with pytest.raises(ERRORS[case["status"]]):
        smtpcodes.compare(case["a"], case["b"], lang=case["lang"] or "")


VALID = sorted((VECTORS / "data" / "valid").glob("*.txt"))
INVALID = sorted((VECTORS / "data" / "invalid").glob("*.txt"))


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_data_file(path):
    db = smtpcodes.load(path)
    assert db.path == str(path)
    assert len(db) >= len(smtpcodes.database)
    # Every entry a file adds or replaces is reachable by its code through the facade.
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("Code:"):
            code = line.split(":", 1)[1].strip()
            assert db.lookup(code).code == code
        if line.startswith("Language:"):
            assert line.split(":", 1)[1].strip() in db.languages()


def expected_error(path):
    """(line, column, text) from the '# error: LINE:COLUMN: TEXT' comment or NAME.error."""
    side = path.with_suffix(".error")
    first = (side.read_text(encoding="utf-8") if side.exists() else
             path.read_bytes().split(b"\n", 1)[0].decode("utf-8"))
    m = re.match(r"# error: (\d+):(\d+): (.*)", first.strip())
    assert m, "%s: no '# error:' line" % path.name
    return int(m.group(1)), int(m.group(2)), m.group(3)


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_data_file(path):
    line, column, text = expected_error(path)
    with pytest.raises(smtpcodes.DataError) as info:
        smtpcodes.load(path)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.filename == str(path)
    assert (error.line, error.column) == (line, column)
    assert text in error.reason
    assert str(error).startswith("%s:%d:%d: " % (path, line, column))
