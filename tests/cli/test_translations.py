#!/usr/bin/env python3
"""The quality gates of the translation catalogs (docs/translation.md), on the catalogs as the
CLI prints them from the database (`smtpcodes catalog LANG`), and msgfmt's check of the files.

Usage: test_translations.py SMTPCODES-BINARY VECTORS-DIR CATALOG-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows  # noqa: E402

BINARY, VECTORS, CATALOGS = sys.argv[1], sys.argv[2], sys.argv[3]

# The languages whose catalogs are complete, and must stay so.
COMPLETE = ("vi", "tr", "th", "ko", "ar", "de", "es", "fr", "hi", "id", "ja", "pt", "ru",
            "zh-hans")
# The scripts of the languages not written in Latin letters: a translation holds some of it.
SCRIPTS = {"ar": "\u0600-\u06ff", "hi": "\u0900-\u097f", "ja": "\u3040-\u30ff\u4e00-\u9fff",
           "ko": "\uac00-\ud7af", "ru": "\u0400-\u04ff", "th": "\u0e00-\u0e7f",
           "zh-hans": "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"}
# English words that a sentence in another Latin-script language does not hold.
STOP_WORDS = set("the and is are of to with when that which not this it for from be was will "
                 "by an or as on".split())
# ... unless the language has the same word of its own.
OWN_WORDS = {"de": {"an", "was", "will"}, "fr": {"on"}, "pt": {"as"}}
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)((?:\|[a-z]+)*)\}")
KEPT = re.compile(r"https?://[^\s)\"]+|\b[A-Z][A-Z0-9-]*[A-Z0-9]\b|\d+(?:\.\d+)*")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\u201c[^\u201d]*\u201d|`[^`]*`")
# What the command line's messages and help keep as they are typed: its commands, the values
# of its options, the programs and formats it names, options ("--lang"), paths and file names.
KEPT_WORDS = set("show compare list languages catalog providers parse scan bounce reply text "
                 "markdown md html json basic enhanced domain relay reason sender-domain time "
                 "code mta smtpcodes gettext gzip xz bzip2 zstd mbox maildir".split())
KEPT_TOKEN = re.compile(r"--?[a-z][a-z-]*|[\w.-]*[/.][\w./-]+|\b[a-z]+-[a-z-]+\b|"
                        r"\b[A-Z][a-z]+-[A-Z]+\b")


def without_kept(text):
    """`text` without what a translation keeps as typed."""
    text = KEPT_TOKEN.sub(" ", QUOTED.sub(" ", text))
    return " ".join(w for w in re.split(r"(\s+)", text) if w.strip(",;:()[]") not in KEPT_WORDS)


def run(*args):
    env = plaintest.neutral_environment(dict(os.environ))
    proc = subprocess.run([BINARY, *args], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, (args, proc.stderr)
    return proc.stdout.decode("utf-8")


def po_unquote(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def read_po(text):
    """The messages of a PO file as the CLI writes it: [(context, english, translation)]."""
    messages = []
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            m = re.match(r'^(msgctxt|msgid|msgstr) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = po_unquote(m.group(2))
            elif line.startswith('"') and key:
                fields[key] += po_unquote(line[1:-1])
        if "msgctxt" in fields:
            messages.append((fields["msgctxt"], fields["msgid"], fields["msgstr"]))
    return messages


def languages():
    return {lang["tag"]: lang for lang in json.loads(run("languages", "--format", "json"))}


def catalog(tag):
    return read_po(run("catalog", tag))


def glossary():
    """{language: [(term, English pattern, [stems])]}"""
    path = os.path.join(CATALOGS, "glossary.tsv")
    lines = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")
             if line.strip() and not line.startswith("#")]
    header, body = lines[0], lines[1:]
    terms = {}
    for column, tag in enumerate(header[2:], start=2):
        terms[tag] = [(row[0], re.compile(row[1], re.I), row[column].split("|")) for row in body]
    return terms


def gate_problems(tag, context, english, translation, terms):
    """What a translation breaks of the gates; [] for none."""
    problems = []
    if context.startswith("template "):
        want = {p[0] for p in PLACEHOLDER.findall(english)}
        have = {p[0] for p in PLACEHOLDER.findall(translation)}
        if want != have:
            problems.append("placeholders %s instead of %s" % (sorted(have), sorted(want)))
    plain_english = PLACEHOLDER.sub("", english)
    plain = PLACEHOLDER.sub("", translation)
    for token in set(KEPT.findall(plain_english)):
        token = token.rstrip(".,;:")
        if token not in plain:
            problems.append("%r is not kept" % token)
    # the command line's words keep what is typed; its help is laid out anew in each language
    cli = context.startswith("template cli-")
    if english.count("\n") != translation.count("\n") and not context.startswith("template cli-usage"):
        problems.append("not the same paragraphs")
    outside_quotes = without_kept(plain) if cli else QUOTED.sub(" ", plain)
    # what a server literally sends ("Recipient address rejected") stays English in quotes
    english_words = without_kept(plain_english) if cli else re.sub(r'"[^"]*"', " ", plain_english)
    letters = re.search(r"[a-z]{3}", without_kept(plain_english)) is not None
    if tag in SCRIPTS:
        if letters and not re.search("[%s]" % SCRIPTS[tag], plain):
            problems.append("nothing in the language's script")
        run_of_words = re.search(r"[A-Za-z]+(?:[ ,]+[a-z]+){3,}", outside_quotes)
        if run_of_words:
            problems.append("English left: %r" % run_of_words.group(0))
    else:
        # words of ASCII letters alone: "an" in "análisis" is no English word
        hits = [w for w in re.findall(r"[^\W\d_]+", outside_quotes)
                if w in STOP_WORDS and w not in OWN_WORDS.get(tag, ())]
        if len(hits) >= 2:
            problems.append("English words left: %s" % " ".join(hits))
        if translation == english and re.search(r"[a-z]{3,} [a-z]{3,}", plain_english):
            problems.append("left in English")
    for term, pattern, stems in terms.get(tag, ()):
        if pattern.search(english_words) and not any(s.lower() in translation.lower() for s in stems):
            problems.append("glossary: %r must be said with %s" % (term, " or ".join(stems)))
    return problems


@test
def the_seed_languages_are_complete():
    langs = languages()
    for tag in COMPLETE:
        assert langs[tag]["translated"] == langs[tag]["total"], langs[tag]
        assert langs[tag]["total"] > 1000, langs[tag]
        untranslated = [c for c, e, t in catalog(tag) if not t]
        assert untranslated == [], (tag, untranslated[:5])
    assert langs["en"]["translated"] == langs["en"]["total"]


@test
def every_translation_passes_the_gates():
    terms = glossary()
    checked = 0
    for tag in languages():
        if tag == "en":
            continue
        failures = []
        for context, english, translation in catalog(tag):
            if translation:
                checked += 1
                failures += ["%s: %s" % (context, p)
                             for p in gate_problems(tag, context, english, translation, terms)]
        assert failures == [], (tag, failures[:20])
    assert checked > 4 * 1000, checked


@test
def the_gates_catch_what_they_guard():
    terms = glossary()
    english = "The server refused RFC 5321 section 4.2.3 at https://example.org/x for 421."
    good = "Máy chủ đã từ chối RFC 5321 mục 4.2.3 tại https://example.org/x với 421."
    assert gate_problems("vi", "421 fix", english, good, terms) == []
    broken = {
        "number": good.replace("4.2.3", "4.2"),
        "URL": good.replace("example.org", "example.com"),
        "RFC": good.replace("RFC 5321", "5321"),
        "glossary": good.replace("Máy chủ", "Hệ thống"),
        "English": good.replace("Máy chủ đã từ chối", "The server refused it and"),
    }
    for what, text in broken.items():
        assert gate_problems("vi", "421 fix", english, text, terms), what
    assert gate_problems("th", "421 fix", english, "The server refused the RFC 5321 4.2.3 "
                         "https://example.org/x 421", terms)
    assert gate_problems("ko", "template title", "SMTP {a} {a_name} vs {b} {b_name}",
                         "SMTP {a} {a_name} 대 {b}", terms)


def lower(text, tag):
    """`text` in lower case as language `tag` writes it (Turkish: I is ı, İ is i)."""
    if tag == "tr":
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


@test
def the_seed_headings_are_the_seed_pages():
    # the words of the seed pages; their case, that of the catalog's other headings (Turkish
    # writes headings in sentence case, as its labels and column headings are)
    for row in rows(VECTORS, "seed-headings.tsv"):
        tag = row["lang"]
        labels = {c[len("label "):]: t for c, e, t in catalog(tag) if c.startswith("label ")}
        for key in ("description", "when", "fix", "differences", "usage", "learn-more"):
            if row[key] not in (None, "-"):
                assert lower(labels[key], tag) == lower(row[key], tag), (tag, key, labels[key])
                # sentence case: the first letter alone is a capital
                assert labels[key][1:] == lower(labels[key][1:], tag), (tag, key, labels[key])


@test
def msgfmt_checks_every_catalog():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None, "msgfmt (gettext) is needed: .ci/deps installs it"
    files = sorted(f for f in os.listdir(CATALOGS) if f.endswith(".po"))
    assert len(files) == len(languages()) - 1, files
    for name in files:
        proc = subprocess.run([msgfmt, "--check", "-o", os.devnull,
                               os.path.join(CATALOGS, name)], capture_output=True)
        assert proc.returncode == 0, (name, proc.stderr)


sys.exit(plaintest.run())
