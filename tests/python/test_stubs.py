"""The package's inline annotations (py.typed, no hand-kept stubs) describe what it has."""

import inspect
import pathlib

import smtpcodes

PACKAGE = pathlib.Path(smtpcodes.__file__).parent


def test_package_is_typed_inline():
    assert (PACKAGE / "py.typed").exists()
    assert not list(PACKAGE.glob("*.pyi")), "annotations live in the modules"


def test_public_functions_are_annotated():
    for name in ("codes", "compare", "load", "lookup_closest", "languages", "reply_parser",
                 "classify", "build_reply", "scan", "scan_compressions", "meaning", "providers",
                 "provider_of", "reason", "scan_range", "split_ranges"):
        signature = inspect.signature(getattr(smtpcodes, name))
        assert signature.return_annotation is not inspect.Signature.empty, name
        for parameter in signature.parameters.values():
            assert parameter.annotation is not inspect.Parameter.empty, (name, parameter)


def test_public_methods_are_annotated():
    for cls in (smtpcodes.Code, smtpcodes.Database, smtpcodes.Comparison, smtpcodes.Reply,
                smtpcodes.ReplyParser, smtpcodes.ScanSummary, smtpcodes.Provider):
        for name, value in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            assert inspect.signature(value).return_annotation is not inspect.Signature.empty, (
                cls.__name__, name)


USAGE = '''
import smtplib
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import smtpcodes

code: smtpcodes.Code = smtpcodes.lookup(421)
name: str = code.name
klass: int = code.klass
references: Tuple[str, ...] = code.references
connection: Optional[str] = code.connection
row: Dict[str, Any] = code.to_dict()
same: smtpcodes.Code = smtpcodes.lookup(smtplib.SMTPResponseException(550, b"5.1.1 x"))
cmp = smtpcodes.compare(504, (550, b"5.1.1 x"), lang="tr")
first: smtpcodes.Code = cmp.first
label: str = cmp.labels.description
kinds: List[str] = [d.kind for d in cmp.differences]
closest: Tuple[smtpcodes.Code, bool] = smtpcodes.lookup_closest("5.7.650")
rows = [c.to_dict() for c in smtpcodes.codes(5, "enhanced")]
db: smtpcodes.Database = smtpcodes.load("site.txt", alone=True)
try:
    db.compare(421, 504)
except smtpcodes.DataError as e:
    where: Tuple[str, int, int] = (e.filename, e.line, e.column)
reply: smtpcodes.Reply = smtpcodes.parse_reply(b"550 5.1.1 x", command="RCPT")
reply_code: int = reply.code
enhanced: Optional[str] = reply.enhanced
lines: Tuple[str, ...] = reply.lines
raw: Tuple[bytes, ...] = reply.raw_lines
entry: Optional[smtpcodes.Code] = reply.entry
action: str = reply.action
verdict: smtpcodes.Verdict = reply.classify("RCPT TO:<a@example.org>")
explanation: str = verdict.explanation
flags: FrozenSet[str] = verdict.flags
again = smtpcodes.classify((550, b"5.1.1 x"), "RCPT")
looked = smtpcodes.lookup(421)
basic: int = looked + 1 if isinstance(looked, smtpcodes.BasicCode) else 0
from_exception = smtpcodes.classify(smtplib.SMTPResponseException(552, b"5.2.2 full"))
parser = smtpcodes.ReplyParser(strict=True)
streamed: List[smtpcodes.Reply] = parser.feed(b"250 OK") + parser.close()
needed: int = parser.needed
skipped: int = parser.skipped
wire: str = smtpcodes.build_reply(550, "5.7.1", "Relay access denied")
summary: smtpcodes.ScanSummary = smtpcodes.scan("/var/log/mail.log")
for scan_row in summary:
    count: int = scan_row.count
summary_dict: Dict[str, Any] = db.scan([b"said: 550 x"]).to_dict()
ranges: List[Tuple[str, int, int]] = smtpcodes.split_ranges(["/var/log/mail.log"], 1 << 26)
part: smtpcodes.ScanSummary = smtpcodes.scan_range(*ranges[0]) + db.scan_range("x.log", 0, 9)
try:
    smtpcodes.parse_reply("250-x", complete=False)
except smtpcodes.IncompleteReplyError as e:
    more: int = e.needed
except smtpcodes.ReplyError as e:
    position: Tuple[int, int] = (e.line, e.column)
every: Tuple[smtpcodes.Provider, ...] = smtpcodes.providers()
hosts: Tuple[str, ...] = every[0].hosts
page: str = every[0].render("markdown")
found: Optional[smtpcodes.Provider] = smtpcodes.provider_of("mx.google.com")
slug_of: Optional[str] = found.slug if found is not None else None
own: smtpcodes.Code = smtpcodes.meaning("5.7.29", host="mx.google.com")
owner: Optional[str] = own.provider
others: Tuple[smtpcodes.Code, ...] = smtpcodes.lookup("5.7.29").provider_meanings()
why: smtpcodes.Reason = smtpcodes.reason(550, "5.7.29", "DATA", "text", provider="gmail")
hard: Optional[bool] = why.hard
rule: str = why.rule
from_host: smtpcodes.Verdict = reply.classify(host="mx.google.com")
host: Optional[str] = smtpcodes.parse_reply(b"550 x", host="gmail.com").host
loaded_own: smtpcodes.Code = db.meaning(550, provider="gmail")
try:
    smtpcodes.meaning("5.7.1", provider="nosuch")
except smtpcodes.UnknownProviderError as e:
    unknown: object = e.provider
said: str = code.text("description", "vi")
own_words: bool = code.translated("fix", "fr")
side_text: str = cmp.text(0, "name")
fell_back: Tuple[str, ...] = cmp.fallbacks
done_total: Tuple[int, int] = smtpcodes.database.completeness("ko")
direction: str = db.direction("ar")
po: str = smtpcodes.database.catalog("vi")
pot: str = smtpcodes.database.catalog()
translated_db: smtpcodes.Database = smtpcodes.load("site.txt", catalogs=["vi.po"])
builtin_vi: smtpcodes.Database = smtpcodes.database.with_catalogs(["vi.po"])
catalogs: Tuple[Any, ...] = builtin_vi.catalogs
'''


def test_annotations_type_check_real_usage(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "usage.py"
    source.write_text(USAGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
