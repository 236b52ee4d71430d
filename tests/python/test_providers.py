"""The providers' own meanings of codes through the Python API: the shared vectors
tests/vectors/providers.tsv and provider-reasons.tsv (README.md there), and the contracts of
Provider, meaning(), provider_of(), reason(), Code.provider and Code.provider_meanings()."""

import copy
import json
import pickle
import sys

import pytest

import smtpcodes
from conftest import ROOT, VECTORS, unescape
from vectorfiles import rows

sys.path.insert(0, str(ROOT / "tests" / "schema"))
from schema import validate  # noqa: E402

# Empty cells are empty in providers.tsv; provider-reasons.tsv writes "-" for no code,
# enhanced code or command.
LOOKUPS = rows(VECTORS, "providers.tsv")
REASONS = rows(VECTORS, "provider-reasons.tsv", dash=None)


@pytest.mark.parametrize("row", LOOKUPS, ids=["%s@%s" % (r["code"], r["host"]) for r in LOOKUPS])
def test_shared_lookups(row):
    host = row["host"] or None
    if not row["expected_code"]:
        with pytest.raises(smtpcodes.UnknownCodeError):
            smtpcodes.meaning(row["code"], host=host)
        return
    code = smtpcodes.meaning(row["code"], host=host)
    assert code.entry == row["expected_code"]
    assert code.provider == (row["expected_provider"] or None)
    assert code.name == row["expected_name"]
    assert code.origin == ("provider" if row["expected_provider"] else code.origin)
    assert code.is_standard is not bool(row["expected_provider"])
    # the reason as the data writes it is the provider's page's, for a provider's entry
    if row["expected_provider"]:
        page = smtpcodes.provider_of(host).to_dict() if host else \
            [p for p in smtpcodes.providers() if p.slug == code.provider][0].to_dict()
        written = {e["code"]: e["reason"] for e in page["entries"]}
        assert written[code.entry] == row["expected_reason"]
    # the same through the provider's slug, and without a host the plain lookup
    provider = smtpcodes.provider_of(host) if host else None
    assert smtpcodes.meaning(row["code"], provider=provider.slug if provider else None) is code
    if host is None:
        assert smtpcodes.lookup(row["code"]) is code
    # a reply from the host with this enhanced code: the same entry, as in Lua and the CLI
    if row["code"][:2] in ("2.", "4.", "5."):
        wire = "%s50 %s text\r\n" % (row["code"][0], row["code"])
        assert smtpcodes.parse_reply(wire.encode(), host=host).enhanced_entry is code


@pytest.mark.parametrize("row", REASONS, ids=["%d" % i for i in range(len(REASONS))])
def test_shared_reasons(row):
    code = int(row["code"]) if row["code"] is not None else None
    reason = smtpcodes.reason(code, row["enhanced"], row["command"], unescape(row["text"]),
                              host=row["host"] or None)
    assert (reason.name, reason.rule, reason.hard) == \
        (row["reason"], row["rule"], {"1": True, "0": False, "-1": None}[row["hard"]]), row
    assert isinstance(reason, smtpcodes.Reason) and tuple(reason) == \
        (reason.name, reason.hard, reason.rule, reason.evidence)
    if reason.rule == "pattern":
        assert reason.evidence.lower() in unescape(row["text"]).lower()
    # a reply with the same parts, classified from the same host, fails for the same reason
    if code is not None:
        wire = "%d %s%s\r\n" % (code, row["enhanced"] + " " if row["enhanced"] else "",
                                unescape(row["text"]))
        verdict = smtpcodes.classify(wire, row["command"], host=row["host"] or None)
        assert verdict.reason == row["reason"]
        reply = smtpcodes.parse_reply(wire, command=row["command"], host=row["host"] or None)
        assert reply.reason == row["reason"] and reply.host == (row["host"] or None)


def test_providers_are_immutable_hashable_and_pickle():
    providers = smtpcodes.providers()
    assert [p.slug for p in providers] == sorted(p.slug for p in providers)
    assert len(providers) >= 3 and providers is smtpcodes.providers()
    gmail = smtpcodes.provider_of("gmail.com")
    assert isinstance(gmail, smtpcodes.Provider) and gmail in providers
    assert isinstance(gmail.hosts, tuple) and "gmail.com" in gmail.hosts
    assert isinstance(gmail.references, tuple) and gmail.references[0].startswith("https://")
    assert gmail.name and gmail.description and str(gmail) == "gmail"
    assert repr(gmail).startswith("<Provider gmail ")
    with pytest.raises(AttributeError):
        gmail.name = "x"
    with pytest.raises(AttributeError):
        del gmail.slug
    with pytest.raises(TypeError):
        smtpcodes.Provider("gmail")
    assert {gmail: 1}[smtpcodes.provider_of("mx.google.com")] == 1
    assert len(set(providers) | set(smtpcodes.providers())) == len(providers)
    assert pickle.loads(pickle.dumps(gmail)) is gmail
    assert copy.copy(gmail) is gmail and copy.deepcopy(gmail) is gmail


def test_provider_of_host_forms():
    cases = {
        "contoso-com.mail.protection.outlook.com": "microsoft",
        "OUTLOOK.COM": "microsoft",
        "outlook.com.": "microsoft",
        "dns; mx1.hotmail.com": "microsoft",
        "bob@hotmail.com": "microsoft",
        "<bob@Gmail.com>": "gmail",
        "gmail-smtp-in.l.google.com": "gmail",
        "mta7.am0.yahoodns.net": "yahoo",
        "notoutlook.com": None,
        "outlook.com.example.net": None,
        "[192.0.2.1]": None,
        "": None,
        "@": None,
        "mx.example.org": None,
        "mx\udcff.example.org": None,
    }
    for host, slug in cases.items():
        found = smtpcodes.provider_of(host)
        assert (found.slug if found else None) == slug, host
    with pytest.raises(TypeError):
        smtpcodes.provider_of(b"gmail.com")
    with pytest.raises(TypeError):
        smtpcodes.provider_of(None)


def test_meaning_contract():
    standard = smtpcodes.lookup("5.7.29")
    gmail = smtpcodes.meaning("5.7.29", host="mx.google.com")
    assert standard.provider is None and standard.origin == "rfc" and standard.is_standard
    assert gmail.provider == "gmail" and gmail.origin == "provider" and not gmail.is_standard
    assert gmail.code == standard.code == "5.7.29" and gmail.entry == "5.7.29"
    assert gmail != standard and hash(gmail) != hash(standard)
    assert smtpcodes.meaning("5.7.29") is standard
    assert smtpcodes.meaning("5.7.29", host="mx.example.org") is standard
    assert smtpcodes.meaning(standard, provider="gmail") is gmail
    assert smtpcodes.meaning("5.7.29", provider="gmail") is gmail
    assert smtpcodes.meaning(" 5.7.29\n", provider="gmail") is gmail
    assert smtpcodes.meaning(550, host="mx.google.com") is smtpcodes.lookup(550)
    # a range keeps the code as written
    throttled = smtpcodes.meaning("4.7.650", host="outlook.com")
    assert (throttled.code, throttled.entry, throttled.detail) == ("4.7.650", "4.7.500-699", 650)
    assert throttled.to_dict()["code"] == "4.7.650"
    # a code only a provider describes is its Code whichever way it is asked for
    assert smtpcodes.lookup("5.7.708") is smtpcodes.meaning("5.7.708", provider="microsoft")
    with pytest.raises(smtpcodes.UnknownProviderError) as caught:
        smtpcodes.meaning("5.7.1", provider="nosuch")
    assert caught.value.provider == "nosuch"
    assert isinstance(caught.value, LookupError) and isinstance(caught.value, ValueError)
    with pytest.raises(ValueError):
        smtpcodes.meaning("5.7.1", host="mx.google.com", provider="gmail")
    with pytest.raises(smtpcodes.InvalidCodeError):
        smtpcodes.meaning("5.7", provider="gmail")
    with pytest.raises(smtpcodes.UnknownCodeError):
        smtpcodes.meaning("4.7.720", host="outlook.com")
    with pytest.raises(TypeError):
        smtpcodes.meaning(True, provider="gmail")
    with pytest.raises(TypeError):
        smtpcodes.meaning("5.7.1", provider=1)
    with pytest.raises(TypeError):
        smtpcodes.meaning("5.7.1", host=b"mx.google.com")


def test_provider_meanings():
    meanings = smtpcodes.lookup("5.7.29").provider_meanings()
    assert [(c.provider, c.code, c.name) for c in meanings] == \
        [("gmail", "5.7.29", "No TLS, Blocked")]
    assert meanings[0] is smtpcodes.meaning("5.7.29", provider="gmail")
    assert smtpcodes.lookup("5.7.1").provider_meanings() == ()
    assert smtpcodes.lookup(550).provider_meanings() == ()
    assert smtpcodes.lookup("X.7.29").provider_meanings() == ()
    assert [c.entry for c in smtpcodes.lookup("4.7.650").provider_meanings()] == ["4.7.500-699"]
    # what the code's page lists is what the method gives
    page = smtpcodes.lookup("5.7.29").to_dict()
    assert [m["provider"] for m in page["provider_meanings"]] == ["gmail"]
    assert page["provider"] is None
    assert smtpcodes.meaning("5.7.29", provider="gmail").to_dict()["provider"] == "gmail"


def test_provider_codes_pickle_and_render():
    gmail = smtpcodes.meaning("5.7.29", provider="gmail")
    assert pickle.loads(pickle.dumps(gmail)) is gmail
    assert pickle.loads(pickle.dumps(smtpcodes.lookup("5.7.29"))) is smtpcodes.lookup("5.7.29")
    ranged = smtpcodes.meaning("4.7.650", provider="microsoft")
    assert pickle.loads(pickle.dumps(ranged)) is ranged
    assert copy.copy(gmail) is gmail
    text = gmail.render()
    assert text.startswith("SMTP 5.7.29 No TLS, Blocked") and "Gmail" in text
    assert "ARC" in smtpcodes.lookup("5.7.29").render()
    assert json.loads(gmail.render("json"))["entry"] == "5.7.29"
    # in a loaded database, the same
    db = smtpcodes.load(str(VECTORS / "data" / "valid" / "provider.txt"))
    own = db.meaning("5.7.29", provider="gmail")
    assert own.provider == "gmail" and own == gmail and own is not gmail
    assert pickle.loads(pickle.dumps(own)).provider == "gmail"
    assert "testprov" in [p.slug for p in db.providers()]
    assert db.provider_of("mx.mail.provider.example").slug == "testprov"
    assert db.meaning("5.7.949", host="mx.mail.provider.example").entry == "5.7.900-949"
    assert smtpcodes.provider_of("mx.mail.provider.example") is None


def test_reason_contract():
    plain = smtpcodes.reason(550, "5.1.1", "RCPT", "User unknown")
    assert plain.name == "userunknown" and plain.hard is True
    assert plain.to_dict() == {"reason": plain.name, "hard": True, "rule": plain.rule,
                               "evidence": plain.evidence}
    assert smtpcodes.reason().name == "undefined"
    assert smtpcodes.reason(250).hard is None
    assert smtpcodes.reason(code=smtpcodes.lookup(550), enhanced=smtpcodes.lookup("5.1.1")) \
        == smtpcodes.reason(550, "5.1.1")
    assert smtpcodes.reason(550, "5.7.29", provider="gmail").name == "securityerror"
    assert smtpcodes.reason(550, "5.7.29", host="mx.google.com").rule == "enhanced"
    assert smtpcodes.reason(550, "5.7.29").name == "authfailure"
    assert smtpcodes.reason(550, text=b"mailbox is full").name == "mailboxfull"
    with pytest.raises(smtpcodes.UnknownProviderError):
        smtpcodes.reason(550, provider="nosuch")
    with pytest.raises(ValueError):
        smtpcodes.reason(550, host="mx.google.com", provider="gmail")
    with pytest.raises(ValueError):
        smtpcodes.reason(650)
    with pytest.raises(smtpcodes.InvalidCodeError):
        smtpcodes.reason(550, "5.x.1")
    with pytest.raises(smtpcodes.UnknownCommandError):
        smtpcodes.reason(550, command="FOO")
    with pytest.raises(TypeError):
        smtpcodes.reason("550")
    with pytest.raises(TypeError):
        smtpcodes.reason(550, text=5)


def test_classification_from_a_host():
    wire = (b"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to "
            b"unexpected volume or user complaints\r\n")
    plain = smtpcodes.parse_reply(wire, command="RCPT")
    yahoo = smtpcodes.parse_reply(wire, command="RCPT", host="mta6.am0.yahoodns.net")
    assert yahoo.reason == "speeding" and plain.reason != "speeding"
    assert yahoo.action == plain.action and yahoo != plain
    assert plain.classify(host="mta6.am0.yahoodns.net").reason == "speeding"
    assert yahoo.classify("MAIL").reason == "speeding"  # the host given to the parser stays
    assert yahoo.classify(host="mx.example.org").reason == plain.reason
    assert smtpcodes.classify(plain, host="mta6.am0.yahoodns.net").reason == "speeding"
    assert smtpcodes.classify((421, wire[4:]), host="yahoo.com").reason == "speeding"
    assert smtpcodes.classify(wire, host="").reason == plain.reason
    assert yahoo.to_dict()["reason"] == "speeding" and plain.to_dict()["reason"] != "speeding"
    # the provider's meaning of the enhanced code, on the reply and its page
    gmail = smtpcodes.parse_reply(b"550 5.7.29 no TLS\r\n", host="mx.google.com")
    assert gmail.enhanced_entry.provider == "gmail" and gmail.reason == "securityerror"
    assert gmail.to_dict()["enhanced_name"] == "No TLS, Blocked"
    assert smtpcodes.parse_reply(b"550 5.7.29 no TLS\r\n").enhanced_entry.provider is None
    parser = smtpcodes.reply_parser(host="mta6.am0.yahoodns.net", command="RCPT")
    assert [r.reason for r in parser.feed(wire) + parser.close()] == ["speeding"]
    with pytest.raises(TypeError):
        smtpcodes.parse_reply(wire, host=b"yahoo.com")
    with pytest.raises(TypeError):
        smtpcodes.classify(wire, host=1)
    with pytest.raises(TypeError):
        smtpcodes.ReplyParser(host=1)


def test_provider_pages():
    for provider in smtpcodes.providers():
        page = provider.to_dict()
        validate(page, "providers")
        assert page["slug"] == provider.slug and list(page["hosts"]) == list(provider.hosts)
        assert page["entries"] and all(e["code"][0] in "245" for e in page["entries"])
        for fmt in ("text", "markdown", "html"):
            assert provider.name in provider.render(fmt), fmt
        assert provider._repr_html_().startswith("<article")
    with pytest.raises(ValueError):
        smtpcodes.providers()[0].render("pdf")
