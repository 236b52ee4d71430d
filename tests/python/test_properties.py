"""Property tests (hypothesis): whatever lookup() and compare() are given, they answer with a
Code or with one of the documented errors, and never crash or disagree with themselves."""

import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smtpcodes

EXPECTED = (smtpcodes.InvalidCodeError, smtpcodes.UnknownCodeError, TypeError)
EVERY = smtpcodes.codes()

code_like_text = st.from_regex(r"\A\s*[0-9Xx]{1,4}(\.[0-9]{1,4}){0,3}\s*\Z")
anything = st.one_of(
    st.integers(),
    st.text(),
    code_like_text,
    st.binary(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.tuples(st.integers(), st.binary()),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_lookup_answers_or_raises_a_documented_error(value):
    try:
        code = smtpcodes.lookup(value)
    except EXPECTED:
        return
    assert isinstance(code, smtpcodes.Code)
    assert smtpcodes.lookup(code.code) is code
    assert smtpcodes.lookup_closest(value) == (code, True)


@settings(max_examples=1000)
@given(code_like_text)
def test_closest_agrees_with_lookup(text):
    try:
        code = smtpcodes.lookup(text)
    except smtpcodes.InvalidCodeError:
        with pytest.raises(smtpcodes.InvalidCodeError):
            smtpcodes.lookup_closest(text)
        return
    except smtpcodes.UnknownCodeError:
        try:
            found, exact = smtpcodes.lookup_closest(text)
        except smtpcodes.UnknownCodeError:
            return  # basic codes do not fall back
        assert found.is_enhanced and exact is False
        assert found.detail == 0
        return
    assert smtpcodes.lookup_closest(text) == (code, True)


@given(st.integers(min_value=200, max_value=599))
def test_int_and_text_agree(number):
    try:
        by_int = smtpcodes.lookup(number)
    except smtpcodes.UnknownCodeError as e:
        assert e.code == str(number)
        with pytest.raises(smtpcodes.UnknownCodeError):
            smtpcodes.lookup(str(number))
        return
    assert smtpcodes.lookup(str(number)) is by_int == number


@given(st.sampled_from(EVERY))
def test_round_trips(code):
    assert smtpcodes.lookup(str(code)) is code
    assert pickle.loads(pickle.dumps(code)) is code
    if code.is_basic:
        assert smtpcodes.lookup(int(code)) is code


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVERY), st.sampled_from(EVERY), st.text(max_size=12))
def test_compare_answers_or_raises_a_documented_error(a, b, lang):
    try:
        cmp = smtpcodes.compare(a, b, lang=lang)
    except smtpcodes.SameCodeError:
        assert a.entry == b.entry
        return
    except smtpcodes.UnknownLanguageError as e:
        assert e.lang == lang
        return
    assert cmp.first <= cmp.second
    assert {cmp.first.code, cmp.second.code} == {a.code, b.code}
    assert str(cmp).startswith(cmp.title)
