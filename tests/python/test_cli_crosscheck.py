"""The Python objects agree with the CLI's JSON, which reads the same data through C alone.

Every code of the database is checked (``smtpcodes show CODE --format json``), plus a sample
of pairs in several languages (``smtpcodes compare A B --lang L --format json``).
"""

import json
import random
import subprocess

import pytest

import smtpcodes

EVERY = smtpcodes.codes()
# Codes written with a class digit, as users write them: each differs from its X.S.D entry.
WRITTEN = [smtpcodes.lookup("%d%s" % (c.classes[-1], c.code[1:]))
           for c in smtpcodes.codes(kind="enhanced")]


def run_cli(cli, *args):
    done = subprocess.run([cli, *args, "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# The code facts of the JSON (docs/json.md) that a Code has as an attribute of the same name,
# with the same value; "class" is the attribute klass, and the rest below.
SAME = ("code", "entry", "kind", "name", "slug", "category", "category_name", "detail",
        "conforming", "class_name", "origin", "description", "when", "fix", "retry",
        "connection", "sample", "associated", "see", "note")


# The texts of a code that a language's catalog translates (Code.text()), and the names of its
# class and category, which the JSON of a page in another language gives in that language.
TEXTS = ("name", "aliases", "description", "when", "fix", "note")
GROUP_NAMES = ("class_name", "category_name")


def assert_agrees(code, shown, lang="en"):
    """Every fact of ``code`` matches the CLI's JSON object for the same code in language
    ``lang``: the code's own page in that language is that JSON, each attribute is its field
    in English, and in another language each text is Code.text(which, lang)."""
    row = json.loads(code.render("json", lang))
    shared = set(row) & set(shown)
    assert shared >= set(SAME) | {"class", "classes", "commands", "enhanced", "references"}
    for key in shared:
        assert row[key] == shown[key], (code.code, key)
    for key in SAME:
        if lang != "en" and key in TEXTS + GROUP_NAMES:
            continue
        assert getattr(code, key) == shown[key], (code.code, key)
    for key in TEXTS:
        text = code.text(key, lang)
        assert text == ("; ".join(shown[key]) if key == "aliases" else shown[key]), (
            code.code, key, lang)
        if lang == "en":
            assert code.translated(key, lang)
    assert code.klass == shown["class"]
    # Lists are arrays in the JSON, tuples on a Code; references are {"text", "url"}.
    assert list(code.classes) == shown["classes"]
    assert list(code.commands) == shown["commands"]
    assert list(code.enhanced) == shown["enhanced"]
    assert list(code.references) == [r["text"] for r in shown["references"]]


@pytest.fixture(scope="module")
def shown(cli):
    """The CLI's JSON for every code, by code text, from one run per code."""
    return {c.code: run_cli(cli, "show", c.code) for c in EVERY}


@pytest.mark.parametrize("code", EVERY, ids=[c.code for c in EVERY])
def test_every_code_agrees_with_the_cli(code, shown):
    assert_agrees(code, shown[code.code])


def test_the_cli_knows_no_code_the_facade_lacks(cli):
    listed = run_cli(cli, "list")
    assert [row["code"] for row in listed] == [c.code for c in EVERY]


def sample_pairs():
    """A fixed sample of pairs: each basic code against a neighbour and a random other,
    enhanced codes against each other and against basic codes, in rotating languages."""
    rng = random.Random(5321)
    pool = list(EVERY) + WRITTEN
    languages = smtpcodes.languages()
    pairs = []
    for i, a in enumerate(pool):
        b = rng.choice(pool)
        if b.entry == a.entry:
            continue
        pairs.append((a.code, b.code, languages[i % len(languages)]))
    return rng.sample(pairs, 60)


@pytest.mark.parametrize("a, b, lang", sample_pairs())
def test_comparisons_agree_with_the_cli(cli, a, b, lang):
    cmp = smtpcodes.compare(a, b, lang=lang)
    page = run_cli(cli, "compare", a, b, "--lang", lang)
    assert cmp.to_dict() == page
    # The page is in its language, and marks what fell back to English.
    assert page["language"] == cmp.lang
    assert page["lang"] == dict.fromkeys(cmp.fallbacks, "en")
    assert page["title"] == cmp.title
    assert page["intro"] == cmp.intro and page["usage"] == cmp.usage
    assert [(d["kind"], d["text"]) for d in page["differences"]] == list(cmp.differences)
    assert list(page["labels"].values()) == list(cmp.labels)
    assert [r["text"] for r in page["learn_more"]] == list(cmp.references)
    for index, (code, side) in enumerate(zip(cmp.codes, page["codes"])):
        assert_agrees(code, side, cmp.lang)
        own_page = json.loads(code.render("json", cmp.lang))
        for key in TEXTS:
            pointer = "/codes/%d/%s" % (index, key)
            assert cmp.text(index, key) == code.text(key, cmp.lang), pointer
            assert (pointer in page["lang"]) == (not code.translated(key, cmp.lang)), pointer
        for key in GROUP_NAMES:
            pointer = "/codes/%d/%s" % (index, key)
            assert (pointer in page["lang"]) == ("/" + key in own_page["lang"]), pointer
    text = subprocess.run(
        [cli, "compare", a, b, "--lang", lang], capture_output=True, text=True, check=True
    ).stdout
    assert text.rstrip("\n") == str(cmp).rstrip("\n")
