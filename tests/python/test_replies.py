"""Replies through Python: parse_reply, ReplyParser, classify, build_reply and scan, with the
golden vectors of tests/vectors/replies.tsv that every suite reads."""

import io
import json
import re
import smtplib
import subprocess

import pytest

import smtpcodes
from conftest import ROOT, read_tsv
from vectorfiles import unescape_bytes  # noqa: F401 (other modules import it from here)

REPLIES = read_tsv("replies.tsv")


def flags_of(case):
    flags = set((case["flags"] or "").split(",")) - {""}
    return {"complete": "complete" in flags, "strict": "strict" in flags,
            "embedded": "embedded" in flags}


@pytest.mark.parametrize("case", REPLIES, ids=[c["name"] for c in REPLIES])
def test_golden_vector(case):
    data = unescape_bytes(case["input"])
    options = flags_of(case)
    if case["status"] == "reply":
        with pytest.raises(smtpcodes.ReplyError) as caught:
            smtpcodes.parse_reply(data, **options)
        assert not isinstance(caught.value, smtpcodes.IncompleteReplyError)
        assert isinstance(caught.value, ValueError)
        assert caught.value.reason and str(caught.value)
        return
    if case["status"] == "incomplete":
        with pytest.raises(smtpcodes.IncompleteReplyError) as caught:
            smtpcodes.parse_reply(data, **options)
        assert caught.value.needed == int(case["consumed"])
        return
    assert case["status"] == "ok"
    reply = smtpcodes.parse_reply(data, **options)
    assert reply.code == int(case["code"])
    assert reply.enhanced == case["enhanced"]
    assert len(reply.lines) == int(case["lines"])
    expected = [unescape_bytes(t) for t in case["text"].split("|")]
    assert list(reply.raw_lines) == expected
    assert list(reply.lines) == [t.decode("utf-8", "replace") for t in expected]
    assert reply.text == "\n".join(reply.lines)
    assert reply.warnings == frozenset((case["warnings"] or "").split(",")) - {""}
    assert reply.action == case["action"]
    if case["consumed"] is not None:
        assert reply.consumed == int(case["consumed"])
    # The same bytes as str give the same reply (undecodable bytes through surrogateescape).
    again = smtpcodes.parse_reply(data.decode("utf-8", "surrogateescape"), **options)
    assert again == reply and again.raw_lines == reply.raw_lines


def test_a_reply_object():
    reply = smtpcodes.parse_reply(b"550-5.1.1 The account does not exist.\r\n"
                                  b"550 5.1.1 Check the address.\r\n", command="RCPT")
    assert isinstance(reply, smtpcodes.Reply)
    assert (reply.code, reply.klass, reply.category) == (550, 5, 5)
    assert reply.enhanced == "5.1.1"
    assert reply.lines == ("The account does not exist.", "Check the address.")
    assert reply.text == "The account does not exist.\nCheck the address."
    assert reply.command == "RCPT"
    assert reply.entry is smtpcodes.lookup(550)
    assert reply.enhanced_entry is smtpcodes.lookup("5.1.1")
    assert reply.enhanced_entry.klass == 5
    assert reply.is_permanent and reply.is_negative and not reply.is_positive
    assert not (reply.is_transient or reply.is_success or reply.is_intermediate)
    assert reply.verdict == ("give-up", "class", reply.explanation, frozenset(), "userunknown")
    assert reply.reason == reply.verdict.reason == "userunknown"  # X.1.1
    assert reply.verdict.action == reply.action == "give-up"
    assert "RFC 5321 section 4.2.1" in reply.explanation
    assert repr(reply).startswith("<Reply 550 5.1.1 'The account")
    assert reply.consumed == 69


def test_replies_are_immutable_hashable_and_not_built_by_hand():
    reply = smtpcodes.parse_reply("250 OK")
    for name in ("code", "enhanced", "lines", "text", "action", "consumed", "klass"):
        with pytest.raises(AttributeError):
            setattr(reply, name, 1)
    with pytest.raises(AttributeError):
        reply.extra = 1
    assert reply == smtpcodes.parse_reply(b"250 OK\r\n") is not reply
    assert hash(reply) == hash(smtpcodes.parse_reply(b"250 OK"))
    assert reply != smtpcodes.parse_reply("250 Ok")
    assert reply != "250 OK"
    assert len({reply, smtpcodes.parse_reply(b"250 OK")}) == 1
    with pytest.raises(TypeError):
        smtpcodes.Reply()
    import copy
    import pickle

    assert copy.copy(reply) is reply and copy.deepcopy(reply) is reply
    with pytest.raises(TypeError, match="to_dict"):
        pickle.dumps(reply)


def test_unknown_and_nonconforming_codes_have_no_entry():
    reply = smtpcodes.parse_reply("599 Odd")
    assert reply.entry is None and reply.enhanced_entry is None
    assert reply.rule == "unknown-code" and reply.verdict.flags == {"unknown-code"}
    assert smtpcodes.parse_reply("571 Blocked").warnings == {"nonconforming"}


def test_an_unregistered_enhanced_code_finds_the_closest_entry():
    reply = smtpcodes.parse_reply("550 5.7.650 No")
    assert reply.enhanced == "5.7.650"
    assert reply.enhanced_entry.code == "5.7.0"


def test_invalid_utf8_is_replaced_in_text_and_kept_in_raw_lines():
    reply = smtpcodes.parse_reply(b"550-bad \xff\r\n550 and \xc3\r\n")
    assert reply.lines == ("bad \ufffd", "and \ufffd")
    assert reply.text == "bad \ufffd\nand \ufffd"
    assert reply.raw_lines == (b"bad \xff", b"and \xc3")
    assert reply.warnings == {"invalid-utf8"}
    assert "\ufffd" in reply.to_dict()["lines"][0]


def test_rendering_matches_the_cli(cli):
    wire = b"554 4.4.7 Message expired\r\n"
    reply = smtpcodes.parse_reply(wire)
    done = subprocess.run([cli, "parse", "--format", "json"], input=wire,
                          capture_output=True, check=True)
    # JSON Lines: the reply, then the CLI's summary of the stream
    assert reply.to_dict() == json.loads(done.stdout.splitlines()[0])
    assert reply.to_dict()["warnings"] == ["class-mismatch"]
    html = reply._repr_html_()
    assert html.lstrip().startswith("<article") and "554" in html
    assert reply.render("markdown") and "554" in reply.render("text")
    with pytest.raises(ValueError):
        reply.render("pdf")


def test_command_given_or_named_decides_the_verdict():
    assert smtpcodes.parse_reply("552 Too many recipients").action == "give-up"
    assert smtpcodes.parse_reply("552 Too many recipients", command="RCPT").action == "retry"
    assert smtpcodes.parse_reply("552 Too many recipients", command="rcpt").rule == (
        "too-many-recipients")
    logged = ("Nov 23 10:00:04 mx postfix/smtp[790]: 0A1789: to=<r@y.com>, status=deferred "
              "(host mx.y.com[192.0.2.1] said: 552 Too many recipients (in reply to RCPT TO "
              "command))")
    reply = smtpcodes.parse_reply(logged, embedded=True)
    assert reply.command == "RCPT" and reply.action == "retry"
    assert smtpcodes.parse_reply(logged, embedded=True, command="MAIL").action == "give-up"
    assert smtpcodes.parse_reply("250 Ok", command="").command is None


def test_parse_reply_options_and_signature():
    import inspect

    assert str(inspect.signature(smtpcodes.parse_reply)) == (
        "(data, /, *, complete=True, strict=False, embedded=False, command=None, host=None)")
    assert "ReplyError" in smtpcodes.parse_reply.__doc__
    long_line = b"250 " + b"a" * 600 + b"\r\n"
    assert smtpcodes.parse_reply(long_line).warnings == {"long-line"}
    with pytest.raises(smtpcodes.ReplyError) as caught:
        smtpcodes.parse_reply(long_line, strict=True)
    assert caught.value.column == 513 and caught.value.line == 1
    with pytest.raises(TypeError, match="unexpected keyword"):
        smtpcodes.parse_reply("250 OK", completed=True)
    with pytest.raises(TypeError):
        smtpcodes.parse_reply("250 OK", True)
    with pytest.raises(TypeError):
        smtpcodes.parse_reply()
    with pytest.raises(TypeError, match="command"):
        smtpcodes.parse_reply("250 OK", command=b"RCPT")
    # bytes-like objects
    assert smtpcodes.parse_reply(bytearray(b"250 OK")).code == 250
    assert smtpcodes.parse_reply(memoryview(b"xx250 OK")[2:]).text == "OK"


def test_pipelined_replies_are_read_one_after_another():
    data = b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
    codes = []
    while data:
        reply = smtpcodes.parse_reply(data)
        codes.append((reply.code, reply.enhanced))
        data = data[reply.consumed:]
    assert codes == [(250, "2.1.0"), (250, "2.1.5"), (354, None)]


def test_reply_errors_say_where():
    with pytest.raises(smtpcodes.ReplyError) as caught:
        smtpcodes.parse_reply(b"250-first\r\n251 second\r\n")
    e = caught.value
    assert (e.line, e.column) == (2, 1) or e.line == 2
    assert str(e).startswith("line 2") and e.reason in str(e)
    assert isinstance(e, smtpcodes.Error) and isinstance(e, ValueError)
    with pytest.raises(smtpcodes.ReplyError) as caught:
        smtpcodes.parse_reply(b"250+x\r\n")
    assert (caught.value.line, caught.value.column) == (1, 4)
    with pytest.raises(smtpcodes.IncompleteReplyError) as caught:
        smtpcodes.parse_reply(b"250-more to come\r\n", complete=False)
    assert caught.value.needed == 4


# ---- the stream parser ----------------------------------------------------------------------

STREAM = [
    b"220 mx.example.com ESMTP\r\n",
    b"250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
    b"250 2.1.0 Ok\r\n",
    b"550 5.1.1 <x@y>: Recipient address rejected\r\n",
    b"354 End data with <CR><LF>.<CR><LF>\n",
    b"250 2.0.0 Ok: queued as 4XyZ\r\n",
    b"550 bad \xff byte\r\n",
    b"221 2.0.0 Bye\r\n",
]


def test_stream_fed_byte_by_byte_equals_whole():
    expected = [smtpcodes.parse_reply(r) for r in STREAM]
    data = b"".join(STREAM)
    parser = smtpcodes.ReplyParser()
    got = []
    for i in range(len(data)):
        got += parser.feed(data[i:i + 1])
        assert parser.needed >= 1
    assert got + parser.close() == expected
    assert [r.consumed for r in got] == [0] * len(got)  # a stream has no offsets
    assert parser.closed and parser.needed == 0 and parser.close() == []
    with pytest.raises(ValueError):
        parser.feed(b"250 OK\r\n")


def test_stream_in_any_pieces_equals_whole():
    import random

    rnd = random.Random(5)
    data = b"".join(STREAM) * 3
    expected = [smtpcodes.parse_reply(r) for r in STREAM] * 3
    for _ in range(50):
        parser = smtpcodes.reply_parser()
        got, at = [], 0
        while at < len(data):
            n = rnd.randint(0, 40)
            got += parser.feed(memoryview(data)[at:at + n])
            at += n
        assert got + parser.close() == expected


def test_stream_needed_and_buffered():
    parser = smtpcodes.ReplyParser()
    assert parser.needed == 4 and parser.buffered == 0
    assert parser.feed(b"250-first\r\n") == []
    assert parser.needed == 4 and parser.buffered == 11
    assert parser.feed(b"250 la") == []
    assert parser.needed == 1
    (reply,) = parser.feed(b"st\r\n")
    assert reply.lines == ("first", "last")
    assert parser.line == 2 and parser.buffered == 0
    assert "line 2" in repr(parser)


def test_stream_last_line_without_line_end_completes_at_close():
    parser = smtpcodes.ReplyParser()
    assert parser.feed("250 OK\r\n\r\n221 Bye") == [smtpcodes.parse_reply("250 OK")]
    (last,) = parser.close()
    assert last.code == 221


def test_stream_errors_give_the_stream_line_and_keep_going():
    parser = smtpcodes.ReplyParser()
    with pytest.raises(smtpcodes.ReplyError) as caught:
        parser.feed(b"250 one\r\n250 two\r\n2x0 bad\r\n250 three\r\n")
    e = caught.value
    assert e.line == 3 and e.column == 2
    assert [r.text for r in e.replies] == ["one", "two"]
    assert [r.text for r in parser.feed(b"")] == ["three"]
    assert [r.text for r in parser.feed(b"250 four\r\n")] == ["four"]
    assert parser.line == 5
    # Continuation lines without a final line at the end of the stream: the line where the
    # final line should be.
    parser.feed(b"250-dangling\r\n")
    with pytest.raises(smtpcodes.ReplyError, match="line 7, column 1: continuation"):
        parser.close()


def test_stream_drops_an_overlong_line_and_recovers():
    parser = smtpcodes.ReplyParser()
    parser.feed(b"250 ok\r\n")
    with pytest.raises(smtpcodes.ReplyError, match="hard limit"):
        for _ in range(20):
            parser.feed(b"250 " + b"x" * 5000)
    assert parser.feed(b"x" * 70000) == []  # the rest of the long line is dropped
    (reply,) = parser.feed(b"yyy\r\n221 Bye\r\n")
    assert reply.code == 221


def test_stream_of_log_lines():
    parser = smtpcodes.ReplyParser(embedded=True)
    lines = (b"Nov 23 10:00:03 mx postfix/smtp[789]: DEF456: to=<ok@y.com>, status=sent "
             b"(250 2.0.0 Ok: queued as 4XyZ)\n"
             b"Diagnostic-Code: smtp; 550 5.7.26 Unauthenticated email is not accepted\n")
    got = parser.feed(lines[:50]) + parser.feed(lines[50:])
    assert [(r.code, r.enhanced) for r in got] == [(250, "2.0.0"), (550, "5.7.26")]
    assert parser.skipped == 0
    # A log line without a reply is skipped and counted, not an error.
    assert parser.feed(b"Nov 23 10:00:05 mx postfix/qmgr[12]: ABC123: removed\n") == []
    assert parser.skipped == 1 and parser.line == 3


def test_stream_options_and_database():
    db = smtpcodes.load(ROOT / "tests" / "vectors" / "data" / "valid" /
                        sorted(p.name for p in (ROOT / "tests" / "vectors" / "data" /
                                                "valid").glob("*.txt"))[0])
    parser = db.reply_parser(command="RCPT")
    (reply,) = parser.feed(b"552 Too many recipients\r\n")
    assert reply.action == "retry" and reply.command == "RCPT"
    assert reply._index is db._index
    with pytest.raises(TypeError):
        smtpcodes.ReplyParser(database="default")
    with pytest.raises(TypeError):
        smtpcodes.ReplyParser(command=1)
    with pytest.raises(TypeError):
        smtpcodes.ReplyParser().feed(None)
    strict = smtpcodes.ReplyParser(strict=True)
    with pytest.raises(smtpcodes.ReplyError, match="512"):
        strict.feed(b"250 " + b"a" * 600 + b"\r\n")


# ---- classify ---------------------------------------------------------------------------------


def test_classify_a_reply_text_bytes_and_codes():
    assert smtpcodes.classify("250 OK").action == "done"
    assert smtpcodes.classify(b"354 Go ahead").action == "continue"
    assert smtpcodes.classify("451 4.7.1 Greylisted").action == "retry"
    assert smtpcodes.classify(550).action == "give-up"
    assert smtpcodes.classify(smtpcodes.lookup(421)).flags == {"connection-closed"}
    verdict = smtpcodes.classify("552 5.2.2 Mailbox full")
    assert isinstance(verdict, smtpcodes.Verdict) and isinstance(verdict, tuple)
    action, rule, explanation, flags, reason = verdict
    assert (action, rule, flags, reason) == ("retry", "mailbox-full", {"overridden"},
                                             "mailboxfull")
    assert verdict.to_dict()["flags"] == ["overridden"]
    assert "Verdict(action='retry'" in repr(verdict) and "reason='mailboxfull'" in repr(verdict)
    assert smtpcodes.classify("250 OK").reason is None
    assert smtpcodes.classify("451 4.7.1 Greylisted").reason == "onhold"  # its text decides


def test_classify_a_reply_object_with_another_command():
    reply = smtpcodes.parse_reply("552 Too many recipients")
    assert smtpcodes.classify(reply) == reply.verdict
    assert smtpcodes.classify(reply, "RCPT").action == "retry"
    assert smtpcodes.classify(reply, "MAIL").action == "give-up"


def test_classify_smtplib_reply_tuples():
    assert smtpcodes.classify((550, b"5.1.1 <x@y>: Recipient address rejected")).action == (
        "give-up")
    assert smtpcodes.classify((552, b"5.2.2 Mailbox full")).rule == "mailbox-full"
    assert smtpcodes.classify((552, b"Too many recipients"), "RCPT").action == "retry"
    assert smtpcodes.classify((554, "4.4.7 Message expired")).rule == "class-mismatch"
    # What smtplib makes of a multi-line reply: the lines' texts joined with "\n".
    multi = (250, b"mx.example.com\nPIPELINING\nSIZE 10240000")
    assert smtpcodes.classify(multi).action == "done"
    # A message the parser refuses still classifies by its code and enhanced code.
    assert smtpcodes.classify((552, b"5.2.2 full\0of NULs")).rule == "mailbox-full"
    assert smtpcodes.classify((451, b"\0")).action == "retry"
    with pytest.raises(TypeError):
        smtpcodes.classify((550,))
    with pytest.raises(TypeError):
        smtpcodes.classify((550, 5))
    with pytest.raises(smtpcodes.ReplyError):
        smtpcodes.classify((-1, b"Connection unexpectedly closed"))


def test_classify_smtplib_exceptions():
    e = smtplib.SMTPResponseException(550, b"5.1.1 Unknown user")
    assert smtpcodes.classify(e).action == "give-up"
    # The exception says which command failed: a 552 to MAIL is about size, not recipients.
    refused = smtplib.SMTPSenderRefused(552, b"Too many recipients", "a@b.c")
    assert smtpcodes.classify(refused).action == "give-up"
    assert smtpcodes.classify(refused, "RCPT").action == "retry"
    assert smtpcodes.classify(smtplib.SMTPDataError(554, b"5.7.1 Rejected")).action == (
        "give-up")
    assert smtpcodes.classify(smtplib.SMTPAuthenticationError(454, "4.7.0 Try later")).action == (
        "retry")
    # A real SMTPResponseException subclass made by smtplib itself
    for exc_type in (smtplib.SMTPHeloError, smtplib.SMTPConnectError):
        assert smtpcodes.classify(exc_type(421, b"4.3.2 Shutting down")).action == "retry"


def test_classify_refuses_what_is_no_reply():
    for bad in (None, 2.5, True, [550], {"code": 550}, object()):
        with pytest.raises(TypeError):
            smtpcodes.classify(bad)
    for bad in (150, 600, 0, -550, 10**30):
        with pytest.raises(smtpcodes.ReplyError):
            smtpcodes.classify(bad)
    with pytest.raises(smtpcodes.ReplyError):
        smtpcodes.classify("hello")
    with pytest.raises(ValueError):
        smtpcodes.classify(smtpcodes.lookup("5.7.1"))
    with pytest.raises(TypeError):
        smtpcodes.classify("250 OK", 5)


# ---- build_reply ------------------------------------------------------------------------------


def test_build_reply_wire_form():
    assert smtpcodes.build_reply(550, "5.7.1", "Relay access denied") == (
        "550 5.7.1 Relay access denied\r\n")
    assert smtpcodes.build_reply("250", None, "Ok") == "250 Ok\r\n"
    assert smtpcodes.build_reply(smtpcodes.lookup(421), smtpcodes.lookup("4.3.2"), "Bye") == (
        "421 4.3.2 Bye\r\n")
    # The database's wording without text.
    assert smtpcodes.build_reply(250) == "250 OK\r\n"
    assert smtpcodes.build_reply(550, "5.1.1") == "550 5.1.1 %s\r\n" % (
        smtpcodes.lookup("5.1.1").sample)
    assert smtpcodes.build_reply(550, "5.1.1", "") == smtpcodes.build_reply(550, "5.1.1")


def test_build_reply_continuation_lines():
    text = " ".join("word%d" % i for i in range(300))
    wire = smtpcodes.build_reply(451, "4.7.1", text)
    lines = wire.split("\r\n")[:-1]
    assert len(lines) > 1
    assert all(len(line) + 2 <= 512 for line in lines)
    assert all(line.startswith("451-4.7.1 ") for line in lines[:-1])
    assert lines[-1].startswith("451 4.7.1 ")
    reply = smtpcodes.parse_reply(wire)
    assert "".join(reply.lines) == text and reply.enhanced == "4.7.1"


@pytest.mark.parametrize("args, where", [
    ((600,), "600"),
    ((199,), "199"),
    (("abc",), "abc"),
    (("5.7.1",), "5.7.1"),
    ((smtpcodes.lookup("5.7.1"),), "enhanced"),
    ((550, "4.7.1", "x"), "contradicts"),
    ((550, "5.7", "x"), "5.7"),
    ((354, "3.0.0", "x"), "3.0.0"),
    ((550, None, "bad\r\nline"), "\\x0D"),
    ((550, None, "caf\u00e9"), "\\xC3"),
    ((550, None, "a\0b"), "\\x00"),
    ((550, None, "5.7.1 starts like a code"), "enhanced code"),
    ((550, None, "lone \udcff surrogate"), "surrogate"),
    ((10**40,), "reply code"),
    ((-550,), "reply code"),
])
def test_build_reply_refusals(args, where):
    with pytest.raises(smtpcodes.ReplyBuildError) as caught:
        smtpcodes.build_reply(*args)
    assert where in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_build_reply_refusal_says_the_column():
    with pytest.raises(smtpcodes.ReplyBuildError) as caught:
        smtpcodes.build_reply(550, None, "abc\x7fdef")
    assert caught.value.column == 4


@pytest.mark.parametrize("args", [
    (None,), (550.0,), (True,), ([550],), (550, 5), (550, None, 5), (550, b"5.7.1", "x"),
])
def test_build_reply_wrong_types(args):
    with pytest.raises(TypeError):
        smtpcodes.build_reply(*args)


# ---- scan -------------------------------------------------------------------------------------

LOG = (
    b"Nov 23 10:00:01 mx postfix/smtp[123]: ABC123: to=<x@y.com>, status=bounced (host "
    b"mx.y.com[192.0.2.1] said: 550 5.1.1 <x@y.com>: Recipient address rejected: User unknown "
    b"(in reply to RCPT TO command))\n"
    b"Nov 23 10:00:02 mx postfix/smtpd[456]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: "
    b"554 5.7.1 <z@example.org>: Relay access denied; from=<a@b.c> to=<z@example.org>\n"
    b"Nov 23 10:00:03 mx postfix/smtp[789]: DEF456: to=<ok@y.com>, status=sent (250 2.0.0 Ok: "
    b"queued as 4XyZ)\n"
    b"Nov 23 10:00:04 mx postfix/smtp[790]: 0A1789: to=<r@y.com>, status=deferred (host "
    b"mx.y.com[192.0.2.1] said: 552 Too many recipients (in reply to RCPT TO command))\n"
    b"Nov 23 10:00:05 mx postfix/qmgr[12]: ABC123: removed\n"
    b"Nov 23 10:00:06 mx postfix/smtp[791]: 0B2012: to=<q@y.com>, status=sent (250 2.0.0 Ok: "
    b"queued as 5AbC)\n"
    b"Nov 23 10:00:07 mx postfix/smtp[792]: 0C3345: to=<p@y.com>, status=bounced (host "
    b"mx.y.com[192.0.2.1] said: 550 5.1.1 \xff\xfe odd bytes (in reply to RCPT TO command))\n"
)


def check_log_summary(summary):
    assert isinstance(summary, smtpcodes.ScanSummary)
    assert (summary.lines, summary.replies, summary.skipped) == (7, 6, 0)
    rows = {(r.code, r.enhanced): r for r in summary}
    assert set(rows) == {(550, "5.1.1"), (554, "5.7.1"), (250, "2.0.0"), (552, None)}
    assert rows[550, "5.1.1"].count == 2 and rows[250, "2.0.0"].count == 2
    assert rows[552, None].action == "retry"  # "in reply to RCPT TO": too many recipients
    assert rows[550, "5.1.1"].name == "Mailbox Unavailable"
    assert rows[550, "5.1.1"].entry is smtpcodes.lookup(550)
    assert rows[550, "5.1.1"].enhanced_entry is smtpcodes.lookup("5.1.1")
    assert rows[552, None].enhanced_entry is None
    assert rows[554, "5.7.1"].sample.startswith("Nov 23 10:00:02")
    # the reason of each row: its sample line's text, enhanced code, code and command
    assert [(r.code, r.reason) for r in summary] == [
        (250, None), (550, "userunknown"), (552, "exceedlimit"), (554, "norelaying")]
    assert len(summary) == 4 and [r.code for r in summary.rows] == sorted(
        r.code for r in summary.rows)


def test_scan_a_path_a_file_and_lines(tmp_path):
    path = tmp_path / "mail.log"
    path.write_bytes(LOG)
    check_log_summary(smtpcodes.scan(path))
    check_log_summary(smtpcodes.scan(str(path)))
    check_log_summary(smtpcodes.scan(bytes(path)))
    with open(path, "rb") as f:
        check_log_summary(smtpcodes.scan(f))
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        check_log_summary(smtpcodes.scan(f))
    check_log_summary(smtpcodes.scan(io.BytesIO(LOG)))
    check_log_summary(smtpcodes.scan(LOG.splitlines()))  # lines without line ends
    check_log_summary(smtpcodes.scan(LOG.splitlines(keepends=True)))
    check_log_summary(smtpcodes.scan(line.decode("utf-8", "surrogateescape")
                                     for line in LOG.splitlines()))


def test_scan_summary_matches_the_cli(tmp_path, cli):
    path = tmp_path / "mail.log"
    path.write_bytes(LOG * 3)
    summary = smtpcodes.scan(path)
    done = subprocess.run([cli, "scan", "--format", "json", str(path)], capture_output=True,
                          check=True)
    assert summary.to_dict() == json.loads(done.stdout)
    done = subprocess.run([cli, "scan", str(path)], capture_output=True, check=True)
    assert str(summary) == done.stdout.decode("utf-8")
    assert summary._repr_html_().lstrip().startswith("<")
    assert summary.render("markdown").count("|") > 10
    assert re.match(r"<ScanSummary 21 lines, 18 replies, 4 rows>", repr(summary))
    row = summary.rows[0]
    assert row.to_dict()["code"] == str(row.code)
    assert [r.to_dict() for r in summary] == summary.to_dict()["rows"]
    assert "ScanRow(code=" in repr(row)


def test_scan_summary_is_immutable():
    summary = smtpcodes.scan([b"250 OK"])
    with pytest.raises(AttributeError):
        summary.lines = 0
    with pytest.raises(TypeError):
        smtpcodes.ScanSummary()
    # pickling gives an equal summary, which is as immutable
    import pickle

    again = pickle.loads(pickle.dumps(summary))
    assert again == summary and again is not summary
    with pytest.raises(AttributeError):
        again.rows = ()


def test_scan_of_nothing():
    summary = smtpcodes.scan([])
    assert (summary.lines, summary.replies, summary.rows) == (0, 0, ())
    assert smtpcodes.scan(io.BytesIO(b"")).lines == 0


def test_scan_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        smtpcodes.scan(tmp_path / "missing.log")
    with pytest.raises(IsADirectoryError):
        smtpcodes.scan(tmp_path)
    for bad in (None, 5, 2.5):
        with pytest.raises(TypeError):
            smtpcodes.scan(bad)
    with pytest.raises(TypeError, match="line 2"):
        smtpcodes.scan(["250 OK", 250])


def test_database_functions(tmp_path):
    valid = sorted((ROOT / "tests" / "vectors" / "data" / "valid").glob("*.txt"))[0]
    db = smtpcodes.load(valid)
    reply = db.parse_reply("550 5.1.1 x")
    assert reply.entry is db.lookup(550) and reply.entry is not smtpcodes.lookup(550)
    assert db.classify("552 Too many", "RCPT").action == "retry"
    assert db.build_reply(250, None, "Ok") == "250 Ok\r\n"
    summary = db.scan([b"status=sent (250 2.0.0 Ok)"])
    assert summary.rows[0].entry is db.lookup(250)
    # The replies and summaries keep a loaded database alive.
    del db
    import gc

    gc.collect()
    assert reply.entry.code == "550" and reply.render("text")
    assert summary.render("json")
