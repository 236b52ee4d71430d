r"""SMTP reply codes and enhanced status codes, explained and compared.

smtpcodes knows every SMTP reply code (``421``) and every enhanced status code (``5.7.1``):
what each one means, when you see it, how to fix it, its class, its origin (an RFC, the IANA
registry, or folklore) and where it is defined. It compares two codes side by side, with
section labels in 15 languages, as text, Markdown, HTML or JSON. All facts come from the C
library libsmtpcodes, which this package contains.

>>> import smtpcodes
>>> code = smtpcodes.lookup(421)
>>> code.name, code.is_transient, code.retry
('Service Not Available', True, 'later')
>>> code == 421
True
>>> smtpcodes.lookup("5.7.1").is_permanent
True
>>> print(smtpcodes.compare(504, 421, lang="tr"))          # doctest: +ELLIPSIS
SMTP 421 Service Not Available vs 504 Parameter Not Implemented
...

Code objects are built once, when the package is imported, so a lookup costs about as much as
a dict access. They are immutable, hashable, equal to their int code (basic codes), ordered
in code order, picklable, and render as HTML in Jupyter. ``smtpcodes.codes()`` lists them,
``Code.to_dict()`` turns one into a row for a table or a DataFrame.

Replies as servers send them parse into Reply objects, classified by what RFC 5321 and RFC
3463 say a client should do; ``ReplyParser`` reads them from a stream, ``build_reply`` writes
them, ``scan`` counts them in mail logs:

>>> reply = smtpcodes.parse_reply(b"550 5.1.1 <x@example.org>: Recipient address rejected\r\n")
>>> reply.code, reply.enhanced, reply.action, reply.entry.name
(550, '5.1.1', 'give-up', 'Mailbox Not Found')
>>> smtpcodes.classify((552, b"Too many recipients"), command="RCPT").action
'retry'
>>> smtpcodes.build_reply(451, "4.7.1", "Greylisted, try again later")
'451 4.7.1 Greylisted, try again later\r\n'

The database is the built-in one, laid over with the data file named by the environment
variable ``SMTPCODES_DATA`` when it is set (read at import). ``smtpcodes.load(path)`` opens
another data file as a separate ``Database`` with the same methods.

Everything here can be used from any number of threads at once, except that one ReplyParser
reads one stream: give each thread its own.
"""

import os
import sys

from . import smtpcodes_core as _core

__all__ = [
    "Code",
    "Comparison",
    "DataError",
    "Database",
    "Difference",
    "Error",
    "IncompleteReplyError",
    "InvalidCodeError",
    "Labels",
    "Reply",
    "ReplyBuildError",
    "ReplyError",
    "ReplyParser",
    "SameCodeError",
    "ScanRow",
    "ScanSummary",
    "UnknownCodeError",
    "UnknownLanguageError",
    "Verdict",
    "build_reply",
    "classify",
    "codes",
    "compare",
    "database",
    "languages",
    "load",
    "lookup",
    "lookup_closest",
    "parse_reply",
    "reply_parser",
    "scan",
]

__version__ = _core.smtpc_version()
"""The version of the C library inside this package, "MAJOR.MINOR.PATCH"."""


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------


class Error(Exception):
    """Base class of every error smtpcodes raises (besides TypeError for wrong types)."""


class InvalidCodeError(Error, ValueError):
    """The value is not an SMTP reply code or enhanced status code at all ("42", "4x1", 621).

    Attributes: ``code`` (the value given), ``reason`` (what is wrong with it, from the
    core's parser) and ``column`` (1-based position of the fault in a str, or 0).
    """

    def __init__(self, code, reason, column=0, message=None):
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

    def __init__(self, code, message=None):
        super().__init__(message or "unknown SMTP code %s" % code)
        self.code = code


class UnknownLanguageError(Error, LookupError, ValueError):
    """A language tag the database has no labels for. Attribute ``lang``: the tag given."""

    def __init__(self, lang, message=None):
        super().__init__(message or "unknown language %r" % (lang,))
        self.lang = lang


class SameCodeError(Error, ValueError):
    """``compare()`` was given one code twice ("5.7.1" and "X.7.1" count as one)."""


class DataError(Error, ValueError):
    """A data file that breaks the format (docs/data-format.md).

    Attributes: ``filename``, ``line`` and ``column`` (1-based; 0 where they do not apply)
    and ``reason``. ``str()`` gives "filename:line:column: reason".
    """

    def __init__(self, filename, line, column, reason):
        where = ":".join(str(part) for part in (filename, line, column) if part)
        super().__init__("%s: %s" % (where, reason) if where else reason)
        self.filename = filename
        self.line = line
        self.column = column
        self.reason = reason


class ReplyError(Error, ValueError):
    """Text that is not a well-formed SMTP reply (``parse_reply``, ``ReplyParser``, ``classify``).

    Attributes: ``reason`` (what is wrong), ``line`` and ``column`` (1-based position of the
    fault: in the text given to parse_reply, or in the whole stream for a ReplyParser; 0 where
    they do not apply; the column counts characters) and ``replies`` (for ReplyParser.feed()
    and close(): the replies completed before the fault in that call, which are not lost).
    """

    def __init__(self, reason, line=0, column=0):
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
        self.replies = []


class IncompleteReplyError(ReplyError):
    """The beginning of a reply, which needs more input (``parse_reply(..., complete=False)``).

    Attribute ``needed``: the least number of further bytes that can complete it.
    """

    def __init__(self, reason, line=0, column=0, needed=1):
        super().__init__(reason, line, column)
        self.needed = needed


class ReplyBuildError(Error, ValueError):
    """``build_reply`` refused its arguments: a code outside 200-599, an enhanced code that is
    malformed or contradicts the reply code's class, text with bytes RFC 5321 does not allow.

    Attributes: ``reason`` and ``column`` (1-based position in the text, or 0).
    """

    def __init__(self, reason, column=0):
        super().__init__("column %d: %s" % (column, reason) if column else reason)
        self.reason = reason
        self.column = column


def _raise_core_error(error, **context):
    """Raises the exception of this module that matches a smtpcodes_core.Error."""
    status, text, source, line, column = error.args
    if status == _core.SMTPC_ESYNTAX:
        code = context.get("code", text)
        message = text if context.get("number_message") else None
        raise InvalidCodeError(code, text, column, message) from None
    if status == _core.SMTPC_ENOTFOUND:
        raise UnknownCodeError(context.get("canonical"), text) from None
    if status == _core.SMTPC_ELANG:
        raise UnknownLanguageError(context.get("lang"), text) from None
    if status == _core.SMTPC_EDATA:
        raise DataError(source, line, column, text) from None
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
        raise OSError("%s: %s" % (source, text) if source else text) from None
    if status == _core.SMTPC_ENOMEM:
        raise MemoryError(text) from None
    if status == _core.SMTPC_EINVAL and context.get("comparing"):
        raise SameCodeError(text) from None
    raise Error("%s: %s" % (_core.smtpc_strerror(status), text)) from None


# ------------------------------------------------------------------------------------------
# Facts: the core's enumerations as the data file's words
# ------------------------------------------------------------------------------------------

_KINDS = {_core.SMTPC_KIND_BASIC: "basic", _core.SMTPC_KIND_ENHANCED: "enhanced"}
_ORIGINS = {
    _core.SMTPC_ORIGIN_RFC: "rfc",
    _core.SMTPC_ORIGIN_REGISTRY: "registry",
    _core.SMTPC_ORIGIN_NONSTANDARD: "nonstandard",
}
_RETRIES = {
    _core.SMTPC_RETRY_NONE: "none",
    _core.SMTPC_RETRY_LATER: "later",
    _core.SMTPC_RETRY_AFTER_FIX: "after-fix",
    _core.SMTPC_RETRY_NO: "no",
}
_CONNECTIONS = {
    _core.SMTPC_CONNECTION_UNSPECIFIED: None,
    _core.SMTPC_CONNECTION_KEPT: "kept",
    _core.SMTPC_CONNECTION_CLOSED: "closed",
    _core.SMTPC_CONNECTION_MAY_CLOSE: "may-close",
}
_FORMATS = {
    "text": _core.SMTPC_FORMAT_TEXT,
    "markdown": _core.SMTPC_FORMAT_MARKDOWN,
    "html": _core.SMTPC_FORMAT_HTML,
    "json": _core.SMTPC_FORMAT_JSON,
}


# ------------------------------------------------------------------------------------------
# Code
# ------------------------------------------------------------------------------------------


def _check_lang(lang):
    if not isinstance(lang, str):
        raise TypeError("lang must be a language tag (str), not %s" % type(lang).__name__)
    return lang


class Code:
    """One SMTP reply code or enhanced status code and everything the database says about it.

    Get one with ``smtpcodes.lookup(code)`` (or ``Code(code)``, which is the same); never
    build one by hand. Code objects are immutable and there is one object per code and
    database, so ``lookup(421) is lookup("421")``.

    A basic code equals its int and hashes like it (``lookup(421) == 421``, and it works as a
    dict key in place of 421); any code equals the Code of the same code text. Codes sort in
    code order: basic codes by number, then enhanced codes by subject and detail. ``str()``
    gives the code text ("421", "5.7.1"); ``int()`` the number of a basic code. They pickle by
    their code text, so they travel to worker processes cheaply.

    An enhanced code written with a class digit ("4.7.1") keeps that class (``klass`` 4,
    ``is_transient``) and shares every other fact with its registry entry ("X.7.1", class 0).
    """

    __slots__ = {
        "code": 'The code as text: "421", "5.7.1" or "X.7.1".',
        "entry": 'The database entry that describes it: "421", or "X.7.1" for "5.7.1".',
        "kind": '"basic" or "enhanced".',
        "klass": "The class digit, 2 to 5 (0 for an enhanced code written as X.S.D).",
        "category": "The second digit of a basic code, or the subject of an enhanced one.",
        "detail": "The third digit of a basic code, or the detail number of an enhanced one.",
        "conforming": "False for a code that breaks RFC 5321's syntax (a second digit 6-9).",
        "classes": "The classes the entry is meant for: (4,) for 421, (4, 5) for X.7.1.",
        "class_name": 'The name of its class ("Transient Negative"; "Permanent Failure" for '
        'an enhanced 5.S.D, after RFC 3463), or "" for X.S.D.',
        "category_name": 'The name of its category ("Connections") or subject ("Security or '
        'Policy Status"), or "" when the second digit has none.',
        "name": 'The title: "Service Not Available".',
        "slug": 'A unique identifier for URLs: "service-not-available".',
        "origin": '"rfc" (defined or used by an RFC), "registry" (cited only by the IANA '
        'enhanced status code registry) or "nonstandard" (seen in the wild, in no standard).',
        "description": 'What it means, in sentences that read after "421 indicates that".',
        "when": 'When you see it, in sentences that read after "You encounter 421 when".',
        "fix": "How to fix it: what a client or an administrator does about it.",
        "references": 'Where it is defined: ("RFC 5321 section 4.2.3", "RFC 3207").',
        "retry": 'What a client should do about the request it answered: "none" (nothing to '
        'retry), "later" (send the same again later), "after-fix" (only after correcting the '
        'cause) or "no" (do not send the same again). For enhanced codes, the 5.x.x advice.',
        "connection": 'What happens to the connection after it: "kept", "closed" or '
        '"may-close"; None for enhanced codes.',
        "commands": 'The commands or phases it answers: ("CONNECT", "ANY"); () for enhanced '
        'codes. "CONNECT" is the greeting, "DATA-END" the end of the message data.',
        "enhanced": 'Enhanced codes usually sent with a basic code: ("4.3.2", "4.4.5").',
        "sample": 'The IANA registry\'s sample text of an enhanced code, or "".',
        "associated": 'The registry\'s associated basic codes, verbatim ("451, 550"), or "".',
        "see": 'A code this one points to ("4.4.6" for 446), or "".',
        "note": 'A caveat: not standard, deprecated, clashes with a registered meaning; or "".',
        "is_basic": "True for a three-digit reply code.",
        "is_enhanced": "True for an enhanced status code.",
        "is_positive": "True for class 2 or 3: the server accepted the command.",
        "is_success": "True for class 2 (positive completion): the request succeeded.",
        "is_intermediate": "True for class 3 (positive intermediate): send more (354, 334).",
        "is_negative": "True for class 4 or 5: the request failed.",
        "is_transient": "True for class 4: a temporary failure; the same request may succeed "
        "later.",
        "is_permanent": "True for class 5: a permanent failure; do not repeat it unchanged.",
        "is_standard": 'True unless the origin is "nonstandard".',
        "_entry": None,
        "_source": None,
        "_hash": None,
        "_key": None,
    }

    def __new__(cls, code):
        """``Code(x)`` is ``smtpcodes.lookup(x)``."""
        return database.lookup(code)

    def __setattr__(self, name, value):
        raise AttributeError("Code objects are immutable")

    def __delattr__(self, name):
        raise AttributeError("Code objects are immutable")

    def __repr__(self):
        return "<Code %s %s>" % (self.code, self.name)

    def __str__(self):
        return self.code

    def __int__(self):
        if not self.is_basic:
            raise TypeError("%s is an enhanced status code: it has no int value" % self.code)
        return self._hash

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        if other.__class__ is Code:
            return self.code == other.code
        if isinstance(other, int) and not isinstance(other, bool):
            return self.is_basic and self._hash == other
        return NotImplemented

    def _order(self, other):
        if other.__class__ is Code:
            return other._key
        if isinstance(other, int) and not isinstance(other, bool) and self.is_basic:
            return (0, other, 0, 0)
        return None

    def __lt__(self, other):
        key = self._order(other)
        return NotImplemented if key is None else self._key < key

    def __le__(self, other):
        key = self._order(other)
        return NotImplemented if key is None else self._key <= key

    def __gt__(self, other):
        key = self._order(other)
        return NotImplemented if key is None else self._key > key

    def __ge__(self, other):
        key = self._order(other)
        return NotImplemented if key is None else self._key >= key

    def __reduce__(self):
        return (_restore_code, (self.code, self._source))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def render(self, format="text", lang="en"):
        """The page about this code (what ``smtpcodes show`` prints) in ``format`` ("text",
        "markdown", "html" or "json"), with section labels in language ``lang``. An enhanced
        code written with a class digit shows the page of its registry entry (X.S.D)."""
        if format not in _FORMATS:
            raise ValueError(
                "format must be one of %s, not %r" % (", ".join(_FORMATS), format)
            )
        try:
            return _core.smtpc_render_entry(
                self._source.db, self._entry, _check_lang(lang), _FORMATS[format]
            )
        except _core.Error as e:
            _raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None

    def to_text(self, lang="en"):
        """The page about this code as plain text; see render()."""
        return self.render("text", lang)

    def to_markdown(self, lang="en"):
        """The page about this code as CommonMark, references as links; see render()."""
        return self.render("markdown", lang)

    def to_html(self, lang="en"):
        """The page about this code as a self-contained HTML fragment; see render()."""
        return self.render("html", lang)

    def _repr_html_(self):
        """Jupyter's rich display: the HTML page in English."""
        return self.render("html")

    def to_dict(self):
        """The code's facts as a JSON-ready dict, one row of a table or DataFrame.

        Keys and values are those of the CLI's JSON (``smtpcodes show CODE --format json``)
        where both have them: "code", "entry", "kind", "name", "slug", "class", "category",
        "classes", "origin", "description", "when", "fix", "retry", "connection" ("" when not
        specified), "commands", "enhanced", "sample", "associated", "see", "note" and
        "references"; plus "detail", "conforming", "class_name" and "category_name". Lists are
        lists, classes are ints.
        """
        return {
            "code": self.code,
            "entry": self.entry,
            "kind": self.kind,
            "name": self.name,
            "slug": self.slug,
            "class": self.klass,
            "class_name": self.class_name,
            "category": self.category,
            "category_name": self.category_name,
            "detail": self.detail,
            "conforming": self.conforming,
            "classes": list(self.classes),
            "origin": self.origin,
            "description": self.description,
            "when": self.when,
            "fix": self.fix,
            "retry": self.retry,
            "connection": self.connection or "",
            "commands": list(self.commands),
            "enhanced": list(self.enhanced),
            "sample": self.sample,
            "associated": self.associated,
            "see": self.see,
            "note": self.note,
            "references": list(self.references),
        }


_set = {name: getattr(Code, name).__set__ for name in Code.__slots__}


def _new_code(source, entry_proxy, code, kind, klass, category, detail, conforming, facts):
    """Builds one Code. ``facts`` holds the entry's own facts (shared by its class variants);
    the rest depends on how the code is written."""
    obj = object.__new__(Code)
    for name, value in facts.items():
        _set[name](obj, value)
    _set["code"](obj, code)
    _set["kind"](obj, kind)
    _set["klass"](obj, klass)
    _set["category"](obj, category)
    _set["detail"](obj, detail)
    _set["conforming"](obj, conforming)
    basic = kind == "basic"
    _set["class_name"](obj, source.group_name(_core.SMTPC_GROUP_CLASS, klass, not basic))
    _set["category_name"](
        obj,
        source.group_name(
            _core.SMTPC_GROUP_CATEGORY if basic else _core.SMTPC_GROUP_SUBJECT, category
        ),
    )
    _set["is_basic"](obj, basic)
    _set["is_enhanced"](obj, not basic)
    _set["is_positive"](obj, klass in (2, 3))
    _set["is_success"](obj, klass == 2)
    _set["is_intermediate"](obj, klass == 3)
    _set["is_negative"](obj, klass in (4, 5))
    _set["is_transient"](obj, klass == 4)
    _set["is_permanent"](obj, klass == 5)
    _set["is_standard"](obj, facts["origin"] != "nonstandard")
    _set["_entry"](obj, entry_proxy)
    _set["_source"](obj, source)
    if basic:
        _set["_hash"](obj, klass * 100 + category * 10 + detail)
        _set["_key"](obj, (0, klass * 100 + category * 10 + detail, 0, 0))
    else:
        _set["_hash"](obj, hash(code))
        _set["_key"](obj, (1, category, detail, klass))
    return obj


def _entry_facts(fields):
    """The facts of a database entry, from smtpc_entry.fields() (see python.swg)."""
    (code, _parsed, name, slug, classes, origin, description, when, fix, references, retry,
     connection, commands, enhanced, sample, associated, see, note) = fields
    return {
        "entry": code,
        "name": name,
        "slug": slug,
        "classes": tuple(int(c) for c in classes.split()),
        "origin": _ORIGINS[origin],
        "description": description,
        "when": when,
        "fix": fix,
        # Lists in an entry are single strings with documented separators (smtpcodes.h).
        "references": tuple(references.split("; ")) if references else (),
        "retry": _RETRIES[retry],
        "connection": _CONNECTIONS[connection],
        "commands": tuple(commands.split()),
        "enhanced": tuple(enhanced.split()),
        "sample": sample,
        "associated": associated,
        "see": see,
        "note": note,
    }


def _restore_code(code, db):
    """Unpickles a Code: looks its code text up again in ``db``."""
    return db.lookup(code)


# ------------------------------------------------------------------------------------------
# The index behind lookup()
# ------------------------------------------------------------------------------------------


def _smtplib_exception(value):
    """True for an smtplib.SMTPResponseException. smtplib is not imported for this: an
    object cannot be one unless smtplib has been imported already."""
    smtplib = sys.modules.get("smtplib")
    return smtplib is not None and isinstance(value, smtplib.SMTPResponseException)


_TYPE_MESSAGE = (
    "expected an SMTP code: an int, a str, an smtplib reply tuple (code, message), an "
    "smtplib.SMTPResponseException or a Code, not %s"
)


class _Index(dict):
    """Every known code of one database by int (basic codes) and by canonical text.

    The C function from smtpcodes_core.bind_lookup() answers exact int and str keys straight
    from this dict and calls resolve() for everything else. resolve() adds the codes written
    with a class digit ("5.7.1") as they are first asked for, so each is built once.
    """

    __slots__ = ("source",)

    def resolve(self, code):
        """Validates and looks up anything lookup() did not find as an exact key."""
        if code.__class__ is Code:
            if code._source is self.source:
                return code
            return self._text(code.code)
        if isinstance(code, bool) or isinstance(code, float):
            raise TypeError(_TYPE_MESSAGE % type(code).__name__)
        if isinstance(code, int):
            return self._number(int(code), code)
        if isinstance(code, str):
            return self._text(str(code))
        if isinstance(code, tuple):
            if (
                len(code) == 2
                and isinstance(code[0], int)
                and not isinstance(code[0], bool)
                and isinstance(code[1], (bytes, str))
            ):
                return self._number(int(code[0]), code[0])
            raise TypeError(
                "an smtplib reply tuple is (code: int, message: bytes or str), not %r"
                % (code,)
            )
        if _smtplib_exception(code):
            return self.resolve(code.smtp_code)
        if hasattr(type(code), "__index__"):  # numpy integers and the like
            import operator

            return self._number(operator.index(code), code)
        raise TypeError(_TYPE_MESSAGE % type(code).__name__)

    def _number(self, number, given):
        hit = self.get(number)
        if hit is not None:
            return hit
        in_c_range = -(2**31) <= number < 2**31
        try:
            if in_c_range:
                entry = _core.smtpc_lookup_number(self.source.db, number)
            else:
                entry = _core.smtpc_lookup(self.source.db, str(number))
        except _core.Error as e:
            _raise_core_error(e, code=given, canonical=str(number), number_message=in_c_range)
        return self[entry.code]

    def _text(self, text):
        hit = self.get(text)
        if hit is not None:
            return hit
        try:
            parsed = _core.smtpc_code_parse(text)
        except _core.Error as e:
            _raise_core_error(e, code=text)
        except UnicodeEncodeError as e:  # a lone surrogate: not text, so not a code
            raise InvalidCodeError(text, "not valid Unicode", e.start + 1) from None
        canonical = _core.smtpc_code_format(parsed)
        hit = self.get(canonical)
        if hit is not None:
            return hit
        try:
            entry = _core.smtpc_lookup(self.source.db, canonical)
        except _core.Error as e:
            _raise_core_error(e, code=text, canonical=canonical)
        # A known enhanced code written with a class digit: the entry's X.S.D form is in the
        # index; this builds its variant for the class.
        base = self[entry.code]
        variant = _new_code(
            self.source,
            base._entry,
            canonical,
            "enhanced",
            parsed.klass,
            parsed.category,
            parsed.detail,
            bool(parsed.conforming),
            self.source.facts[entry.code],
        )
        return self.setdefault(canonical, variant)

    def closest(self, code):
        """lookup_closest() for this index's database."""
        try:
            return self.resolve(code), True
        except UnknownCodeError as unknown:
            text = unknown.code
        try:
            entry, exact = _core.smtpc_lookup_closest(self.source.db, text)
        except _core.Error as e:
            _raise_core_error(e, code=text, canonical=text)
        # The fallback entry is X.S.0 or X.0.0; keep the class digit the code was written with.
        klass = _core.smtpc_code_parse(text).klass
        written = entry.code if klass == 0 else str(klass) + entry.code[1:]
        return self._text(written), bool(exact)


# ------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------

def _item(index, doc):
    return property(lambda self: self[index], doc=doc)


class Labels(tuple):
    """The six section labels of a comparison page, in its language (a tuple in page
    order, with a name for each)."""

    __slots__ = ()
    description = _item(0, 'The label of a code\'s description ("Description").')
    when = _item(1, 'The label of when you see a code ("When You See It").')
    fix = _item(2, 'The label of how to fix it ("How to Fix").')
    differences = _item(3, 'The label of the numbered differences ("Key Differences").')
    usage = _item(4, 'The label of the advice for both codes ("When to Use Which").')
    learn_more = _item(5, 'The label of the references ("Learn More").')

    def __repr__(self):
        return "Labels(%s)" % ", ".join(
            "%s=%r" % pair
            for pair in zip(("description", "when", "fix", "differences", "usage",
                             "learn_more"), self)
        )


class Difference(tuple):
    """One item under "Key differences", a (kind, text) pair."""

    __slots__ = ()
    kind = _item(
        0,
        'What the item is about: "class", "description", "when", "retry", "connection", '
        '"commands", "category", "enhanced", "origin" or "references".',
    )
    text = _item(1, "The sentence, without its number.")

    def __repr__(self):
        return "Difference(kind=%r, text=%r)" % self


class Comparison:
    """Two codes side by side: the comparison page as an object.

    Get one with ``smtpcodes.compare(a, b, lang)``. The lower code comes first whatever the
    order of the arguments. Every section is an attribute; ``str()`` gives the text page,
    ``to_markdown()``, ``to_html()`` and ``to_json()`` the other renderings, ``to_dict()`` the
    JSON page as a dict, and Jupyter shows the HTML page. Comparisons are immutable, equal
    when they compare the same codes in the same language, and pickle by their arguments.

    ``to_markdown()``, ``to_html()`` and ``to_json()`` are rendered by the core on each call;
    the attributes are read once.
    """

    __slots__ = {
        "first": "The lower Code of the two.",
        "second": "The higher Code of the two.",
        "lang": 'The canonical tag of the labels\' language ("en", "pt", "zh-hans").',
        "title": 'The page title: "SMTP 421 Service Not Available vs 504 Parameter Not '
        'Implemented".',
        "intro": "The introduction: both codes, their classes and what each means.",
        "labels": "The section labels in the page's language (a Labels).",
        "differences": 'The numbered items under "Key differences" (Difference tuples).',
        "usage": 'The text under "When to use which".',
        "references": 'Both codes\' references under "Learn more", each once.',
        "_cmp": None,
        "_source": None,
    }

    def __init__(self, *args, **kwargs):
        raise TypeError("use smtpcodes.compare(a, b, lang) to compare two codes")

    def __setattr__(self, name, value):
        raise AttributeError("Comparison objects are immutable")

    def __delattr__(self, name):
        raise AttributeError("Comparison objects are immutable")

    @property
    def codes(self):
        """(first, second): the two codes in page order."""
        return (self.first, self.second)

    def __repr__(self):
        return "<Comparison %s vs %s lang=%r>" % (self.first.code, self.second.code, self.lang)

    def __str__(self):
        return self.render("text")

    def __eq__(self, other):
        # Like codes, comparisons are equal by what they compare, whatever the database.
        if other.__class__ is not Comparison:
            return NotImplemented
        return (self.first.code, self.second.code, self.lang) == (
            other.first.code,
            other.second.code,
            other.lang,
        )

    def __hash__(self):
        return hash((self.first.code, self.second.code, self.lang))

    def __reduce__(self):
        return (
            _restore_comparison,
            (self.first.code, self.second.code, self.lang, self._source),
        )

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def render(self, format="text"):
        """The page in ``format``: "text", "markdown", "html" or "json"."""
        if format not in _FORMATS:
            raise ValueError(
                "format must be one of %s, not %r" % (", ".join(_FORMATS), format)
            )
        try:
            return _core.smtpc_render_comparison(self._cmp, _FORMATS[format])
        except _core.Error as e:
            _raise_core_error(e)

    def to_text(self):
        """The page as plain text (the same as ``str()``)."""
        return self.render("text")

    def to_markdown(self):
        """The page as CommonMark, references as links."""
        return self.render("markdown")

    def to_html(self):
        """The page as a self-contained HTML fragment (one <article>, inline styles)."""
        return self.render("html")

    def to_json(self):
        """The page as one JSON object with every section as a field (a str)."""
        return self.render("json")

    def to_dict(self):
        """The JSON page as a dict: exactly what ``smtpcodes compare A B --format json``
        prints, ready for json.dumps()."""
        import json

        return json.loads(self.render("json"))

    def _repr_html_(self):
        """Jupyter's rich display: the HTML page."""
        return self.render("html")


_set_cmp = {name: getattr(Comparison, name).__set__ for name in Comparison.__slots__}


def _restore_comparison(a, b, lang, db):
    """Unpickles a Comparison: compares again in ``db``."""
    return db.compare(a, b, lang)


# ------------------------------------------------------------------------------------------
# Replies: parsing, classifying, building (docs/replies.md)
# ------------------------------------------------------------------------------------------


def _class_is(klass, doc):
    return property(lambda self: self.code // 100 in klass, doc=doc)


class Verdict(tuple):
    """What a client does about a reply: an ``(action, rule, reason, flags)`` tuple, with a
    name for each part. ``classify()`` returns one; ``Reply.verdict`` is the reply's."""

    __slots__ = ()
    action = _item(0, '"done", "continue" (send what the server asks for next), "retry" (the '
                      'same again later) or "give-up" (do not send the same again).')
    rule = _item(1, 'The rule that decided: "class" (the first digit, RFC 5321 section 4.2.1), '
                    '"too-many-recipients", "mailbox-full", "unknown-code" or "class-mismatch".')
    reason = _item(2, "One English sentence that says why and cites the RFC section.")
    flags = _item(3, 'A frozenset of what else is true: "class-mismatch", "unknown-code", '
                     '"connection-closed" (221, 421), "overridden" (a rule overrode the first '
                     'digit).')

    def __repr__(self):
        return "Verdict(action=%r, rule=%r, reason=%r, flags=%s)" % (
            self.action, self.rule, self.reason, _set_repr(self.flags))

    def to_dict(self):
        """The verdict as a JSON-ready dict; flags as a sorted list."""
        return {"action": self.action, "rule": self.rule, "reason": self.reason,
                "flags": sorted(self.flags)}


def _set_repr(names):
    return "{%s}" % ", ".join(repr(n) for n in sorted(names)) if names else "frozenset()"


class Reply(_core.ReplyBase):
    """One SMTP reply as a server sent it, parsed and classified: what ``parse_reply()`` and
    ``ReplyParser`` return.

    Replies are immutable. ``code``, ``enhanced``, ``lines``, ``text``, ``command``,
    ``warnings``, ``action``, ``rule``, ``reason`` and ``consumed`` are read when the reply
    is parsed; the entries, ``raw_lines`` and the renderings when they are asked for. Two
    replies are equal when they have the same code, enhanced code, line bytes, command and
    warnings. Jupyter shows a reply as an HTML table; ``to_dict()`` gives what
    ``smtpcodes parse --format json`` prints.

    Text that is not UTF-8 is decoded with U+FFFD in ``lines`` and ``text`` (as the core's
    renderers show it) and reported by the warning "invalid-utf8"; ``raw_lines`` holds the
    bytes as they were sent.
    """

    __slots__ = ()

    @property
    def klass(self):
        """The reply class, the first digit of the code: 2 to 5."""
        return self.code // 100

    @property
    def category(self):
        """The second digit of the code (RFC 5321 section 4.2.1: 0 syntax, 1 information,
        2 connections, 5 mail system; 6-9 break the RFC and are flagged "nonconforming")."""
        return self.code // 10 % 10

    is_positive = _class_is((2, 3), "True for a 2xx or 3xx reply: the command was accepted.")
    is_success = _class_is((2,), "True for a 2xx reply: the request succeeded.")
    is_intermediate = _class_is((3,), "True for a 3xx reply: send what the server asks for "
                                      "next (354, 334).")
    is_negative = _class_is((4, 5), "True for a 4xx or 5xx reply: the request failed.")
    is_transient = _class_is((4,), "True for a 4xx reply: a temporary failure. See action "
                                   "for what to do: a few 5xx replies are retried too.")
    is_permanent = _class_is((5,), "True for a 5xx reply: a permanent failure.")

    @property
    def raw_lines(self):
        """The lines' texts as bytes, exactly as the server sent them."""
        return self._raw_lines()

    @property
    def entry(self):
        """The Code of the reply code, or None when the database does not know it (599)."""
        return self._index.get(self.code)

    @property
    def enhanced_entry(self):
        """The Code of the enhanced code, written with its class ("5.1.1"); for a code that
        is not registered, the closest one that is (RFC 3463 section 3.1: "5.7.650" gives
        5.7.0; see lookup_closest()); None when the reply has no enhanced code."""
        if self.enhanced is None:
            return None
        try:
            return self._index.closest(self.enhanced)[0]
        except Error:  # a database loaded alone may lack even X.0.0
            return None

    @property
    def verdict(self):
        """The classification as a Verdict: (action, rule, reason, flags)."""
        return tuple.__new__(Verdict, (self.action, self.rule, self.reason, self._flags))

    def render(self, format="text"):
        """The reply with its explanation and verdict, as ``smtpcodes parse`` prints it, in
        ``format`` ("text", "markdown", "html" or "json"; JSON is one line)."""
        if format not in _FORMATS:
            raise ValueError(
                "format must be one of %s, not %r" % (", ".join(_FORMATS), format)
            )
        try:
            return self._render(_FORMATS[format], self.command)
        except _core.Error as e:
            _raise_core_error(e)

    def to_dict(self):
        """The reply as a JSON-ready dict, exactly what ``smtpcodes parse --format json``
        prints: "code", "enhanced" ("" for none), "class", "lines", "warnings", "command"
        ("" for none), "name", "entry", "enhanced_entry", "enhanced_name", "action", "rule",
        "reason"."""
        import json

        return json.loads(self.render("json"))

    def _repr_html_(self):
        """Jupyter's rich display: the HTML rendering."""
        return self.render("html")

    def __repr__(self):
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return "<Reply %d%s %r %s>" % (
            self.code, " " + self.enhanced if self.enhanced else "", text, self.action)

    def _key(self):
        return (self.code, self.enhanced, self._raw_lines(), self.command, self.warnings)

    def __eq__(self, other):
        if not isinstance(other, Reply):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        return hash(self._key())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        raise TypeError("Reply objects cannot be pickled; send reply.to_dict() or the raw "
                        "bytes instead")


_COMPLETE = _core.SMTPC_REPLY_COMPLETE
_STRICT = _core.SMTPC_REPLY_STRICT_LENGTH
_EMBEDDED = _core.SMTPC_REPLY_EMBEDDED
_HARD_LINE_LIMIT = _core.SMTPC_REPLY_HARD_LINE_LIMIT


def _strip_line(text):
    """The core's error text without its "line N: " (the position is given apart)."""
    if text.startswith("line "):
        head, sep, rest = text[5:].partition(": ")
        if sep and head.isdigit():
            return rest
    return text


def _check_command(command):
    if command is not None and not isinstance(command, str):
        raise TypeError("command must be a str or None, not %s" % type(command).__name__)
    return command or None


def _as_bytes(data, what="data"):
    """Stream input as bytes: bytes-like objects as they are, str as UTF-8 (surrogateescape
    gives back the bytes of a str decoded with it)."""
    if data.__class__ is bytes:
        return data
    if isinstance(data, str):
        return data.encode("utf-8", "surrogateescape")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError("%s must be bytes or str, not %s" % (what, type(data).__name__))


class ReplyParser:
    """Reads SMTP replies from a stream that arrives in pieces: a socket, a pipe, a log.

    ``feed(data)`` takes the next piece (split anywhere) and returns the list of replies it
    completes, in order; ``close()`` ends the stream and returns the replies left (a last line
    may lack its line end). ``needed`` is the least number of further bytes that can complete
    a reply: a caller that reads exactly that much never wakes the parser for nothing.
    Blank lines between replies are skipped.

    Options as for parse_reply(): ``strict``, ``embedded`` (one log or bounce line per reply;
    a line without a reply is a ReplyError) and ``command``. ``database`` is the Database
    whose codes the replies are looked up in (default: smtpcodes.database); its
    ``reply_parser()`` method is the same.

    A malformed reply raises ReplyError with the line (of the whole stream) and column, and
    ``replies``, those completed before it in the same call. The parser drops the input
    through the end of the faulty line and goes on with what follows. One parser reads one
    stream; use one per thread.
    """

    __slots__ = ("_ctx", "_flags", "_embedded", "_command", "_buffer", "_pending",
                 "_pending_len", "_tail", "_needed", "_line", "_resume", "_skip_line",
                 "_closed")

    def __init__(self, *, strict=False, embedded=False, command=None, database=None):
        if database is None:
            database = globals()["database"]
        elif not isinstance(database, Database):
            raise TypeError("database must be a Database, not %s" % type(database).__name__)
        self._ctx = database._reply_ctx
        self._flags = (_STRICT if strict else 0) | (_EMBEDDED if embedded else 0)
        self._embedded = bool(embedded)
        self._command = _check_command(command)
        self._buffer = b""
        self._pending = []
        self._pending_len = 0
        self._tail = 0  # bytes after the last line end in the buffer and pending pieces
        self._needed = 4  # the shortest reply: a bare code and LF
        self._line = 0  # lines of the stream read so far
        self._resume = False  # the last call stopped at an error: parse even without a LF
        self._skip_line = False  # dropping the rest of a line that was too long
        self._closed = False

    @property
    def needed(self):
        """The least number of further bytes that can complete a reply (0 once closed)."""
        return 0 if self._closed else self._needed

    @property
    def buffered(self):
        """The number of bytes held that do not make a complete reply yet."""
        return len(self._buffer) + self._pending_len

    @property
    def line(self):
        """The number of lines of the stream read so far."""
        return self._line

    @property
    def closed(self):
        """True once close() was called."""
        return self._closed

    def __repr__(self):
        return "<ReplyParser line %d, %d bytes buffered%s>" % (
            self._line, self.buffered, ", closed" if self._closed else "")

    def feed(self, data):
        """Adds ``data`` (bytes-like, or str as UTF-8) to the stream; returns the list of the
        replies it completes (possibly empty)."""
        chunk = _as_bytes(data)
        if self._closed:
            raise ValueError("feed() on a closed ReplyParser")
        if self._skip_line:
            nl = chunk.find(b"\n")
            if nl < 0:
                return []
            self._skip_line = False
            self._line += 1
            chunk = chunk[nl + 1:]
        # A reply ends with a line end: a piece without one completes nothing, unless its line
        # grows past the hard limit (which the core refuses) or the last call stopped at an
        # error with complete replies still buffered.
        if (not self._resume and b"\n" not in chunk
                and self._tail + len(chunk) <= _HARD_LINE_LIMIT):
            if chunk:
                self._pending.append(chunk)
                self._pending_len += len(chunk)
                self._tail += len(chunk)
                self._needed = max(1, self._needed - len(chunk))
            return []
        return self._parse(self._take(chunk), False)

    def close(self):
        """Ends the stream: returns the replies left in it. What is left must be complete
        replies (ReplyError otherwise, e.g. for "250-" lines without a final line). The
        parser then refuses more input; close() again returns []."""
        if self._closed:
            return []
        self._closed = True
        self._skip_line = False
        data = self._take(b"")
        return self._parse(data, True)

    def _take(self, chunk):
        if self._pending:
            self._pending.append(chunk)
            data = self._buffer + b"".join(self._pending)
            self._pending = []
            self._pending_len = 0
        elif self._buffer:
            data = self._buffer + chunk
        else:
            data = chunk
        return data

    def _keep(self, rest):
        self._buffer = rest
        self._tail = len(rest) - (rest.rfind(b"\n") + 1)

    def _parse(self, data, final):
        flags = self._flags | _COMPLETE if final else self._flags
        ctx, command, embedded = self._ctx, self._command, self._embedded
        parse_at = _core.reply_parse_at
        replies = []
        at, n = 0, len(data)
        self._resume = False
        self._needed = 4
        while at < n:
            c = data[at]
            if c == 10:  # blank lines between replies are skipped
                at += 1
                self._line += 1
                continue
            if c == 13:
                if at + 1 < n and data[at + 1] == 10:
                    at += 2
                    self._line += 1
                    continue
                if at + 1 == n and not final:  # perhaps a blank line: wait for its LF
                    self._needed = 1
                    break
            if embedded and not final and data.find(b"\n", at) < 0:
                self._needed = 1  # an embedded reply is one line: wait for its end
                break
            try:
                reply, used = parse_at(ctx, data, at, flags, command)
            except _core.Error as e:
                status, text, _source, line, column = e.args
                if status != _core.SMTPC_EREPLY:
                    _raise_core_error(e)
                # Drop the input through the end of the line at fault.
                skip = max(line, 1)
                stop = at
                for _ in range(skip):
                    nl = data.find(b"\n", stop)
                    if nl < 0:
                        stop = n
                        # the faulty line goes on in the next piece: drop that too
                        self._skip_line = not final and line > 0
                        break
                    stop = nl + 1
                error = ReplyError(_strip_line(text), self._line + skip, column)
                error.replies = replies
                self._line += skip - (1 if self._skip_line else 0)
                self._keep(data[stop:])
                self._resume = bool(self._buffer)
                raise error from None
            if reply is None:
                self._needed = used
                break
            replies.append(reply)
            self._line += data.count(b"\n", at, at + used)
            at += used
        self._keep(data[at:] if at else data)
        return replies


_SMTPLIB_COMMANDS = {
    "SMTPSenderRefused": "MAIL",
    "SMTPHeloError": "EHLO",
    "SMTPAuthenticationError": "AUTH",
    "SMTPDataError": "DATA",
}


def _wire(code, message):
    """The wire form of what smtplib hands over: smtplib joins a reply's lines' texts with
    "\\n" after the code and its separator."""
    if isinstance(message, str):
        message = message.encode("utf-8", "surrogateescape")
    head = b"%d" % code
    lines = message.split(b"\n")
    out = [head + b"-" + line.rstrip(b"\r") + b"\r\n" for line in lines[:-1]]
    out.append(head + b" " + lines[-1].rstrip(b"\r") + b"\r\n")
    return b"".join(out)


def _reply_code(code, what):
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError("%s: the reply code must be an int, not %s" % (what, type(code).__name__))
    if not 200 <= code <= 599:
        raise ReplyError("%d is not a reply code: expected 200 to 599" % code)
    return int(code)


def _classify(db, reply, command):
    command = _check_command(command)
    if isinstance(reply, Reply):
        if command is None or command == reply.command:
            return reply.verdict
        try:
            return tuple.__new__(Verdict, reply._classify(command))
        except _core.Error as e:
            _raise_core_error(e)
    if isinstance(reply, (str, bytes, bytearray, memoryview)):
        return db.parse_reply(reply, command=command).verdict
    message = b""
    if isinstance(reply, tuple):
        if len(reply) != 2 or not isinstance(reply[1], (bytes, str)):
            raise TypeError("an smtplib reply tuple is (code: int, message: bytes or str), "
                            "not %r" % (reply,))
        code, message = _reply_code(reply[0], "classify"), reply[1]
    elif _smtplib_exception(reply):
        code, message = _reply_code(reply.smtp_code, "classify"), reply.smtp_error
        if not isinstance(message, (bytes, str)):
            message = b""
        if command is None:
            for cls in type(reply).__mro__:
                command = _SMTPLIB_COMMANDS.get(cls.__name__)
                if command is not None:
                    break
    elif isinstance(reply, Code):
        if not reply.is_basic:
            raise ValueError("%s is an enhanced status code: classify needs a reply code"
                             % reply.code)
        code = int(reply)
    elif isinstance(reply, int) and not isinstance(reply, bool):
        code = _reply_code(reply, "classify")
    else:
        raise TypeError(
            "classify() takes a Reply, the text of a reply (str or bytes), a reply code, an "
            "smtplib reply tuple (code, message) or an smtplib.SMTPResponseException, not %s"
            % type(reply).__name__)
    try:
        parsed = db.parse_reply(_wire(code, message), command=command)
    except ReplyError:
        # A message the parser refuses (a NUL byte, a line over 64 KiB): the code and the
        # enhanced code at the start of the message decide.
        first = message.split(None, 1)[0] if message.strip() else b""
        if isinstance(first, str):
            first = first.encode("utf-8", "surrogateescape")
        try:
            parsed = db.parse_reply(b"%d %s\r\n" % (code, first), command=command)
            if parsed.enhanced is None:
                raise ReplyError("no enhanced code")
        except ReplyError:
            parsed = db.parse_reply(b"%d\r\n" % code, command=command)
    return parsed.verdict


def _build_reply(db, code, enhanced, text):
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
    if not 200 <= code <= 599:
        raise ReplyBuildError("%d is not a reply code: expected 200 to 599" % code)
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
    try:
        return _core.smtpc_reply_build(db, int(code), enhanced, text)
    except _core.Error as e:
        status, reason, _source, _line, column = e.args
        if status == _core.SMTPC_ENOMEM:
            raise MemoryError(reason) from None
        raise ReplyBuildError(reason, column) from None
    except UnicodeEncodeError as e:
        where = "text" if e.object is text else "enhanced"
        raise ReplyBuildError("the %s holds a character that is not text (a lone surrogate)"
                              % where, e.start + 1 if where == "text" else 0) from None


# ------------------------------------------------------------------------------------------
# Scanning logs and bounces
# ------------------------------------------------------------------------------------------

_SCAN_CHUNK = 1 << 20  # bytes read from a file per feed
_SCAN_BATCH = 4096  # lines of an iterable joined into one feed


class ScanRow(tuple):
    """One row of a ScanSummary: the replies seen with one (code, enhanced code) pair. A tuple
    (code, enhanced, count, name, action, sample, entry, enhanced_entry) with a name for each
    part."""

    __slots__ = ()
    code = _item(0, "The reply code, an int.")
    enhanced = _item(1, 'The enhanced code as seen ("5.1.1"), or None.')
    count = _item(2, "How many replies had this pair.")
    name = _item(3, 'The name of the reply code ("Mailbox Not Found"), or None when the '
                    "database does not know it.")
    action = _item(4, 'What a client does about such a reply: "done", "continue", "retry", '
                      '"give-up".')
    sample = _item(5, "The first line it was seen on, without its line end (bytes that are not "
                      "UTF-8 as U+FFFD).")
    entry = _item(6, "The Code of the reply code, or None.")
    enhanced_entry = _item(7, "The Code of the enhanced code (the closest registered one), "
                              "written with its class, or None.")

    def __repr__(self):
        return "ScanRow(code=%d, enhanced=%r, count=%d, name=%r, action=%r)" % self[:5]

    def to_dict(self):
        """The row as a JSON-ready dict: code, enhanced ("" for none), count, name ("" for
        none), action, sample, entry and enhanced_entry (code texts, "" for none)."""
        return {
            "code": self.code,
            "enhanced": self.enhanced or "",
            "count": self.count,
            "name": self.name or "",
            "action": self.action,
            "sample": self.sample,
            "entry": self.entry.entry if self.entry is not None else "",
            "enhanced_entry": (
                self.enhanced_entry.entry if self.enhanced_entry is not None else ""
            ),
        }


class ScanSummary:
    """What ``scan()`` found: counts and one row per (code, enhanced code) pair, in order of
    code then enhanced code. Iterating over it gives the rows; ``str()`` is the text table of
    ``smtpcodes scan``, ``to_dict()`` its JSON, and Jupyter shows an HTML table."""

    __slots__ = {
        "lines": "The number of lines read.",
        "replies": "The number of replies found in them.",
        "skipped": "The number of lines skipped for being longer than 65,536 bytes.",
        "rows": "The rows, a tuple of ScanRow.",
        "_scanner": None,
        "_source": None,
    }

    def __init__(self, *args, **kwargs):
        raise TypeError("use smtpcodes.scan(source) to scan a log")

    def __setattr__(self, name, value):
        raise AttributeError("ScanSummary objects are immutable")

    def __delattr__(self, name):
        raise AttributeError("ScanSummary objects are immutable")

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return "<ScanSummary %d lines, %d replies, %d rows>" % (
            self.lines, self.replies, len(self.rows))

    def __str__(self):
        return self.render("text")

    def render(self, format="text"):
        """The summary as ``smtpcodes scan`` prints it, in ``format``: "text", "markdown",
        "html" or "json"."""
        if format not in _FORMATS:
            raise ValueError(
                "format must be one of %s, not %r" % (", ".join(_FORMATS), format)
            )
        try:
            return _core.smtpc_render_scan(self._scanner, _FORMATS[format])
        except _core.Error as e:
            _raise_core_error(e)

    def to_dict(self):
        """The summary as a JSON-ready dict, exactly what ``smtpcodes scan --format json``
        prints: "lines", "replies", "skipped" and "rows" (each with "count", "code", "name",
        "enhanced", "enhanced_entry", "enhanced_name", "action", "sample")."""
        import json

        return json.loads(self.render("json"))

    def _repr_html_(self):
        """Jupyter's rich display: the HTML table."""
        return self.render("html")

    def __reduce__(self):
        raise TypeError("ScanSummary objects cannot be pickled; send to_dict() instead")


_set_scan = {name: getattr(ScanSummary, name).__set__ for name in ScanSummary.__slots__}


def _feed_file(feed, scanner, read):
    while True:
        chunk = read(_SCAN_CHUNK)
        if not chunk:
            if chunk is None:  # a non-blocking stream with nothing to read now
                raise BlockingIOError("scan() needs a blocking stream")
            return
        if chunk.__class__ is not bytes:
            chunk = _as_bytes(chunk, "what the file's read() returned")
        feed(scanner, chunk)


def _feed_lines(feed, scanner, lines):
    batch = []
    append = batch.append
    for index, line in enumerate(lines, 1):
        if line.__class__ is not bytes:
            try:
                line = _as_bytes(line)
            except TypeError:
                raise TypeError("scan(): line %d is %s, not str or bytes"
                                % (index, type(line).__name__)) from None
        append(line)
        if not line.endswith(b"\n"):
            append(b"\n")
        if len(batch) >= _SCAN_BATCH:
            feed(scanner, b"".join(batch))
            del batch[:]
    if batch:
        feed(scanner, b"".join(batch))


def _scan(source, index, what):
    db = index.source.db
    scanner = _core.smtpc_scanner_new(db)
    feed = _core.smtpc_scanner_feed
    try:
        if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
            with open(source, "rb", buffering=0) as f:
                _feed_file(feed, scanner, f.read)
        elif hasattr(source, "read"):
            _feed_file(feed, scanner, source.read)
        else:
            try:
                lines = iter(source)
            except TypeError:
                raise TypeError(
                    "%s takes a path, a binary or text file, or an iterable of lines (str or "
                    "bytes), not %s" % (what, type(source).__name__)) from None
            _feed_lines(feed, scanner, lines)
        _core.smtpc_scanner_finish(scanner)
    except _core.Error as e:
        _raise_core_error(e)
    rows = []
    for i in range(_core.smtpc_scanner_row_count(scanner)):
        code, enhanced, count, sample, entry, enhanced_entry, action = (
            _core.smtpc_scanner_row(scanner, i).fields())
        entry = index.get(entry) if entry else None
        if enhanced_entry:
            enhanced_entry = index._text(enhanced[0] + enhanced_entry[1:])
        rows.append(tuple.__new__(ScanRow, (
            code, enhanced or None, count, entry.name if entry is not None else None,
            _core.smtpc_action_name(action), sample.decode("utf-8", "replace"), entry,
            enhanced_entry or None)))
    summary = object.__new__(ScanSummary)
    _set_scan["lines"](summary, _core.smtpc_scanner_lines(scanner))
    _set_scan["replies"](summary, _core.smtpc_scanner_replies(scanner))
    _set_scan["skipped"](summary, _core.smtpc_scanner_skipped(scanner))
    _set_scan["rows"](summary, tuple(rows))
    _set_scan["_scanner"](summary, scanner)
    _set_scan["_source"](summary, index.source)
    return summary


# ------------------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------------------


class _Source:
    """One core database and what is read from it once: the entry facts and group names.

    Code objects point here, not to their Database, so that no reference cycle keeps a
    loaded database alive: the core's memory is freed as soon as the last Database, Code or
    Comparison that uses it goes away.
    """

    __slots__ = ("db", "path", "alone", "facts", "groups", "__weakref__")

    def __init__(self, db, path, alone):
        self.db = db
        self.path = path
        self.alone = alone
        self.facts = {}
        self.groups = {}

    def group_name(self, kind, number, enhanced_class=False):
        """The name of a class, category or subject ("" when the table lacks it)."""
        key = (kind, number, enhanced_class)
        name = self.groups.get(key)
        if name is None:
            try:
                group = _core.smtpc_group_lookup(self.db, kind, number)
                name = group.alt_name if enhanced_class else group.name
            except _core.Error:
                name = ""
            self.groups[key] = name
        return name

    def __reduce__(self):
        # Codes and comparisons pickle with their source, which unpickles as a Database:
        # the default one of the unpickling process, or the data file loaded again (once per
        # pickle, however many codes it holds).
        if self is database._source:
            return (_default_database, ())
        return (_reload_database, (self.path, self.alone))


class Database:
    """A set of codes: the default database (``smtpcodes.database``) or one from ``load()``.

    The module-level functions ``lookup``, ``lookup_closest``, ``codes``, ``compare`` and
    ``languages`` are those of the default database. A Database is also a read-only
    collection: ``len(db)``, ``421 in db``, ``db[421]`` and iteration over its entries in code
    order. Databases can be used from any number of threads.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("use smtpcodes.load(path) to open a data file")

    def _open(self, db, path, alone):
        source = _Source(db, path, alone)
        index = _Index()
        index.source = source
        entries = []
        for i in range(_core.smtpc_db_count(db)):
            e = _core.smtpc_db_entry(db, i)
            fields = e.fields()
            facts = _entry_facts(fields)
            source.facts[facts["entry"]] = facts
            kind, klass, category, detail, conforming = fields[1]
            code = _new_code(
                source, e, facts["entry"], _KINDS[kind], klass, category, detail,
                bool(conforming), facts,
            )
            entries.append(code)
            index[code.code] = code
            if code.is_basic:
                index[code._hash] = code
        self._source = source
        self._index = index
        self._entries = tuple(entries)
        self._codes = {}
        self._languages = tuple(
            _core.smtpc_language_tag(db, i) for i in range(_core.smtpc_language_count(db))
        )
        # The instance attribute is the C lookup function bound to this database's index;
        # it takes precedence over the documented method below, which only delegates to it.
        self.lookup = _core.bind_lookup(index, __name__)
        # Likewise parse_reply, the C function bound to this database's reply context.
        self._reply_ctx = _core.reply_context(db, index, Reply, ReplyError, IncompleteReplyError)
        self.parse_reply = _core.bind_parse_reply(self._reply_ctx, __name__)
        return self

    @property
    def path(self):
        """The data file this database was loaded from, or None for the default database
        when SMTPCODES_DATA is not set."""
        return self._source.path

    def lookup(self, code):
        """Returns the Code object for ``code``.

        ``code`` is a reply code (421 or "421"), an enhanced status code ("5.7.1", "X.7.1"),
        an smtplib reply tuple such as (550, b"5.1.1 ..."), an smtplib.SMTPResponseException
        or a Code. An enhanced code keeps the class it is written with:
        ``lookup("4.7.1").is_transient`` is True.

        Raises UnknownCodeError (a LookupError and ValueError) for a well-formed code the
        database does not describe, InvalidCodeError (a ValueError) for a value that is no
        code, and TypeError for any other type (bool and float included).
        """
        return self.lookup(code)  # the bound C function set by _open()

    def lookup_closest(self, code):
        """Returns ``(Code, exact)``: the code's entry and True, or for an unregistered
        enhanced code the closest registered one and False. RFC 3463 section 3.1: an unknown
        detail is read by its subject (X.S.0), an unknown subject by its class (X.0.0); the
        result keeps the class digit as written ("5.7.650" gives 5.7.0). Basic codes do not
        fall back: an unknown one raises UnknownCodeError."""
        return self._index.closest(code)

    def codes(self, klass=None, kind=None):
        """Returns a tuple of Codes in code order: every entry, or those of one class.

        ``klass`` is None (every entry; enhanced codes in their X.S.D form) or a class digit
        2, 3, 4 or 5: then the basic codes of that class and the enhanced codes meant for it,
        written with that class digit ("5.1.1"), so that every one has ``klass == klass``.
        ``kind`` is None (both), "basic" or "enhanced".
        """
        if klass is not None:
            if isinstance(klass, bool) or not isinstance(klass, int):
                raise TypeError("klass must be an int or None, not %s" % type(klass).__name__)
            if klass not in (2, 3, 4, 5):
                raise ValueError("klass must be a reply class, 2, 3, 4 or 5, not %d" % klass)
        if kind is not None:
            if not isinstance(kind, str):
                raise TypeError("kind must be a str or None, not %s" % type(kind).__name__)
            if kind not in ("basic", "enhanced"):
                raise ValueError("kind must be 'basic' or 'enhanced', not %r" % (kind,))
        key = (klass, kind)
        found = self._codes.get(key)
        if found is not None:
            return found
        found = []
        for code in self._entries:
            if kind is not None and code.kind != kind:
                continue
            if klass is None:
                found.append(code)
            elif code.is_basic:
                if code.klass == klass:
                    found.append(code)
            elif klass in code.classes:
                found.append(self._index.resolve(str(klass) + code.code[1:]))
        found = tuple(found)
        self._codes[key] = found
        return found

    def compare(self, a, b, lang="en"):
        """Compares two codes; returns a Comparison (lower code first).

        ``a`` and ``b`` are anything lookup() accepts; an enhanced code keeps the class it is
        written with. ``lang`` is a language tag for the section labels ("en", "pt-BR",
        "zh"; see languages()). Raises what lookup() raises for a bad code,
        UnknownLanguageError for a tag without labels, and SameCodeError when both are one
        code.
        """
        first = self.lookup(a)
        second = self.lookup(b)
        _check_lang(lang)
        try:
            cmp = _core.smtpc_compare(self._source.db, first.code, second.code, lang)
        except _core.Error as e:
            _raise_core_error(e, lang=lang, comparing=True)
        except UnicodeEncodeError:  # the codes are ASCII: the language tag is not text
            raise UnknownLanguageError(lang) from None
        index = self._index
        obj = object.__new__(Comparison)
        _set_cmp["_cmp"](obj, cmp)
        _set_cmp["_source"](obj, self._source)
        _set_cmp["first"](obj, index.resolve(_core.smtpc_comparison_code(cmp, 0)))
        _set_cmp["second"](obj, index.resolve(_core.smtpc_comparison_code(cmp, 1)))
        _set_cmp["lang"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_LANG))
        _set_cmp["title"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_TITLE))
        _set_cmp["intro"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_INTRO))
        _set_cmp["usage"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_USAGE))
        _set_cmp["labels"](
            obj,
            Labels(_core.smtpc_comparison_label(cmp, i) for i in range(_core.SMTPC_LABEL_COUNT)),
        )
        _set_cmp["differences"](
            obj,
            tuple(
                Difference(
                    (
                        _core.smtpc_comparison_difference_kind(cmp, i),
                        _core.smtpc_comparison_difference(cmp, i),
                    )
                )
                for i in range(_core.smtpc_comparison_difference_count(cmp))
            ),
        )
        _set_cmp["references"](
            obj,
            tuple(
                _core.smtpc_comparison_reference(cmp, i)
                for i in range(_core.smtpc_comparison_reference_count(cmp))
            ),
        )
        return obj

    def languages(self):
        """The language tags the comparison labels exist in ("en", "zh-hans", ...)."""
        return self._languages

    def parse_reply(self, data, /, *, complete=True, strict=False, embedded=False,
                    command=None):
        """Parses one SMTP reply from the start of ``data`` and classifies it; returns a Reply.

        ``data`` is bytes (as read from the socket; any bytes-like object) or str. It holds one
        reply of one or more lines ("250-..." continuation lines, then a final "250 ..." line
        or a bare "250"), CRLF or bare LF, with an optional enhanced status code at the start
        of each line's text (RFC 5321 section 4.2, RFC 2034). What follows the reply (a next
        pipelined reply) is left alone; ``Reply.consumed`` says where it starts.

        ``complete``: the data is all there is (the default), so a last line without a line
        end is complete. With ``complete=False``, a reply that needs more input raises
        IncompleteReplyError, whose ``needed`` is the least number of further bytes.
        ``strict``: refuse lines over 512 octets (RFC 5321 section 4.5.3.1.5); they are
        otherwise accepted with the warning "long-line". ``embedded``: the reply is inside a
        log or bounce line (Postfix's "said: 550 ...", "reject: ...: 554 ...", "status=sent
        (250 ...)", a DSN's "Diagnostic-Code: smtp; 550 ..."): the first line of ``data`` is
        searched for it. ``command``: the command the reply answered ("RCPT", "MAIL",
        "DATA", ...), for the classification (a 552 answering RCPT is retried); default: the
        command the text names, if any.

        Raises ReplyError (a ValueError, with ``line``, ``column`` and ``reason``) for data
        that is not a well-formed reply, and TypeError for data that is neither str nor bytes.
        """
        return self.parse_reply(  # the bound C function set by _open()
            data, complete=complete, strict=strict, embedded=embedded, command=command)

    def reply_parser(self, *, strict=False, embedded=False, command=None):
        """A ReplyParser for a stream of replies, looked up in this database."""
        return ReplyParser(strict=strict, embedded=embedded, command=command, database=self)

    def classify(self, reply, command=None):
        """What a client should do about a reply; returns a Verdict (action, rule, reason,
        flags).

        ``reply`` is a Reply, the text of a reply (str or bytes, parsed as parse_reply()
        does), an smtplib reply tuple ``(550, b"5.1.1 ...")``, an
        smtplib.SMTPResponseException (its smtp_code and smtp_error), or a reply code (an int
        or a basic Code). ``command`` is the command it answered ("RCPT", "MAIL", "DATA",
        ...); by default the one the reply names, and for smtplib's SMTPSenderRefused,
        SMTPHeloError, SMTPAuthenticationError and SMTPDataError the command they are about.

        The first digit decides (RFC 5321 section 4.2.1: 2 done, 3 continue, 4 retry, 5 give
        up), except that a 552 answering RCPT is retried (too many recipients, RFC 5321
        section 4.5.3.1.10), a 5xx reply with X.2.2 is retried (mailbox full, RFC 3463
        section 3.3), a reply whose enhanced class disagrees is decided by the reply code and
        flagged, and an unknown code is decided by its first digit and flagged.

        Raises ReplyError for text that is no reply or a code outside 200-599, and TypeError
        for anything else.
        """
        return _classify(self, reply, command)

    def build_reply(self, code, enhanced=None, text=None):
        """The wire form of a reply, as a server sends it: ``"550 5.7.1 text\\r\\n"``, or
        "550-" continuation lines when the text does not fit in 512 octets (RFC 5321 section
        4.5.3.1.5), the enhanced code repeated on every line (RFC 2034 section 4). Lines
        break after a space where there is one, so that parse_reply() reads back the same
        code, enhanced code and text (``"".join(reply.lines) == text``).

        ``code`` is a reply code 200-599 (an int, "550" or a basic Code); ``enhanced`` an
        enhanced code with the class of ``code`` ("5.7.1", or a Code), or None; ``text`` the
        text (printable ASCII, spaces and tabs only: RFC 5321's textstring), or None or ""
        for the database's wording (the registry's text of the enhanced code, else the name
        of the reply code).

        Raises ReplyBuildError (a ValueError, with ``reason`` and ``column``) for what RFC
        5321 does not allow: a code outside 200-599, an enhanced code of another class, text
        with CR, LF, other control characters or non-ASCII characters, text that starts like
        an enhanced code when none is given. TypeError for arguments of the wrong type.
        """
        return _build_reply(self._source.db, code, enhanced, text)

    def scan(self, source):
        """Counts the SMTP replies in a mail log or bounce messages; returns a ScanSummary.

        ``source`` is a path (str, bytes, os.PathLike), a file object open for reading
        (binary is best; a text file's str is read as UTF-8), or an iterable of lines (str or
        bytes, with or without their line ends; a list, a generator). Files are read in
        chunks of a megabyte, which the C scanner reads without the GIL; memory does not
        grow with the input. Each line is read as ``parse_reply(line, embedded=True)``
        reads it (Postfix's "said: 550 ...", "status=sent (250 ...)", "Diagnostic-Code:
        smtp; 550 ...").

        Raises OSError (FileNotFoundError, IsADirectoryError, ...) for a path that cannot be
        read, TypeError for a source of another kind or a line that is not str or bytes.
        """
        return _scan(source, self._index, "scan()")

    def resolve_language(self, lang):
        """The database's canonical tag for ``lang``: case is ignored, "_" counts as "-",
        a region the database lacks falls back to the language ("pt-BR" gives "pt"), and
        "zh", "zh-CN" and "zh-SG" give "zh-hans". Raises UnknownLanguageError."""
        try:
            return _core.smtpc_language_resolve(self._source.db, _check_lang(lang))
        except _core.Error as e:
            _raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None

    def __len__(self):
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def __contains__(self, code):
        try:
            self.lookup(code)
        except (UnknownCodeError, InvalidCodeError, TypeError):
            return False
        return True

    def __getitem__(self, code):
        return self.lookup(code)

    def __repr__(self):
        path = self._source.path
        return "<Database %s, %d entries>" % (
            repr(path) if path else "built-in",
            len(self._entries),
        )

    def __reduce__(self):
        return self._source.__reduce__()


def _default_database():
    """Unpickles the default database: the one of the unpickling process."""
    return database


def _reload_database(path, alone):
    """Unpickles a loaded database: loads its file again."""
    return load(path, alone=alone)


def load(path, *, alone=False):
    """Opens the data file at ``path`` (format: docs/data-format.md) as a new Database.

    The file is laid over the built-in database: each of its records replaces the built-in
    record with the same key or is added. With ``alone=True`` the file alone is the whole
    database. ``path`` is a str, bytes or os.PathLike.

    Raises DataError (a ValueError, with filename, line and column) for a file that breaks the
    format, and OSError (FileNotFoundError, PermissionError, ...) for one that cannot be read.
    Nothing is half-loaded: a failed load leaves no database behind.
    """
    if not isinstance(alone, bool):
        raise TypeError("alone must be a bool, not %s" % type(alone).__name__)
    path = os.fspath(path)
    flags = _core.SMTPC_LOAD_ALONE if alone else _core.SMTPC_LOAD_OVERLAY
    try:
        db = _core.smtpc_db_load(path, flags)
    except _core.Error as e:
        _raise_core_error(e, path=path)
    return object.__new__(Database)._open(db, path, alone)


def _open_default():
    try:
        db = _core.smtpc_db_from_env()
    except _core.Error as e:
        _raise_core_error(e, path=os.environ.get("SMTPCODES_DATA") or None)
    return object.__new__(Database)._open(db, os.environ.get("SMTPCODES_DATA") or None, False)


database = _open_default()
"""The default Database: the built-in one, laid over with the file named by SMTPCODES_DATA
(when that is set and not empty at import)."""

lookup = database.lookup


def lookup_closest(code):
    """Returns ``(Code, exact)`` for ``code`` in the default database; see
    Database.lookup_closest()."""
    return database._index.closest(code)


def codes(klass=None, kind=None):
    """Returns the Codes of the default database in code order; see Database.codes()."""
    return database.codes(klass, kind)


def compare(a, b, lang="en"):
    """Compares two codes in the default database; returns a Comparison (lower code first).

    ``a`` and ``b`` are anything lookup() accepts. ``lang`` is a language tag for the section
    labels (see languages()). ``str(comparison)`` is the text page.
    """
    return database.compare(a, b, lang)


def languages():
    """The language tags of the default database ("en", "zh-hans", ...)."""
    return database._languages


parse_reply = database.parse_reply


def reply_parser(*, strict=False, embedded=False, command=None):
    """A ReplyParser for a stream of replies in the default database; see ReplyParser."""
    return ReplyParser(strict=strict, embedded=embedded, command=command, database=database)


def classify(reply, command=None):
    """What a client should do about a reply; returns a Verdict. See Database.classify()."""
    return _classify(database, reply, command)


def build_reply(code, enhanced=None, text=None):
    """The wire form of a reply ("550 5.7.1 text\\r\\n"); see Database.build_reply()."""
    return _build_reply(database._source.db, code, enhanced, text)


def scan(source):
    """Counts the SMTP replies in a mail log or bounce messages; returns a ScanSummary. See
    Database.scan()."""
    return _scan(source, database._index, "scan()")
