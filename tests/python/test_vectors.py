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
        assert code.retry == case["retry"]
    else:
        with pytest.raises(ERRORS[case["status"]]) as caught:
            smtpcodes.lookup(text)
        if case["status"] == "syntax":
            assert caught.value.column == int(case["column"])
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
    # the form of the intro, as English words it (another language words it its own way)
    english = smtpcodes.compare(case["a"], case["b"]).intro
    if case["intro"] == "same":
        assert english.startswith("Both SMTP ")
    else:
        assert " is a " in english and ", while " in english
    assert case["first"] in cmp.intro and case["second"] in cmp.intro
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
            # a provider's range ("5.7.900-949") is found by its first code
            assert db.lookup(code.split("-")[0]).entry == code
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


FORMATS = read_tsv("formats.tsv")
COMMANDS = read_tsv("commands.tsv")
CLASSIFY = read_tsv("classify.tsv")
STREAMS = read_tsv("streams.tsv")


@pytest.mark.parametrize("case", FORMATS, ids=[c["name"] for c in FORMATS])
def test_formats(case):
    code = smtpcodes.lookup("4.7.1")
    reply = smtpcodes.parse_reply(b"451 4.7.1 Try later\r\n")
    if case["format"] is None:
        for render in (code.render, reply.render, smtpcodes.compare(421, 504).render):
            with pytest.raises(ValueError):
                render(case["name"])
    else:
        assert code.render(case["name"]) == code.render(case["format"])
        assert reply.render(case["name"]) == reply.render(case["format"])


@pytest.mark.parametrize("case", COMMANDS, ids=[c["input"] for c in COMMANDS])
def test_commands(case):
    command = unescape(case["input"])
    reply = smtpcodes.parse_reply(b"552 Too many recipients\r\n")
    if case["status"] == "ok":
        assert smtpcodes.parse_reply(b"250 Ok\r\n", command=command).command == case["command"]
        assert reply.classify(command) == smtpcodes.classify(reply, command)
        assert smtpcodes.ReplyParser(command=command).feed(b"250 Ok\n")[0].command == (
            case["command"])
    elif command == "":
        # No command is no SMTP command, but classify() reads "" as None: not known.
        assert smtpcodes.classify(reply, "") == smtpcodes.classify(reply)
        assert smtpcodes.parse_reply(b"250 Ok\r\n", command="").command is None
    else:
        for call in (lambda: smtpcodes.classify(reply, command),
                     lambda: reply.classify(command),
                     lambda: smtpcodes.classify(552, command),
                     lambda: smtpcodes.classify((552, b"Too many"), command),
                     lambda: smtpcodes.parse_reply(b"250 Ok\r\n", command=command),
                     lambda: smtpcodes.ReplyParser(command=command)):
            with pytest.raises(smtpcodes.UnknownCommandError) as caught:
                call()
            assert isinstance(caught.value, ValueError)
            assert caught.value.command == command


@pytest.mark.parametrize("case", CLASSIFY, ids=["%s %s %s" % (c["code"], c["enhanced"],
                                                              c["command"]) for c in CLASSIFY])
def test_classify(case):
    code = int(case["code"])
    command = unescape(case["command"]) if case["command"] is not None else None
    text = "%s Some text" % case["enhanced"] if case["enhanced"] else "Some text"
    wire = "%d %s\r\n" % (code, text)
    calls = [lambda: smtpcodes.classify((code, text.encode()), command),
             lambda: smtpcodes.classify(wire, command),
             lambda: smtpcodes.parse_reply(wire).classify(command)]
    if case["enhanced"] is None:
        calls.append(lambda: smtpcodes.classify(code, command))
    for call in calls:
        if case["status"] == "ok":
            verdict = call()
            assert (verdict.action, verdict.rule) == (case["action"], case["rule"])
            assert verdict.explanation and (verdict.reason is None) == (code < 400)
        else:
            with pytest.raises(smtpcodes.UnknownCommandError):
                call()
    if case["status"] == "ok":
        reply = smtpcodes.parse_reply(wire, command=command)
        assert (reply.action, reply.rule) == (case["action"], case["rule"])


def stream_events(case, pieces):
    """Feeds ``pieces`` to a ReplyParser of the case's flags; returns (events, parser)."""
    flags = (case["flags"] or "").split(",")
    parser = smtpcodes.ReplyParser(strict="strict" in flags, embedded="embedded" in flags)
    events = []

    def take(call):
        while True:
            try:
                replies = call()
            except smtpcodes.ReplyError as e:
                events.extend(str(r.code) for r in e.replies)
                events.append("!%d:%d" % (e.line, e.column))
                # the faulty line is dropped: the stream goes on with what follows
                call = parser.close if parser.closed else (lambda: parser.feed(b""))
            else:
                events.extend(str(r.code) for r in replies)
                return

    for piece in pieces:
        take(lambda: parser.feed(piece))
    take(parser.close)
    return events, parser


def check_stream(case, pieces):
    events, parser = stream_events(case, pieces)
    assert events == case["events"].split(","), pieces
    assert parser.line == int(case["lines"])
    assert parser.skipped == int(case["skipped"])
    assert parser.closed and parser.needed == 0


@pytest.mark.parametrize("case", STREAMS, ids=[c["name"] for c in STREAMS])
def test_streams(case):
    from test_replies import unescape_bytes

    data = unescape_bytes(case["input"])
    chunk = int(case["chunk"]) or len(data) or 1
    check_stream(case, [data[i:i + chunk] for i in range(0, len(data), chunk)])
    for split in range(len(data) + 1):
        check_stream(case, [data[:split], data[split:]])
