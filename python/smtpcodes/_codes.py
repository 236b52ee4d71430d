"""Codes: the Code objects, the index behind lookup(), and the core's names."""

from __future__ import annotations

import sys
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple, Union

from . import _core
from ._errors import (InvalidCodeError, UnknownCodeError, UnknownLanguageError,
                      raise_core_error)

if TYPE_CHECKING:
    from ._database import Source


def _names(which: int) -> Dict[int, str]:
    """The names of enumeration ``which`` (SMTPC_ENUM_*), by value, as the core has them."""
    return dict(_core.smtpc_enum_at(which, i) for i in range(_core.smtpc_enum_count(which)))


KINDS = _names(_core.SMTPC_ENUM_KIND)
FORMATS = _names(_core.SMTPC_ENUM_FORMAT)
DIRECTIONS = _names(_core.SMTPC_ENUM_DIRECTION)
# The texts of an entry a reader reads, each translated by a language's catalog, by name.
TEXTS = {name: value for value, name in _names(_core.SMTPC_ENUM_TEXT).items()}


def format_id(format: str) -> int:
    """The core's value of a format name ("text", "markdown" or "md", "html", "json", in any
    case): smtpc_format_parse()."""
    if not isinstance(format, str):
        raise TypeError("format must be a str, not %s" % type(format).__name__)
    try:
        return int(_core.smtpc_format_parse(format))
    except _core.Error as e:
        raise_core_error(e, format=format)
    except UnicodeEncodeError:
        raise ValueError("unknown format %r" % (format,)) from None


def check_lang(lang: str) -> str:
    if not isinstance(lang, str):
        raise TypeError("lang must be a language tag (str), not %s" % type(lang).__name__)
    return lang


def text_id(which: str) -> int:
    """The core's value of a text's name ("name", "aliases", "description", "when", "fix",
    "note"; enum smtpc_text)."""
    if not isinstance(which, str):
        raise TypeError("which must be a str, not %s" % type(which).__name__)
    found = TEXTS.get(which)
    if found is None:
        raise ValueError("which must be one of %s, not %r"
                         % (", ".join(map(repr, TEXTS)), which))
    return found


class Rendered:
    """What every object the core renders shares: its JSON as a dict, and its HTML for
    Jupyter, both from ``render()``."""

    __slots__ = ()

    def render(self, format: str = "text") -> str:
        raise NotImplementedError

    def to_dict(self) -> Dict[str, Any]:
        """The JSON rendering as a dict, ready for json.dumps(): exactly what the CLI prints
        with ``--format json`` (docs/json.md)."""
        import json

        data: Dict[str, Any] = json.loads(self.render("json"))
        return data

    def _repr_html_(self) -> str:
        """Jupyter's rich display: the HTML rendering (in English)."""
        return self.render("html")


class Code(Rendered):
    """One SMTP reply code or enhanced status code and everything the database says about it.

    Get one with ``smtpcodes.lookup(code)`` (or ``Code(code)``, which is the same); never
    build one by hand. Code objects are immutable and there is one object per code and
    database, so ``lookup(421) is lookup("421")``.

    A basic code is a BasicCode, an int subclass like http.HTTPStatus: it equals, hashes,
    formats (``f"{code:d}"``, ``"%d" % code``), computes (``code // 100``) and serialises
    (``json.dumps``) like its int. An enhanced code is an EnhancedCode, not a number. Any code
    equals the Code of the same code text. Codes sort in code order: basic codes by number,
    then enhanced codes by subject and detail. ``str()`` gives the code text ("421",
    "5.7.1"). They pickle by their code text, so they travel to worker processes cheaply.

    An enhanced code written with a class digit ("4.7.1") keeps that class (``klass`` 4,
    ``is_transient``, ``retry`` "later") and shares every other fact with its registry entry
    ("X.7.1", class 0).

    Attributes (all read-only):

    - ``code``: the code as text, "421", "5.7.1" or "X.7.1"; ``entry``: the database entry
      that describes it ("421", or "X.7.1" for "5.7.1"); ``kind``: "basic" or "enhanced".
    - ``klass``, ``category``, ``detail``: the class digit (0 for X.S.D), the second digit or
      subject, the third digit or detail; ``conforming``: False for a code that breaks RFC
      5321's syntax (a second digit 6-9).
    - ``classes``: the classes the entry is meant for, (4,) for 421, (4, 5) for X.7.1.
    - ``class_name``, ``category_name``: the names of its class ("Transient Negative";
      "Permanent Failure" for an enhanced 5.S.D, after RFC 3463; "" for X.S.D) and category
      or subject ("Connections", "Security or Policy Status"; "" when there is none).
    - ``name`` ("Service Not Available": the meaning its RFC gives it), ``aliases`` (a tuple
      of narrower names it also goes by, ("Mailbox Not Found",)), ``slug``
      ("service-not-available").
    - ``origin``: "rfc", "registry" (cited only by the IANA registry), "nonstandard", or
      "provider" for a provider's own meaning; ``provider``: that provider's slug
      ("microsoft"), None for the standard meaning. ``meaning(code, host=...)`` finds the
      provider's meaning of a code, ``provider_meanings()`` lists them all.
    - ``description``, ``when``, ``fix``: sentences; ``references``: a tuple of str.
      These and the other texts a reader reads are in English, the data's language;
      ``text(which, lang)`` gives one in another language, ``translated(which, lang)`` says
      whether the language's catalog has it.
    - ``retry``: what a client should do about the request it answered, for the code as
      written: "none", "later", "after-fix" or "no".
    - ``connection``: "kept", "closed" or "may-close"; None when unspecified.
    - ``commands``: the commands or phases it answers, ("CONNECT", "ANY"); ``enhanced``:
      the enhanced codes usually sent with a basic code; ``sample``, ``associated``, ``see``,
      ``note``: texts, "" when absent; ``exceptions``: the consistency rules of the data this
      entry departs from, each "rule: why" (docs/data-format.md).
    - ``is_basic``, ``is_enhanced``, ``is_positive`` (class 2 or 3), ``is_success`` (2),
      ``is_intermediate`` (3), ``is_negative`` (4 or 5), ``is_transient`` (4:
      a temporary failure, the same request may succeed later), ``is_permanent`` (5: a
      permanent failure), ``is_standard`` (origin neither "nonstandard" nor "provider").
    """

    __slots__ = ()

    code: str
    entry: str
    kind: str
    klass: int
    category: int
    detail: int
    conforming: bool
    classes: Tuple[int, ...]
    class_name: str
    category_name: str
    name: str
    aliases: Tuple[str, ...]
    slug: str
    origin: str
    description: str
    when: str
    fix: str
    references: Tuple[str, ...]
    retry: str
    connection: Optional[str]
    commands: Tuple[str, ...]
    enhanced: Tuple[str, ...]
    sample: str
    associated: str
    see: str
    note: str
    exceptions: Tuple[str, ...]
    provider: Optional[str]
    is_basic: bool
    is_enhanced: bool
    is_positive: bool
    is_success: bool
    is_intermediate: bool
    is_negative: bool
    is_transient: bool
    is_permanent: bool
    is_standard: bool
    _source: "Source"

    def __new__(cls, code: Any) -> "Code":
        """``Code(x)`` is ``smtpcodes.lookup(x)``."""
        from ._database import database

        found: Code = database.lookup(code)
        return found

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Code objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Code objects are immutable")

    def __repr__(self) -> str:
        return "<Code %s %s>" % (self.code, self.name)

    def __str__(self) -> str:
        return self.code

    def __reduce__(self) -> Tuple[Any, ...]:
        if self.provider is not None:
            return (_restore_code, (self.code, self._source, self.provider))
        return (_restore_code, (self.code, self._source))

    def __copy__(self) -> "Code":
        return self

    def __deepcopy__(self, memo: Any) -> "Code":
        return self

    def text(self, which: str, lang: str = "en") -> str:
        """Text ``which`` of this code in language ``lang``: "name", "aliases" (the names
        joined with "; ", "" when none), "description", "when", "fix" or "note" ("" when
        none). Where the language's catalog has no translation of it (or one made for other
        English: a stale one), the English text; ``translated()`` tells which. ``lang`` is a
        tag as compare() takes it ("vi", "pt-BR").

        Raises UnknownLanguageError for a tag the database lacks, ValueError for another
        ``which``, TypeError for arguments that are not str."""
        return self._text(which, lang)[0]

    def translated(self, which: str, lang: str) -> bool:
        """True when ``text(which, lang)`` is in language ``lang`` itself, False when it fell
        back to English. English, and an empty text, count as translated. Raises as text()
        does."""
        return self._text(which, lang)[1]

    def _text(self, which: str, lang: str) -> Tuple[str, bool]:
        text = text_id(which)
        check_lang(lang)
        db = self._source.db
        try:
            # The entry behind this Code, the provider's own for a provider's meaning.
            entry = _core.smtpc_lookup_provider(db, self.provider, self.code)
            found: Tuple[str, bool] = _core.smtpc_entry_text(db, entry, text, lang)
        except _core.Error as e:
            raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None
        return found

    def render(self, format: str = "text", lang: str = "en") -> str:
        """The page about this code (what ``smtpcodes show`` prints) in ``format`` ("text",
        "markdown" or "md", "html" or "json", in any case), in language ``lang``: its labels
        and texts as the language's catalog translates them, English where it has no
        translation (the JSON's ``lang`` marks those). An enhanced code keeps the class it
        is written with."""
        fmt = format_id(format)
        try:
            return str(_core.smtpc_render_code_provider(self._source.db, self.provider,
                                                        self.code, check_lang(lang), fmt))
        except _core.Error as e:
            raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None

    def to_text(self, lang: str = "en") -> str:
        """The page about this code as plain text; see render()."""
        return self.render("text", lang)

    def to_markdown(self, lang: str = "en") -> str:
        """The page about this code as CommonMark, references as links; see render()."""
        return self.render("markdown", lang)

    def to_html(self, lang: str = "en") -> str:
        """The page about this code as a self-contained HTML fragment; see render()."""
        return self.render("html", lang)

    def provider_meanings(self) -> Tuple["Code", ...]:
        """The meanings providers give this code of their own, one Code per provider (its
        ``provider`` set), in the order of their slugs: ``lookup("5.7.29")`` is the
        registry's ARC failure, and Gmail's meaning is "No TLS, Blocked". Only an enhanced
        code written with its class has any; () when no provider gives it one."""
        slugs = _core.smtpc_py_provider_meanings(self._source.db, self.code)
        return tuple(provider_meaning(self._source, self.code, slug) for slug in slugs)



if TYPE_CHECKING:
    _BasicBase = int
else:
    _BasicBase = _core.BasicBase


class BasicCode(Code, _BasicBase):
    """A three-digit reply code (421): a Code that is also its int, like http.HTTPStatus."""

    # The facts are the slots of the C base (an int), not an instance dict: see
    # bindings/python/lookup.c.
    __slots__ = ()

    __eq__ = int.__eq__
    __ne__ = int.__ne__
    __lt__ = int.__lt__
    __le__ = int.__le__
    __gt__ = int.__gt__
    __ge__ = int.__ge__
    __hash__ = int.__hash__


class EnhancedCode(Code):
    """An enhanced status code ("5.7.1", "X.7.1"): a Code with no int value."""

    _hash: int
    _key: Tuple[int, int, int, int]

    def __int__(self) -> int:
        raise TypeError("%s is an enhanced status code: it has no int value" % self.code)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EnhancedCode):
            return self.code == other.code and self.provider == other.provider
        if isinstance(other, Code):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Code):
            return not self.__eq__(other)
        return NotImplemented

    def _order(self, other: object) -> Optional[Tuple[int, int, int, int]]:
        if isinstance(other, EnhancedCode):
            return other._key
        if isinstance(other, BasicCode):
            return (0, int(other), 0, 0)
        return None

    def __lt__(self, other: object) -> bool:
        key = self._order(other)
        return NotImplemented if key is None else self._key < key

    def __le__(self, other: object) -> bool:
        key = self._order(other)
        return NotImplemented if key is None else self._key <= key

    def __gt__(self, other: object) -> bool:
        key = self._order(other)
        return NotImplemented if key is None else self._key > key

    def __ge__(self, other: object) -> bool:
        key = self._order(other)
        return NotImplemented if key is None else self._key >= key


def new_code(source: "Source", entry: Any, text: str) -> Code:
    """Builds the Code of ``text`` (a code as written, canonical) whose database entry is
    ``entry``: every fact comes from the core in one call (smtpc_py_code_facts)."""
    facts = _core.smtpc_py_code_facts(source.db, entry, text)
    klass = facts["klass"]
    basic = facts["kind"] == "basic"
    facts.update(
        is_basic=basic,
        is_enhanced=not basic,
        is_positive=klass in (2, 3),
        is_success=klass == 2,
        is_intermediate=klass == 3,
        is_negative=klass in (4, 5),
        is_transient=klass == 4,
        is_permanent=klass == 5,
        is_standard=facts["origin"] not in ("nonstandard", "provider"),
        _source=source,
    )
    if basic:
        number = klass * 100 + facts["category"] * 10 + facts["detail"]
        found: Code = _core.basic_code(BasicCode, number, facts)
        return found
    obj = object.__new__(EnhancedCode)
    facts["_key"] = (1, facts["category"], facts["detail"], klass)
    # A provider's meaning of a code is another Code than the standard one of the same text.
    provider = facts["provider"]
    facts["_hash"] = hash(facts["code"] if provider is None else (facts["code"], provider))
    obj.__dict__.update(facts)
    return obj


def _restore_code(code: str, db: Any, provider: Optional[str] = None) -> Code:
    """Unpickles a Code: looks its code text up again in ``db``, as ``provider`` means it."""
    found: Code = db.meaning(code, provider=provider) if provider else db.lookup(code)
    return found


def provider_meaning(source: "Source", text: str, slug: str) -> Code:
    """The Code of ``text`` (canonical) as provider ``slug`` means it: from the index of the
    source's database while that lives, else built anew."""
    index = source.index() if source.index is not None else None
    if index is not None:
        return index.meaning(text, slug)
    entry = _core.smtpc_lookup_provider(source.db, slug, text)
    return new_code(source, entry, text)


def smtplib_exception(value: object, name: str = "SMTPResponseException") -> bool:
    """True for an smtplib exception of class ``name``. smtplib is not imported for this: an
    object cannot be one unless smtplib has been imported already."""
    smtplib = sys.modules.get("smtplib")
    return smtplib is not None and isinstance(value, getattr(smtplib, name))


_TYPE_MESSAGE = (
    "expected an SMTP code: an int, a str, an smtplib reply tuple (code, message), an "
    "smtplib.SMTPResponseException or SMTPRecipientsRefused, or a Code, not %s"
)


class Index(dict):  # type: ignore[type-arg]
    """Every known code of one database by int (basic codes) and by canonical text.

    The C function from _core.bind_lookup() answers exact int and str keys straight from this
    dict and calls resolve() for everything else. resolve() adds the codes written with a
    class digit ("5.7.1") as they are first asked for, so each is built once.
    """

    __slots__ = ("source", "provider_codes", "__weakref__")
    source: "Source"
    provider_codes: Dict[Tuple[str, str], Code]

    def resolve(self, code: Any) -> Union[Code, Dict[Any, Code]]:
        """Validates and looks up anything lookup() did not find as an exact key."""
        if isinstance(code, Code):
            if code._source is self.source:
                return code
            return self.text(code.code)
        if isinstance(code, (bool, float)):
            raise TypeError(_TYPE_MESSAGE % type(code).__name__)
        if isinstance(code, int):
            return self.number(int(code), code)
        if isinstance(code, str):
            return self.text(str(code))
        if isinstance(code, tuple):
            if (len(code) == 2 and isinstance(code[0], int) and not isinstance(code[0], bool)
                    and isinstance(code[1], (bytes, str))):
                return self.number(int(code[0]), code[0])
            raise TypeError(
                "an smtplib reply tuple is (code: int, message: bytes or str), not %r"
                % (code,))
        if smtplib_exception(code):
            return self.resolve(code.smtp_code)
        if smtplib_exception(code, "SMTPRecipientsRefused"):
            return {addr: self.resolve(reply) for addr, reply in code.recipients.items()}
        if hasattr(type(code), "__index__"):  # numpy integers and the like
            import operator

            return self.number(operator.index(code), code)
        raise TypeError(_TYPE_MESSAGE % type(code).__name__)

    def number(self, number: int, given: Any) -> Code:
        hit = self.get(number)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        in_c_range = -(2**31) <= number < 2**31
        try:
            if in_c_range:
                entry = _core.smtpc_lookup_number(self.source.db, number)
            else:
                entry = _core.smtpc_lookup(self.source.db, str(number))
        except _core.Error as e:
            raise_core_error(e, code=given, canonical=str(number),
                             number_message=in_c_range)
        return self[entry.code]  # type: ignore[no-any-return]

    def text(self, text: str) -> Code:
        hit = self.get(text)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        try:
            parsed = _core.smtpc_code_parse(text)
        except _core.Error as e:
            raise_core_error(e, code=text)
        except UnicodeEncodeError as e:  # a lone surrogate: not text, so not a code
            raise InvalidCodeError(text, "not valid Unicode", e.start + 1) from None
        canonical = _core.smtpc_code_format(parsed)
        hit = self.get(canonical)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        try:
            entry = _core.smtpc_lookup(self.source.db, canonical)
        except _core.Error as e:
            raise_core_error(e, code=text, canonical=canonical)
        if entry.provider:
            # A code only a provider describes ("5.7.708"): its Code is that provider's.
            return self.setdefault(  # type: ignore[no-any-return]
                canonical, self.provider_code(entry, canonical))
        # A known enhanced code written with a class digit: built once, from the core.
        return self.setdefault(  # type: ignore[no-any-return]
            canonical, new_code(self.source, entry, canonical))

    def provider_code(self, entry: Any, canonical: str) -> Code:
        """The Code of the provider's entry ``entry`` written as ``canonical``, built once."""
        key = (entry.provider, canonical)
        hit = self.provider_codes.get(key)
        if hit is None:
            hit = self.provider_codes.setdefault(key, new_code(self.source, entry, canonical))
        return hit

    def meaning(self, code: Any, slug: Optional[str]) -> Code:
        """The Code of ``code`` as provider ``slug`` (a known one, or None) means it."""
        if slug is None or isinstance(code, (bool, float)):
            found = self.resolve(code)
            if not isinstance(found, Code):
                raise TypeError(_TYPE_MESSAGE % type(code).__name__)
            if slug is None:
                return found
        if isinstance(code, Code):
            text = code.code
        elif isinstance(code, str) or (isinstance(code, int) and not isinstance(code, bool)):
            text = str(code)
        else:
            found = self.resolve(code)
            if not isinstance(found, Code):
                raise TypeError(_TYPE_MESSAGE % type(code).__name__)
            text = found.code
        try:
            canonical = _core.smtpc_code_format(_core.smtpc_code_parse(text))
        except _core.Error as e:
            raise_core_error(e, code=code)
        except UnicodeEncodeError as e:  # a lone surrogate: not text, so not a code
            raise InvalidCodeError(text, "not valid Unicode", e.start + 1) from None
        try:
            entry = _core.smtpc_lookup_provider(self.source.db, slug, canonical)
        except _core.Error as e:
            raise_core_error(e, code=code, canonical=canonical, provider=slug)
        if not entry.provider:
            return self.text(canonical)
        return self.provider_code(entry, canonical)

    def closest(self, code: Any) -> Tuple[Code, bool]:
        """lookup_closest() for this index's database."""
        try:
            found = self.resolve(code)
        except UnknownCodeError as unknown:
            text = unknown.code
        else:
            if not isinstance(found, Code):
                raise TypeError(_TYPE_MESSAGE % type(code).__name__)
            return found, True
        try:
            entry, exact = _core.smtpc_lookup_closest(self.source.db, text)
        except _core.Error as e:
            raise_core_error(e, code=text, canonical=text)
        return self.entry_code(entry, text), bool(exact)

    def entry_code(self, entry: Any, text: str) -> Code:
        """The Code of the core's entry ``entry``, found for the code ``text``: a provider's
        entry is written as ``text``; a standard one takes the class digit of ``text`` (the
        fallback X.7.0 of "5.7.650" is 5.7.0)."""
        parsed = _core.smtpc_code_parse(text)
        if entry.provider:
            return self.provider_code(entry, _core.smtpc_code_format(parsed))
        written = entry.code if parsed.klass == 0 else str(parsed.klass) + entry.code[1:]
        return self.text(written)


for _cls in (Code, BasicCode, EnhancedCode):
    _cls.__module__ = "smtpcodes"
