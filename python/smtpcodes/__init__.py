"""SMTP reply codes and enhanced status codes, explained and compared.

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

The database is the built-in one, laid over with the data file named by the environment
variable ``SMTPCODES_DATA`` when it is set (read at import). ``smtpcodes.load(path)`` opens
another data file as a separate ``Database`` with the same methods.
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
    "InvalidCodeError",
    "Labels",
    "SameCodeError",
    "UnknownCodeError",
    "UnknownLanguageError",
    "codes",
    "compare",
    "database",
    "languages",
    "load",
    "lookup",
    "lookup_closest",
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
