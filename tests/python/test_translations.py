"""Translations: Code.text() and translated(), Comparison.text() and fallbacks,
Database.completeness(), direction(), catalog(), with_catalogs() and load(..., catalogs=...).

What is complete and what falls back is asked of the core, never listed here: every language
of the built-in database has a complete catalog, and Dutch, which tests/vectors/data/valid/
language.txt adds with its section labels only, is the example of a language that falls back
to English.
"""

import json
import pickle

import pytest

import smtpcodes
from conftest import VECTORS

TEXTS = ("name", "aliases", "description", "when", "fix", "note")
# Every language of the built-in database but English, the source.
COMPLETE = tuple(tag for tag in smtpcodes.languages() if tag != "en")
OVERRIDE = VECTORS / "data" / "valid" / "override-421.txt"
# Adds the language "nl" with its six section labels and nothing else: the rest falls back.
LABELS_ONLY = VECTORS / "data" / "valid" / "language.txt"
EVERY = smtpcodes.codes()


def english(code, which):
    """The English of text ``which`` as the core keeps it: aliases joined with "; "."""
    value = getattr(code, which)
    return "; ".join(value) if which == "aliases" else value


@pytest.fixture(scope="module")
def dutch():
    """The built-in database with the Dutch of language.txt laid over it: labels only."""
    db = smtpcodes.load(LABELS_ONLY)
    assert "nl" in db.languages() and "nl" not in smtpcodes.languages()
    return db


@pytest.fixture(scope="module")
def vi_po(tmp_path_factory):
    """The Vietnamese catalog of the built-in database, as a file."""
    path = tmp_path_factory.mktemp("catalogs") / "vi.po"
    path.write_text(smtpcodes.database.catalog("vi"), encoding="utf-8")
    return path


# ---- texts of codes -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_languages_translate_every_text(lang):
    for code in EVERY:
        for which in TEXTS:
            text = code.text(which, lang)
            assert isinstance(text, str)
            assert code.translated(which, lang) is True, (code.code, which, lang)
            assert (text == "") == (english(code, which) == ""), (code.code, which, lang)


def test_vietnamese_and_korean_texts():
    code = smtpcodes.lookup(421)
    assert code.text("name", "vi") == "Dịch vụ không khả dụng"
    for which in ("name", "description", "when", "fix"):
        assert code.text(which, "vi") != getattr(code, which)
        assert code.text(which, "ko") != getattr(code, which)
    assert "정책" in smtpcodes.lookup("5.7.1").text("description", "ko")
    # An enhanced code written with its class shares its entry's texts; tags resolve.
    assert smtpcodes.lookup("4.7.1").text("fix", "ko") == smtpcodes.lookup("X.7.1").text(
        "fix", "ko")
    assert code.text("name", "VI_vn") == code.text("name", "vi")


def test_english_is_the_attributes():
    for code in EVERY:
        for which in TEXTS:
            assert code.text(which) == code.text(which, "en") == english(code, which)
            assert code.translated(which, "en") is True


def test_a_providers_meaning_has_its_own_texts():
    gmail = smtpcodes.meaning("5.7.29", host="mx.google.com")
    standard = smtpcodes.lookup("5.7.29")
    assert gmail.text("name") == gmail.name == "No TLS, Blocked"
    assert gmail.text("name", "vi") != standard.text("name", "vi")
    assert gmail.translated("name", "vi")


def test_french_and_german_texts():
    code = smtpcodes.lookup(421)
    assert code.text("name", "fr") == "Service non disponible"
    assert code.text("description", "fr") == ("Le serveur ne peut pas servir le client pour le "
                                              "moment et ferme le canal de transmission.")
    for which in ("name", "description", "when", "fix"):
        for lang in ("fr", "de"):
            assert code.text(which, lang) != getattr(code, which), (which, lang)
            assert code.translated(which, lang) is True, (which, lang)
    assert smtpcodes.compare(504, 421, lang="fr").labels == (
        "Description", "Quand ce code apparaît", "Comment corriger", "Principales différences",
        "Lequel choisir", "Pour en savoir plus")
    assert smtpcodes.compare(504, 421, lang="de").labels == (
        "Beschreibung", "Wann dieser Code auftritt", "So beheben Sie das Problem",
        "Die wichtigsten Unterschiede", "Welcher Code wann passt", "Weitere Informationen")


def test_a_language_with_labels_only_falls_back_to_english_and_says_so(dutch):
    code = dutch.lookup(421)
    for which in ("name", "description", "when", "fix"):
        assert code.text(which, "nl") == getattr(code, which)
        assert code.translated(which, "nl") is False
    # An empty text counts as translated: there is nothing to fall back from.
    assert code.text("note", "nl") == "" and code.translated("note", "nl") is True
    # The languages of the built-in database still say it in their own words.
    assert code.text("name", "fr") == "Service non disponible"
    assert code.translated("name", "fr") is True


def test_text_refuses_what_is_no_text_or_language():
    code = smtpcodes.lookup(421)
    with pytest.raises(ValueError, match="'name', 'aliases'"):
        code.text("title")
    with pytest.raises(TypeError):
        code.text(2)
    with pytest.raises(TypeError):
        code.text("name", None)
    with pytest.raises(smtpcodes.UnknownLanguageError):
        code.text("name", "xx")
    with pytest.raises(smtpcodes.UnknownLanguageError):
        code.translated("name", "\udc80")


# ---- comparisons --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", COMPLETE)
def test_a_complete_language_says_the_whole_page(lang):
    cmp = smtpcodes.compare(421, "5.7.1", lang=lang)
    english_page = smtpcodes.compare(421, "5.7.1")
    assert cmp.fallbacks == () and cmp.to_dict()["lang"] == {}
    assert cmp.title != english_page.title and cmp.intro != english_page.intro
    assert cmp.usage != english_page.usage
    for side, code in enumerate(cmp.codes):
        for which in TEXTS:
            assert cmp.text(side, which) == code.text(which, lang)


def test_a_language_with_labels_only_marks_what_fell_back(dutch):
    cmp = dutch.compare(504, 421, lang="nl")
    assert smtpcodes.compare(504, 421).fallbacks == ()
    assert smtpcodes.compare(504, 421, lang="fr").fallbacks == ()  # French is complete
    assert cmp.fallbacks[:2] == ("/title", "/intro")
    assert not any(p.startswith("/labels/") for p in cmp.fallbacks)  # Dutch has its labels
    assert cmp.labels.description == "Beschrijving"
    page = cmp.to_dict()
    assert page["lang"] == dict.fromkeys(cmp.fallbacks, "en")
    assert list(page["lang"]) == list(cmp.fallbacks)
    for side, code in enumerate(cmp.codes):
        for which in TEXTS:
            pointer = "/codes/%d/%s" % (side, which)
            assert cmp.text(side, which) == code.text(which, "nl")
            assert (pointer in cmp.fallbacks) == (not code.translated(which, "nl")), pointer
    assert cmp.text(0, "name") == smtpcodes.lookup(421).name
    assert "/codes/0/name" in cmp.fallbacks
    # The HTML marks them too, in the page's own language attribute.
    assert 'lang="en"' in cmp.to_html()


def test_comparison_text_refuses_other_sides():
    cmp = smtpcodes.compare(421, 504)
    with pytest.raises(ValueError):
        cmp.text(2, "name")
    with pytest.raises(TypeError):
        cmp.text(True, "name")
    with pytest.raises(ValueError):
        cmp.text(0, "title")


# ---- completeness, direction --------------------------------------------------------------


def test_completeness(dutch):
    db = smtpcodes.database
    translated, total = db.completeness("en")
    assert translated == total > 0
    assert len(db.languages()) == 15
    for lang in db.languages():
        assert db.completeness(lang) == (total, total), lang
    assert db.completeness("pt-BR") == db.completeness("pt")
    # A language added with its six labels says those and nothing else in its own words; it
    # adds no text to translate, and takes nothing from the other languages.
    assert dutch.completeness("nl") == (6, total)
    for lang in db.languages():
        assert dutch.completeness(lang) == (total, total), lang
    with pytest.raises(smtpcodes.UnknownLanguageError):
        db.completeness("nl")
    with pytest.raises(smtpcodes.UnknownLanguageError):
        db.completeness("xx")
    with pytest.raises(TypeError):
        db.completeness(None)


def test_direction():
    db = smtpcodes.database
    assert db.direction("ar") == "rtl"
    assert db.direction("ar-EG") == "rtl"
    for lang in ("en", "vi", "th", "zh-hans", "xx", "\udc80"):
        assert db.direction(lang) == "ltr", lang
    assert 'dir="rtl"' in smtpcodes.compare(421, 504, lang="ar").to_html()


# ---- catalogs -----------------------------------------------------------------------------


def test_catalog_and_template():
    po = smtpcodes.database.catalog("vi")
    assert '"Language: vi\\n"' in po
    assert ('msgctxt "421 name"\nmsgid "Service Not Available"\nmsgstr "Dịch vụ không khả '
            'dụng"\n') in po
    pot = smtpcodes.database.catalog()
    assert '"Language: \\n"' in pot
    assert 'msgctxt "421 name"\nmsgid "Service Not Available"\nmsgstr ""\n' in pot
    assert pot.count("\nmsgctxt ") == po.count("\nmsgctxt ")
    assert 'msgstr "' not in pot.replace('msgstr ""', "")  # nothing translated
    with pytest.raises(smtpcodes.UnknownLanguageError):
        smtpcodes.database.catalog("xx")


def test_catalog_round_trip(vi_po):
    db = smtpcodes.database.with_catalogs([vi_po])
    assert db.catalogs == (str(vi_po),) and db.path is None
    assert str(vi_po) in repr(db)
    assert db.completeness("vi") == smtpcodes.database.completeness("vi")
    assert db.catalog("vi") == smtpcodes.database.catalog("vi")
    for code in EVERY:
        again = db.lookup(code.code)
        for which in TEXTS:
            assert again.text(which, "vi") == code.text(which, "vi"), (code.code, which)
            assert again.translated(which, "vi") is code.translated(which, "vi")
    assert str(db.compare(421, 504, lang="vi")) == str(smtpcodes.compare(421, 504, lang="vi"))
    # A database with catalogs pickles with them.
    unpickled = pickle.loads(pickle.dumps(db.lookup(421)))
    assert unpickled.text("name", "vi") == "Dịch vụ không khả dụng"
    assert pickle.loads(pickle.dumps(db)).catalogs == db.catalogs


def test_a_stale_translation_falls_back_to_the_data_files_english(vi_po):
    # override-421.txt keeps 421's name and rewrites its description, when and fix: the
    # built-in translations of those, and those of vi.po, were made for other English.
    for db in (smtpcodes.load(OVERRIDE), smtpcodes.load(OVERRIDE, catalogs=[vi_po])):
        code = db.lookup(421)
        assert code.description == "The site's gateway is shedding load and closes the channel."
        for which in ("description", "when", "fix"):
            assert code.text(which, "vi") == getattr(code, which), which
            assert code.translated(which, "vi") is False, which
        assert code.text("name", "vi") == "Dịch vụ không khả dụng"
        assert code.translated("name", "vi") is True
        cmp = db.compare(421, 504, lang="vi")
        assert "/codes/0/description" in cmp.fallbacks
        assert "/codes/0/name" not in cmp.fallbacks
        assert not any(p.startswith("/codes/1/") for p in cmp.fallbacks)
        assert json.loads(code.render("json", "vi"))["lang"]["/description"] == "en"


def replaced(text, old, new):
    """``text`` with its one ``old`` replaced by ``new``, and the line ``old`` starts on."""
    assert text.count(old) == 1, old
    return text.replace(old, new), text[:text.index(old)].count("\n") + 1


PO = smtpcodes.database.catalog("vi")
# The header is the message msgid "": a fault in it is on the line of its msgstr.
HEADER_LINE = replaced(PO, 'msgid ""\nmsgstr ""\n"Project', 'msgid ""\nmsgstr ""\n"Project')[1] + 1
BAD = [
    ("syntax", 'msgctxt "421 name"', 'msgctxt 421 name"', "expected a string", None),
    ("unknown-msgctxt", 'msgctxt "421 name"', 'msgctxt "999 name"',
     'msgctxt "999 name" names no text of the database', None),
    ("wrong-placeholder", 'msgstr "SMTP {a} {a_name} so với {b} {b_name}"',
     'msgstr "SMTP {a} {a_nam} so với {b} {b_name}"', "{a_nam}", None),
    ("unknown-language", '"Language: vi\\n"', '"Language: xx\\n"', "'xx'", HEADER_LINE),
]


@pytest.mark.parametrize("name, old, new, reason, line", BAD, ids=[b[0] for b in BAD])
def test_a_bad_catalog_is_refused_with_its_position(tmp_path, name, old, new, reason, line):
    bad, old_line = replaced(PO, old, new)
    path = tmp_path / (name + ".po")
    path.write_text(bad, encoding="utf-8")
    for load in (lambda: smtpcodes.database.with_catalogs([path]),
                 lambda: smtpcodes.load(OVERRIDE, catalogs=[path])):
        with pytest.raises(smtpcodes.DataError) as caught:
            load()
        e = caught.value
        assert e.filename == str(path)
        assert e.line == (line or old_line)
        assert e.column >= 1
        assert reason in e.reason
        assert str(e).startswith("%s:%d:%d: " % (path, e.line, e.column))


def test_catalog_arguments(tmp_path, vi_po):
    with pytest.raises(FileNotFoundError):
        smtpcodes.database.with_catalogs([tmp_path / "missing.po"])
    with pytest.raises(TypeError):
        smtpcodes.load(OVERRIDE, catalogs=str(vi_po))
    with pytest.raises(TypeError):
        smtpcodes.database.with_catalogs(vi_po)
    with pytest.raises(TypeError):
        smtpcodes.database.with_catalogs([42])
    # Catalogs read in order, after the data file; the database they are read into is new.
    db = smtpcodes.load(OVERRIDE, catalogs=[vi_po, vi_po])
    assert db.catalogs == (str(vi_po), str(vi_po)) and db.path == str(OVERRIDE)
    assert smtpcodes.database.catalogs == ()
    assert db.with_catalogs([]).catalogs == db.catalogs
