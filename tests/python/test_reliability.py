"""Reliability of the Python binding: no leaks, the same answers from 8 threads as
from one, and the documented error, never a crash, for hostile input to every function."""

import gc
import io
import json
import os
import random
import smtplib
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import smtpcodes
from conftest import ROOT, VECTORS

HERE = os.path.dirname(os.path.abspath(__file__))
VALID = VECTORS / "data" / "valid" / "override-421.txt"
MiB = 1024 * 1024


# ---- leaks --------------------------------------------------------------------


def test_resident_memory_does_not_grow():
    """leak_check.py: 1,000,000 lookups, 100,000 compares, parses and builds, scans and loads,
    after a warm-up, in a fresh interpreter; resident memory grows by less than 1 MiB."""
    done = subprocess.run([sys.executable, os.path.join(HERE, "leak_check.py"), str(VALID)],
                          capture_output=True, text=True, timeout=600, cwd=HERE)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    print("leak check:", done.stdout)
    assert result["calls"]["lookup"] == 1_000_000
    assert result["calls"]["compare"] == result["calls"]["parse"] == 100_000
    assert result["growth"] < MiB, result


# ---- threads ------------------------------------------------------------------

EVERY = [c.code for c in smtpcodes.codes()] + ["5.1.1", "4.2.2", "2.0.0"]
WIRES = [
    b"250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
    b"550 5.1.1 <x@y>: Recipient address rejected\r\n",
    b"552 5.2.2 Mailbox full\r\n",
    b"554 4.4.7 Message expired\r\n",
    b"421 4.3.2 Shutting down\r\n",
    b"599 Odd\r\n",
    b"2x0 broken\r\n",
    b"550 bad \xff byte\r\n",
]
LOG_LINES = [
    b"Nov 23 10:00:01 mx postfix/smtp[1]: A1A1A1A1A1: status=bounced (host m said: 550 5.1.1 <x@y.com>: "
    b"Recipient address rejected (in reply to RCPT TO command))",
    b"Nov 23 10:00:03 mx postfix/smtp[3]: B2B2B2B2B2: status=sent (250 2.0.0 Ok: queued)",
    b"Nov 23 10:00:05 mx postfix/qmgr[5]: A1A1A1A1A1: removed",
]
LOADED = smtpcodes.load(VALID)


def work(i):
    """One unit of work, chosen by i; returns something comparable."""
    kind = i % 8
    a = EVERY[i % len(EVERY)]
    b = EVERY[(i * 7 + 1) % len(EVERY)]
    if kind == 0:
        code = smtpcodes.lookup(a)
        if code.is_basic:
            return code.code, code.name
        unregistered = "%s.%d" % (code.code.rsplit(".", 1)[0], 900 + i % 99)
        return code.code, code.name, smtpcodes.lookup_closest(unregistered)[0].code
    if kind == 1:
        if smtpcodes.lookup(a).entry == smtpcodes.lookup(b).entry:
            return None
        cmp = smtpcodes.compare(a, b, lang=smtpcodes.languages()[i % 15])
        return cmp.render(("text", "markdown", "html", "json")[i % 4])
    if kind == 2:
        return smtpcodes.lookup(a).render("html", smtpcodes.languages()[i % 15])
    if kind == 3:
        try:
            r = smtpcodes.parse_reply(WIRES[i % len(WIRES)])
        except smtpcodes.ReplyError as e:
            return str(e)
        return (r.code, r.enhanced, r.lines, r.raw_lines, r.action, r.rule, r.explanation,
                sorted(r.warnings), r.entry and r.entry.code,
                r.enhanced_entry and r.enhanced_entry.code, r.render("json"))
    if kind == 4:
        parser = smtpcodes.ReplyParser()
        data = b"".join(WIRES[:6])
        got = []
        for at in range(0, len(data), 3 + i % 11):
            got += parser.feed(data[at:at + 3 + i % 11])
        return [r.to_dict() for r in got + parser.close()]
    if kind == 5:
        text = "x" * (i % 700)
        return (smtpcodes.build_reply(550, "5.7.1", text or None),
                tuple(smtpcodes.classify((552, b"Too many recipients"), "RCPT")))
    if kind == 6:
        lines = [LOG_LINES[(i + k) % 3] for k in range(50 + i % 50)]
        return smtpcodes.scan(io.BytesIO(b"\n".join(lines))).to_dict()
    reply = LOADED.parse_reply(b"421 4.3.2 Bye\r\n")
    return LOADED.lookup(421).description, reply.entry.description, LOADED.compare(
        421, 299).title


def test_eight_threads_give_what_one_thread_gives():
    items = list(range(1600))
    expected = [work(i) for i in items]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads as often as possible
    barrier = threading.Barrier(8)
    try:
        def start(i):
            if i < 8:
                barrier.wait()
            return work(i)

        for _ in range(3):
            with ThreadPoolExecutor(8) as pool:
                got = list(pool.map(start, items))
            assert got == expected
    finally:
        sys.setswitchinterval(old)


def test_threads_share_reply_objects():
    """Lazily converted reply fields read from many threads at once come out the same."""
    replies = [smtpcodes.parse_reply(w) for w in WIRES if not w.startswith(b"2x0")] * 50

    def read(r):
        return r.text, r.lines, r.action, r.explanation, r.enhanced, r.command, r.warnings

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(read, replies))
    assert got == [read(r) for r in replies]


def test_scans_run_in_parallel_threads(tmp_path):
    path = tmp_path / "mail.log"
    path.write_bytes(b"\n".join(LOG_LINES * 20000))
    expected = smtpcodes.scan(path).to_dict()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: smtpcodes.scan(path).to_dict(), range(16)))
    assert all(r == expected for r in results)


# ---- hostile input ------------------------------------------------------------

HUGE = 10**100
BIG = "5" * MiB
BIG_BYTES = b"550 " + b"a" * MiB


def raises(exc, fn, *args, **kwargs):
    with pytest.raises(exc):
        fn(*args, **kwargs)


WRONG_TYPES = [None, 2.5, float("nan"), True, [421], {421: 1}, object(), b"421" * 0, 1j]


@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_types_everywhere(value):
    if value == b"":
        return
    raises(TypeError, smtpcodes.lookup, value)
    raises(TypeError, smtpcodes.lookup_closest, value)
    raises(TypeError, smtpcodes.compare, value, 421)
    raises(TypeError, smtpcodes.compare, 421, 504, lang=value)
    raises(TypeError, smtpcodes.parse_reply, value)
    if value is not None:
        raises(TypeError, smtpcodes.parse_reply, "250 OK", command=value)
        raises(TypeError, smtpcodes.classify, "250 OK", value)
    raises(TypeError, smtpcodes.classify, value)
    raises(TypeError, smtpcodes.build_reply, value)
    raises(TypeError, smtpcodes.build_reply, 550, value if value is not None else 5)
    raises(TypeError, smtpcodes.build_reply, 550, None, value if value is not None else 5)
    raises(TypeError, smtpcodes.scan, value)
    raises(TypeError, smtpcodes.ReplyParser().feed, value)
    raises(TypeError, smtpcodes.load, value)
    raises(TypeError, smtpcodes.lookup(421).render, "text", value)
    if value is not None:
        raises(TypeError, smtpcodes.ReplyParser, command=value)
        raises((TypeError, ValueError), smtpcodes.codes, value)


@pytest.mark.parametrize("number", [HUGE, -HUGE, 2**31, -2**31 - 1, 2**63, -1, 0, 1000, -421])
def test_huge_and_negative_numbers(number):
    raises((smtpcodes.InvalidCodeError, smtpcodes.UnknownCodeError), smtpcodes.lookup, number)
    raises(smtpcodes.ReplyBuildError, smtpcodes.build_reply, number)
    raises(smtpcodes.ReplyError, smtpcodes.classify, number)
    raises(smtpcodes.ReplyError, smtpcodes.classify, (number, b"x"))
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, str(number))
    raises(smtpcodes.ReplyError, smtpcodes.parse_reply, str(number))


def test_nul_bytes():
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, "421\0")
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, "\0")
    raises(smtpcodes.ReplyError, smtpcodes.parse_reply, b"250 a\0b\r\n")
    raises(smtpcodes.ReplyError, smtpcodes.parse_reply, "\0" * 10)
    raises(smtpcodes.ReplyBuildError, smtpcodes.build_reply, 250, None, "a\0b")
    raises(smtpcodes.ReplyBuildError, smtpcodes.build_reply, 250, "2.0.0\0", "x")
    raises(smtpcodes.UnknownLanguageError, smtpcodes.compare, 421, 504, lang="en\0")
    raises(ValueError, smtpcodes.load, "/tmp/a\0b")
    raises(ValueError, smtpcodes.scan, "/tmp/a\0b")
    summary = smtpcodes.scan([b"said: 550 5.1.1 with \0 NUL"])
    assert summary.replies == 1 and "\0" in summary.rows[0].sample
    assert smtpcodes.classify((550, b"5.1.1 a\0b")).action == "give-up"


def test_invalid_utf8_and_surrogates():
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, b"\xff".decode("latin-1"))
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, "4\udc8021")
    raises(smtpcodes.UnknownLanguageError, smtpcodes.compare, 421, 504, lang="\udcff")
    raises(smtpcodes.UnknownLanguageError, smtpcodes.lookup(421).render, "text", "\ud800")
    reply = smtpcodes.parse_reply(b"550 \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80\r\n")
    assert reply.warnings == {"invalid-utf8"} and "\ufffd" in reply.text
    reply = smtpcodes.parse_reply("550 \udcff lone")  # a lone surrogate: its byte
    assert reply.raw_lines == (b"\xff lone",)
    raises(UnicodeEncodeError, smtpcodes.parse_reply, "550 \ud800 not an escape")
    raises(smtpcodes.ReplyBuildError, smtpcodes.build_reply, 550, None, "\udcff")
    raises(smtpcodes.ReplyBuildError, smtpcodes.build_reply, 550, "5.\udcff.1", "x")
    assert smtpcodes.scan(["said: 550 \udcff ok"]).replies == 1
    assert smtpcodes.ReplyParser().feed("250 \udcff\r\n")[0].raw_lines == (b"\xff",)


def test_one_mib_strings():
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, BIG)
    raises(smtpcodes.InvalidCodeError, smtpcodes.lookup, " " * MiB + "421x")
    assert smtpcodes.lookup(" " * MiB + "421") is smtpcodes.lookup(421)
    raises(smtpcodes.UnknownLanguageError, smtpcodes.compare, 421, 504, lang="e" * MiB)
    raises(smtpcodes.ReplyError, smtpcodes.parse_reply, BIG_BYTES)
    raises(smtpcodes.ReplyError, smtpcodes.parse_reply, b"250-x\r\n" * (MiB // 7))
    with pytest.raises(smtpcodes.ReplyError, match="too many lines"):
        smtpcodes.parse_reply(b"250-x\r\n" * 1001 + b"250 x\r\n")
    with pytest.raises(smtpcodes.ReplyBuildError, match="1000 lines"):
        smtpcodes.build_reply(550, "5.7.1", "word " * (MiB // 5))
    wire = smtpcodes.build_reply(550, "5.7.1", "word " * 80000)
    assert "".join(smtpcodes.parse_reply(wire).lines) == "word " * 80000
    summary = smtpcodes.scan([BIG_BYTES, b"said: 250 ok"])
    assert summary.skipped == 1 and summary.replies == 1
    assert smtpcodes.classify((550, b"5.7.1 " + b"x" * MiB)).action == "give-up"
    parser = smtpcodes.ReplyParser()
    with pytest.raises(smtpcodes.ReplyError):
        parser.feed(BIG_BYTES)
    assert parser.feed(b"\r\n250 ok\r\n")[0].text == "ok"


@pytest.mark.parametrize("lang", ["xx", "", "-", "zz-ZZ", "english", "x" * 300, "e\tn"])
def test_unknown_languages(lang):
    raises(smtpcodes.UnknownLanguageError, smtpcodes.compare, 421, 504, lang=lang)
    raises(smtpcodes.UnknownLanguageError, smtpcodes.lookup(421).render, "text", lang)
    raises(smtpcodes.UnknownLanguageError, smtpcodes.database.resolve_language, lang)


@pytest.mark.parametrize("fmt", ["", "pdf", "text\0", "\ud800", None, 1])
def test_unknown_formats(fmt):
    error = ValueError if isinstance(fmt, str) else TypeError
    raises(error, smtpcodes.lookup(421).render, fmt)
    raises(error, smtpcodes.compare(421, 504).render, fmt)
    raises(error, smtpcodes.parse_reply("250 OK").render, fmt)
    raises(error, smtpcodes.scan([]).render, fmt)


def data_file_cases(tmp_path):
    valid = VALID.read_bytes()
    cases = {
        "truncated": valid[:len(valid) // 2 + 7],
        "truncated in a UTF-8 sequence": "Code: 299\nName: Caf\u00e9".encode()[:-1],
        "duplicated": valid + b"\n" + valid,
        "binary": bytes(random.Random(3).randrange(256) for _ in range(4096)),
        "NUL bytes": valid.replace(b"Name:", b"Na\0me:", 1),
        "enormous": b"# " + b"x" * (17 * MiB) + b"\n",
        "empty field names": b":\n:\n",
    }
    paths = {}
    for name, content in cases.items():
        path = tmp_path / (name.replace(" ", "-") + ".txt")
        path.write_bytes(content)
        paths[name] = path
    return paths


def test_broken_data_files(tmp_path):
    for name, path in data_file_cases(tmp_path).items():
        for alone in (False, True):
            with pytest.raises(smtpcodes.DataError) as caught:
                smtpcodes.load(path, alone=alone)
            assert caught.value.filename == str(path), name
            assert caught.value.reason, name
    # Nothing was half-loaded: the default database is unchanged and a good load still works.
    assert smtpcodes.lookup(421).description != smtpcodes.load(VALID).lookup(421).description


def test_missing_and_unreadable_data_files(tmp_path):
    raises(FileNotFoundError, smtpcodes.load, tmp_path / "missing.txt")
    raises(IsADirectoryError, smtpcodes.load, tmp_path)
    raises(FileNotFoundError, smtpcodes.load, "")
    raises(FileNotFoundError, smtpcodes.scan, tmp_path / "missing.log")


def test_environment_data_file_errors(tmp_path):
    """A broken SMTPCODES_DATA fails the import with the documented error, not a crash."""
    paths = data_file_cases(tmp_path)
    for name, want in (("binary", "DataError"), ("enormous", "DataError")):
        done = subprocess.run(
            [sys.executable, "-c", "import smtpcodes"], capture_output=True, text=True,
            env=dict(os.environ, SMTPCODES_DATA=str(paths[name])), timeout=60)
        assert done.returncode == 1 and "smtpcodes.%s" % want in done.stderr, done.stderr
    done = subprocess.run(
        [sys.executable, "-c", "import smtpcodes"], capture_output=True, text=True,
        env=dict(os.environ, SMTPCODES_DATA=str(tmp_path / "missing")), timeout=60)
    assert done.returncode == 1 and "FileNotFoundError" in done.stderr


def test_misuse_of_the_core_module_is_refused_not_crashing():
    core = smtpcodes._core
    db = smtpcodes.database._source.db
    raises(TypeError, core.smtpc_py_reply_context, None, {}, smtpcodes.Reply, ValueError,
           ValueError, ValueError)
    raises(TypeError, core.smtpc_py_reply_context, db, {}, int, ValueError, ValueError,
           ValueError)
    raises(TypeError, core.smtpc_py_reply_context, db, {}, smtpcodes.Reply, 1, ValueError,
           ValueError)
    raises(TypeError, core.bind_parse_reply, (1, 2), "m")
    raises(TypeError, core.reply_stream, (1, 2, 3, 4, 5, 6), 0, None)
    ctx = smtpcodes.database._reply_ctx
    raises(core.Error, core.reply_stream, ctx, 1 << 20, None)
    raises(smtpcodes.UnknownCommandError, core.reply_stream, ctx, 0, "FOO")
    raises(core.Error, core.smtpc_enum_at, core.SMTPC_ENUM_KIND, 99)
    raises(TypeError, core.ReplyBase)
    reply = smtpcodes.parse_reply("250 OK")
    raises(TypeError, reply._render, "html", None)
    raises(smtpcodes._core.Error, reply._render, 99, None)
    raises(TypeError, reply._classify, 5)


def test_garbage_collection_frees_replies_of_a_dropped_database():
    import weakref

    db = smtpcodes.load(VALID)
    replies = [db.parse_reply(b"421 4.3.2 Bye\r\n") for _ in range(10)]
    source = weakref.ref(db._source)
    del db
    gc.collect()
    assert source() is not None  # the replies keep it
    assert replies[0].entry.description
    del replies
    gc.collect()
    assert source() is None
