"""Every JSON document of the Python API, validated against docs/schema/smtpcodes.schema.json
with tests/schema/schema.py: to_dict() and the "json" rendering of every code (as its entry
and written with a class), of comparisons in every language, of the replies of
tests/vectors/replies.tsv and streams.tsv, and of scans. jsonschema comes with the test extra
of pyproject.toml; without it the import fails (a schema test that skips proves nothing)."""

import io
import json
import sys

import pytest

import smtpcodes
from conftest import ROOT, read_tsv
from test_replies import unescape_bytes

sys.path.insert(0, str(ROOT / "tests" / "schema"))
from schema import validate  # noqa: E402

EVERY = list(smtpcodes.codes())
# Each enhanced entry written with every class it is meant for ("4.7.1", "5.7.1"), and codes
# the database lacks, which show their closest entry.
WRITTEN = [smtpcodes.lookup("%d%s" % (k, c.code[1:]))
           for c in smtpcodes.codes(kind="enhanced") for k in c.classes]
CLOSEST = [smtpcodes.lookup_closest(code)[0] for code in ("5.7.99", "4.9.9", "2.1.650")]


def check(document, definition, what):
    """Validates a document, naming it in the failure."""
    try:
        validate(document, definition)
    except AssertionError as exc:
        raise AssertionError("%s: %s" % (what, exc)) from None
    return document


@pytest.mark.parametrize("code", EVERY + WRITTEN + CLOSEST,
                         ids=[c.code for c in EVERY + WRITTEN + CLOSEST])
def test_every_code_page_is_a_code_document(code):
    page = check(code.to_dict(), "code", code.code)
    assert page["code"] == code.code and page["entry"] == code.entry
    assert page["language"] == "en" and page["lang"] == {}
    assert json.loads(code.render("json")) == page


def test_code_pages_in_every_language():
    for i, lang in enumerate(smtpcodes.languages()):
        for code in (EVERY[i % len(EVERY)], WRITTEN[i % len(WRITTEN)]):
            page = check(json.loads(code.render("json", lang)), "code",
                         "%s in %s" % (code.code, lang))
            assert page["language"] == lang


def comparison_sample():
    """Basic and enhanced codes, as entries and written with a class, against each other,
    each pair in a different language, so that every language comes several times."""
    pool = EVERY[::7] + WRITTEN[::11]
    languages = smtpcodes.languages()
    pairs = []
    for i, a in enumerate(pool):
        b = pool[(i * 5 + 3) % len(pool)]
        if a.entry != b.entry:
            pairs.append((a.code, b.code, languages[i % len(languages)]))
    return pairs


@pytest.mark.parametrize("a, b, lang", comparison_sample())
def test_comparisons_are_comparison_documents(a, b, lang):
    cmp = smtpcodes.compare(a, b, lang=lang)
    page = check(cmp.to_dict(), "comparison", "compare(%s, %s, %s)" % (a, b, lang))
    assert json.loads(cmp.to_json()) == page
    assert page["language"] == cmp.lang == lang
    # What fell back to English is marked, each mark a JSON Pointer to a text of the page;
    # a language whose catalog is complete marks nothing.
    assert page["lang"] == dict.fromkeys(cmp.fallbacks, "en")
    translated, total = smtpcodes.database.completeness(lang)
    if translated == total:
        assert page["lang"] == {}, lang
    for pointer in page["lang"]:
        target = page
        for part in pointer.split("/")[1:]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        assert isinstance(target, (str, list)), pointer
    assert [c["code"] for c in page["codes"]] == [cmp.first.code, cmp.second.code]


REPLIES = [row for row in read_tsv("replies.tsv") if row["status"] == "ok"]


@pytest.mark.parametrize("row", REPLIES, ids=[row["name"] for row in REPLIES])
def test_replies_are_reply_documents(row):
    flags = row["flags"] or ""
    data = unescape_bytes(row["input"])
    options = {"strict": "strict" in flags, "embedded": "embedded" in flags}
    for command in (None, "RCPT", "end of DATA"):
        reply = smtpcodes.parse_reply(data, command=command, **options)
        doc = check(reply.to_dict(), "reply", "%s (command %s)" % (row["name"], command))
        assert doc["code"] == "%d" % reply.code and doc["action"] == reply.action
        assert doc["reason"] == reply.reason and (doc["reason"] is None) == (reply.code < 400)
        assert doc["language"] == "en" and doc["lang"] == {}
        assert json.loads(reply.render("json")) == doc


def test_streamed_replies_are_reply_documents():
    checked = 0
    for row in read_tsv("streams.tsv"):
        flags = row.get("flags") or ""
        parser = smtpcodes.ReplyParser(strict="strict" in flags, embedded="embedded" in flags)
        replies, pending = [], unescape_bytes(row["input"])
        # After a malformed reply, the next call reads what follows it.
        for call in [lambda: parser.feed(pending)] + [lambda: parser.feed(b"")] * 20:
            try:
                replies += call()
                break
            except smtpcodes.ReplyError as e:
                replies += e.replies
        for _ in range(20):
            try:
                replies += parser.close()
                break
            except smtpcodes.ReplyError as e:
                replies += e.replies
        for reply in replies:
            check(reply.to_dict(), "reply", "streams.tsv: " + row["name"])
            checked += 1
    assert checked > 10, checked


LOG = (b"Nov 23 10:00:01 mx postfix/smtp[1]: A1A1A1A1A1: to=<a@x>, status=sent (250 2.0.0 Ok)\n"
       b"Nov 23 10:00:02 mx postfix/smtp[1]: A2A2A2A2A2: to=<b@x>, status=bounced (host x[192.0.2.1]"
       b" said: 550 5.1.1 <b@x>: unknown (in reply to RCPT TO command))\n"
       b"Nov 23 10:00:03 mx postfix/smtp[1]: A3A3A3A3A3: to=<c@x>, status=deferred (host x said: "
       b"451 4.7.1 greylisted \xff (in reply to RCPT TO command))\n"
       b"Nov 23 10:00:04 mx postfix/smtp[1]: A4A4A4A4A4: to=<d@x>, status=deferred (host x said: "
       b"552 Too many recipients (in reply to RC TO command))\n"
       b"Nov 23 10:00:05 mx postfix/smtpd[2]: NOQUEUE: reject: RCPT from y[192.0.2.2]: 554 "
       b"5.7.1 <c@y>: Relay access denied; from=<a@y> to=<c@y>\n"
       b"Nov 23 10:00:06 mx relayd[1]: host x said: 299 odd\n"
       b"Nov 23 10:00:07 mx postfix/qmgr[2]: A2A2A2A2A2: removed\n")


def test_scans_are_scan_documents():
    summary = smtpcodes.scan(io.BytesIO(LOG))
    doc = check(summary.to_dict(), "scan", "scan of a log")
    assert [r["code"] for r in doc["rows"]] == ["250", "299", "451", "550", "552", "554"]
    assert json.loads(summary.render("json")) == doc
    check(smtpcodes.scan(io.BytesIO(b"")).to_dict(), "scan", "scan of nothing")
    check(smtpcodes.scan([b"x" * 70000, b"no reply here"]).to_dict(), "scan",
          "scan of lines without replies")
    # The replies embedded in the same log, one by one.
    for line in LOG.splitlines():
        try:
            reply = smtpcodes.parse_reply(line, embedded=True)
        except smtpcodes.ReplyError:
            continue
        check(reply.to_dict(), "reply", line.decode("utf-8", "replace"))


def test_bounce_records_are_bounce_documents():
    """to_dict() of each record of the bounce corpus, as an array, is the schema's "bounce"
    document (whose records may leave out "file", which only the CLI knows)."""
    corpus = ROOT / "tests" / "vectors" / "bounces"
    records = []
    for path in sorted(corpus.glob("*.eml")) + sorted((corpus / "reader").glob("*.eml")):
        records += [r.to_dict() for r in smtpcodes.parse_bounce(path.read_bytes())]
    assert len(records) > 50
    validate(records, "bounce")
