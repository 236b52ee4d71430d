"""The exceptions of smtpcodes, and the translation of the core's failures into them."""

from __future__ import annotations

import os
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, NoReturn, Optional

from . import _core


class Error(Exception):
    """Base class of every error smtpcodes raises (besides TypeError for wrong types)."""


class InvalidCodeError(Error, ValueError):
    """The value is not an SMTP reply code or enhanced status code at all ("42", "4x1", 621).

    Attributes: ``code`` (the value given), ``reason`` (what is wrong with it, from the
    core's parser) and ``column`` (1-based position of the fault in a str, as the core
    counts it, or 0).
    """

    def __init__(self, code: object, reason: str, column: int = 0,
                 message: Optional[str] = None) -> None:
        if message is None:
            where = "column %d: " % column if column else ""
            message = "%r is not an SMTP code: %s%s" % (code, where, reason)
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.column = column


class UnknownCodeError(Error, LookupError, ValueError):
    """A well-formed code that the database does not describe (299, "5.7.650").

    Attribute ``code``: the code in canonical form ("299", "5.7.650"). ``lookup_closest()``
    finds the nearest registered entry of an unknown enhanced code.
    """

    def __init__(self, code: Optional[str], message: Optional[str] = None) -> None:
        super().__init__(message or "unknown SMTP code %s" % code)
        self.code = code


class UnknownLanguageError(Error, LookupError, ValueError):
    """A language tag the database has no labels for. Attribute ``lang``: the tag given."""

    def __init__(self, lang: object, message: Optional[str] = None) -> None:
        super().__init__(message or "unknown language %r" % (lang,))
        self.lang = lang


class UnknownProviderError(Error, LookupError, ValueError):
    """A provider slug the database does not know (``meaning(code, provider="nosuch")``).

    Attribute ``provider``: the slug given. ``smtpcodes.providers()`` lists the known ones.
    """

    def __init__(self, provider: object, message: Optional[str] = None) -> None:
        super().__init__(message or "unknown provider %r" % (provider,))
        self.provider = provider


class UnknownCommandError(Error, ValueError):
    """A command argument that names no SMTP command (``classify(reply, "FOO")``).

    Commands are read as clients and logs write them: "RCPT", "RCPT TO:<a@example.org>",
    "mail from:<>", "end of DATA". Attribute ``command``: the value given.
    """

    def __init__(self, command: object, message: Optional[str] = None) -> None:
        super().__init__(message or "%r is not an SMTP command" % (command,))
        self.command = command


class SameCodeError(Error, ValueError):
    """``compare()`` was given one code twice ("5.7.1" and "X.7.1" count as one)."""


class DataError(Error, ValueError):
    """A data file that breaks the format (docs/data-format.md), or a saved scan summary that
    breaks its form (``ScanSummary.load()``; docs/replies.md).

    Attributes: ``filename`` ("saved summary" for a saved summary), ``line`` and ``column``
    (1-based; 0 where they do not apply) and ``reason``. ``str()`` gives
    "filename:line:column: reason".
    """

    def __init__(self, filename: str, line: int, column: int, reason: str) -> None:
        where = ":".join(str(part) for part in (filename, line, column) if part)
        super().__init__("%s: %s" % (where, reason) if where else reason)
        self.filename = filename
        self.line = line
        self.column = column
        self.reason = reason


class BounceLimitError(Error, ValueError):
    """A message past a limit of the bounce reader (nesting depth, decoded size, recipients;
    docs/bounces.md). ``str(error)`` names the limit."""


class ScanInputError(Error, ValueError):
    """Input that ``scan()`` cannot read as a log: compressed in a format this build of
    smtpcodes lacks (``scan_compressions()`` lists those it reads), corrupt or cut-short
    compressed data, or binary data that is no text (an archive, an image).

    Attributes: ``reason`` (what is wrong, from the core: "truncated gzip data: ...",
    "a zip archive, not a text log") and ``filename`` (the path scanned, or None for a file
    object or lines). ``str()`` gives "filename: reason".
    """

    def __init__(self, reason: str, filename: Optional[str] = None) -> None:
        super().__init__("%s: %s" % (filename, reason) if filename is not None else reason)
        self.reason = reason
        self.filename = filename


class ReplyError(Error, ValueError):
    """Text that is not a well-formed SMTP reply (``parse_reply``, ``ReplyParser``,
    ``classify``).

    Attributes: ``reason`` (what is wrong), ``line`` and ``column`` (1-based position of the
    fault: in the text given to parse_reply, or in the whole stream for a ReplyParser; 0 where
    they do not apply; the column counts characters) and ``replies`` (for ReplyParser.feed()
    and close(): the replies completed before the fault in that call, which are not lost).
    """

    def __init__(self, reason: str, line: int = 0, column: int = 0) -> None:
        if line and column:
            message = "line %d, column %d: %s" % (line, column, reason)
        elif line:
            message = "line %d: %s" % (line, reason)
        else:
            message = reason
        super().__init__(message)
        self.reason = reason
        self.line = line
        self.column = column
        self.replies: List[Any] = []


class IncompleteReplyError(ReplyError):
    """The beginning of a reply, which needs more input (``parse_reply(..., complete=False)``).

    Attribute ``needed``: the least number of further bytes that can complete it.
    """

    def __init__(self, reason: str, line: int = 0, column: int = 0, needed: int = 1) -> None:
        super().__init__(reason, line, column)
        self.needed = needed


class ReplyBuildError(Error, ValueError):
    """``build_reply`` refused its arguments: a code outside 200-599, an enhanced code that is
    malformed or contradicts the reply code's class, text with bytes RFC 5321 does not allow.

    Attributes: ``reason`` and ``column`` (1-based position in the text, or 0).
    """

    def __init__(self, reason: str, column: int = 0) -> None:
        super().__init__("column %d: %s" % (column, reason) if column else reason)
        self.reason = reason
        self.column = column


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (Error, InvalidCodeError, UnknownCodeError, UnknownLanguageError, UnknownProviderError,
             UnknownCommandError, SameCodeError, DataError, ScanInputError, ReplyError,
             IncompleteReplyError, ReplyBuildError):
    _cls.__module__ = "smtpcodes"


def raise_core_error(error: Exception, **context: Any) -> NoReturn:
    """Raises the exception of smtpcodes that matches a smtpcodes._core.Error."""
    status, text, source, line, column = error.args
    if status == _core.SMTPC_ESYNTAX:
        code = context.get("code", text)
        message = text if context.get("number_message") else None
        raise InvalidCodeError(code, text, column, message) from None
    if status == _core.SMTPC_ENOTFOUND:
        raise UnknownCodeError(context.get("canonical"), text) from None
    if status == _core.SMTPC_ELANG:
        raise UnknownLanguageError(context.get("lang"), text) from None
    if status == _core.SMTPC_ECOMMAND:
        raise UnknownCommandError(context.get("command")) from None
    if status == _core.SMTPC_EFORMAT:
        raise ValueError("unknown format %r: %s" % (context.get("format"), text)) from None
    if status == _core.SMTPC_EREPLY:
        raise ReplyError(text, line, column) from None
    if status == _core.SMTPC_EDATA:
        raise DataError(context.get("source", source), line, column, text) from None
    if status == _core.SMTPC_EIO:
        path = context.get("path")
        if path is not None:
            # The core says what failed; Python's own open() says why, with the errno that
            # lets callers catch FileNotFoundError, PermissionError or IsADirectoryError.
            try:
                with open(path, "rb"):
                    pass
            except OSError as why:
                raise why from None
        raise OSError("%s: %s" % (os.fsdecode(source), text) if source else text) from None
    if status == _core.SMTPC_ELIMIT:
        raise BounceLimitError(text) from None
    if status == _core.SMTPC_EINPUT:
        raise ScanInputError(text, context.get("filename")) from None
    if status == _core.SMTPC_ENOMEM:
        raise MemoryError(text) from None
    if status == _core.SMTPC_EINVAL and context.get("comparing"):
        raise SameCodeError(text) from None
    if status == _core.SMTPC_EINVAL and (context.get("merging") or context.get("setting")
                                         or context.get("ranging")):
        raise ValueError(text) from None
    if status == _core.SMTPC_EINVAL and context.get("provider"):
        raise UnknownProviderError(context.get("provider"), text) from None
    raise Error("%s: %s" % (_core.smtpc_strerror(status), text)) from None
