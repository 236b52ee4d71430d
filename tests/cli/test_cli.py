#!/usr/bin/env python3
"""Tests of smtpcodes(1): every subcommand, option and exit status.

Usage: test_cli.py SMTPCODES-BINARY VECTORS-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import (bounce_expectations, bounce_mismatches, rows, unescape,  # noqa: E402
                         unescape_bytes)

BINARY = sys.argv[1]
VECTORS = sys.argv[2]


def vectors(name):
    return rows(VECTORS, name)


def run(*args, env=None, stdin=None):
    """Runs the CLI; returns (exit status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    plaintest.neutral_environment(full_env)
    full_env.update(env or {})
    proc = subprocess.run([BINARY, *args], capture_output=True, env=full_env, input=stdin,
                          timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")




@test
def help_documents_every_option():
    status, out, err = run("--help")
    assert status == 0 and err == ""
    for word in ("show", "compare", "list", "languages", "providers", "--lang", "--format",
                 "--class", "--kind", "--host", "--provider", "--data", "--help", "--version",
                 "SMTPCODES_DATA", "Exit status"):
        assert word in out, word
    assert run("-h")[1] == out


@test
def version():
    status, out, _ = run("--version")
    assert status == 0
    first, compressions = out.splitlines()
    name, version = first.split()
    assert name == "smtpcodes" and version.count(".") == 2
    # gzip is always built in; the others when their library was found (tests/cli/
    # test_scan_compressed.py checks each against what the scanner reads)
    label, _, names = compressions.partition(":")
    assert label == "compressed logs" and "gzip" in names.split(), compressions
    assert run("-V")[1] == out


@test
def show_text():
    status, out, err = run("show", "421")
    assert status == 0, err
    assert out.startswith("SMTP 421 ")
    for label in ("Description", "When You See It", "How to Fix", "Learn More"):
        assert "\n" + label + "\n" in out
    assert "Class: 4xx Transient Negative" in out


@test
def show_every_lookup_vector():
    for row in vectors("lookup.tsv"):
        code = unescape(row["input"])
        if "\\0" in row["input"]:
            continue  # a NUL cannot travel in argv
        status, out, err = run("show", code, "--format", "json")
        if row["closest"] != "-":
            assert status == 0, (code, err)
            page = json.loads(out)
            assert page["entry"] == row["closest"], code
            assert ("not registered" in err) == (row["status"] == "notfound"), (code, err)
            if row["status"] == "ok":
                assert page["class"] == int(row["class"]), (code, page["class"])
                assert page["retry"] == row["retry"], (code, page["retry"])
        else:
            assert status == 1, (code, status, err)
            assert out == "" and err.startswith("smtpcodes: "), (code, err)
            if row["status"] == "syntax" and row["column"] != "0":
                assert "column %s:" % row["column"] in err, (code, err)


@test
def show_unknown_and_bad_codes():
    status, _, err = run("show", "299")
    assert status == 1 and "unknown code 299" in err
    status, _, err = run("show", "4x1")
    assert status == 1 and "column 2" in err and "'x'" in err
    status, _, err = run("show", "5.7.650")
    assert status == 0 and "5.7.650 is not registered; showing X.7.0" in err


@test
def compare_design_examples():
    status, out, err = run("compare", "504", "421", "--lang", "en")
    assert status == 0, err
    assert "is a 4xx Transient Negative response, while 504" in out
    assert "\n1. 421 is a 4xx Transient Negative response" in out
    # Vietnamese says every word of the page, in its own order
    status, out, err = run("compare", "504", "421", "--lang", "vi")
    assert status == 0, err
    assert out.startswith("SMTP 421 ")
    assert "\nMô tả\n" in out and "\nSự khác biệt chính\n" in out
    assert "là phản hồi thuộc lớp 4xx Phủ định tạm thời, còn mã 504" in out
    assert " indicates that " not in out and "Transient Negative" not in out
    status, out, err = run("compare", "421", "455", "--lang", "ko")
    assert status == 0, err
    assert out.startswith("SMTP 421 ") and "4xx 일시적 부정" in out, out[:400]
    assert "belong to" not in out and "\n1. " in out


@test
def the_language_comes_from_the_environment_as_gettext_reads_it():
    english = run("show", "421")[1]
    for env, tag in (({"LANG": "vi_VN.UTF-8"}, "vi"), ({"LC_ALL": "tr_TR.UTF-8"}, "tr"),
                     ({"LANGUAGE": "xx:ko_KR", "LANG": "vi_VN"}, "ko"),
                     ({"LC_MESSAGES": "th_TH@calendar=buddhist"}, "th"),
                     ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "POSIX"}, "en"),
                     ({"LANG": "xx_YY.UTF-8"}, "en"),
                     # LC_ALL overrides LANG, and LC_MESSAGES does too (POSIX XBD 8.2)
                     ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
                     ({"LC_ALL": "xx_YY", "LANG": "fr_FR.UTF-8"}, "en"),
                     ({"LC_MESSAGES": "ko_KR", "LANG": "vi_VN"}, "ko"),
                     ({"LC_ALL": "", "LANG": "vi_VN"}, "vi"),
                     # the C locale is untranslated whatever LANGUAGE says, as in gettext
                     ({"LANGUAGE": "de", "LC_ALL": "C"}, "en"), ({"LANGUAGE": "de"}, "en"),
                     ({"LANGUAGE": "de:fr", "LANG": "C.UTF-8"}, "de"),
                     # no entry of LANGUAGE known: the locale's own language
                     ({"LANGUAGE": "xx:yy_ZZ", "LANG": "ja_JP.eucJP"}, "ja")):
        status, out, err = run("show", "421", env=env)
        assert status == 0, (env, err)
        assert out == run("show", "421", "--lang", tag)[1], env
        assert (out == english) == (tag == "en"), env
    # --lang wins over the environment
    assert run("show", "421", "--lang", "en", env={"LANG": "vi_VN.UTF-8"})[1] == english


@test
def catalogs_from_the_command_line():
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "codes.txt")
        with open(data, "w", encoding="utf-8") as f:
            f.write("Code: 299\nName: Local Hello\nSlug: local-hello\nClass: 2\n"
                    "Origin: nonstandard\nDescription: The server greets a local client.\n"
                    "When: A client connects from the local network.\n"
                    "Fix: Nothing needs fixing.\nReference: RFC 5321 section 4.2\n"
                    "Retry: none\nConnection: kept\nCommands: CONNECT\nEnhanced: none\n")
        status, pot, err = run("--data", data, "catalog")
        assert status == 0 and 'msgctxt "299 name"\nmsgid "Local Hello"\nmsgstr ""' in pot, err
        catalog = os.path.join(folder, "codes.vi.po")
        with open(catalog, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr "Language: vi\\n"\n\n'
                    'msgctxt "299 name"\nmsgid "Local Hello"\nmsgstr "Lời chào cục bộ"\n')
        status, out, err = run("--data", data, "--data", catalog, "show", "299", "--lang", "vi")
        assert status == 0 and out.startswith("SMTP 299 Lời chào cục bộ\n"), (out, err)
        # the built-in database's own texts keep their translations
        assert run("--data", data, "--data", catalog, "show", "421", "--lang", "vi")[1] == \
            run("show", "421", "--lang", "vi")[1]
        # a catalog alone translates the built-in database
        with open(catalog, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr "Language: fr\\n"\n\n'
                    'msgctxt "421 name"\nmsgid "Service Not Available"\n'
                    'msgstr "Service en pause"\n')
        status, out, err = run("--data", catalog, "show", "421", "--lang", "fr")
        assert status == 0 and out.startswith("SMTP 421 Service en pause\n"), (out, err)
        # a language that a data file adds has what its catalogs bring
        esperanto = os.path.join(folder, "eo.txt")
        with open(esperanto, "w", encoding="utf-8") as f:
            f.write("Language: eo\nLanguage-Name: Esperanto\n")
        with open(catalog, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr "Language: eo\\n"\n\n'
                    'msgctxt "421 name"\nmsgid "Service Not Available"\n'
                    'msgstr "Servo ne disponebla"\n')
        status, out, err = run("--data", esperanto, "--data", catalog, "languages")
        assert "\neo\tEsperanto\t0%\n" in out and "\nfr\tFrançais\t100%\n" in out, out
        status, out, err = run("--data", esperanto, "--data", catalog, "show", "421", "-l", "eo")
        assert status == 0 and out.startswith("SMTP 421 Servo ne disponebla\n"), (out, err)
        # a broken one is refused with its file, line and column
        with open(catalog, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr "Language: vi\\n"\n\nmsgctxt "421 name"\nmsgid "x\n')
        status, out, err = run("--data", catalog, "show", "421")
        assert status == 1 and catalog + ":5:" in err and "closing quote" in err, err
        status, out, err = run("--data", data, "--data", data, "show", "421")
        assert status == 2, err


@test
def compare_vectors_through_json():
    for row in vectors("compare.tsv"):
        status, out, err = run("compare", row["a"], row["b"], "--lang", row["lang"],
                               "--format", "json")
        assert status == 0, (row, err)
        page = json.loads(out)
        assert [c["code"] for c in page["codes"]] == [row["first"], row["second"]]
        assert page["language"] == row["lang_tag"]
        # a complete language marks nothing; another marks what fell back to English
        status, out, err = run("languages", "--format", "json")
        complete = {l["tag"] for l in json.loads(out) if l["translated"] == l["total"]}
        assert (page["lang"] == {}) == (row["lang_tag"] in complete), page["lang"]
        assert all(v == "en" and k.startswith("/") for k, v in page["lang"].items())
        status, out, err = run("compare", row["a"], row["b"], "--format", "json")
        english = json.loads(out)["intro"]
        assert english.startswith("Both") == (row["intro"] == "same")
        assert (page["differences"][0]["kind"] == "class") == (row["class_item"] == "yes")
        for key in ("title", "intro", "labels", "codes", "differences", "usage", "learn_more"):
            assert page[key], key
        for side in page["codes"]:
            for key in ("description", "when", "fix", "references", "class_name"):
                assert side[key], key


@test
def compare_errors():
    expected = {"same": 2, "syntax": 1, "notfound": 1, "lang": 1}
    for row in vectors("compare-errors.tsv"):
        lang = "" if row["lang"] == "-" else row["lang"]
        status, out, err = run("compare", row["a"], row["b"], "--lang", lang)
        assert status == expected[row["status"]], (row, status, err)
        assert out == "" and err.startswith("smtpcodes: "), err


@test
def every_format():
    for fmt, check in (("text", lambda s: s.startswith("SMTP 250")),
                       ("markdown", lambda s: s.startswith("# SMTP 250")),
                       ("md", lambda s: s.startswith("# SMTP 250")),
                       ("html", lambda s: s.startswith("<article") and s.rstrip().endswith("</article>")),
                       ("json", lambda s: json.loads(s)["title"].startswith("SMTP 250"))):
        for args in (("compare", "250", "550"), ("show", "250")):
            status, out, err = run(*args, "--format", fmt)
            assert status == 0 and check(out), (fmt, args, err)
    status, _, err = run("show", "250", "--format", "pdf")
    assert status == 2 and "unknown format 'pdf'" in err


@test
def list_and_filters():
    status, out, _ = run("list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["Code", "Name"]
    status, out, _ = run("list", "--format", "json")
    rows = json.loads(out)
    codes = [r["code"] for r in rows]
    entries = [line for line in lines[1:] if not line.startswith(" ")]
    assert len(rows) == len(entries) and "421" in codes and "X.7.1" in codes
    # a name longer than its column goes on below, in that column
    continued = [line for line in lines[1:] if line.startswith(" ")]
    assert continued and all(len(line) - len(line.lstrip(" ")) in (9, 56) for line in continued)
    assert {r["origin"] for r in rows} == {"rfc", "registry", "nonstandard"}
    status, out, _ = run("list", "--class", "4", "--kind", "basic", "--format", "json")
    rows = json.loads(out)
    assert rows and all(r["code"].startswith("4") and r["kind"] == "basic" for r in rows)
    status, out, _ = run("list", "--kind=enhanced", "--format=json")
    assert all(r["kind"] == "enhanced" for r in json.loads(out))
    assert run("list", "--class", "7")[0] == 2
    assert run("list", "--kind", "weird")[0] == 2
    assert run("list", "extra")[0] == 2


@test
def languages_command():
    status, out, _ = run("languages")
    lines = [line.split("\t") for line in out.splitlines()]
    tags = [line[0] for line in lines]
    assert status == 0 and len(tags) == 15 and "en" in tags and "zh-hans" in tags
    percent = {line[0]: line[2] for line in lines}
    # every language of the database says everything in its own words
    assert set(percent.values()) == {"100%"}, percent
    status, out, err = run("languages", "--format", "json")
    assert status == 0, err
    languages = json.loads(out)
    assert [lang["tag"] for lang in languages] == tags
    french = [lang for lang in languages if lang["tag"] == "fr"][0]
    assert french["name"] == "Fran\u00e7ais" and french["translated"] == french["total"] > 1000
    arabic = [lang for lang in languages if lang["tag"] == "ar"][0]
    assert arabic["direction"] == "rtl" and french["direction"] == "ltr"
    status, out, err = run("languages", "--format", "markdown")
    assert status == 0 and "- de (Deutsch): 100%\n" in out and "- vi (Tiếng Việt): 100%\n" in out
    assert run("languages", "--format", "yaml")[0] == 2
    for tag in tags:
        status, out, err = run("compare", "421", "504", "--lang", tag)
        assert status == 0, (tag, err)
    status, _, err = run("compare", "421", "504", "--lang", "xx")
    assert status == 1 and "unknown language 'xx'" in err


@test
def usage_errors_exit_2():
    for args in ((), ("frobnicate",), ("show",), ("show", "421", "504"), ("compare", "421"),
                 ("--lang",), ("show", "421", "--bogus"), ("compare", "421", "421")):
        status, out, err = run(*args)
        assert status == 2, (args, status)
        assert out == "" and "smtpcodes: " in err, args


@test
def data_option_and_environment():
    good = os.path.join(VECTORS, "data", "valid", "override-421.txt")
    status, out, err = run("show", "299", "--data", good)
    assert status == 0 and "Site Custom Success" in out, err
    status, out, err = run("show", "299", env={"SMTPCODES_DATA": good})
    assert status == 0 and "Site Custom Success" in out, err
    assert run("show", "299")[0] == 1
    bad = os.path.join(VECTORS, "data", "invalid", "bad-retry.txt")
    status, out, err = run("show", "421", "--data", bad)
    assert status == 1 and out == ""
    assert f"{bad}:11:8: Retry: 'sometimes'" in err, err
    status, _, err = run("show", "421", env={"SMTPCODES_DATA": bad})
    assert status == 1 and ":11:8:" in err
    status, _, err = run("show", "421", "--data", "/nonexistent/x.txt")
    assert status == 1 and "no such file" in err


@test
def every_broken_data_file():
    folder = os.path.join(VECTORS, "data", "invalid")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        path = os.path.join(folder, name)
        sidecar = path[:-4] + ".error"
        with open(sidecar if os.path.exists(sidecar) else path, "rb") as f:
            first = f.readline().decode("utf-8").strip()
        position, text = first[len("# error: "):].split(": ", 1)
        status, out, err = run("list", "--data", path)
        assert status == 1 and out == "", name
        assert f"{path}:{position}: " in err and text in err, (name, err)


@test
def hostile_arguments():
    for code in ("4" * 100000, "\u00e9\u00e9\u00e9", "-1", "99999999999999999999", "5.7.1.1"):
        status, out, err = run("show", "--", code) if code.startswith("-") else run("show", code)
        assert status in (1, 2) and out == "", code
    status, out, _ = run("compare", "421", "504", "--lang", "x" * 100000)
    assert status == 1 and out == ""


def reply_vectors():
    rows = vectors("replies.tsv")
    for row in rows:
        row["bytes"] = unescape_bytes(row["input"])
    return rows



@test
def parse_reply_vectors():
    for row in reply_vectors():
        args = ["parse", "--format", "json"]
        if "embedded" in row["flags"]:
            args.append("--embedded")
        if "strict" in row["flags"]:
            args.append("--strict")
        if row["status"] == "incomplete" and "complete" not in row["flags"]:
            continue  # the CLI reads all of its input: nothing more will come
        if "embedded" in row["flags"] and "complete" in row["flags"]:
            continue  # one whole text (a folded field); parse reads a log a line at a time
        proc = subprocess.run([BINARY, *args], input=row["bytes"], capture_output=True, timeout=60)
        if row["status"] != "ok" and "embedded" in row["flags"]:
            # A log line without a reply is skipped quietly and counted in the summary.
            assert proc.returncode == 0, (row["name"], proc.stderr)
            summary = json.loads(proc.stdout.decode("utf-8").splitlines()[-1])["summary"]
            assert summary["replies"] == 0 and summary["skipped"] == 1, (row["name"], summary)
            continue
        if row["status"] != "ok":
            assert proc.returncode == 1, (row["name"], proc.stdout)
            assert proc.stderr.startswith(b"smtpcodes: "), row["name"]
            continue
        assert proc.returncode == 0, (row["name"], proc.stderr)
        first = json.loads(proc.stdout.decode("utf-8").splitlines()[0])
        assert first["code"] == row["code"], row["name"]
        assert first["enhanced"] == ("" if row["enhanced"] == "-" else row["enhanced"])
        assert len(first["lines"]) == int(row["lines"]), row["name"]
        warnings = [] if row["warnings"] == "-" else row["warnings"].split(",")
        assert first["warnings"] == warnings, (row["name"], first["warnings"])
        assert first["action"] == row["action"], (row["name"], first)


@test
def parse_streams_pipelined_replies():
    wire = b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n"
    proc = subprocess.run([BINARY, "parse", "--format", "json"], input=wire, capture_output=True)
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0 and [r["code"] for r in lines[:-1]] == ["250", "250", "354"]
    assert lines[-1] == {"summary": {"lines": 3, "replies": 3, "malformed": 0, "skipped": 0}}
    proc = subprocess.run([BINARY, "parse", "--command", "RCPT"], input=b"552 Too many\r\n",
                          capture_output=True)
    assert b"Action: retry" in proc.stdout
    proc = subprocess.run([BINARY, "parse"], input=b"", capture_output=True)
    assert proc.returncode == 1 and b"no reply" in proc.stderr


@test
def format_vectors():
    """Every format name of formats.tsv, as the core reads it, and nothing else."""
    for row in vectors("formats.tsv"):
        name = unescape(row["name"])
        status, out, err = run("show", "421", "--format", name)
        if row["format"] == "-":
            assert status == 2 and "unknown format" in err, (name, status, err)
            continue
        assert status == 0, (name, err)
        assert out == run("show", "421", "--format", row["format"])[1], name


@test
def command_vectors():
    """--command takes what commands.tsv accepts and refuses the rest as a usage error."""
    for row in vectors("commands.tsv"):
        command = unescape(row["input"])
        status, out, err = run("parse", "--command", command, "--format", "json",
                               stdin=b"552 Too many recipients\r\n")
        if row["status"] == "ok":
            assert status == 0, (command, err)
            reply = json.loads(out.splitlines()[0])
            want = "retry" if row["command"] == "RCPT" else "give-up"
            assert reply["action"] == want, (command, reply["action"])
        else:
            want = "unknown SMTP command" if command.strip() else "empty command"
            assert status == 2 and want in err, (command, status, err)


@test
def classify_vectors():
    """The verdict of every row of classify.tsv, through a parsed reply and --command."""
    for row in vectors("classify.tsv"):
        wire = row["code"] + (" " + row["enhanced"] if row["enhanced"] != "-" else "")
        args = ["parse", "--format", "json"]
        if row["command"] != "-":
            args += ["--command", unescape(row["command"])]
        status, out, err = run(*args, stdin=(wire + " Text\r\n").encode())
        if row["status"] == "command":
            assert status == 2 and "unknown SMTP command" in err, (row, err)
            continue
        assert status == 0, (row, err)
        reply = json.loads(out.splitlines()[0])
        assert (reply["action"], reply["rule"]) == (row["action"], row["rule"]), (row, reply)


@test
def stream_vectors():
    """parse reads streams.tsv as the core's stream does: each reply, each malformed one as
    standard input:LINE:COLUMN, parsing on after it, exit status 1 when any was malformed."""
    for row in vectors("streams.tsv"):
        args = ["parse", "--format", "json"]
        if "embedded" in row["flags"]:
            args.append("--embedded")
        if "strict" in row["flags"]:
            args.append("--strict")
        proc = subprocess.run([BINARY, *args], input=unescape_bytes(row["input"]),
                              capture_output=True, timeout=60)
        docs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
        codes = iter(doc["code"] for doc in docs[:-1])
        errors = iter(line for line in proc.stderr.decode("utf-8").splitlines()
                      if line.startswith("smtpcodes: standard input:"))
        for event in row["events"].split(","):
            if event.startswith("!"):
                assert next(errors).startswith("smtpcodes: standard input:%s: " % event[1:]), row
            else:
                assert next(codes) == event, (row["name"], event)
        assert next(codes, None) is None and next(errors, None) is None, row["name"]
        summary = docs[-1]["summary"]
        assert summary["lines"] == int(row["lines"]), (row["name"], summary)
        assert summary["skipped"] == int(row["skipped"]), (row["name"], summary)
        assert proc.returncode == (1 if "!" in row["events"] else 0), row["name"]


@test
def scan_a_log():
    log = (b"Nov 23 10:00:01 mx postfix/smtp[1]: 1A1A1A1A1A: to=<a@x>, status=sent (250 2.0.0"
           b" Ok)\n"
           b"Nov 23 10:00:02 mx postfix/smtp[1]: 2B2B2B2B2B: to=<b@x>, status=bounced (host "
           b"x[192.0.2.1] said: 550 5.1.1 <b@x>: unknown (in reply to RCPT TO command))\n"
           b"Nov 23 10:00:03 mx postfix/qmgr[2]: 2B2B2B2B2B: removed\n")
    proc = subprocess.run([BINARY, "scan", "--format", "json"], input=log, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["lines"] == 3 and summary["replies"] == 2
    assert summary["attempts"] == 2 and summary["outcomes"] == {
        "delivered": 1, "deferred": 0, "bounced": 1, "rejected": 0}
    assert [(r["code"], r["enhanced"], r["action"], r["reason"]) for r in summary["rows"]] == [
        ("250", "2.0.0", "done", None), ("550", "5.1.1", "give-up", "userunknown")]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(2):
            paths.append(os.path.join(tmp, f"log{i}"))
            with open(paths[-1], "wb") as f:
                f.write(log)
        status, out, err = run("scan", *paths, "--format", "json")
        assert status == 0 and json.loads(out)["replies"] == 4, err
        status, out, err = run("scan", *paths)
        assert status == 0 and "6 lines, 4 replies, 2 distinct" in out
        status, out, err = run("scan", os.path.join(tmp, "missing"))
        assert status == 1 and "cannot open" in err


@test
def build_replies():
    status, out, err = run("reply", "550", "5.7.1", "Relay", "denied")
    assert status == 0 and out == "550 5.7.1 Relay denied\r\n", (out, err)
    status, out, _ = run("reply", "421")
    assert out == "421 Service Not Available\r\n"
    status, _, err = run("reply", "550", "4.7.1", "x")
    assert status == 1 and "contradicts" in err
    status, _, err = run("reply", "abc")
    assert status == 2
    status, out, _ = run("reply", "250", "word " * 300)
    lines = out.split("\r\n")[:-1]
    assert len(lines) > 1 and all(len(l) + 2 <= 512 for l in lines)
    assert all(l.startswith("250-") for l in lines[:-1]) and lines[-1].startswith("250 ")


def bounce_json(*args, stdin=None):
    status, out, err = run("bounce", "--format", "json", *args, stdin=stdin)
    return status, (json.loads(out) if out else None), err


@test
def bounce_reads_the_corpus_directory():
    """`bounce DIR` reads every message of the directory, in name order, and each gives the
    records of tests/vectors/bounces/expected.tsv."""
    expected = bounce_expectations(VECTORS)
    status, records, err = bounce_json(os.path.join(VECTORS, "bounces"))
    assert status == 0, err
    by_file = {}
    for record in records:
        by_file.setdefault(os.path.basename(record["file"]), []).append(record)
    problems = []
    for name, wanted in sorted(expected.items()):
        problems += bounce_mismatches(name, by_file.get(name, []), wanted)
    assert not problems, "\n".join(problems)
    assert len(expected) >= 50 and len(records) >= 50


@test
def bounce_reads_an_mbox_and_standard_input():
    corpus = os.path.join(VECTORS, "bounces")
    names = ["postfix-two-recipients.eml", "arf-abuse.eml", "not-bounce-letter-about-a-bounce.eml"]
    names = [n for n in names if os.path.exists(os.path.join(corpus, n))]
    assert len(names) == 3, sorted(os.listdir(corpus))
    mbox = b""
    for name in names:
        with open(os.path.join(corpus, name), "rb") as f:
            body = f.read()
        mbox += b"From MAILER-DAEMON Wed Dec  2 04:00:00 2026\n" + body.replace(
            b"\nFrom ", b"\n>From ") + b"\n"
    with tempfile.NamedTemporaryFile(suffix=".mbox", delete=False) as f:
        f.write(mbox)
    try:
        status, records, err = bounce_json(f.name)
        assert status == 0, err
        files = [r["file"] for r in records]
        expected = bounce_expectations(VECTORS)
        assert files == [f.name + "#1"] * len(expected[names[0]]) + \
            [f.name + "#2"] * len(expected[names[1]]), files
        status, stdin_records, err = bounce_json(stdin=mbox)
        assert status == 0, err
        assert [r["recipient"] for r in stdin_records] == [r["recipient"] for r in records]
    finally:
        os.unlink(f.name)


@test
def bounce_reports_a_message_past_a_limit_and_reads_the_rest():
    """A message nested deeper than the reader goes is an error that names the limit; the
    messages after it in the mbox are still read, and the exit status is 1."""
    deep = b"Content-Type: message/rfc822\n\n" * 40 + b"Subject: x\n\nbody\n"
    with open(os.path.join(VECTORS, "bounces", "arf-abuse.eml"), "rb") as f:
        report = f.read()
    mbox = (b"From a Wed Dec  2 04:00:00 2026\n" + deep +
            b"\nFrom b Wed Dec  2 04:00:00 2026\n" + report)
    status, records, err = bounce_json(stdin=mbox)
    assert status == 1, (status, err)
    assert "standard input#1" in err and "16 deep" in err, err
    assert [r["kind"] for r in records] == ["feedback"], records


@test
def bounce_refuses_what_it_cannot_open():
    status, records, err = bounce_json("/nonexistent/mail")
    assert status == 1 and "cannot open" in err, (status, err)


if __name__ == "__main__":
    sys.exit(plaintest.run())
