#!/usr/bin/env python3
"""Fuzzes the Python layer of smtpcodes: argument conversion, the facade, and
parse/build round trips.

    python tests/python/fuzz_python.py [--seconds N] [--runs N] [--random] [--corpus DIR]
                                       [--artifacts DIR] [LIBFUZZER FLAG...]

With atheris (PyPI: pip install atheris) installed, libFuzzer drives the harness with coverage
of the Python facade (atheris instruments smtpcodes/__init__.py when it is imported; the C
extension is not instrumented, which the C harnesses of tests/fuzz cover). Without atheris, or
with --random, the same harness runs on random inputs from Python's `random` (mutations of the
seeds, and random bytes), for CI machines where atheris does not build.

Each input picks one of:
  0 lookup, lookup_closest, compare, codes, render and resolve_language with arguments built
    from the bytes (ints of any size, str with surrogates, bytes, tuples, floats, None, ...);
  1 parse_reply with any flags and command; the reply's every attribute; the stream parser fed
    the same bytes in pieces must give the same reply; a command the core cannot read raises
    UnknownCommandError, from parse_reply and ReplyParser alike;
  2 build_reply with a code, an enhanced code and a text taken from the bytes: what it builds
    parses back to the same code, enhanced code and text;
  3 scan of the bytes as a log, whole and in pieces, and cut in two and merged: the same
    summary, or the same ScanInputError whole and in pieces (the bytes may be compressed, or
    no text);
  4 classify of the bytes as a reply, an smtplib tuple and an smtplib exception, for commands
    it must take ("RCPT", "mail", none);
  5 providers: meaning, provider_of, reason and classify with hosts and slugs from the bytes
    (a provider's host, any text, a surrogate); a provider's meaning is its own or the lookup.
Anything but the documented exceptions (smtpcodes.Error and its subclasses, ValueError for a
bad option or text that is not text, TypeError) is a crash: the input is saved under --artifacts and the
run fails.

Seeds: the inputs of tests/vectors/replies.tsv, copied into the corpus directory (default: a
fresh temporary one; libFuzzer adds what it finds there). ctest runs it for 60 seconds
(python-fuzz); run it longer with --seconds. Prints the number of executions at the end.
"""

import argparse
import io
import os
import random
import re
import shutil
import smtplib
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "vectors")

try:
    import atheris
except ImportError:
    atheris = None

if atheris is not None and "--random" not in sys.argv:
    with atheris.instrument_imports():
        import smtpcodes
else:
    import smtpcodes

# What the package documents: its own errors (ValueError and LookupError subclasses), ValueError
# for a bad option (a format, a class), UnicodeEncodeError for text that is not text, TypeError.
EXPECTED = (smtpcodes.Error, ValueError, TypeError)


class Data:
    """Takes values from the input bytes, as atheris' FuzzedDataProvider does, in plain
    Python so that the harness runs without atheris too."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def byte(self):
        if self.at >= len(self.data):
            return 0
        self.at += 1
        return self.data[self.at - 1]

    def int(self, nbytes):
        value = 0
        for _ in range(nbytes):
            value = value << 8 | self.byte()
        return value

    def bytes(self, limit=None):
        n = self.int(2) if limit is None else self.int(2) % (limit + 1)
        piece = self.data[self.at:self.at + n]
        self.at += len(piece)
        return piece

    def rest(self):
        piece = self.data[self.at:]
        self.at = len(self.data)
        return piece

    def text(self, limit=None):
        return self.bytes(limit).decode("utf-8", "surrogateescape")

    def value(self):
        """Any kind of argument."""
        kind = self.byte() % 14
        if kind == 0:
            return self.int(2) % 1000
        if kind == 1:
            return self.int(8) - 2**63
        if kind == 2:
            return self.int(2) ** (self.byte() % 40) * (-1) ** self.byte()
        if kind == 3:
            return self.text(40)
        if kind == 4:
            return self.bytes(40)
        if kind == 5:
            return "%d.%d.%d" % (self.byte() % 7, self.int(2) % 1200, self.int(2) % 1200)
        if kind == 6:
            return (self.int(2) % 1000 - 100, self.bytes(40))
        if kind == 7:
            return smtplib.SMTPResponseException(self.int(2) % 1000, self.bytes(40))
        if kind == 8:
            return [None, True, False, 2.5, float("nan"), object()][self.byte() % 6]
        if kind == 9:
            codes = smtpcodes.codes()
            return codes[self.byte() % len(codes)]
        if kind == 10:
            return (self.value(), self.value())
        if kind == 11:
            return " " * (self.byte() % 4) + self.text(8) + "\t" * (self.byte() % 3)
        if kind == 12:
            return "X.%d.%d" % (self.byte() % 9, self.int(2) % 1001)
        return bytearray(self.bytes(20))


def call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except EXPECTED:
        return None


def facade(d):
    a, b = d.value(), d.value()
    lang = [d.text(12), "en", "de", "pt-BR", "zh", None, 5][d.byte() % 7]
    code = call(smtpcodes.lookup, a)
    if code is not None:
        assert smtpcodes.lookup(code.code) is code
        assert call(smtpcodes.lookup_closest, a) == (code, True)
        call(code.render, ["text", "markdown", "html", "json", "x"][d.byte() % 5], lang)
        code.to_dict()
    call(smtpcodes.lookup_closest, b)
    cmp = call(smtpcodes.compare, a, b, lang)
    if cmp is not None:
        assert cmp.first <= cmp.second
        cmp.render(["text", "markdown", "html", "json"][d.byte() % 4])
    call(smtpcodes.codes, d.value(), ["basic", "enhanced", None, d.text(8)][d.byte() % 4])
    call(smtpcodes.database.resolve_language, lang)
    call(smtpcodes.database.__contains__, a)


def parse(d):
    flags = d.byte()
    options = {"complete": bool(flags & 1), "strict": bool(flags & 2),
               "embedded": bool(flags & 4)}
    if flags & 8:
        options["command"] = d.text(12)
    data = d.rest()
    if flags & 16:
        data = data.decode("utf-8", "surrogateescape")
    try:
        reply = smtpcodes.parse_reply(data, **options)
    except smtpcodes.IncompleteReplyError as e:
        assert not options["complete"] and e.needed >= 1
        return
    except smtpcodes.ReplyError as e:
        assert e.reason and str(e)
        return
    except UnicodeEncodeError:  # a command that is not text (a lone surrogate)
        assert call(options["command"].encode, "utf-8") is None
        return
    except smtpcodes.UnknownCommandError as e:
        # The core refuses a command it cannot read; the stream parser refuses it too.
        assert "command" in options and e.command == options["command"], (e, options)
        try:
            smtpcodes.ReplyParser(command=options["command"])
        except smtpcodes.UnknownCommandError:
            return
        raise AssertionError("ReplyParser took the command %r" % options["command"])
    assert 200 <= reply.code <= 599
    assert reply.text == "\n".join(reply.lines)
    assert len(reply.raw_lines) == len(reply.lines) >= 1
    assert reply.action in ("done", "continue", "retry", "give-up")
    (reply.enhanced, reply.command, reply.warnings, reply.rule, reply.explanation, reply.entry,
     reply.enhanced_entry, reply.verdict, repr(reply), reply.to_dict(), reply._repr_html_())
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if options["embedded"] or options["complete"]:
        return
    # The stream parser, fed the reply in pieces, gives the same reply.
    parser = smtpcodes.ReplyParser(strict=options["strict"], command=options.get("command"))
    got, at, step = [], 0, (flags >> 5) + 1
    whole = raw[:reply.consumed]
    while at < len(whole):
        got += parser.feed(whole[at:at + step])
        at += step
    got += parser.close()
    assert got[:1] == [reply], (got, reply)


def build(d):
    code = d.int(2) % 700
    enhanced = None
    if d.byte() & 1:
        enhanced = "%d.%d.%d" % (code // 100 if d.byte() & 1 else d.byte() % 6,
                                 d.int(2) % 1000, d.int(2) % 1000)
    text = d.rest()
    if d.byte() & 1:  # mostly printable ASCII, so that most builds succeed
        text = bytes(32 + c % 95 if c % 9 else 32 for c in text)
    text = text.decode("latin-1")
    try:
        wire = smtpcodes.build_reply(code, enhanced, text)
    except smtpcodes.ReplyBuildError:
        return
    reply = smtpcodes.parse_reply(wire, strict=True)
    assert reply.code == code, (wire, reply)
    assert reply.enhanced == enhanced, (wire, reply)
    if text:
        assert "".join(reply.lines) == text, (wire, reply)
    assert reply.consumed == len(wire)


def scan(d):
    step = d.int(2) % 5000 + 1
    log = d.rest()

    class Pieces(io.RawIOBase):
        at = 0

        def readable(self):
            return True

        def read(self, n=-1):
            piece = log[self.at:self.at + step]
            self.at += len(piece)
            return piece

    try:
        whole = smtpcodes.scan(io.BytesIO(log))
    except smtpcodes.ScanInputError as e:
        try:
            smtpcodes.scan(Pieces())
        except smtpcodes.ScanInputError as again:
            # libzstd's offsets depend on how it is fed (docs/replies.md)
            assert re.sub(r"\d+", "N", again.reason) == re.sub(r"\d+", "N", e.reason)
        else:
            raise AssertionError("refused whole, read in pieces: %s" % e)
        return
    assert smtpcodes.scan(Pieces()).to_dict() == whole.to_dict()
    assert whole.lines >= whole.replies
    whole.render("html")
    assert smtpcodes.ScanSummary.load(whole.save()) == whole
    # cut at a line end, the parts' summaries merge back, in either order. Each part is an
    # input of its own, whose format comes from its first bytes: a line "x" first makes each
    # one text (and adds a line without a reply); a part refused as no text is not merged.
    cut = log.find(b"\n", step % (len(log) + 1)) + 1
    try:
        a = smtpcodes.scan(io.BytesIO(b"x\n" + log[:cut]))
        b = smtpcodes.scan(io.BytesIO(b"x\n" + log[cut:]))
        both = smtpcodes.scan(io.BytesIO(b"x\nx\n" + log))
    except smtpcodes.ScanInputError:
        return
    assert a + b == both and b + a == both


def classify(d):
    code = d.int(2) % 1000
    message = d.rest()
    for what in (message, (code, message), smtplib.SMTPSenderRefused(code, message, "a@b.c"),
                 code):
        command = ["RCPT", None, "mail", ""][code % 4]
        try:
            verdict = smtpcodes.classify(what, command)
        except smtpcodes.UnknownCommandError:  # these are commands, or none
            raise AssertionError("classify refused the command %r" % (command,)) from None
        except EXPECTED:
            verdict = None
        if verdict is not None:
            assert verdict.action in ("done", "continue", "retry", "give-up")


def providers(d):
    slugs = [p.slug for p in smtpcodes.providers()]
    hosts = ["mx.google.com", "bob@hotmail.com", "dns; mta7.am0.yahoodns.net", "[192.0.2.1]"]
    host = [d.text(30), hosts[d.byte() % len(hosts)], None, 5][d.byte() % 4]
    slug = [d.text(12), slugs[d.byte() % len(slugs)], None, ""][d.byte() % 4]
    code = d.value()
    found = call(smtpcodes.provider_of, host)
    if found is not None:
        assert found in smtpcodes.providers() and smtpcodes.provider_of(host) is found
    meant = call(smtpcodes.meaning, code, host=host)
    if meant is not None:
        assert meant.provider is None or found is not None or meant.origin == "provider"
        assert meant.is_standard is (meant.provider is None) or meant.origin == "nonstandard"
        meant.render(), meant.provider_meanings()
    by_slug = call(smtpcodes.meaning, code, provider=slug)
    if by_slug is not None and slug and by_slug.provider is not None:
        assert by_slug.origin == "provider"
    text = d.rest()
    reason = call(smtpcodes.reason, d.int(2) % 700, [None, "5.7.29", "4.7.0", d.text(8)][
        d.byte() % 4], ["RCPT", None, "DATA", d.text(6)][d.byte() % 4], text, provider=slug)
    if reason is not None:
        assert reason.hard in (True, False, None) and reason.rule
    for what in (text, (d.int(2) % 1000, text)):
        verdict = call(smtpcodes.classify, what, None, host)
        if verdict is not None:
            assert verdict.action in ("done", "continue", "retry", "give-up")


TARGETS = [facade, parse, build, scan, classify, providers]


def test_one_input(data):
    d = Data(data)
    TARGETS[d.byte() % len(TARGETS)](d)


# ---- seeds and the random driver ----------------------------------------------------------


def seeds():
    sys.path.insert(0, HERE)
    from conftest import read_tsv  # noqa: E402
    from test_replies import unescape_bytes  # noqa: E402

    found = []
    for case in read_tsv("replies.tsv"):
        data = unescape_bytes(case["input"])
        flags = 4 if "embedded" in (case["flags"] or "") else 0
        found.append(bytes([1, flags]) + data)
        found.append(bytes([3, 0, 64]) + data)
        found.append(bytes([4, 2, 38]) + data)
    found.append(bytes([2, 2, 38, 1, 1, 0, 7, 0, 1, 1]) + b"Mailbox full " * 50)
    found.append(bytes([0, 3, 0, 3]) + b"421" + bytes([5, 2, 0, 1, 0, 1]))
    return found


def mutate(rnd, data):
    data = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(5)
        if op == 0 and data:
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif op == 1:
            data.insert(rnd.randint(0, len(data)), rnd.randrange(256))
        elif op == 2 and data:
            del data[rnd.randrange(len(data))]
        elif op == 3:
            token = rnd.choice([b"\r\n", b"\n", b"250-", b"550 ", b"5.1.1 ", b"\0", b"\xff",
                                b"said: ", b"(", b")", b"; ", b"4.2.2", b" ", b"552"])
            at = rnd.randint(0, len(data))
            data[at:at] = token
        elif data:
            at = rnd.randrange(len(data))
            data[at:at] = data[at:at + rnd.randint(1, 64)]
    return bytes(data)


def run_random(seconds, runs, artifacts, rnd_seed):
    rnd = random.Random(rnd_seed)
    pool = seeds()
    start = time.monotonic()
    done = 0
    while (runs is None or done < runs) and time.monotonic() - start < seconds:
        if rnd.random() < 0.2:
            data = bytes([rnd.randrange(5)]) + rnd.randbytes(rnd.randint(0, 600))
        else:
            data = mutate(rnd, rnd.choice(pool))
        try:
            test_one_input(data)
        except Exception:
            os.makedirs(artifacts, exist_ok=True)
            path = os.path.join(artifacts, "crash-%d" % done)
            with open(path, "wb") as f:
                f.write(data)
            traceback.print_exc()
            print("fuzz_python: crash on input %s (%d executions)" % (path, done + 1))
            return 1
        done += 1
        if done % 1000 == 0 and len(pool) < 5000:
            pool.append(data)
    elapsed = time.monotonic() - start
    print("fuzz_python (random, seed %d): %d executions in %.0f s, 0 crashes"
          % (rnd_seed, done, elapsed))
    return 0


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--seconds", type=int, default=60)
    args.add_argument("--runs", type=int)
    args.add_argument("--random", action="store_true",
                      help="use Python's random instead of atheris")
    args.add_argument("--seed", type=int, default=None)
    args.add_argument("--corpus", help="corpus directory (default: a temporary one)")
    args.add_argument("--artifacts", default=os.getcwd(),
                      help="where crashing inputs go (default: the current directory)")
    opts, libfuzzer = args.parse_known_args()
    artifacts = os.path.abspath(opts.artifacts)
    if atheris is None or opts.random:
        if atheris is None and not opts.random:
            print("fuzz_python: atheris is not installed; running on random inputs")
        seed = opts.seed if opts.seed is not None else random.randrange(2**32)
        return run_random(opts.seconds, opts.runs, artifacts, seed)
    temporary = None
    corpus = opts.corpus
    if corpus is None:
        corpus = temporary = tempfile.mkdtemp(prefix="smtpcodes-fuzz-")
    os.makedirs(corpus, exist_ok=True)
    for i, seed in enumerate(seeds()):
        with open(os.path.join(corpus, "seed-%03d" % i), "wb") as f:
            f.write(seed)
    os.makedirs(artifacts, exist_ok=True)
    argv = [sys.argv[0], corpus, "-max_total_time=%d" % opts.seconds,
            "-artifact_prefix=%s/" % artifacts, "-print_final_stats=1", "-max_len=4096"]
    if opts.runs is not None:
        argv.append("-runs=%d" % opts.runs)
    if opts.seed is not None:
        argv.append("-seed=%d" % opts.seed)
    try:
        atheris.Setup(argv + libfuzzer, test_one_input)
        atheris.Fuzz()  # exits the process: 0 at the end of the time, 1 on a crash
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
