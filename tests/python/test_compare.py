"""compare() and Comparison objects."""

import copy
import json
import pickle

import pytest

import smtpcodes
from smtpcodes import Comparison, Difference, Labels
from conftest import VECTORS


def test_compare_puts_the_lower_code_first():
    forward = smtpcodes.compare(421, 504)
    backward = smtpcodes.compare(504, 421)
    assert forward == backward
    assert forward.codes == (smtpcodes.lookup(421), smtpcodes.lookup(504))
    assert forward.first is smtpcodes.lookup(421) and forward.second is smtpcodes.lookup(504)


def test_sections_are_attributes():
    # Turkish's catalog is complete: the whole page is Turkish, and nothing fell back.
    cmp = smtpcodes.compare(504, 421, lang="tr")
    assert cmp.lang == "tr"
    assert cmp.title == ("SMTP 421 Hizmet Kullanılamıyor ile 504 Parametre Uygulanmamış "
                         "karşılaştırması")
    assert cmp.intro.startswith("SMTP 421 (Hizmet Kullanılamıyor) kodu 4xx Geçici Olumsuz")
    assert cmp.fallbacks == ()
    assert isinstance(cmp.labels, Labels) and len(cmp.labels) == 6
    assert cmp.labels.description == "Açıklama"
    assert cmp.labels.learn_more == "Daha fazla öğren"
    assert all(isinstance(d, Difference) for d in cmp.differences)
    assert cmp.differences[0].kind == "class"
    assert cmp.differences[0] == ("class", cmp.differences[0].text)
    assert cmp.usage.startswith("421 (Hizmet Kullanılamıyor) kodu için: ")
    assert "RFC 5321 section 4.2.3" in cmp.references
    assert len(set(cmp.references)) == len(cmp.references)


def test_text_page_follows_the_design_layout():
    cmp = smtpcodes.compare(504, 421, lang="tr")
    text = str(cmp)
    assert text == cmp.to_text()
    lines = text.splitlines()
    assert lines[0] == cmp.title
    order = [cmp.intro, cmp.labels.description, cmp.labels.differences, cmp.labels.usage,
             cmp.labels.learn_more]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    for number, difference in enumerate(cmp.differences, 1):
        assert "%d. %s" % (number, difference.text) in lines


def test_renderings():
    cmp = smtpcodes.compare(421, 550)
    html = cmp.to_html()
    assert html == cmp._repr_html_() == cmp.render("html")
    assert html.lstrip().startswith("<article") and cmp.first.name in html
    markdown = cmp.to_markdown()
    assert markdown.startswith("# ") and "](https://www.rfc-editor.org/" in markdown
    assert json.loads(cmp.to_json())["title"] == cmp.title
    with pytest.raises(ValueError, match="format"):
        cmp.render("docx")


def test_to_dict_is_the_json_page():
    cmp = smtpcodes.compare("5.7.1", 550, lang="pt-BR")
    page = cmp.to_dict()
    assert json.loads(json.dumps(page)) == page
    assert page["language"] == "pt" == cmp.lang
    # Portuguese says the whole page in its own words: nothing fell back, nothing is marked.
    assert cmp.fallbacks == () and page["lang"] == {}
    assert page["title"] == cmp.title == (
        "SMTP 550 Caixa de correio indisponível vs. 5.7.1 Entrega não autorizada")
    assert page["labels"]["description"] == "Descrição"
    assert [c["code"] for c in page["codes"]] == ["550", "5.7.1"]
    assert page["intro"] == cmp.intro and page["usage"] == cmp.usage
    assert [(d["kind"], d["text"]) for d in page["differences"]] == list(cmp.differences)


def test_to_dict_marks_what_fell_back():
    # language.txt adds Dutch with its labels only: the rest is English, and the page marks
    # each such part, in the order of the page.
    db = smtpcodes.load(VECTORS / "data" / "valid" / "language.txt")
    cmp = db.compare("5.7.1", 550, lang="nl-BE")
    page = cmp.to_dict()
    assert json.loads(json.dumps(page)) == page
    assert page["language"] == "nl" == cmp.lang
    assert "/title" in cmp.fallbacks and "/codes/1/description" in cmp.fallbacks
    assert not any(p.startswith("/labels/") for p in cmp.fallbacks)
    assert page["labels"]["description"] == "Beschrijving"
    assert page["title"] == smtpcodes.compare("5.7.1", 550).title
    assert page["lang"] == dict.fromkeys(cmp.fallbacks, "en")
    assert list(page["lang"]) == list(cmp.fallbacks)


def test_enhanced_codes_keep_their_class_in_a_comparison():
    cmp = smtpcodes.compare("4.2.2", "5.2.2")
    assert (cmp.first.code, cmp.second.code) == ("4.2.2", "5.2.2")
    assert cmp.differences[0].kind == "class"


def test_accepts_what_lookup_accepts():
    reply = (550, b"5.1.1 unknown user")
    assert smtpcodes.compare(reply, smtpcodes.lookup(421)) == smtpcodes.compare(550, "421")


def test_language_tags_resolve():
    assert smtpcodes.compare(550, 553, lang="zh").lang == "zh-hans"
    assert smtpcodes.compare(550, 553, lang="PT_br").lang == "pt"


def test_errors():
    with pytest.raises(smtpcodes.SameCodeError):
        smtpcodes.compare(421, "421")
    with pytest.raises(smtpcodes.SameCodeError):
        smtpcodes.compare("5.7.1", "X.7.1")
    with pytest.raises(smtpcodes.UnknownLanguageError) as info:
        smtpcodes.compare(421, 504, lang="xx")
    assert info.value.lang == "xx" and "xx" in str(info.value)
    with pytest.raises(smtpcodes.UnknownCodeError):
        smtpcodes.compare(421, 299)
    with pytest.raises(smtpcodes.InvalidCodeError):
        smtpcodes.compare("4x1", 421)
    with pytest.raises(smtpcodes.UnknownLanguageError):
        smtpcodes.compare(421, 504, lang="\ud800")
    with pytest.raises(TypeError):
        smtpcodes.compare(421, 504, lang=None)
    with pytest.raises(TypeError):
        smtpcodes.compare(421.0, 504)


def test_comparisons_are_immutable_values():
    cmp = smtpcodes.compare(421, 504)
    with pytest.raises(AttributeError):
        cmp.title = "x"
    with pytest.raises(AttributeError):
        del cmp.intro
    with pytest.raises(TypeError):
        Comparison()
    assert cmp == smtpcodes.compare(504, 421) and hash(cmp) == hash(smtpcodes.compare(504, 421))
    assert cmp != smtpcodes.compare(421, 504, lang="de")
    assert cmp != smtpcodes.compare(421, 502)
    assert repr(cmp) == "<Comparison 421 vs 504 lang='en'>"
    assert copy.copy(cmp) is cmp


def test_pickle():
    cmp = smtpcodes.compare("5.7.1", 421, lang="ja")
    again = pickle.loads(pickle.dumps(cmp))
    assert again == cmp and str(again) == str(cmp)


def test_every_language_labels_every_page():
    for tag in smtpcodes.languages():
        cmp = smtpcodes.compare(421, 455, lang=tag)
        assert cmp.lang == tag
        assert all(cmp.labels) and all(label in str(cmp) for label in cmp.labels)
