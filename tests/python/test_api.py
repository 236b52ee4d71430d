"""The public API of the smtpcodes package: lookup, Code objects, codes(), errors."""

import copy
import pickle
import smtplib
import sys

import pytest

import smtpcodes
from smtpcodes import (
    Code,
    InvalidCodeError,
    UnknownCodeError,
)

# ---- lookup -------------------------------------------------------------------------------


def test_version_is_the_core_version():
    major, minor, patch = smtpcodes.__version__.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))
    assert smtpcodes.__version__ == smtpcodes._core.smtpc_version()


def test_lookup_int_and_str_give_the_same_object():
    code = smtpcodes.lookup(421)
    assert code is smtpcodes.lookup("421")
    assert code is smtpcodes.lookup(" 421 ")
    assert code is Code(421)
    assert code.code == "421"
    assert code.name == "Service Not Available"
    assert code.slug == "service-not-available"


def test_lookup_accepts_a_code_object():
    code = smtpcodes.lookup(550)
    assert smtpcodes.lookup(code) is code


def test_lookup_accepts_int_subclasses_and_index_types():
    class Number(int):
        pass

    class Indexable:
        def __index__(self):
            return 250

    assert smtpcodes.lookup(Number(421)) is smtpcodes.lookup(421)
    assert smtpcodes.lookup(Indexable()) is smtpcodes.lookup(250)


def test_lookup_accepts_str_subclasses():
    class Text(str):
        pass

    assert smtpcodes.lookup(Text("5.7.1")) is smtpcodes.lookup("5.7.1")


def test_lookup_smtplib_reply_tuple():
    assert smtpcodes.lookup((550, b"5.1.1 <x@example.org>: Recipient address rejected")) == 550
    assert smtpcodes.lookup((250, "OK")) is smtpcodes.lookup(250)


def test_lookup_smtplib_exceptions():
    refused = smtplib.SMTPResponseException(554, b"5.7.1 Relay access denied")
    assert smtpcodes.lookup(refused) is smtpcodes.lookup(554)
    sender = smtplib.SMTPSenderRefused(553, b"5.1.8 bad sender", "a@b.example")
    assert smtpcodes.lookup(sender) is smtpcodes.lookup(553)


def test_enhanced_code_keeps_the_class_it_is_written_with():
    permanent = smtpcodes.lookup("5.7.1")
    transient = smtpcodes.lookup("4.7.1")
    registry = smtpcodes.lookup("X.7.1")
    assert registry is smtpcodes.lookup("x.7.1")
    assert (permanent.code, transient.code, registry.code) == ("5.7.1", "4.7.1", "X.7.1")
    assert permanent.entry == transient.entry == registry.entry == "X.7.1"
    assert (permanent.klass, transient.klass, registry.klass) == (5, 4, 0)
    assert permanent.is_permanent and not permanent.is_transient
    assert transient.is_transient and not transient.is_permanent
    assert not registry.is_permanent and not registry.is_transient
    assert permanent.name == transient.name == registry.name
    assert permanent.description == registry.description
    assert permanent.class_name == "Permanent Failure"
    assert transient.class_name == "Persistent Transient Failure"
    assert registry.class_name == ""
    assert permanent.category_name == "Security or Policy Status"
    assert permanent is smtpcodes.lookup("5.7.1"), "variants are built once"


def test_lookup_closest():
    assert smtpcodes.lookup_closest("5.7.1") == (smtpcodes.lookup("5.7.1"), True)
    code, exact = smtpcodes.lookup_closest("5.7.650")
    assert (code.code, code.entry, exact) == ("5.7.0", "X.7.0", False)
    code, exact = smtpcodes.lookup_closest("4.9.9")
    assert (code.code, code.entry, exact) == ("4.0.0", "X.0.0", False)
    code, exact = smtpcodes.lookup_closest("X.7.99")
    assert (code.code, exact) == ("X.7.0", False)
    with pytest.raises(UnknownCodeError):
        smtpcodes.lookup_closest(299)
    with pytest.raises(InvalidCodeError):
        smtpcodes.lookup_closest("5.7")
    with pytest.raises(TypeError):
        smtpcodes.lookup_closest(5.7)


# ---- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["599", 599, "5.7.650", "X.4.99", (299, b"x")])
def test_unknown_code(value):
    with pytest.raises(UnknownCodeError) as info:
        smtpcodes.lookup(value)
    error = info.value
    assert isinstance(error, LookupError) and isinstance(error, ValueError)
    assert isinstance(error, smtpcodes.Error)
    canonical = str(value[0]) if isinstance(value, tuple) else str(value)
    assert error.code == canonical
    assert canonical in str(error)


@pytest.mark.parametrize(
    "value, column",
    [("42", 3), ("4x1", 2), ("621", 1), ("", 0), ("5.01.1", 3), ("421-", 4), ("\ud800", 1)],
)
def test_invalid_code_text(value, column):
    with pytest.raises(InvalidCodeError) as info:
        smtpcodes.lookup(value)
    error = info.value
    assert isinstance(error, ValueError) and not isinstance(error, LookupError)
    assert error.code == value
    assert error.column == column
    assert repr(value) in str(error)
    assert error.reason and error.reason in str(error)


@pytest.mark.parametrize("value", [42, 0, -421, 600, 2**31, -(2**31) - 1, 10**40])
def test_invalid_code_number(value):
    with pytest.raises(InvalidCodeError) as info:
        smtpcodes.lookup(value)
    assert info.value.code == value
    assert str(value) in str(info.value)


def test_nul_byte_in_a_code_is_invalid():
    with pytest.raises(InvalidCodeError):
        smtpcodes.lookup("421\0")


@pytest.mark.parametrize(
    "value",
    [True, False, 421.0, 4.21, None, b"421", bytearray(b"421"), [421], {421: 1}, object(),
     (421,), (421, 5), (True, b"x"), ("421", b"x"), (421, b"x", 1), 421j],
)
def test_wrong_types_raise_type_error(value):
    with pytest.raises(TypeError):
        smtpcodes.lookup(value)


def test_type_error_names_the_type():
    with pytest.raises(TypeError, match="float"):
        smtpcodes.lookup(421.0)
    with pytest.raises(TypeError, match="bool"):
        smtpcodes.lookup(True)


def test_unhashable_argument_is_a_type_error_not_a_crash():
    with pytest.raises(TypeError):
        smtpcodes.lookup([1, 2])
    with pytest.raises(TypeError):
        smtpcodes.lookup({"code": 421})


# ---- Code objects -------------------------------------------------------------------------


def test_code_attributes_of_a_basic_code():
    code = smtpcodes.lookup(421)
    assert code.kind == "basic" and code.is_basic and not code.is_enhanced
    assert (code.klass, code.category, code.detail) == (4, 2, 1)
    assert code.conforming is True
    assert code.classes == (4,)
    assert code.class_name == "Transient Negative"
    assert code.category_name == "Connections"
    assert code.origin == "rfc" and code.is_standard
    assert code.retry == "later"
    assert code.connection == "closed"
    assert "CONNECT" in code.commands
    assert all(isinstance(c, str) for c in code.enhanced)
    assert code.references and all(r.startswith(("RFC ", "IANA")) for r in code.references)
    assert code.description.endswith(".")
    assert code.when and code.fix
    assert code.sample == "" and code.associated == ""


def test_code_attributes_of_an_enhanced_code():
    code = smtpcodes.lookup("X.7.1")
    assert code.kind == "enhanced" and code.is_enhanced and not code.is_basic
    assert (code.klass, code.category, code.detail) == (0, 7, 1)
    assert code.classes == (4, 5)
    assert code.connection is None
    assert code.commands == ()
    assert code.sample and code.associated
    assert code.retry in ("none", "later", "after-fix", "no")


def test_nonstandard_code():
    code = smtpcodes.lookup(571)
    assert code.origin == "nonstandard" and not code.is_standard
    assert code.conforming is False
    assert code.category_name == ""
    assert code.note


@pytest.mark.parametrize(
    "value, flags",
    [
        (250, "positive success"),
        (354, "positive intermediate"),
        (421, "negative transient"),
        (550, "negative permanent"),
        ("2.0.0", "positive success"),
        ("4.2.2", "negative transient"),
        ("5.1.1", "negative permanent"),
        ("X.1.1", ""),
    ],
)
def test_predicates(value, flags):
    code = smtpcodes.lookup(value)
    expected = set(flags.split())
    for word in ("positive", "success", "intermediate", "negative", "transient", "permanent"):
        assert getattr(code, "is_" + word) is (word in expected), word


def test_codes_are_immutable():
    code = smtpcodes.lookup(421)
    with pytest.raises(AttributeError):
        code.name = "changed"
    with pytest.raises(AttributeError):
        del code.name
    with pytest.raises(AttributeError):
        code.new_attribute = 1
    with pytest.raises(TypeError):
        code.references[0] = "RFC 1"
    assert smtpcodes.lookup(421).name == "Service Not Available"


def test_equality_and_hash_follow_the_int_code():
    code = smtpcodes.lookup(421)
    assert code == 421 and 421 == code
    assert code != 422 and code != "421"
    assert hash(code) == hash(421)
    assert {421: "x"}[code] == "x"
    assert code in {421, 550}
    assert smtpcodes.lookup(550) in [421, 550]
    assert code != True  # noqa: E712 - bool is not a code


def test_equality_of_enhanced_codes():
    assert smtpcodes.lookup("5.7.1") == smtpcodes.lookup("5.7.1")
    assert smtpcodes.lookup("5.7.1") != smtpcodes.lookup("4.7.1")
    assert smtpcodes.lookup("5.7.1") != smtpcodes.lookup("X.7.1")
    assert smtpcodes.lookup("5.7.1") != 571
    assert len({smtpcodes.lookup("5.7.1"), smtpcodes.lookup("5.7.1")}) == 1


def test_ordering_is_code_order():
    every = list(smtpcodes.database)
    assert sorted(reversed(every)) == every
    assert smtpcodes.lookup(250) < smtpcodes.lookup(421) < 500
    assert smtpcodes.lookup(550) >= 550 and smtpcodes.lookup(550) <= 550
    assert smtpcodes.lookup(554) < smtpcodes.lookup("X.0.0")
    assert smtpcodes.lookup("X.7.1") < smtpcodes.lookup("4.7.1") < smtpcodes.lookup("5.7.1")
    with pytest.raises(TypeError):
        assert smtpcodes.lookup("5.7.1") < 421
    with pytest.raises(TypeError):
        assert smtpcodes.lookup(421) < "500"


def test_str_int_and_repr():
    code = smtpcodes.lookup(421)
    assert str(code) == "421" and f"{code}" == "421"
    assert int(code) == 421
    assert repr(code) == "<Code 421 Service Not Available>"
    assert str(smtpcodes.lookup("5.7.1")) == "5.7.1"
    with pytest.raises(TypeError, match="enhanced"):
        int(smtpcodes.lookup("5.7.1"))


@pytest.mark.parametrize("value", [421, "5.7.1", "4.7.1", "X.7.1", 571])
def test_pickle_and_copy_give_the_same_object(value):
    code = smtpcodes.lookup(value)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(code, protocol)) is code
    assert copy.copy(code) is code
    assert copy.deepcopy([code])[0] is code


def test_pickle_is_small():
    # By code text, not by value: a worker receives a reference, not the whole entry.
    assert len(pickle.dumps(smtpcodes.lookup(421))) < 120


def _name_of(code):
    return code.name


def test_codes_travel_to_worker_processes():
    import multiprocessing

    every = smtpcodes.codes(4)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        names = pool.map(_name_of, every)
    assert names == [c.name for c in every]


def test_to_dict_is_json_ready():
    import json

    for code in list(smtpcodes.codes()) + list(smtpcodes.codes(5)):
        row = code.to_dict()
        assert json.loads(json.dumps(row)) == row
        assert row["code"] == code.code and row["class"] == code.klass
        assert row["entry"] == code.entry and row["detail"] == code.detail
        assert row["class_name"] == code.class_name
        assert row["category_name"] == code.category_name
        assert row["conforming"] is code.conforming
        assert row["connection"] == code.connection  # None: null when unspecified
        assert [r["text"] for r in row["references"]] == list(code.references)
        for reference in row["references"]:
            assert set(reference) == {"text", "url"} and isinstance(reference["url"], str)


def test_rendering_a_code():
    code = smtpcodes.lookup(421)
    text = code.to_text()
    assert text.startswith("SMTP 421 Service Not Available")
    assert code.description in text
    html = code.to_html()
    assert html == code._repr_html_()
    assert "<article" in html and "Service Not Available" in html
    assert "](https://" in code.to_markdown()
    assert code.render("json").startswith("{")
    assert "Açıklama" in code.to_text(lang="tr")
    with pytest.raises(ValueError, match="format"):
        code.render("pdf")
    with pytest.raises(smtpcodes.UnknownLanguageError):
        code.to_text(lang="xx")
    with pytest.raises(TypeError):
        code.to_text(lang=None)


def test_code_cannot_be_built_by_hand():
    with pytest.raises(TypeError):
        Code()
    assert Code("550") is smtpcodes.lookup(550)


# ---- codes() and the database as a collection ----------------------------------------------


def test_codes_are_in_code_order_and_complete():
    every = smtpcodes.codes()
    assert len(every) == len(smtpcodes.database) > 100
    assert list(every) == sorted(every)
    assert list(smtpcodes.database) == list(every)
    assert len({c.code for c in every}) == len(every)
    assert every[0].is_basic and every[-1].is_enhanced


@pytest.mark.parametrize("klass", [2, 3, 4, 5])
def test_codes_of_a_class(klass):
    found = smtpcodes.codes(klass)
    assert found and all(code.klass == klass for code in found)
    assert list(found) == sorted(found)
    basic = [c for c in smtpcodes.codes() if c.is_basic and c.klass == klass]
    assert [c for c in found if c.is_basic] == basic
    enhanced = [c.entry for c in smtpcodes.codes(kind="enhanced") if klass in c.classes]
    assert [c.entry for c in found if c.is_enhanced] == enhanced
    assert smtpcodes.codes(klass) is found, "results are built once"


def test_codes_by_kind():
    basic = smtpcodes.codes(kind="basic")
    enhanced = smtpcodes.codes(kind="enhanced")
    assert all(c.is_basic for c in basic) and all(c.is_enhanced for c in enhanced)
    assert len(basic) + len(enhanced) == len(smtpcodes.codes())
    assert all(c.is_enhanced and c.klass == 4 for c in smtpcodes.codes(4, "enhanced"))


@pytest.mark.parametrize("klass", [0, 1, 6, -4, 44])
def test_codes_rejects_a_bad_class(klass):
    with pytest.raises(ValueError):
        smtpcodes.codes(klass)


@pytest.mark.parametrize("klass", [True, 4.0, "4"])
def test_codes_rejects_a_class_of_the_wrong_type(klass):
    with pytest.raises(TypeError):
        smtpcodes.codes(klass)


def test_codes_rejects_a_bad_kind():
    with pytest.raises(ValueError):
        smtpcodes.codes(kind="both")
    with pytest.raises(TypeError):
        smtpcodes.codes(kind=1)


def test_database_collection_protocol():
    db = smtpcodes.database
    assert db[421] is smtpcodes.lookup(421)
    assert 421 in db and "5.7.1" in db
    assert 299 not in db and "nonsense" not in db and 4.21 not in db
    assert repr(db).startswith("<Database")
    assert pickle.loads(pickle.dumps(db)) is db
    with pytest.raises(TypeError):
        smtpcodes.Database()


def test_languages():
    tags = smtpcodes.languages()
    assert len(tags) == 15 and "en" in tags and "zh-hans" in tags
    db = smtpcodes.database
    assert db.resolve_language("pt-BR") == "pt"
    assert db.resolve_language("ZH_cn") == "zh-hans"
    with pytest.raises(smtpcodes.UnknownLanguageError) as info:
        db.resolve_language("xx")
    assert info.value.lang == "xx"
    with pytest.raises(TypeError):
        db.resolve_language(b"en")


def test_lookup_is_the_c_fast_path_with_a_signature():
    import inspect

    assert str(inspect.signature(smtpcodes.lookup)) == "(code, /)"
    assert "UnknownCodeError" in smtpcodes.lookup.__doc__


def test_import_stays_light():
    import subprocess

    # Neither the modules that the facade only needs on demand nor SWIG 4.5's typing import.
    script = (
        "import sys%s; "
        "print(' '.join(m for m in ('typing', 'json', 'enum', 'smtplib', 'pickle') "
        "if m in sys.modules))"
    )
    baseline = subprocess.run(
        [sys.executable, "-c", script % ""],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    loaded = subprocess.run(
        [sys.executable, "-c", script % ", smtpcodes"], capture_output=True, text=True,
        check=True,
    ).stdout.split()
    assert loaded == baseline


def test_help_reads_well():
    import pydoc

    text = pydoc.render_doc(smtpcodes, renderer=pydoc.plaintext)
    for name in smtpcodes.__all__:
        assert name in text
    for name in ("lookup", "codes", "compare", "load", "Code", "Comparison", "Database"):
        assert getattr(smtpcodes, name).__doc__, name
    code_help = pydoc.render_doc(Code, renderer=pydoc.plaintext)
    assert "is_transient" in code_help and "temporary failure" in code_help


def test_module_examples_run():
    import doctest

    failed, attempted = doctest.testmod(smtpcodes, optionflags=doctest.ELLIPSIS)
    assert attempted >= 5 and failed == 0


def test_threads_share_the_objects():
    from concurrent.futures import ThreadPoolExecutor

    every = [c.code for c in smtpcodes.codes()] + ["5.1.1", "4.2.2", "2.0.0"]

    def work(i):
        code = smtpcodes.lookup(every[i % len(every)])
        other = smtpcodes.lookup(every[(i * 7 + 1) % len(every)])
        text = "" if code.entry == other.entry else str(smtpcodes.compare(code, other))
        return code, text

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(2000)))
    for i, (code, text) in enumerate(results):
        assert code is smtpcodes.lookup(every[i % len(every)])
        assert not text or text.startswith("SMTP ")
