"""Property tests (hypothesis) of the reply API: what build_reply() builds parses back to the
same code, enhanced code and text; a stream cut anywhere parses as a whole;
a log scanned in chunks of any size counts as one scanned at once; and whatever parse_reply()
is given, it answers with a Reply or a documented error.

SMTPCODES_HYPOTHESIS_SCALE=N multiplies the number of examples, for a longer local hunt.
"""

import io
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import smtpcodes

# RFC 5321's textstring: printable ASCII, space and tab.
TEXTSTRING = st.characters(min_codepoint=32, max_codepoint=126) | st.just("\t")
texts = st.text(TEXTSTRING, min_size=1, max_size=1500) | st.text(
    st.sampled_from(" \tab.5-"), min_size=1, max_size=40)
SCALE = int(os.environ.get("SMTPCODES_HYPOTHESIS_SCALE", "1"))
codes = st.integers(min_value=200, max_value=599)
numbers = st.integers(min_value=0, max_value=999)


@st.composite
def reply_arguments(draw):
    code = draw(codes)
    enhanced = None
    if code // 100 != 3 and draw(st.booleans()):
        enhanced = "%d.%d.%d" % (code // 100, draw(numbers), draw(numbers))
    return code, enhanced, draw(texts)


def starts_like_an_enhanced_code(text):
    head = text.split(" ", 1)[0]
    parts = head.split(".")
    return (len(parts) == 3 and parts[0] in ("2", "4", "5")
            and all(p.isdigit() and 1 <= len(p) <= 3 for p in parts[1:]))


@settings(max_examples=1500 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply_arguments())
def test_build_reply_parses_back(args):
    code, enhanced, text = args
    if enhanced is None and starts_like_an_enhanced_code(text):
        with pytest.raises(smtpcodes.ReplyBuildError, match="enhanced code"):
            smtpcodes.build_reply(code, enhanced, text)
        return
    wire = smtpcodes.build_reply(code, enhanced, text)
    assert wire.endswith("\r\n") and wire.isascii()
    lines = wire.split("\r\n")[:-1]
    assert all(len(line) + 2 <= 512 for line in lines)  # RFC 5321 section 4.5.3.1.5
    assert all(line.startswith("%d-" % code) for line in lines[:-1])
    if enhanced is not None:
        assert all(line[4:].startswith(enhanced) for line in lines)  # RFC 2034 section 4
    reply = smtpcodes.parse_reply(wire, strict=True)
    assert reply.code == code
    assert reply.enhanced == enhanced
    assert "".join(reply.lines) == text
    assert reply.consumed == len(wire)
    assert reply.warnings <= {"nonconforming"}
    # and as a stream, in two pieces
    parser = smtpcodes.ReplyParser()
    cut = len(wire) // 2
    assert parser.feed(wire[:cut]) + parser.feed(wire[cut:]) + parser.close() == [reply]


@settings(max_examples=300 * SCALE, deadline=None)
@given(codes, st.text(max_size=40))
def test_build_reply_refuses_or_parses_back_any_text(code, text):
    try:
        wire = smtpcodes.build_reply(code, None, text)
    except smtpcodes.ReplyBuildError:
        assert not text.isascii() or any(c < " " and c != "\t" or c == "\x7f" for c in text) or (
            starts_like_an_enhanced_code(text))
        return
    reply = smtpcodes.parse_reply(wire)
    assert reply.code == code and "".join(reply.lines) == (text or reply.text)


@settings(max_examples=200 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reply_arguments(), min_size=1, max_size=6), st.data())
def test_stream_cut_anywhere_equals_whole(many, data):
    wires = []
    for code, enhanced, text in many:
        assume(enhanced is not None or not starts_like_an_enhanced_code(text))
        wires.append(smtpcodes.build_reply(code, enhanced, text).encode())
    stream = b"".join(wires)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=12)))
    parser = smtpcodes.ReplyParser()
    got, last = [], 0
    for cut in cuts + [len(stream)]:
        got += parser.feed(stream[last:cut])
        last = cut
    got += parser.close()
    assert got == [smtpcodes.parse_reply(w) for w in wires]


LOG_LINES = [
    b"Nov 23 10:00:01 mx postfix/smtp[1]: 0A1A1A1A1A: to=<x@y.com>, status=bounced (host m[192.0.2.1] "
    b"said: 550 5.1.1 <x@y.com>: Recipient address rejected (in reply to RCPT TO command))",
    b"Nov 23 10:00:02 mx postfix/smtpd[2]: NOQUEUE: reject: RCPT from u[192.0.2.9]: 554 5.7.1 "
    b"<z@example.org>: Relay access denied; from=<a@b.c>",
    b"Nov 23 10:00:03 mx postfix/smtp[3]: 0B2B2B2B2B: to=<o@y.com>, status=sent (250 2.0.0 Ok: queued)",
    b"Nov 23 10:00:04 mx postfix/smtp[4]: 0C3C3C3C3C: to=<r@y.com>, status=deferred (host m[192.0.2.1] "
    b"said: 452 4.2.2 Over quota (in reply to RCPT TO command))",
    b"Nov 23 10:00:05 mx postfix/qmgr[5]: 0A1A1A1A1A: removed",
    b"Diagnostic-Code: smtp; 550 5.7.26 Unauthenticated email is not accepted",
    b"Nov 23 10:00:06 mx postfix/smtp[6]: 0D4D4D4D4D: to=<d@y.com>, status=deferred (said: 421 Try later)\r",
    b"",
    b"\xff\xfe binary noise 250",
]


class Chunked(io.RawIOBase):
    """A stream whose read() returns pieces of the sizes it is given, whatever is asked."""

    def __init__(self, data, sizes):
        self.data, self.sizes, self.at = data, list(sizes), 0

    def readable(self):
        return True

    def read(self, n=-1):
        size = self.sizes.pop(0) if self.sizes else len(self.data)
        piece = self.data[self.at:self.at + max(size, 1)]
        self.at += len(piece)
        return piece


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LOG_LINES), max_size=60), st.booleans(),
       st.lists(st.integers(1, 300), max_size=40))
def test_scan_in_chunks_equals_one_shot(lines, final_newline, sizes):
    log = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    whole = smtpcodes.scan(io.BytesIO(log))
    pieces = smtpcodes.scan(Chunked(log, sizes))
    assert pieces.to_dict() == whole.to_dict()
    assert pieces.rows == whole.rows
    by_lines = smtpcodes.scan(log.splitlines())
    assert by_lines.rows == whole.rows and by_lines.replies == whole.replies


def test_scan_of_a_generated_log_cut_at_random_boundaries(tmp_path):
    import random

    rnd = random.Random(8)
    log = b"\n".join(rnd.choice(LOG_LINES) for _ in range(20000)) + b"\n"
    path = tmp_path / "mail.log"
    path.write_bytes(log)
    whole = smtpcodes.scan(path)
    assert whole.lines == 20000 and whole.replies > 10000
    for _ in range(5):
        sizes = [rnd.choice((1, 7, 100, 4096, 65536, 1 << 20)) for _ in range(2000)]
        assert smtpcodes.scan(Chunked(log, sizes)).to_dict() == whole.to_dict()


anything = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    st.builds(lambda code, sep, rest: b"%d%s%s" % (code, sep, rest), st.integers(0, 999),
              st.sampled_from([b" ", b"-", b"", b"+"]), st.binary(max_size=100)),
)


@settings(max_examples=2000 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything, st.booleans(), st.booleans(), st.booleans())
def test_parse_reply_answers_or_raises_a_reply_error(data, complete, strict, embedded):
    try:
        reply = smtpcodes.parse_reply(data, complete=complete, strict=strict, embedded=embedded)
    except smtpcodes.IncompleteReplyError as e:
        assert not complete and e.needed >= 1
        return
    except smtpcodes.ReplyError as e:
        assert e.reason and e.line >= 0 and e.column >= 0
        return
    assert 200 <= reply.code <= 599
    assert reply.action in ("done", "continue", "retry", "give-up")
    assert len(reply.lines) == len(reply.raw_lines) >= 1
    assert reply.text == "\n".join(reply.lines)
    assert 0 < reply.consumed <= len(data.encode("utf-8", "surrogateescape")
                                     if isinstance(data, str) else data)
    row = reply.to_dict()
    assert row["code"] == "%d" % reply.code  # codes are strings in the JSON
    assert row["class"] == reply.code // 100 and row["action"] == reply.action
    assert len(row["lines"]) == len(reply.lines)  # the JSON writes control bytes as U+FFFD
