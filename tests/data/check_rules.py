#!/usr/bin/env python3
"""The consistency rules of the data (docs/data-format.md, "The consistency rules").

Usage: check_rules.py SMTPCODES-BINARY SOURCE-DIR

Each test is one rule and fails on the data, naming every entry that breaks it as
"RULE: CODE: what is wrong". An entry that departs from a rule for a true reason records it in an
`Exception: RULE: why` field; a rule's test fails as well when such an exception names an unknown
rule or is no longer needed. The entries come from the built database through the CLI's JSON, so
the checks read what every front end reads. Standard library only; ends with "N passed, N failed".
"""
import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402

BINARY, SOURCE = sys.argv[1], sys.argv[2]
COMMAND_TABLE = os.path.join(SOURCE, "tests", "data", "command-replies.tsv")
REGISTRY = os.path.join(SOURCE, "tests", "vectors", "iana-smtp-enhanced-status-codes.csv")
SITUATIONS = os.path.join(SOURCE, "tests", "data", "situations.tsv")
ENV = {k: v for k, v in os.environ.items() if k != "SMTPCODES_DATA"}
FAILURE_CLASSES = ("4", "5")


def _entries():
    out = subprocess.run([BINARY, "list", "--format", "json"], check=True, capture_output=True,
                         env=ENV).stdout
    return json.loads(out)


ENTRIES = _entries()
BY_CODE = {e["code"]: e for e in ENTRIES}
BASIC = [e for e in ENTRIES if e["kind"] == "basic"]
ENHANCED = [e for e in ENTRIES if e["kind"] == "enhanced"]
_shown = {}


def retry_as_written(code):
    """The retry advice of `code` as written ("4.4.6"), as the core gives it."""
    if code not in _shown:
        proc = subprocess.run([BINARY, "show", code, "--format", "json"], capture_output=True,
                              env=ENV)
        _shown[code] = json.loads(proc.stdout)["retry"] if proc.returncode == 0 else None
    return _shown[code]


def command_table():
    """{(reply, command): [reference, ...]} from tests/data/command-replies.tsv."""
    table = {}
    with open(COMMAND_TABLE, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    assert lines[0].split("\t") == ["reply", "command", "reference", "what it says"], lines[0]
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        assert len(cells) == 4 and all(cells), "%s: row %d: four cells" % (COMMAND_TABLE, n)
        table.setdefault((cells[0], cells[1]), []).append(cells[2])
    return table


TABLE = command_table()
RULES = ("class-retry", "fix-retry", "paired-retry", "paired-class", "registry-classes",
         "commands-allowed", "another-reply", "defining-section", "notation")


def exceptions_of(entry):
    """{rule: why} of the entry's Exception field."""
    found = {}
    for item in entry["exceptions"]:
        rule, why = item.split(": ", 1)
        found[rule] = why
    return found


def check(rule, violations_of):
    """Runs `violations_of(entry)` (a list of messages) on every entry; fails naming each entry
    that breaks `rule` without an exception, and each exception the rule no longer needs."""
    problems = []
    for entry in ENTRIES:
        found = violations_of(entry)
        excused = rule in exceptions_of(entry)
        if found and not excused:
            problems += ["%s: %s: %s" % (rule, entry["code"], m) for m in found]
        elif excused and not found:
            problems.append("%s: %s: the exception is no longer needed" % (rule, entry["code"]))
    assert not problems, "\n".join([""] + problems)


def class_retries(entry):
    """[(class digit, retry)] for each failure or success class the entry is meant for."""
    if entry["kind"] == "basic":
        return [(entry["code"][0], entry["retry"])]
    return [(c, retry_as_written(c + entry["code"][1:])) for c in map(str, entry["classes"])]


# ---- class-retry ----------------------------------------------------------------------------

# RFC 5321 section 4.2.1: 2yz completes and 3yz goes on (nothing to retry); 4yz "may be
# requested again"; the client "SHOULD NOT repeat the exact request" after 5yz. RFC 3463
# section 2 gives 2.X.X, 4.X.X and 5.X.X the same meanings.
def class_retry_violations(entry):
    found = []
    for klass, retry in class_retries(entry):
        if klass in ("2", "3") and retry != "none":
            found.append("class %s completes or goes on, but the retry is %s" % (klass, retry))
        if klass == "4" and retry == "none":
            found.append("a 4yz failure needs a retry advice, not none")
        if klass == "5" and retry in ("none", "later"):
            found.append("a 5yz request is not repeated unchanged, but the retry is %s" % retry)
    return found


@test
def class_retry():
    check("class-retry", class_retry_violations)


# ---- fix-retry ------------------------------------------------------------------------------

# A fix that asks for something to change before the request is sent again.
CHANGE_FIRST = re.compile(
    r"only (repeats|makes it|fails|brings)|before (that|retrying|resending|trying again|sending "
    r"again|it is fixed)|(retrying|resending|sending again|trying again) (before|without|is "
    r"pointless|does not help|will not help|only)|will (keep failing|fail again)|"
    r"(do not|never) (retry|resend)", re.I)
# A fix that only waits for the condition to clear.
ONLY_WAIT = re.compile(
    r"^(no action is needed|nothing (needs fixing|is wrong)|let the (queue|sending system) retry|"
    r"(wait and )?(retry|try again) later|keep the message queued)", re.I)


def fix_retry_violations(entry):
    retries = {retry for _, retry in class_retries(entry) if retry != "none"}
    if not retries:
        return []
    fix = entry["fix"]
    found = []
    asks_change = CHANGE_FIRST.search(fix)
    if asks_change and retries == {"later"}:
        found.append("the fix asks for a change first (\"%s\") but the retry is later"
                     % asks_change.group(0))
    if ONLY_WAIT.search(fix) and not asks_change and "later" not in retries:
        found.append("the fix only waits (\"%s\") but the retry is %s"
                     % (ONLY_WAIT.search(fix).group(0), "/".join(sorted(retries))))
    return found


@test
def fix_retry():
    check("fix-retry", fix_retry_violations)


# ---- paired-retry and paired-class ---------------------------------------------------------

def paired_codes(entry):
    """The enhanced codes a basic entry lists, and its See code when that is a code with a
    class, as written ("4.4.6")."""
    codes = list(entry["enhanced"])
    see = entry["see"]
    if see and see[0] in "245" and "." in see and see not in codes:
        codes.append(see)
    return codes


def paired_retry_violations(entry):
    if entry["kind"] != "basic":
        return []
    found = []
    for code in paired_codes(entry):
        if code[0] != entry["code"][0]:
            continue
        theirs = retry_as_written(code)
        if theirs is not None and theirs != entry["retry"]:
            found.append("retry %s, but %s gives %s" % (entry["retry"], code, theirs))
    return found


@test
def paired_retry():
    check("paired-retry", paired_retry_violations)


def paired_class_violations(entry):
    if entry["kind"] != "basic":
        return []
    found = []
    for code in paired_codes(entry):
        target = BY_CODE.get("X" + code[1:])
        if target is None:
            found.append("%s is not in the database" % code)
        elif int(entry["code"][0]) not in target["classes"]:
            found.append("%s is meant for classes %s, not %s" % (
                code, " ".join(map(str, target["classes"])), entry["code"][0]))
    return found


@test
def paired_class():
    check("paired-class", paired_class_violations)


# ---- registry-classes ----------------------------------------------------------------------

def registry_classes_violations(entry):
    if entry["kind"] != "enhanced":
        return []
    associated = set(re.findall(r"\b([245])\d\d\b", entry["associated"]))
    if not associated:
        return []  # "Not given", "Any": the registry pairs it with no basic code
    classes = {str(c) for c in entry["classes"]}
    found = []
    if associated - classes:
        found.append("the registry pairs it with %s, but its classes are %s" % (
            entry["associated"], " ".join(sorted(classes))))
    if classes - associated - {"2"}:
        found.append("class %s, but the registry pairs it only with %s" % (
            " ".join(sorted(classes - associated - {"2"})), entry["associated"]))
    return found


@test
def registry_classes():
    check("registry-classes", registry_classes_violations)


# ---- commands-allowed ----------------------------------------------------------------------

def commands_allowed_violations(entry):
    if entry["kind"] != "basic" or entry["origin"] == "nonstandard":
        return []
    code = entry["code"]
    return ["no RFC lets %s answer %s (tests/data/command-replies.tsv)" % (code, command)
            for command in entry["commands"]
            if (code, command) not in TABLE and (code, "ANY") not in TABLE]


@test
def commands_allowed():
    check("commands-allowed", commands_allowed_violations)


@test
def every_command_table_row_is_used_or_cites_a_real_reply():
    """A row of the table names a reply the database holds, so a typo cannot hide."""
    unknown = sorted({reply for reply, _ in TABLE if reply not in BY_CODE})
    assert not unknown, "command-replies.tsv names replies the database lacks: %s" % unknown


# ---- another-reply -------------------------------------------------------------------------

def situations():
    """[(reply, command, reference, the RFC's words, compiled pattern)] of situations.tsv."""
    with open(SITUATIONS, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    assert lines[0].split("\t") == ["reply", "command", "reference", "the RFC's words",
                                    "pattern"], lines[0]
    rows = []
    for line in lines[1:]:
        reply, command, reference, words, pattern = line.split("\t")
        rows.append((reply, command, reference, words, re.compile(pattern, re.I)))
    return rows


SITUATION_ROWS = situations()


# An RFC that lists the replies of a command gives each its situation (RFC 1985: 251 "no
# messages waiting", 459 "node not allowed"); another reply to that command describing it is
# wrong about one of them.
def another_reply_violations(entry):
    found = []
    text = entry["description"] + " " + entry["when"]
    for reply, command, reference, words, pattern in SITUATION_ROWS:
        if reply == entry["code"] or command not in entry["commands"]:
            continue
        match = pattern.search(text)
        if match:
            found.append("describes \"%s\", which %s gives to %s for %s (\"%s\")"
                         % (match.group(0), reference, reply, command, words))
    return found


@test
def another_reply():
    check("another-reply", another_reply_violations)


# ---- defining-section ----------------------------------------------------------------------

def references(entry):
    return [r["text"] for r in entry["references"]]


def registry_rfcs():
    """{code: the RFC numbers its registry row cites} from the registry copy in tests/vectors."""
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        return {row["Code"]: set(re.findall(r"RFC ?(\d+)", row["Reference"]))
                for row in csv.DictReader(f)}


REGISTRY_RFCS = registry_rfcs()


# RFC 3463 section 3 enumerates the codes, one subsection per subject: X.0.X is section 3.1,
# X.1.X 3.2, ..., X.7.X 3.8 (section 2 defines the structure and the classes). A reply code of
# an RFC cites a section that lets it answer a command (the command table).
def defining_section_violations(entry):
    refs = references(entry)
    found = []
    if entry["kind"] == "enhanced":
        subject = int(entry["code"].split(".")[1])
        own = "RFC 3463 section 3.%d" % (subject + 1)
        for ref in refs:
            if ref.startswith("RFC 3463 section 3.") and ref != own:
                found.append("cites %s, but subject %d is %s" % (ref, subject, own))
        if "3463" in REGISTRY_RFCS.get(entry["code"], ()) and own not in refs:
            found.append("an RFC 3463 code cites %s, where it is defined" % own)
        return found
    if entry["origin"] != "rfc":
        return found
    defining = {ref for (reply, _), cited in TABLE.items() if reply == entry["code"]
                for ref in cited}
    if defining and not defining & set(refs):
        found.append("cites none of the sections that let it answer a command: %s"
                     % "; ".join(sorted(defining)))
    return found


@test
def defining_section():
    check("defining-section", defining_section_violations)


# ---- notation ------------------------------------------------------------------------------

# RFC 5321 section 4.2.1 writes classes "5yz" and categories "x2z"; RFC 3463 writes enhanced
# classes "4.X.X" and codes "X.7.1".
NOTATION = [
    (re.compile(r"\b[2-5](xx|XX|Xx|xX)\b"), "write a class as RFC 5321 does: 5yz"),
    (re.compile(r"\b[xX][0-5][xX]\b"), "write a category as RFC 5321 does: x2z"),
    (re.compile(r"\b[245]\.x\.x\b|\b[245]\.X\.x\b|\b[245]\.x\.X\b"),
     "write an enhanced class as RFC 3463 does: 4.X.X"),
    (re.compile(r"(?<![\w.])x\.\d{1,3}\.\d{1,3}\b"), "write an enhanced code as X.7.1"),
]
PROSE = ("name", "description", "when", "fix", "note")


def notation_violations(entry):
    found = []
    for field in PROSE:
        for pattern, advice in NOTATION:
            match = pattern.search(entry[field])
            if match:
                found.append("%s has \"%s\": %s" % (field, match.group(0), advice))
    for alias in entry["aliases"]:
        for pattern, advice in NOTATION:
            if pattern.search(alias):
                found.append("alias \"%s\": %s" % (alias, advice))
    return found


@test
def notation():
    check("notation", notation_violations)


# ---- the exceptions themselves ---------------------------------------------------------------

@test
def exceptions_name_known_rules():
    unknown = ["%s: %s" % (e["code"], rule) for e in ENTRIES for rule in exceptions_of(e)
               if rule not in RULES]
    assert not unknown, "exceptions naming no rule (%s): %s" % (", ".join(RULES), unknown)


@test
def the_rules_catch_what_they_are_for():
    """Each rule fails on an entry made to break it, so a rule cannot pass vacuously."""
    loop = dict(BY_CODE["446"], retry="later",
                fix="Fix the forwarding rule. Retrying before that only repeats the loop.")
    assert fix_retry_violations(loop)
    assert class_retry_violations(dict(BY_CODE["550"], retry="later"))
    assert notation_violations(dict(BY_CODE["550"], note="Any 5xx reply, any x5x reply."))
    assert commands_allowed_violations(dict(BY_CODE["221"], commands=["RCPT"]))
    assert paired_class_violations(dict(BY_CODE["250"], enhanced=["2.4.6"], see=""))
    assert defining_section_violations(dict(BY_CODE["X.7.1"], references=[
        {"text": "RFC 3463 section 3.1", "url": ""}]))
    assert registry_classes_violations(dict(BY_CODE["X.1.1"], classes=[5]))
    assert another_reply_violations(dict(BY_CODE["459"], when=(
        "A client sends ETRN for a domain that the server holds no mail for.")))


if __name__ == "__main__":
    sys.exit(plaintest.run())
