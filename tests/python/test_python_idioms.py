"""What the facade adds for Python: int-like basic codes, smtplib's exceptions, help(), and
Code.to_dict() as exactly the core's JSON."""

import json
import pickle
import pydoc
import smtplib
import socketserver
import threading

import pytest

import smtpcodes
from smtpcodes import _core


def core_json(code):
    db = smtpcodes.database._source.db
    return json.loads(_core.smtpc_render_code(db, code.code, "en", _core.SMTPC_FORMAT_JSON))


def every_code():
    codes = list(smtpcodes.codes())
    for klass in (2, 3, 4, 5):
        codes += smtpcodes.codes(klass, "enhanced")
    return codes


def test_to_dict_is_the_core_json_for_every_code():
    for code in every_code():
        data = code.to_dict()
        assert data == core_json(code), code.code
        assert (data["code"], data["entry"], data["class"], data["retry"], data["name"]) == (
            code.code, code.entry, code.klass, code.retry, code.name)
        json.dumps(data)


def test_retry_and_names_of_a_code_as_written():
    assert smtpcodes.lookup("4.3.2").retry == "later"
    assert smtpcodes.lookup("4.7.1").retry == "later"
    assert smtpcodes.lookup("5.7.1").retry == smtpcodes.lookup("X.7.1").retry
    assert smtpcodes.lookup("2.7.1").retry == "none"
    assert smtpcodes.lookup("4.7.1").class_name == "Persistent Transient Failure"
    assert smtpcodes.lookup(421).class_name == "Transient Negative"
    assert smtpcodes.lookup(421).category_name == "Connections"
    assert smtpcodes.lookup("X.7.1").class_name == ""
    assert smtpcodes.lookup("550\n") is smtpcodes.lookup(550)
    with pytest.raises(smtpcodes.InvalidCodeError) as caught:
        smtpcodes.lookup("5.7.01")
    assert caught.value.column == 5


def test_render_reads_format_names_as_the_core_does():
    code = smtpcodes.lookup(421)
    assert code.render("md") == code.render("markdown") == code.render("Markdown")
    assert code.render("HTML") == code.to_html()
    with pytest.raises(ValueError):
        code.render("pdf")


def test_basic_codes_behave_like_their_int():
    code = smtpcodes.lookup(421)
    assert isinstance(code, int) and isinstance(code, smtpcodes.Code)
    assert isinstance(code, smtpcodes.BasicCode)
    assert f"{code:d}" == "421" and f"{code}" == "421" and "%d" % code == "421"
    assert f"{code:05d}" == "00421" and "%s" % code == "421"
    assert code + 1 == 422 and type(code + 1) is int
    assert code // 100 == 4 and code % 100 == 21 and -code == -421
    assert json.dumps(code) == "421" and json.dumps({"c": code}) == '{"c": 421}'
    assert code == 421 and hash(code) == hash(421) and {421: "x"}[code] == "x"
    assert code < 450 and code > 250 and sorted([550, code, 250]) == [250, code, 550]
    assert int(code) == 421 and int(code) is not code and str(code) == "421"
    assert repr(code) == "<Code 421 Service Not Available>"
    assert smtpcodes.lookup(421) is smtpcodes.lookup("421") is smtpcodes.Code(421)
    assert pickle.loads(pickle.dumps(code)) is code
    with pytest.raises(AttributeError):
        code.name = "x"
    assert "<article" in code._repr_html_()


def test_enhanced_codes_are_not_numbers():
    code = smtpcodes.lookup("5.7.1")
    assert not isinstance(code, int) and isinstance(code, smtpcodes.EnhancedCode)
    with pytest.raises(TypeError, match="enhanced"):
        int(code)
    with pytest.raises(TypeError):
        code + 1
    with pytest.raises(TypeError):
        json.dumps(code)
    assert code == smtpcodes.lookup("5.7.1") and code != smtpcodes.lookup("4.7.1")
    assert code != 571 and smtpcodes.lookup(571) != code
    assert smtpcodes.lookup(554) < code and code > smtpcodes.lookup(554)
    assert pickle.loads(pickle.dumps(code)) is code


def refused():
    return smtplib.SMTPRecipientsRefused({
        "gone@example.org": (550, b"5.1.1 <gone@example.org>: Recipient address rejected"),
        "many@example.org": (552, b"5.5.3 Too many recipients"),
        "full@example.org": (452, b"4.2.2 Mailbox full"),
    })


def check_refused(error):
    verdicts = smtpcodes.classify(error)
    assert set(verdicts) == {"gone@example.org", "many@example.org", "full@example.org"}
    assert verdicts["gone@example.org"].action == "give-up"
    assert (verdicts["many@example.org"].action,
            verdicts["many@example.org"].rule) == ("retry", "too-many-recipients")
    assert verdicts["full@example.org"].action == "retry"
    assert all(isinstance(v, smtpcodes.Verdict) for v in verdicts.values())
    codes = smtpcodes.lookup(error)
    assert codes == {"gone@example.org": smtpcodes.lookup(550),
                     "many@example.org": smtpcodes.lookup(552),
                     "full@example.org": smtpcodes.lookup(452)}
    assert codes["gone@example.org"] is smtpcodes.lookup(550)


def test_smtplib_recipients_refused_built_by_hand():
    check_refused(refused())
    assert smtpcodes.classify(refused(), "RCPT TO:<x@y>")["many@example.org"].action == "retry"
    with pytest.raises(smtpcodes.UnknownCommandError):
        smtpcodes.classify(refused(), "FOO")


def test_other_smtplib_exceptions_keep_working():
    assert smtpcodes.classify(smtplib.SMTPSenderRefused(552, b"5.3.4 too big", "a@b")).action \
        == "give-up"
    assert smtpcodes.classify(smtplib.SMTPDataError(451, b"4.3.0 later")).action == "retry"
    assert smtpcodes.lookup(smtplib.SMTPResponseException(550, b"x")) is smtpcodes.lookup(550)


class _Responder(socketserver.StreamRequestHandler):
    """An SMTP server that accepts the sender and refuses the recipients: 550 for the first,
    552 (too many recipients) for the others."""

    def handle(self):
        self.wfile.write(b"220 localhost ESMTP test\r\n")
        refused = 0
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
            elif verb == b"MAIL":
                self.wfile.write(b"250 2.1.0 Ok\r\n")
            elif verb == b"RCPT":
                refused += 1
                self.wfile.write(b"550 5.1.1 No such user\r\n" if refused == 1
                                 else b"552 5.5.3 Too many recipients\r\n")
            elif verb == b"RSET":
                self.wfile.write(b"250 2.0.0 Ok\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 2.0.0 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 5.5.2 Not implemented\r\n")


def test_smtplib_recipients_refused_from_a_real_session():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Responder)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address
        with smtplib.SMTP(host, port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPRecipientsRefused) as caught:
                client.sendmail("me@example.org", ["a@example.org", "b@example.org"],
                                b"Subject: x\r\n\r\nhello\r\n")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    error = caught.value
    assert {a: c for a, (c, _m) in error.recipients.items()} == {
        "a@example.org": 550, "b@example.org": 552}
    verdicts = smtpcodes.classify(error)
    assert verdicts["a@example.org"].action == "give-up"
    assert (verdicts["b@example.org"].action, verdicts["b@example.org"].rule) == (
        "retry", "too-many-recipients")
    assert smtpcodes.lookup(error) == {"a@example.org": smtpcodes.lookup(550),
                                       "b@example.org": smtpcodes.lookup(552)}


def test_verdict_explanation_and_reason():
    verdict = smtpcodes.classify(550)
    assert "RFC 5321" in verdict.explanation
    assert verdict.reason == verdict.to_dict()["reason"] == "undefined"  # nothing tells more
    assert smtpcodes.classify(550, "MAIL").reason == "rejected"
    success = smtpcodes.classify(250)
    assert success.reason is None and success.to_dict()["reason"] is None
    assert verdict.to_dict()["explanation"] == verdict.explanation
    assert verdict == (verdict.action, verdict.rule, verdict.explanation, verdict.flags,
                       verdict.reason)


def test_help_shows_the_public_api_not_the_wrapper():
    text = pydoc.render_doc(smtpcodes, renderer=pydoc.plaintext)
    for name in smtpcodes.__all__:
        assert name in text
    for internal in ("smtpc_", "SMTPC_", "swig", "SWIG"):
        assert internal not in text, internal
    contents = text.split("PACKAGE CONTENTS\n", 1)[1].split("\n\n", 1)[0].split()
    assert "_core" in contents and all(name.startswith("_") for name in contents), contents
    assert not hasattr(smtpcodes, "smtpcodes_core")
    assert smtpcodes.Code.__module__ == "smtpcodes"
    assert smtpcodes.ReplyError.__module__ == "smtpcodes"


def test_reply_parser_counts_skipped_lines():
    parser = smtpcodes.ReplyParser(embedded=True)
    got = parser.feed(b"no reply\nhost said: 550 5.1.1 gone\nnothing\n")
    assert [r.code for r in got] == [550] and parser.skipped == 2 and parser.line == 3
