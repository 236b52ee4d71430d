#!/usr/bin/env python3
"""Tests of smtpcodes(1) with providers: show, parse and bounce from a provider's host, and the
providers command, on the shared vectors tests/vectors/providers.tsv and provider-reasons.tsv.

Usage: test_providers.py SMTPCODES-BINARY VECTORS-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows, unescape  # noqa: E402

BINARY = sys.argv[1]
VECTORS = sys.argv[2]
EXIT_FAILED, EXIT_USAGE = 1, 2


def run(*args, stdin=None, env=None):
    """Runs the CLI; returns (exit status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    plaintest.neutral_environment(full_env)
    full_env.update(env or {})
    proc = subprocess.run([BINARY, *args], capture_output=True, env=full_env, input=stdin,
                          timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def run_json(*args, stdin=None):
    """The JSON the CLI prints; for parse, which prints JSON Lines, the first reply's."""
    status, out, err = run(*args, "--format", "json", stdin=stdin)
    assert status == 0, (args, status, err)
    return json.loads(out.splitlines()[0] if args[0] == "parse" else out)


def providers():
    return run_json("providers")


def provider_of(host):
    """The slug of the provider of `host` as the CLI finds it: the provider of the record of a
    bounce whose Remote-MTA is the host."""
    return bounce_record(host, "550", "5.0.0", "-", "x").get("provider") or None


# The notification text of a Postfix DSN, which names the command a reply answered.
IN_REPLY = {"RCPT": "RCPT TO", "MAIL": "MAIL FROM", "DATA-END": "end of DATA", "AUTH": "AUTH"}


def bounce_record(host, code, enhanced, command, text):
    """The record `smtpcodes bounce` reads from a DSN about one recipient whose Remote-MTA is
    `host` ("" for none) and whose diagnostic is the reply `code enhanced text`, answering
    `command` ("-" for none): transient replies are delayed, others failed."""
    diagnostic = "%s %s%s" % (code, enhanced + " " if enhanced != "-" else "", text)
    phrase = IN_REPLY.get(command)
    note = "<bob@example.net>: host %s[192.0.2.7] said: %s%s" % (
        host or "mx.example.net", diagnostic,
        " (in reply to %s command)" % phrase if phrase else "")
    status = enhanced if enhanced != "-" else code[0] + ".0.0"
    message = (
        "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.net\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\n" + note + "\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
        "Final-Recipient: rfc822; bob@example.net\n"
        "Action: %s\nStatus: %s\n" % ("delayed" if code.startswith("4") else "failed", status)
        + ("Remote-MTA: dns; %s\n" % host if host else "")
        + "Diagnostic-Code: smtp; %s\n\n--B--\n" % diagnostic)
    records = run_json("bounce", stdin=message.encode("utf-8"))
    assert len(records) == 1, records
    return records[0]


@test
def hosts_belong_to_providers():
    """A bounce's Remote-MTA names the provider of its record, as smtpc_provider_of_host()
    finds it: provider_of() above is the CLI's."""
    cases = {
        "contoso-com.mail.protection.outlook.com": "microsoft",
        "OUTLOOK.COM": "microsoft",
        "outlook.com.": "microsoft",
        "mx1.hotmail.com": "microsoft",
        "gmail-smtp-in.l.google.com": "gmail",
        "mta7.am0.yahoodns.net": "yahoo",
        "notoutlook.com": None,
        "outlook.com.example.net": None,
        "mx.example.org": None,
    }
    for host, slug in cases.items():
        assert provider_of(host) == slug, (host, provider_of(host))


@test
def providers_tsv_through_show():
    """show CODE --host HOST: the entry found is the row's; --provider SLUG finds the same."""
    written = {p["slug"]: {e["code"]: e["reason"] for e in run_json("providers", p["slug"])
                           ["entries"]} for p in providers()}
    checked = 0
    for row in rows(VECTORS, "providers.tsv"):
        where = "providers.tsv %s at %r" % (row["code"], row["host"])
        args = ["show", row["code"]] + (["--host", row["host"]] if row["host"] else [])
        status, out, err = run(*args, "--format", "json")
        assert status == 0, (where, status, err)
        page = json.loads(out)
        if not row["expected_code"]:
            # no entry describes it: the closest registered one is shown, with a notice
            assert page["exact"] is False and page["provider"] is None, (where, page["entry"])
            assert "is not registered" in err, (where, err)
        else:
            assert (page["entry"], page["provider"] or "", page["name"]) == \
                (row["expected_code"], row["expected_provider"], row["expected_name"]), \
                (where, page["entry"], page["provider"], page["name"])
            assert page["exact"] is True and err == "", (where, err)
            if row["expected_provider"]:
                assert page["origin"] == "provider", where
                assert written[page["provider"]][page["entry"]] == row["expected_reason"], where
        if row["host"]:
            slug = provider_of(row["host"])
            by_slug = ["--provider", slug] if slug else []
            assert run_json("show", row["code"], *by_slug) == page, where
        checked += 1
    assert checked >= 40, checked


@test
def provider_reasons_tsv_through_parse_and_bounce():
    """parse --host HOST: the row's reason; bounce, a DSN from HOST: its reason, rule and
    hard, and HOST's provider."""
    hard = {True: "1", False: "0", None: "-1"}
    checked = 0
    for row in rows(VECTORS, "provider-reasons.tsv"):
        host, code, enhanced, command = row["host"], row["code"], row["enhanced"], row["command"]
        text = unescape(row["text"])
        where = "provider-reasons.tsv %s %s %s %r" % (host, code, enhanced, text[:30])
        wire = "%s %s%s\r\n" % (code, enhanced + " " if enhanced != "-" else "", text)
        args = ["parse"] + (["--host", host] if host else []) + \
            (["--command", command] if command != "-" else [])
        reply = run_json(*args, stdin=wire.encode("utf-8"))
        assert reply["reason"] == row["reason"], (where, reply["reason"])
        record = bounce_record(host, code, enhanced, command, text)
        assert (record["reason"], record["rule"], hard[record["hard"]]) == \
            (row["reason"], row["rule"], row["hard"]), (where, record)
        assert record["provider"] == ((provider_of(host) or "") if host else ""), where
        checked += 1
    assert checked >= 25, checked


@test
def the_providers_command_in_every_format():
    listing = providers()
    slugs = [p["slug"] for p in listing]
    assert slugs == sorted(slugs) and {"gmail", "microsoft", "yahoo"} <= set(slugs), slugs
    for p in listing:
        assert p["name"] and p["hosts"] and p["references"][0]["url"].startswith("https://")
    status, text, err = run("providers")
    assert status == 0 and err == "" and text.startswith("Providers\n"), err
    for fmt, mark in (("markdown", "# Providers"), ("md", "# Providers"),
                      ("html", "<article class=\"smtpcodes smtpcodes-providers\"")):
        status, out, err = run("providers", "--format", fmt)
        assert status == 0 and out.startswith(mark), (fmt, out[:80])
        for p in listing:
            assert p["name"] in out.replace("&amp;", "&"), (fmt, p["slug"])
    for p in listing:
        page = run_json("providers", p["slug"])
        assert page["slug"] == p["slug"] and page["entries"], p["slug"]
        assert {k: v for k, v in page.items() if k != "entries"} == p, p["slug"]
        status, text, _ = run("providers", p["slug"])
        assert status == 0 and text.startswith(p["name"] + "\n")
        for entry in page["entries"]:
            assert entry["code"] in text and entry["name"] in text, (p["slug"], entry["code"])
            # every entry is reachable: its first code, as its provider means it
            first = entry["code"].split("-")[0]
            shown = run_json("show", first, "--provider", p["slug"])
            assert (shown["entry"], shown["provider"]) == (entry["code"], p["slug"]), first
        for fmt in ("markdown", "html"):
            status, out, _ = run("providers", p["slug"], "--format", fmt)
            assert status == 0 and all(e["name"].replace("&", "&amp;") in out or e["name"] in out
                                       for e in page["entries"]), (p["slug"], fmt)


@test
def errors_and_exit_statuses():
    status, out, err = run("providers", "nosuch")
    assert (status, out) == (EXIT_FAILED, "") and "unknown provider 'nosuch'" in err, err
    status, out, err = run("show", "5.7.1", "--provider", "nosuch")
    assert (status, out) == (EXIT_FAILED, "") and "unknown provider 'nosuch'" in err, err
    status, out, err = run("parse", "--provider", "nosuch", stdin=b"550 x\r\n")
    assert (status, out) == (EXIT_FAILED, "") and "unknown provider" in err, err
    status, out, err = run("show", "5.7.1", "--provider", "gmail", "--host", "mx.google.com")
    assert status == EXIT_USAGE and "not both" in err, err
    status, out, err = run("providers", "gmail", "yahoo")
    assert status == EXIT_USAGE and "at most one SLUG" in err, err
    for option in ("--host", "--provider", "-H", "-p"):
        status, _, err = run("show", "5.7.1", option)
        assert status == EXIT_USAGE and "needs a value" in err, (option, err)
    # a host of no provider, or an empty slug, is the standard meaning
    assert run_json("show", "5.7.29", "--host", "mx.example.org")["provider"] is None
    assert run_json("show", "5.7.29", "--provider", "")["provider"] is None
    assert run_json("show", "5.7.29", "-H", "gmail.com")["provider"] == "gmail"
    assert run_json("show", "5.7.29", "-p", "gmail")["name"] == "No TLS, Blocked"
    status, out, _ = run("show", "5.7.29", "--provider=gmail")
    assert status == 0 and out.startswith("SMTP 5.7.29 No TLS, Blocked\n"), out[:60]
    assert "Provider: Gmail" in out


@test
def help_man_and_text_pages_name_the_providers():
    status, out, _ = run("--help")
    assert status == 0
    for word in ("providers [SLUG]", "--host", "--provider", "unknown code, language or provider"):
        assert word in out, word
    man = os.path.join(os.path.dirname(os.path.dirname(VECTORS.rstrip("/"))), "man",
                       "smtpcodes.1")
    with open(man, encoding="utf-8") as f:
        page = f.read()
    for word in ("providers", "\\-\\-host", "\\-\\-provider"):
        assert word in page, word
    # the text of a reply from a provider's host names the provider's meaning
    status, out, _ = run("parse", "--host", "mx.google.com",
                         stdin=b"550 5.7.29 This message was blocked\r\n")
    assert status == 0 and "Enhanced: 5.7.29 No TLS, Blocked (Gmail" in out, out
    assert "Reason: securityerror" in out, out
    status, out, _ = run("parse", stdin=b"550 5.7.29 This message was blocked\r\n")
    assert "Enhanced: 5.7.29 ARC Validation Failure" in out and "Reason: authfailure" in out


@test
def a_data_file_brings_its_own_provider():
    data = os.path.join(VECTORS, "data", "valid", "provider.txt")
    status, out, err = run("--data", data, "providers", "testprov", "--format", "json")
    assert status == 0, err
    assert "5.7.900-949" in [e["code"] for e in json.loads(out)["entries"]]
    status, out, err = run("--data", data, "show", "5.7.949", "--host",
                           "mx.mail.provider.example", "--format", "json")
    assert status == 0 and json.loads(out)["entry"] == "5.7.900-949", err
    status, _, err = run("providers", "testprov")
    assert status == EXIT_FAILED and "unknown provider" in err


sys.exit(plaintest.run())
