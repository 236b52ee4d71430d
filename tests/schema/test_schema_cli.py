#!/usr/bin/env python3
"""Every JSON document smtpcodes(1) prints, validated against docs/schema/smtpcodes.schema.json.

Usage: test_schema_cli.py SMTPCODES-BINARY VECTORS-DIR
show for every code of the database and for codes written with a class, compare across kinds
and languages, parse on the reply and stream vectors, scan, list, languages, providers, and show
and parse as each provider means codes. Needs jsonschema
(tests/schema/schema.py says how to install it; without it the test fails, it never skips).
Ends with a line "N passed, N failed".
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows, unescape_bytes  # noqa: E402

try:
    from schema import SchemaError, unclosed_objects, validate  # noqa: E402
except ImportError as exc:
    print("FAIL %s" % exc, file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

BINARY = sys.argv[1]
VECTORS = sys.argv[2]


def vectors(name):
    return rows(VECTORS, name)


def run(*args, stdin=None, expect=0):
    """Runs the CLI; returns its standard output as text, after checking the exit status."""
    env = dict(os.environ)
    plaintest.neutral_environment(env)
    proc = subprocess.run([BINARY, *args], capture_output=True, env=env, input=stdin, timeout=60)
    assert proc.returncode == expect, (args, proc.returncode, proc.stderr[:300])
    return proc.stdout.decode("utf-8")


def document(definition, text, what):
    """Parses one document and validates it; returns it."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise AssertionError("%s: not JSON: %s\n%s" % (what, exc, text[:300])) from None
    try:
        validate(doc, definition)
    except SchemaError as exc:
        raise AssertionError("%s: %s" % (what, exc)) from None
    return doc




def parse_output(text, what):
    """Validates parse -f json output: replies, then the summary line."""
    lines = text.splitlines()
    assert lines, what
    replies = [document("reply", line, "%s, reply %d" % (what, n))
               for n, line in enumerate(lines[:-1], 1)]
    summary = document("parse_summary", lines[-1], what + ", summary")
    assert summary["summary"]["replies"] == len(replies), (what, summary)
    return replies


@test
def the_schema_itself():
    from schema import jsonschema, load_schema
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name in ("code", "comparison", "reply", "parse_summary", "scan", "table", "languages",
                 "providers"):
        assert name in schema["$defs"], name
        assert {"$ref": "#/$defs/" + name} in schema["anyOf"], name
    assert unclosed_objects() == [], unclosed_objects()


@test
def drift_is_caught():
    """The schema refuses what the conventions rule out, so that a renderer that drifts fails."""
    page = json.loads(run("show", "421", "--format", "json"))
    validate(page, "code")
    for change in ({"code": 421}, {"class_label": "4xx Transient Negative"}, {"lang": "en"},
                   {"connection": ""}, {"references": ["RFC 5321 section 3.8"]}, {"new": 1}):
        bad = dict(page, **change)
        try:
            validate(bad, "code")
        except SchemaError:
            continue
        raise AssertionError("the schema accepts %r" % change)
    reply = json.loads(run("parse", "--format", "json", stdin=b"250 ok\r\n").splitlines()[0])
    validate(reply, "reply")
    for change in ({"code": 250}, {"reason": "x"}, {"lang": {"explanation": "en"}}):
        try:
            validate(dict(reply, **change), "reply")
        except SchemaError:
            continue
        raise AssertionError("the schema accepts %r" % change)
    # a failure names its reason, in the database's words
    failed = json.loads(run("parse", "--format", "json",
                            stdin=b"550 5.1.1 User unknown\r\n").splitlines()[0])
    validate(failed, "reply")
    for change in ({"reason": None}, {"reason": "User unknown"}, {"reason": ""}):
        try:
            validate(dict(failed, **change), "reply")
        except SchemaError:
            continue
        raise AssertionError("the schema accepts %r" % change)


@test
def list_and_show_every_code():
    table = document("table", run("list", "--format", "json"), "list")
    assert len(table) > 100
    for row in table:
        page = document("code", run("show", row["code"], "--format", "json"), "show " + row["code"])
        assert page["code"] == row["code"] and page["exact"] is True, row["code"]
        assert {k: v for k, v in page.items() if k in row} == row, row["code"]
    for args in (("--class", "4"), ("--kind", "basic"), ("--class", "5", "--kind", "enhanced")):
        document("table", run("list", *args, "--format", "json"), "list " + " ".join(args))


@test
def show_codes_written_with_a_class():
    expected = {"4.7.1": ("X.7.1", 4, "Persistent Transient Failure", True),
                "5.7.1": ("X.7.1", 5, "Permanent Failure", True),
                "2.0.0": ("X.0.0", 2, "Success", True),
                "5.7.99": ("X.7.0", 5, "Permanent Failure", False),
                "X.7.1": ("X.7.1", 0, "", True),
                "571": ("571", 5, "Permanent Negative", True)}
    for code, (entry, klass, class_name, exact) in expected.items():
        for lang in ("en", "fr", "zh-hans"):
            page = document("code", run("show", code, "--lang", lang, "--format", "json"),
                            "show %s --lang %s" % (code, lang))
            assert (page["entry"], page["class"], page["exact"]) == (entry, klass, exact), \
                (code, page)
            # English names the class as RFC 5321 and 3463 do; French and Chinese in their words
            if lang == "en" or not class_name:
                assert page["class_name"] == class_name, (code, lang, page["class_name"])
            else:
                assert page["class_name"] not in ("", class_name), (code, lang)
            # every language is complete: nothing fell back to English
            assert page["language"] == lang and page["lang"] == {}, (code, page["lang"])
    assert document("code", run("show", "421", "-f", "json"), "421")["category_name"] == \
        "Connections"


@test
def compare_across_kinds_and_languages():
    languages = [lang["tag"] for lang in json.loads(run("languages", "--format", "json"))]
    pairs = [(row["a"], row["b"], row["lang"]) for row in vectors("compare.tsv")]
    samples = [("421", "504"), ("5.7.1", "550"), ("4.2.2", "5.2.2"), ("X.7.1", "5.1.1"),
               ("250", "354"), ("446", "4.4.6"), ("571", "5.7.1")]
    for i, lang in enumerate(languages):
        a, b = samples[i % len(samples)]
        pairs.append((a, b, lang))
    for a, b, lang in pairs:
        page = document("comparison", run("compare", a, b, "--lang", lang, "--format", "json"),
                        "compare %s %s --lang %s" % (a, b, lang))
        assert sorted(c["code"] for c in page["codes"]) == sorted([a, b]) or \
            page["codes"][0]["entry"] != page["codes"][1]["entry"], (a, b)


@test
def parse_the_reply_vectors():
    checked = 0
    for row in vectors("replies.tsv"):
        args = ["parse", "--format", "json"]
        if "embedded" in row["flags"]:
            args.append("--embedded")
        if "strict" in row["flags"]:
            args.append("--strict")
        if row["status"] == "incomplete" and "complete" not in row["flags"]:
            continue  # the CLI reads all of its input
        if "embedded" in row["flags"] and "complete" in row["flags"]:
            continue  # one whole text (a folded field); parse reads a log a line at a time
        expect = 0 if row["status"] == "ok" or "embedded" in row["flags"] else 1
        out = run(*args, stdin=unescape_bytes(row["input"]), expect=expect)
        if out:
            parse_output(out, row["name"])
            checked += 1
    assert checked > 20, checked


@test
def parse_the_stream_vectors():
    for row in vectors("streams.tsv"):
        args = ["parse", "--format", "json"]
        if "embedded" in row["flags"]:
            args.append("--embedded")
        if "strict" in row["flags"]:
            args.append("--strict")
        proc = subprocess.run([BINARY, *args], input=unescape_bytes(row["input"]),
                              capture_output=True, timeout=60)
        assert proc.returncode in (0, 1), (row["name"], proc.stderr)
        parse_output(proc.stdout.decode("utf-8"), row["name"])
    # every command, warning and verdict the vectors may miss
    wire = (b"250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
            b"552 Too many recipients\r\n554 4.4.7 Message expired\r\n571 Relay denied\r\n"
            b"452 4.2.2 Mailbox full\n220 caf\xc3 ready\r\n")
    for command in ("RCPT", "DATA", "end of DATA", "EHLO"):
        parse_output(run("parse", "--command", command, "--format", "json", stdin=wire),
                     "parse --command " + command)


@test
def scan_a_log():
    log = (b"Nov 23 10:00:01 mx postfix/smtp[1]: 1A1A1A1A1A: to=<a@x>, status=sent (250 2.0.0"
           b" Ok)\n"
           b"Nov 23 10:00:02 mx postfix/smtp[1]: 2B2B2B2B2B: to=<b@x>, status=bounced (host "
           b"x[192.0.2.1] said: 550 5.1.1 <b@x>: unknown (in reply to RCPT TO command))\n"
           b"Nov 23 10:00:03 mx postfix/smtp[1]: 3C3C3C3C3C: to=<c@x>, status=deferred (host x "
           b"said: 451 4.7.1 greylisted \xff (in reply to RCPT TO command))\n"
           b"Nov 23 10:00:04 mx postfix/smtpd[2]: NOQUEUE: reject: RCPT from y[192.0.2.2]: 554 "
           b"5.7.1 <c@y>: Relay access denied; from=<a@y> to=<c@y>\n"
           b"Nov 23 10:00:05 mx relayd[1]: host x said: 299 odd\n"
           b"Nov 23 10:00:06 mx postfix/smtp[1]: 4D4D4D4D4D: to=<d@z>, dsn=4.4.1, "
           b"status=deferred (connect to z[192.0.2.3]:25: Connection timed out)\n"
           b"Nov 23 10:00:07 mx postfix/qmgr[2]: 2B2B2B2B2B: removed\n")
    summary = document("scan", run("scan", "--format", "json", stdin=log), "scan")
    assert summary["replies"] == 6 and [r["code"] for r in summary["rows"]] == \
        ["250", "299", "451", "550", "554", None], summary
    grouped = document("scan", run("scan", "--format", "json", "--by", "domain,reason,time",
                                   "--year", "2024", "--top", "2", stdin=log), "scan --by")
    assert grouped["attempts"] == 5 and grouped["groups_total"] == 5, grouped
    assert len(grouped["groups"]) == 2, grouped
    document("scan", run("scan", "--format", "json", stdin=b""), "scan of nothing")


@test
def bounce_records_of_every_message():
    """Every message of both bounce corpora (tests/vectors/bounces, and the reader's), each
    kind and field, as the schema's "bounce" document."""
    for corpus in ("bounces", os.path.join("bounces", "reader")):
        records = document("bounce", run("bounce", "--format", "json",
                                         os.path.join(VECTORS, corpus)), corpus)
        assert len(records) >= 10, (corpus, len(records))
        assert all(r["file"].startswith(VECTORS) for r in records), corpus
    assert document("bounce", run("bounce", "--format", "json", stdin=b""), "nothing") == []


@test
def providers_and_their_meanings():
    """providers, providers SLUG, and show and parse as each provider means codes."""
    listing = document("providers", run("providers", "--format", "json"), "providers")
    assert listing and all("entries" not in p for p in listing), listing
    for provider in listing:
        slug = provider["slug"]
        page = document("providers", run("providers", slug, "--format", "json"),
                        "providers " + slug)
        assert page["slug"] == slug and page["entries"], slug
        for entry in page["entries"]:
            first = entry["code"].split("-")[0]
            shown = document("code", run("show", first, "--provider", slug, "--format", "json"),
                             "show %s --provider %s" % (first, slug))
            assert (shown["entry"], shown["provider"], shown["origin"]) == \
                (entry["code"], slug, "provider"), (slug, entry["code"])
            wire = ("%s %s Refused\r\n" % (first[0] + "50", first)).encode()
            parse_output(run("parse", "--provider", slug, "--format", "json", stdin=wire),
                         "parse --provider %s of %s" % (slug, first))
    # the two shapes do not pass for each other
    for bad in ([dict(listing[0], entries=[])], {k: v for k, v in page.items() if k != "entries"},
                dict(page, entries=[dict(page["entries"][0], reason=None)])):
        try:
            validate(bad, "providers")
        except SchemaError:
            continue
        raise AssertionError("the schema accepts %r" % (bad,))


@test
def languages():
    langs = document("languages", run("languages", "--format", "json"), "languages")
    assert [lang["tag"] for lang in langs] == \
        [line.split("\t")[0] for line in run("languages").splitlines()]
    assert all(0 <= lang["translated"] <= lang["total"] for lang in langs), langs
    assert {lang["tag"]: lang["direction"] for lang in langs}["ar"] == "rtl"
    assert all(lang["name"] for lang in langs), langs


sys.exit(plaintest.run())
