"""Replies: parsing, classifying and building them, and reading them from a stream."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, List, Optional, Tuple, Union

from . import _core
from ._codes import Code, Rendered, format_id, smtplib_exception
from ._errors import InvalidCodeError, ReplyBuildError, ReplyError, raise_core_error

if TYPE_CHECKING:
    from ._database import Database


def _item(index: int, doc: str) -> Any:
    return property(lambda self: self[index], doc=doc)


def _class_is(klass: Tuple[int, ...], doc: str) -> Any:
    return property(lambda self: self.code // 100 in klass, doc=doc)


def _set_repr(names: FrozenSet[str]) -> str:
    return "{%s}" % ", ".join(repr(n) for n in sorted(names)) if names else "frozenset()"


class Verdict(tuple[str, str, str, frozenset[str], "str | None"]):
    """What a client does about a reply: an ``(action, rule, explanation, flags, reason)``
    tuple, with a name for each part. ``classify()`` returns one; ``Reply.verdict`` is the
    reply's."""

    __slots__ = ()
    action: str = _item(0, '"done", "continue" (send what the server asks for next), "retry" '
                           '(the same again later) or "give-up" (do not send the same again).')
    rule: str = _item(1, 'The rule that decided: "class" (the first digit, RFC 5321 section '
                         '4.2.1), "too-many-recipients", "mailbox-full", "unknown-code" or '
                         '"class-mismatch".')
    explanation: str = _item(2, "One English sentence that says why and cites the RFC "
                                "section.")
    flags: FrozenSet[str] = _item(3, 'A frozenset of what else is true: "class-mismatch", '
                                     '"unknown-code", "connection-closed" (221, 421), '
                                     '"overridden" (a rule overrode the first digit).')
    reason: Optional[str] = _item(4, 'Why a 4xx or 5xx reply failed, in a postmaster\'s words: '
                                     '"userunknown", "mailboxfull", "blocked" ... ("undefined" '
                                     'when nothing tells; docs/bounces.md); None for a 2xx or '
                                     '3xx reply.')

    def __repr__(self) -> str:
        return "Verdict(action=%r, rule=%r, explanation=%r, flags=%s, reason=%r)" % (
            self.action, self.rule, self.explanation, _set_repr(self.flags), self.reason)

    def to_dict(self) -> Dict[str, Any]:
        """The verdict as a JSON-ready dict; flags as a sorted list, the reason None for a
        success."""
        return {"action": self.action, "rule": self.rule, "explanation": self.explanation,
                "flags": sorted(self.flags), "reason": self.reason}


def _verdict(parts: Tuple[str, str, str, FrozenSet[str], Optional[str]]) -> Verdict:
    return tuple.__new__(Verdict, parts)


class Reason(tuple[str, "bool | None", str, str]):
    """Why a delivery failed, with the evidence: a ``(name, hard, rule, evidence)`` tuple,
    with a name for each part. ``smtpcodes.reason()`` returns one."""

    __slots__ = ()
    name: str = _item(0, 'The reason, in a postmaster\'s words: "userunknown", "mailboxfull", '
                         '"blocked" ... ("undefined" when nothing tells; docs/bounces.md).')
    hard: Optional[bool] = _item(1, "True for a hard failure (do not retry the address "
                                     "unchanged), False for a soft one, None for no failure "
                                     "(a 2xx or 3xx code) or nothing to tell by.")
    rule: str = _item(2, 'What decided: "pattern" (a text pattern of the data), "enhanced" '
                         '(the enhanced code\'s entry), "code" (the reply code\'s entry), '
                         '"class" or "none".')
    evidence: str = _item(3, 'The text that rule matched: the part of the reply\'s text, the '
                             'code; "" for the rules "class" and "none".')

    def __repr__(self) -> str:
        return "Reason(name=%r, hard=%r, rule=%r, evidence=%r)" % (
            self.name, self.hard, self.rule, self.evidence)

    def to_dict(self) -> Dict[str, Any]:
        """The reason as a JSON-ready dict, with the keys of a bounce record's reason: reason,
        hard, rule, evidence."""
        return {"reason": self.name, "hard": self.hard, "rule": self.rule,
                "evidence": self.evidence}


def decide_reason(db: "Database", code: Any, enhanced: Any, command: Any, text: Any,
                  provider: Optional[str]) -> Reason:
    """Database.reason() once the provider is known: smtpc_reason_decide()."""
    if code is None:
        number = 0
    elif isinstance(code, Code):
        if not code.is_basic:
            raise ValueError("%s is an enhanced status code: reason's code is a reply code; "
                             "pass it as enhanced" % code.code)
        number = int(code)
    elif isinstance(code, int) and not isinstance(code, bool):
        number = int(code)
    else:
        raise TypeError("code must be an int, a basic Code or None, not %s"
                        % type(code).__name__)
    if not -(2**31) <= number < 2**31:
        raise ValueError("%d is not a reply code: expected 200 to 599" % number)
    if isinstance(enhanced, Code):
        enhanced = enhanced.code
    for name, value in (("enhanced", enhanced), ("command", command)):
        if value is not None and not isinstance(value, str):
            raise TypeError("%s must be a str or None, not %s" % (name, type(value).__name__))
    if text is not None and not isinstance(text, (str, bytes)):
        raise TypeError("text must be a str, bytes or None, not %s" % type(text).__name__)
    try:
        parts = _core.smtpc_reason_decide(db._source.db, provider, number, enhanced or "",
                                          command or "", text or "")
    except _core.Error as e:
        if e.args[0] == _core.SMTPC_EINVAL:
            raise ValueError(e.args[1]) from None
        raise_core_error(e, code=enhanced, command=command)
    except UnicodeEncodeError as e:
        raise ValueError("%s holds a character that is not text (a lone surrogate)"
                         % ("text" if e.object is text else "enhanced or command")) from None
    return tuple.__new__(Reason, parts)


class Reply(_core.ReplyBase, Rendered):  # type: ignore[misc]
    """One SMTP reply as a server sent it, parsed and classified: what ``parse_reply()`` and
    ``ReplyParser`` return.

    Replies are immutable. ``code`` (an int), ``enhanced``, ``lines``, ``text``, ``command``,
    ``host`` (the server it came from, as given to the parser, or None), ``warnings``,
    ``action``, ``rule``, ``explanation``, ``reason`` and ``consumed`` are attributes; the
    entries, ``raw_lines`` and the renderings are made when they are asked for. Two replies are
    equal when they have the same code, enhanced code, line bytes, command, host and
    warnings. Jupyter shows a reply as an HTML table; ``to_dict()`` gives what
    ``smtpcodes parse --format json`` prints.

    Text that is not UTF-8 is decoded with U+FFFD in ``lines`` and ``text`` (as the core's
    renderers show it) and reported by the warning "invalid-utf8"; ``raw_lines`` holds the
    bytes as they were sent.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        code: int
        enhanced: Optional[str]
        lines: Tuple[str, ...]
        text: str
        command: Optional[str]
        host: Optional[str]
        warnings: FrozenSet[str]
        action: str
        rule: str
        explanation: str
        reason: Optional[str]
        consumed: int

    @property
    def klass(self) -> int:
        """The reply class, the first digit of the code: 2 to 5."""
        return int(self.code // 100)

    @property
    def category(self) -> int:
        """The second digit of the code (RFC 5321 section 4.2.1: 0 syntax, 1 information,
        2 connections, 5 mail system; 6-9 break the RFC and are flagged "nonconforming")."""
        return int(self.code // 10 % 10)

    is_positive = _class_is((2, 3), "True for a 2xx or 3xx reply: the command was accepted.")
    is_success = _class_is((2,), "True for a 2xx reply: the request succeeded.")
    is_intermediate = _class_is((3,), "True for a 3xx reply: send what the server asks for "
                                      "next (354, 334).")
    is_negative = _class_is((4, 5), "True for a 4xx or 5xx reply: the request failed.")
    is_transient = _class_is((4,), "True for a 4xx reply: a temporary failure. See action "
                                   "for what to do: a few 5xx replies are retried too.")
    is_permanent = _class_is((5,), "True for a 5xx reply: a permanent failure.")

    @property
    def raw_lines(self) -> Tuple[bytes, ...]:
        """The lines' texts as bytes, exactly as the server sent them."""
        lines: Tuple[bytes, ...] = self._raw_lines()
        return lines

    @property
    def entry(self) -> Optional[Code]:
        """The Code of the reply code, or None when the database does not know it (599)."""
        found: Optional[Code] = self._index.get(self.code)
        return found

    @property
    def enhanced_entry(self) -> Optional[Code]:
        """The Code of the enhanced code, written with its class ("5.1.1"): as the provider of
        ``host`` means it when it has a meaning of its own (see meaning()), else the
        database's; for a code that is not registered, the closest one that is (RFC 3463
        section 2: "5.7.650" gives 5.7.0; see lookup_closest()); None when the reply has no
        enhanced code."""
        if self.enhanced is None:
            return None
        db = self._index.source.db
        provider = (_core.smtpc_provider_of_host(db, self.host)
                    if self.host is not None else None)
        try:
            entry, _ = _core.smtpc_lookup_provider_closest(
                db, provider.slug if provider is not None else None, self.enhanced)
        except _core.Error:  # "2.0.050" (leading zeros); a database alone may lack X.0.0
            return None
        return self._index.entry_code(entry, self.enhanced)

    @property
    def verdict(self) -> Verdict:
        """The classification as a Verdict: (action, rule, explanation, flags, reason)."""
        return _verdict(self._verdict)

    def classify(self, command: Optional[str] = None, host: Optional[str] = None) -> Verdict:
        """The verdict for this reply as an answer to ``command`` (as clients write it:
        "RCPT", "RCPT TO:<a@example.org>", "end of DATA") from the server ``host``
        ("mx.google.com", or an address at its domain: its provider's meanings decide the
        reason first); None for either is the one given to the parser, and both None give
        ``verdict``. Raises UnknownCommandError for a command that is no SMTP command."""
        if command is None and host is None:
            return self.verdict
        try:
            return _verdict(self._classify(command, host))
        except _core.Error as e:
            raise_core_error(e, command=command)

    def render(self, format: str = "text") -> str:
        """The reply with its explanation and verdict, as ``smtpcodes parse`` prints it, in
        ``format`` ("text", "markdown" or "md", "html" or "json"; JSON is one line)."""
        fmt = format_id(format)
        try:
            return str(self._render(fmt, self.command, self.host))
        except _core.Error as e:
            raise_core_error(e)



    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return "<Reply %d%s %r %s>" % (
            self.code, " " + self.enhanced if self.enhanced else "", text, self.action)

    def _key(self) -> Tuple[Any, ...]:
        return (self.code, self.enhanced, self._raw_lines(), self.command, self.host,
                self.warnings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reply):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._key())

    def __copy__(self) -> "Reply":
        return self

    def __deepcopy__(self, memo: Any) -> "Reply":
        return self

    def __reduce__(self) -> Any:
        raise TypeError("Reply objects cannot be pickled; send reply.to_dict() or the raw "
                        "bytes instead")


class ReplyParser:
    """Reads SMTP replies from a stream that arrives in pieces: a socket, a pipe, a log.

    ``feed(data)`` takes the next piece (split anywhere) and returns the list of replies it
    completes, in order; ``close()`` ends the stream and returns the replies left (a last line
    may lack its line end). ``needed`` is the least number of further bytes that can complete
    a reply: a caller that reads exactly that much never wakes the parser for nothing.
    Blank lines between replies are skipped.

    Options as for parse_reply(): ``strict``, ``embedded`` (one log or bounce line per reply;
    a line without a reply is skipped and counted in ``skipped``), ``command`` and ``host``.
    ``database`` is the Database whose codes the replies are looked up in (default:
    smtpcodes.database); its ``reply_parser()`` method is the same.

    A malformed reply raises ReplyError with the line (of the whole stream) and column, and
    ``replies``, those completed before it in the same call. The parser drops the input
    through the end of the faulty line and goes on with what follows. One parser reads one
    stream; use one per thread. The C library reads the stream.
    """

    __slots__ = ("_stream",)

    def __init__(self, *, strict: bool = False, embedded: bool = False,
                 command: Optional[str] = None, host: Optional[str] = None,
                 database: Optional["Database"] = None) -> None:
        from ._database import Database, database as default

        if database is None:
            database = default
        elif not isinstance(database, Database):
            raise TypeError("database must be a Database, not %s" % type(database).__name__)
        flags = ((_core.SMTPC_REPLY_STRICT_LENGTH if strict else 0)
                 | (_core.SMTPC_REPLY_EMBEDDED if embedded else 0))
        self._stream = _core.reply_stream(database._reply_ctx, flags, command, host)

    @property
    def needed(self) -> int:
        """The least number of further bytes that can complete a reply (0 once closed)."""
        return int(self._stream.needed)

    @property
    def buffered(self) -> int:
        """The number of bytes held that do not make a complete reply yet."""
        return int(self._stream.buffered)

    @property
    def line(self) -> int:
        """The number of lines of the stream read so far."""
        return int(self._stream.line)

    @property
    def skipped(self) -> int:
        """With ``embedded``: the number of lines that held no reply and were skipped."""
        return int(self._stream.skipped)

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return bool(self._stream.closed)

    def __repr__(self) -> str:
        return "<ReplyParser line %d, %d bytes buffered%s>" % (
            self.line, self.buffered, ", closed" if self.closed else "")

    def feed(self, data: Union[bytes, bytearray, memoryview, str]) -> List[Reply]:
        """Adds ``data`` (bytes-like, or str as UTF-8) to the stream; returns the list of the
        replies it completes (possibly empty)."""
        replies: List[Reply] = self._stream.feed(data)
        return replies

    def close(self) -> List[Reply]:
        """Ends the stream: returns the replies left in it. What is left must be complete
        replies (ReplyError otherwise, e.g. for "250-" lines without a final line). The
        parser then refuses more input; close() again returns []."""
        replies: List[Reply] = self._stream.close()
        return replies


_SMTPLIB_COMMANDS = {
    "SMTPSenderRefused": "MAIL",
    "SMTPHeloError": "EHLO",
    "SMTPAuthenticationError": "AUTH",
    "SMTPDataError": "DATA",
}


def _wire(code: int, message: Union[bytes, str]) -> bytes:
    """The wire form of what smtplib hands over: smtplib joins a reply's lines' texts with
    "\\n" after the code and its separator."""
    if isinstance(message, str):
        message = message.encode("utf-8", "surrogateescape")
    head = b"%d" % code
    lines = message.split(b"\n")
    out = [head + b"-" + line.rstrip(b"\r") + b"\r\n" for line in lines[:-1]]
    out.append(head + b" " + lines[-1].rstrip(b"\r") + b"\r\n")
    return b"".join(out)


def _reply_code(code: Any, what: str) -> int:
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError("%s: the reply code must be an int, not %s"
                        % (what, type(code).__name__))
    return int(code)


def _classify_code(db: "Database", code: int, enhanced: Union[bytes, str],
                   command: Optional[str], host: Optional[str] = None) -> Verdict:
    """smtpc_classify_parts(): the verdict of a reply known by its parts, from the server
    ``host``."""
    if not -(2**31) <= code < 2**31:  # beyond a C int: certainly no reply code
        raise ReplyError("%d is not a reply code: expected 200 to 599" % code)
    provider = db.provider_of(host) if host is not None else None
    try:
        return _verdict(_core.smtpc_classify_parts(
            db._source.db, provider.slug if provider is not None else None, code, enhanced,
            command or "", ""))
    except _core.Error as e:
        if e.args[0] == _core.SMTPC_EINVAL:
            raise ReplyError(e.args[1]) from None
        raise_core_error(e, command=command)


def _classify_parts(db: "Database", code: int, message: Union[bytes, str],
                    command: Optional[str], host: Optional[str]) -> Verdict:
    try:
        return db.parse_reply(_wire(code, message), command=command, host=host).verdict
    except ReplyError:
        pass
    # A message the parser refuses (a NUL byte, a line over 64 KiB, a code out of range):
    # the code and the enhanced code at the start of the message decide, if it has one.
    first = message.split(None, 1)[0] if message.strip() else b""
    if first:
        try:
            return _classify_code(db, code, first, command, host)
        except InvalidCodeError:  # the first word is no enhanced code
            pass
    return _classify_code(db, code, b"", command, host)


def classify(db: "Database", reply: Any, command: Optional[str],
             host: Optional[str] = None) -> Any:
    """Database.classify()."""
    if command is not None and not isinstance(command, str):
        raise TypeError("command must be a str or None, not %s" % type(command).__name__)
    if host is not None and not isinstance(host, str):
        raise TypeError("host must be a str or None, not %s" % type(host).__name__)
    if isinstance(reply, Reply):
        return reply.classify(command, host)
    if isinstance(reply, (str, bytes, bytearray, memoryview)):
        return db.parse_reply(reply, command=command, host=host).verdict
    if isinstance(reply, tuple):
        if len(reply) != 2 or not isinstance(reply[1], (bytes, str)):
            raise TypeError("an smtplib reply tuple is (code: int, message: bytes or str), "
                            "not %r" % (reply,))
        return _classify_parts(db, _reply_code(reply[0], "classify"), reply[1], command, host)
    if isinstance(reply, Code):
        if not reply.is_basic:
            raise ValueError("%s is an enhanced status code: classify needs a reply code"
                             % reply.code)
        return _classify_code(db, int(reply), b"", command, host)
    if isinstance(reply, int) and not isinstance(reply, bool):
        return _classify_code(db, int(reply), b"", command, host)
    if smtplib_exception(reply):
        message = reply.smtp_error
        if not isinstance(message, (bytes, str)):
            message = b""
        if command is None:
            for cls in type(reply).__mro__:
                command = _SMTPLIB_COMMANDS.get(cls.__name__)
                if command is not None:
                    break
        return _classify_parts(db, _reply_code(reply.smtp_code, "classify"), message, command,
                               host)
    if smtplib_exception(reply, "SMTPRecipientsRefused"):
        # Each refused recipient's (code, message) answered its RCPT command.
        return {addr: classify(db, tuple(answer), command or "RCPT", host)
                for addr, answer in reply.recipients.items()}
    raise TypeError(
        "classify() takes a Reply, the text of a reply (str or bytes), a reply code, an "
        "smtplib reply tuple (code, message), an smtplib.SMTPResponseException or "
        "SMTPRecipientsRefused, not %s" % type(reply).__name__)


def build_reply(db: Any, code: Any, enhanced: Any, text: Any) -> str:
    """Database.build_reply()."""
    if isinstance(code, Code):
        if not code.is_basic:
            raise ReplyBuildError("%s is an enhanced status code, not a reply code" % code.code)
        code = int(code)
    elif isinstance(code, str):
        try:
            parsed = _core.smtpc_code_parse(code)
        except (_core.Error, UnicodeEncodeError):
            parsed = None
        if parsed is None or parsed.kind != _core.SMTPC_KIND_BASIC:
            raise ReplyBuildError("%r is not a reply code: expected 200 to 599" % (code,))
        code = parsed.klass * 100 + parsed.category * 10 + parsed.detail
    elif isinstance(code, bool) or not isinstance(code, int):
        raise TypeError("code must be an int, a str or a Code, not %s" % type(code).__name__)
    if enhanced is None:
        enhanced = ""
    elif isinstance(enhanced, Code):
        enhanced = enhanced.code
    elif not isinstance(enhanced, str):
        raise TypeError("enhanced must be a str, a Code or None, not %s"
                        % type(enhanced).__name__)
    if text is None:
        text = ""
    elif not isinstance(text, (str, bytes)):
        raise TypeError("text must be a str, bytes or None, not %s" % type(text).__name__)
    if not -(2**31) <= code < 2**31:
        raise ReplyBuildError("%d is not a reply code: expected 200 to 599" % code)
    try:
        return str(_core.smtpc_reply_build(db, int(code), enhanced, text))
    except _core.Error as e:
        status, reason, _source, _line, column = e.args
        if status == _core.SMTPC_ENOMEM:
            raise MemoryError(reason) from None
        raise ReplyBuildError(reason, column) from None
    except UnicodeEncodeError as e:
        where = "text" if e.object is text else "enhanced"
        raise ReplyBuildError("the %s holds a character that is not text (a lone surrogate)"
                              % where, e.start + 1 if where == "text" else 0) from None


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (Verdict, Reason, Reply, ReplyParser):
    _cls.__module__ = "smtpcodes"
