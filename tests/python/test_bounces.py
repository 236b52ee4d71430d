"""Bounce messages from Python: the corpus of tests/vectors/bounces (shared with the C, CLI and
Lua suites), the three forms a message may take, errors, and properties (hypothesis)."""

import email
import email.policy
import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smtpcodes
import vectorfiles
from conftest import VECTORS

CORPUS = VECTORS / "bounces"
EXPECTED = vectorfiles.bounce_expectations(str(VECTORS))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_gives_its_records(name):
    data = (CORPUS / name).read_bytes()
    records = smtpcodes.parse_bounce(data)
    problems = vectorfiles.bounce_mismatches(name, [r.to_dict() for r in records],
                                             EXPECTED[name])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(EXPECTED)[:12])
def test_bytes_str_and_email_message_agree(name):
    data = (CORPUS / name).read_bytes()
    from_bytes = smtpcodes.parse_bounce(data)
    from_str = smtpcodes.parse_bounce(data.decode("utf-8", "surrogateescape"))
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    from_message = smtpcodes.parse_bounce(message)
    assert from_str == from_bytes
    assert [r.recipient for r in from_message] == [r.recipient for r in from_bytes]
    assert [r.reason for r in from_message] == [r.reason for r in from_bytes]


def test_records_are_what_the_cli_prints(cli):
    """One core, one answer: to_dict() of every record is the CLI's JSON record."""
    out = subprocess.run([cli, "bounce", "--format", "json", str(CORPUS)],
                         capture_output=True, check=True).stdout
    from_cli = json.loads(out)
    from_python = []
    for name in sorted(EXPECTED):
        for record in smtpcodes.parse_bounce((CORPUS / name).read_bytes()):
            from_python.append(dict(record.to_dict(), file=str(CORPUS / name)))
    assert from_python == from_cli


def test_record_object():
    data = (CORPUS / "postfix-two-recipients.eml").read_bytes()
    first = smtpcodes.parse_bounce(data)[0]
    assert isinstance(first, smtpcodes.BounceRecord)
    assert first.action == "failed" and first.hard is True
    assert first.rule and first.evidence
    assert "recipient=" in repr(first)
    with pytest.raises(AttributeError):
        first.reason = "undefined"
    assert set(first.to_dict()) >= {"recipient", "code", "enhanced", "action", "reason", "hard",
                                    "diagnostic", "remote_mta", "command", "message_id",
                                    "evidence"}


def test_a_message_that_is_no_bounce_gives_no_record():
    assert smtpcodes.parse_bounce(b"Subject: hello\n\nJust a letter.\n") == []
    assert smtpcodes.parse_bounce(b"") == []


def test_a_message_past_the_depth_limit_is_refused():
    deep = b"Content-Type: message/rfc822\n\n" * 40 + b"Subject: x\n\nbody\n"
    with pytest.raises(smtpcodes.BounceLimitError) as caught:
        smtpcodes.parse_bounce(deep)
    assert "limit" in str(caught.value) or "deep" in str(caught.value)


def test_other_types_are_refused():
    with pytest.raises(TypeError):
        smtpcodes.parse_bounce(42)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_give_records_or_a_limit_error(data):
    try:
        records = smtpcodes.parse_bounce(data)
    except smtpcodes.BounceLimitError:
        return
    for record in records:
        assert record.kind in ("dsn", "global-dsn", "feedback", "auto-reply")
        assert record.hard in (True, False, None)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(EXPECTED)), st.integers(min_value=0, max_value=10_000))
def test_a_cut_message_never_fails_but_on_limits(name, cut):
    data = (CORPUS / name).read_bytes()
    records = smtpcodes.parse_bounce(data[:cut])
    assert isinstance(records, list)
