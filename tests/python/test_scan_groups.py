"""Delivery attempts and their groups, through Python: ``scan(by=, top=, bucket=, year=)``
against tests/vectors/scan-groups.tsv, ScanGroup, the settings and their refusals, merging and
pickling with groups, and the chart and left-aligned table that Jupyter shows."""

import pickle

import pytest

import smtpcodes
from conftest import VECTORS, read_tsv

MTA = VECTORS / "logs" / "mta"


def expected_groups():
    """{(log, by): (totals, [rows])} from scan-groups.tsv."""
    cases = {}
    for row in read_tsv("scan-groups.tsv"):
        key = (row["log"], row["by"])
        counts = tuple(int(row[k]) for k in ("count", "delivered", "deferred", "bounced",
                                             "rejected"))
        totals, groups = cases.setdefault(key, ([None], []))
        if row["values"] == "*":
            totals[0] = counts
        else:
            groups.append((row["values"], counts))
    return cases


CASES = expected_groups()


@pytest.mark.parametrize("log,by", sorted(CASES))
def test_groups_of_each_log(log, by):
    totals, groups = CASES[log, by]
    summary = smtpcodes.scan(VECTORS / "logs" / log, by=by, year=2024)
    assert summary.by == tuple(by.split(","))
    outcomes = summary.outcomes
    assert (summary.attempts, outcomes["delivered"], outcomes["deferred"], outcomes["bounced"],
            outcomes["rejected"]) == totals[0]
    got = [(",".join(g.values), (g.count, g.delivered, g.deferred, g.bounced, g.rejected))
           for g in summary.groups]
    assert got == groups
    for g in summary.groups:
        assert isinstance(g, smtpcodes.ScanGroup)
        assert g.count == g.delivered + g.deferred + g.bounced + g.rejected
        assert g.sample and "\n" not in g.sample
        assert g.to_dict()["values"] == list(g.values)


def test_by_as_a_sequence_and_the_other_settings():
    path = MTA / "postfix.log"
    a = smtpcodes.scan(path, by="domain,reason", year=2024)
    assert smtpcodes.scan(path, by=["domain", "reason"], year=2024) == a
    assert smtpcodes.scan(path, by=("domain", "reason"), year=2024) == a
    hours = smtpcodes.scan(path, by="time", year=2024)
    quarters = smtpcodes.scan(path, by="time", bucket="15m", year=2024)
    assert hours.bucket == 3600 and quarters.bucket == 900
    assert smtpcodes.scan(path, by="time", bucket=900, year=2024) == quarters
    assert len(quarters.groups) >= len(hours.groups)
    assert [g.values[0] for g in hours.groups] == sorted(g.values[0] for g in hours.groups)
    assert all(v.values[0].startswith("2024-") for v in hours.groups)
    assert {g.values[0][:4] for g in smtpcodes.scan(path, by="time", year=2019).groups
            if g.values[0].startswith("20") and "T" not in g.values[0]} >= {"2019"}


@pytest.mark.parametrize("kwargs,error", [
    ({"by": "colour"}, ValueError),
    ({"by": "domain,domain"}, ValueError),
    ({"by": "domain,relay,reason,time,code"}, ValueError),
    ({"by": 5}, TypeError),
    ({"by": b"domain"}, TypeError),
    ({"by": ["domain", 5]}, TypeError),
    ({"bucket": "1w"}, ValueError),
    ({"bucket": 59}, ValueError),
    ({"bucket": 1 << 70}, ValueError),
    ({"bucket": 1.5}, TypeError),
    ({"bucket": True}, TypeError),
    ({"year": 1969}, ValueError),
    ({"year": "2024"}, TypeError),
    ({"year": 1 << 40}, ValueError),
    ({"top": -1}, ValueError),
    ({"top": "3"}, TypeError),
])
def test_settings_refused(kwargs, error):
    with pytest.raises(error):
        smtpcodes.scan(MTA / "postfix.log", **kwargs)


def test_top_and_rendering():
    summary = smtpcodes.scan(MTA / "postfix.log", by="domain,reason", year=2024, top=3)
    assert summary.top == 3 and len(summary.groups) > 3  # the summary keeps them all
    text = str(summary)
    assert "%d more groups" % (len(summary.groups) - 3) in text
    assert "more groups" not in summary.render("text", top=0)
    data = summary.to_dict()
    assert len(data["groups"]) == 3 and data["groups_total"] == len(summary.groups)
    assert data["groups"][0] == summary.groups[0].to_dict()
    html = summary._repr_html_()
    assert "<svg" in html and "text-align: left" in html
    assert "word-break: normal" in html


def test_merging_and_pickling_keep_the_groups():
    path = MTA / "postfix.log"
    lines = path.read_bytes().splitlines(keepends=True)
    whole = smtpcodes.scan(lines, by="domain,relay,reason", year=2024)
    a = smtpcodes.scan(lines[:20], by="domain,relay,reason", year=2024)
    b = smtpcodes.scan(lines[20:], by="domain,relay,reason", year=2024)
    assert a + b == whole and b + a == whole
    assert smtpcodes.ScanSummary.merge([b, a]).groups == whole.groups
    back = pickle.loads(pickle.dumps(whole))
    assert back == whole and back.groups == whole.groups and back.by == whole.by
    with pytest.raises(ValueError, match="differently"):
        whole + smtpcodes.scan(lines, by="domain", year=2024)


def test_attempts_without_groups():
    summary = smtpcodes.scan(MTA / "exim.log")
    assert summary.by == () and summary.groups == ()
    assert summary.attempts == sum(summary.outcomes.values()) > 0


def test_nights_with_a_scan_state(tmp_path):
    """A log scanned night after night with a ScanState, renamed and gzip'd by logrotate:
    the nights add up to one scan of all of it."""
    import gzip

    lines = (MTA / "postfix.log").read_bytes().splitlines(keepends=True)
    state = smtpcodes.ScanState()
    log = tmp_path / "mail.log"
    log.write_bytes(b"".join(lines[:20]) + lines[20][:25])
    nights = [smtpcodes.scan(log, state=state)]
    assert nights[0].lines == 20 and len(state) == 1
    log.write_bytes(b"".join(lines[:30]))
    nights.append(smtpcodes.scan(log, state=state))
    old = tmp_path / "mail.log.1.gz"
    old.write_bytes(gzip.compress(b"".join(lines[:35])))
    log.write_bytes(b"".join(lines[35:]))
    state = smtpcodes.ScanState(state.save())  # as a nightly job keeps it
    nights.append(smtpcodes.scan(old, state=state))
    nights.append(smtpcodes.scan(log, state=state))
    assert smtpcodes.scan(old, state=state).lines == 0
    assert smtpcodes.ScanSummary.merge(nights) == smtpcodes.scan(lines)
    assert state.save().startswith("smtpcodes-state 1\n") and len(state) == 2
    with pytest.raises(smtpcodes.DataError) as caught:
        smtpcodes.ScanState("smtpcodes-state 1\ninput x\nend 1\n")
    assert caught.value.line == 2
    with pytest.raises(TypeError):
        smtpcodes.scan(log, state="smtpcodes-state 1\n")
