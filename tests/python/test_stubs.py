"""The type stubs (__init__.pyi) describe what the package really has."""

import ast
import inspect
import pathlib

import smtpcodes

PACKAGE = pathlib.Path(smtpcodes.__file__).parent
STUBS = ast.parse((PACKAGE / "__init__.pyi").read_text(encoding="utf-8"))


def stub_names(node):
    names = set()
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.ClassDef)):
            names.add(item.name)
        elif isinstance(item, ast.AnnAssign):
            names.add(item.target.id)
        elif isinstance(item, ast.Assign):
            names.update(t.id for t in item.targets)
    return names


def stub_class(name):
    (node,) = [n for n in STUBS.body if isinstance(n, ast.ClassDef) and n.name == name]
    return stub_names(node)


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_package_is_typed():
    assert (PACKAGE / "py.typed").exists()


def test_every_public_name_has_a_stub():
    assert set(smtpcodes.__all__) | {"__version__"} <= stub_names(STUBS)


def test_code_attributes():
    assert public(smtpcodes.Code.__slots__) | {"render", "to_text", "to_markdown", "to_html",
                                               "to_dict"} == public(stub_class("Code"))


def test_comparison_attributes():
    runtime = public(smtpcodes.Comparison.__slots__) | {
        n for n, v in vars(smtpcodes.Comparison).items()
        if not n.startswith("_") and (callable(v) or isinstance(v, property))
    }
    assert runtime == public(stub_class("Comparison"))


def test_database_methods():
    runtime = {n for n, v in vars(smtpcodes.Database).items()
               if not n.startswith("_") and (callable(v) or isinstance(v, property))}
    assert runtime == public(stub_class("Database"))


def test_labels_and_difference_fields():
    assert public(vars(smtpcodes.Labels)) == public(stub_class("Labels"))
    assert public(vars(smtpcodes.Difference)) == public(stub_class("Difference"))


def test_reply_classes():
    def runtime(cls):
        names = set()
        for klass in cls.__mro__[:-1]:
            if klass in (tuple, object):
                continue
            for n, v in vars(klass).items():
                if not n.startswith("_") and (
                        callable(v) or isinstance(v, property) or hasattr(v, "__get__")):
                    names.add(n)
        return names

    for name in ("Reply", "Verdict", "ReplyParser", "ScanRow", "ScanSummary"):
        cls = getattr(smtpcodes, name)
        slots = getattr(cls, "__slots__", ())
        assert runtime(cls) | public(slots) == public(stub_class(name)), name


def test_function_parameters_match():
    for name in ("codes", "compare", "load", "lookup_closest", "languages", "parse_reply",
                 "reply_parser", "classify", "build_reply", "scan"):
        (node,) = [n for n in STUBS.body if isinstance(n, ast.FunctionDef) and n.name == name]
        stub = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
        runtime = list(inspect.signature(getattr(smtpcodes, name)).parameters)
        assert stub == runtime, name


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
verdict: smtpcodes.Verdict = smtpcodes.classify(reply)
flags: FrozenSet[str] = verdict.flags
again: smtpcodes.Verdict = smtpcodes.classify((550, b"5.1.1 x"), "RCPT")
from_exception = smtpcodes.classify(smtplib.SMTPResponseException(552, b"5.2.2 full"))
parser = smtpcodes.ReplyParser(strict=True)
streamed: List[smtpcodes.Reply] = parser.feed(b"250 OK") + parser.close()
needed: int = parser.needed
wire: str = smtpcodes.build_reply(550, "5.7.1", "Relay access denied")
summary: smtpcodes.ScanSummary = smtpcodes.scan("/var/log/mail.log")
for scan_row in summary:
    count: int = scan_row.count
summary_dict: Dict[str, Any] = db.scan([b"said: 550 x"]).to_dict()
try:
    smtpcodes.parse_reply("250-x", complete=False)
except smtpcodes.IncompleteReplyError as e:
    more: int = e.needed
except smtpcodes.ReplyError as e:
    position: Tuple[int, int] = (e.line, e.column)
'''


def test_stubs_type_check_real_usage(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "usage.py"
    source.write_text(USAGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
