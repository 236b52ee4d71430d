"""Databases: the default one, and data files loaded with load()."""

from __future__ import annotations

import os
import weakref
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

    Path = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

from . import _core
from ._bounces import BounceRecord, parse_bounce
from ._codes import DIRECTIONS, KINDS, Code, Index, check_lang, new_code
from ._compare import Comparison, new_comparison
from ._errors import (IncompleteReplyError, InvalidCodeError, ReplyError, UnknownCodeError,
                      UnknownCommandError, UnknownLanguageError, UnknownProviderError,
                      raise_core_error)
from ._providers import Provider, new_provider
from ._replies import Reason, Reply, ReplyParser, Verdict, build_reply, classify, decide_reason
from ._scan import ScanState, ScanSummary, scan, scan_range


class Source:
    """One core database and what is read from it once.

    Code objects point here, not to their Database, so that no reference cycle keeps a
    loaded database alive: the core's memory is freed as soon as the last Database, Code or
    Comparison that uses it goes away.
    """

    __slots__ = ("db", "path", "alone", "catalogs", "index", "__weakref__")

    def __init__(self, db: Any, path: Optional[str], alone: bool,
                 catalogs: Tuple[Any, ...] = ()) -> None:
        self.db = db
        self.path = path
        self.alone = alone
        self.catalogs = catalogs
        # The database's Index, while its Database lives: a weak reference, so that the
        # source's codes do not keep it alive (Code.provider_meanings() builds codes with it).
        self.index: Optional["weakref.ReferenceType[Index]"] = None

    def __reduce__(self) -> Tuple[Any, ...]:
        # Codes and comparisons pickle with their source, which unpickles as a Database:
        # the default one of the unpickling process, or the data file loaded again (once per
        # pickle, however many codes it holds), with its catalogs.
        if self is database._source:
            return (_default_database, ())
        if self.catalogs:
            return (_reload_database, (self.path, self.alone, self.catalogs))
        return (_reload_database, (self.path, self.alone))


class Database:
    """A set of codes: the default database (``smtpcodes.database``) or one from ``load()``.

    The module-level functions ``lookup``, ``lookup_closest``, ``meaning``, ``codes``,
    ``compare``, ``languages``, ``providers``, ``provider_of``, ``parse_reply``, ``classify``,
    ``reason``, ``build_reply`` and ``scan`` are those of the default database. A Database is also a read-only collection: ``len(db)``,
    ``421 in db``, ``db[421]`` and iteration over its entries in code order. Databases can be
    used from any number of threads.
    """

    _source: Source
    _index: Index
    _entries: Tuple[Code, ...]
    _codes: Dict[Tuple[Optional[int], Optional[str]], Tuple[Code, ...]]
    _languages: Tuple[str, ...]
    _providers: Tuple[Provider, ...]
    _reply_ctx: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use smtpcodes.load(path) to open a data file")

    def _open(self, db: Any, path: Optional[str], alone: bool,
              catalogs: Tuple[Any, ...] = ()) -> "Database":
        source = Source(db, path, alone, catalogs)
        index = Index()
        index.source = source
        index.provider_codes = {}
        source.index = weakref.ref(index)
        entries = []
        for i in range(_core.smtpc_db_count(db)):
            entry = _core.smtpc_db_entry(db, i)
            code = new_code(source, entry, entry.code)
            entries.append(code)
            index[code.code] = code
            if code.is_basic:
                index[int(code)] = code
        self._source = source
        self._index = index
        self._entries = tuple(entries)
        self._codes = {}
        # Built at once, as the codes are: a handful of objects, the same ones for every call.
        self._providers = tuple(
            new_provider(source, _core.smtpc_py_provider_facts(_core.smtpc_provider_at(db, i)))
            for i in range(_core.smtpc_provider_count(db)))
        self._languages = tuple(
            _core.smtpc_language_tag(db, i) for i in range(_core.smtpc_language_count(db)))
        # The instance attribute is the C lookup function bound to this database's index;
        # it takes precedence over the documented method below, which only delegates to it.
        self.lookup = _core.bind_lookup(index, "smtpcodes")  # type: ignore[method-assign]
        # Likewise parse_reply, the C function bound to this database's reply context.
        self._reply_ctx = _core.smtpc_py_reply_context(
            db, index, Reply, ReplyError, IncompleteReplyError, UnknownCommandError)
        self.parse_reply = _core.bind_parse_reply(  # type: ignore[method-assign]
            self._reply_ctx, "smtpcodes")
        return self

    @property
    def path(self) -> Optional[str]:
        """The data file this database was loaded from, or None for the default database
        when SMTPCODES_DATA is not set (and the built-in one with catalogs that
        ``with_catalogs()`` gives)."""
        return self._source.path

    @property
    def catalogs(self) -> Tuple[Any, ...]:
        """The catalogs of translations read into this database by load() or
        with_catalogs(), in order; () when it has only the translations it was built with."""
        return self._source.catalogs

    def with_catalogs(self, catalogs: Iterable[Path]) -> "Database":
        """A new Database: this one's data (its data file read again, or the built-in
        database) with its catalogs and then ``catalogs`` read into it, as load() reads
        them. ``smtpcodes.database.with_catalogs(["vi.po"])`` is the default database in
        the Vietnamese of vi.po. Raises as load() does."""
        source = self._source
        return _load(source.path, source.alone, source.catalogs + _catalog_paths(catalogs))

    def lookup(self, code: Any) -> Code:
        """Returns the Code object for ``code``.

        ``code`` is a reply code (421 or "421"), an enhanced status code ("5.7.1", "X.7.1";
        white space around it is ignored, so a line read from a file works), an smtplib
        reply tuple such as (550, b"5.1.1 ..."), an smtplib.SMTPResponseException or a Code.
        An enhanced code keeps the class it is written with: ``lookup("4.7.1").is_transient``
        is True. For an smtplib.SMTPRecipientsRefused it returns a dict from each refused
        recipient to the Code of its reply.

        Raises UnknownCodeError (a LookupError and ValueError) for a well-formed code the
        database does not describe, InvalidCodeError (a ValueError, with the column the core
        points at) for a value that is no code, and TypeError for any other type (bool and
        float included).
        """
        return self.lookup(code)  # the bound C function set by _open()

    def lookup_closest(self, code: Any) -> Tuple[Code, bool]:
        """Returns ``(Code, exact)``: the code's entry and True, or for an unregistered
        enhanced code the closest registered one and False. RFC 3463 section 2: an unknown
        detail is read by its subject (X.S.0), an unknown subject by its class (X.0.0); the
        result keeps the class digit as written ("5.7.650" gives 5.7.0). Basic codes do not
        fall back: an unknown one raises UnknownCodeError."""
        return self._index.closest(code)

    def meaning(self, code: Any, host: Optional[str] = None,
                provider: Optional[str] = None) -> Code:
        """Returns the Code for ``code`` as the provider a reply came from means it.

        ``host`` is the server the code came from ("mx.google.com", "contoso-com.mail.
        protection.outlook.com", an address at its domain, a DSN's "dns; name"), whose
        provider is provider_of(host); or ``provider`` names the provider by its slug
        ("gmail"; see providers()). The provider's entry that covers the code is its meaning
        (an exact code before a range, "4.7.650" in Microsoft's 4.7.500-699), else the
        standard one: ``meaning("5.7.29", host="mx.google.com").name`` is "No TLS, Blocked",
        ``meaning("5.7.29").name`` "ARC Validation Failure". Without host and provider (or
        for a host of no provider) it is lookup(code). The Code's ``provider`` says whose
        meaning it is.

        Raises what lookup() raises for a bad code, UnknownProviderError (a LookupError and
        ValueError) for a slug the database does not know, ValueError when given both host
        and provider, TypeError for arguments of the wrong type.
        """
        return self._index.meaning(code, self._provider_slug(host, provider))

    def providers(self) -> Tuple[Provider, ...]:
        """The providers whose servers give codes and texts meanings of their own, in the
        order of their slugs: Provider objects (slug, name, hosts, description,
        references)."""
        return self._providers

    def provider_of(self, host: str) -> Optional[Provider]:
        """The Provider whose servers ``host`` belongs to, or None: a host name
        ("gmail-smtp-in.l.google.com"), an address ("bob@hotmail.com": its domain) or a
        DSN's "dns; name", ASCII case and a final "." ignored. A host belongs to a provider
        when it is one of the provider's ``hosts`` or ends in "." and one of them; an address
        literal ("[192.0.2.1]") belongs to none."""
        if not isinstance(host, str):
            raise TypeError("host must be a str, not %s" % type(host).__name__)
        try:
            found = _core.smtpc_provider_of_host(self._source.db, host)
        except UnicodeEncodeError:  # a lone surrogate: no host name
            return None
        if found is None:
            return None
        return self._provider_named(found.slug)

    def _provider_named(self, slug: str) -> Provider:
        for provider in self.providers():
            if provider.slug == slug:
                return provider
        raise UnknownProviderError(slug)

    def _provider_slug(self, host: Optional[str], provider: Optional[str]) -> Optional[str]:
        """The slug of the provider that ``host`` or ``provider`` names, or None."""
        if host is not None and provider is not None:
            raise ValueError("give host or provider, not both")
        if provider is not None:
            if not isinstance(provider, str):
                raise TypeError("provider must be a str or None, not %s"
                                % type(provider).__name__)
            return self._provider_named(provider).slug if provider else None
        if host is not None:
            found = self.provider_of(host)
            return found.slug if found is not None else None
        return None

    def codes(self, klass: Optional[int] = None, kind: Optional[str] = None
              ) -> Tuple[Code, ...]:
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
            if kind not in KINDS.values():
                raise ValueError("kind must be one of %s, not %r"
                                 % (", ".join(map(repr, KINDS.values())), kind))
        key = (klass, kind)
        found = self._codes.get(key)
        if found is not None:
            return found
        chosen = []
        for code in self._entries:
            if kind is not None and code.kind != kind:
                continue
            if klass is None:
                chosen.append(code)
            elif code.is_basic:
                if code.klass == klass:
                    chosen.append(code)
            elif klass in code.classes:
                chosen.append(self._index.text(str(klass) + code.code[1:]))
        found = tuple(chosen)
        self._codes[key] = found
        return found

    def compare(self, a: Any, b: Any, lang: str = "en") -> Comparison:
        """Compares two codes; returns a Comparison (lower code first).

        ``a`` and ``b`` are anything lookup() accepts; an enhanced code keeps the class it is
        written with. ``lang`` is the tag of the page's language ("en", "pt-BR", "zh"; see
        languages()): its labels, sentences and the codes' texts are that language's where its
        catalog translates them and English elsewhere (``Comparison.fallbacks`` lists
        those). Raises what lookup() raises for a bad code,
        UnknownLanguageError for a tag without labels, and SameCodeError when both are one
        code.
        """
        first = self.lookup(a)
        second = self.lookup(b)
        check_lang(lang)
        try:
            cmp = _core.smtpc_compare(self._source.db, first.code, second.code, lang)
        except _core.Error as e:
            raise_core_error(e, lang=lang, comparing=True)
        except UnicodeEncodeError:  # the codes are ASCII: the language tag is not text
            raise UnknownLanguageError(lang) from None
        return new_comparison(self._source, self._index, cmp)

    def languages(self) -> Tuple[str, ...]:
        """The tags of the languages pages are written in ("en", "zh-hans", ...): each says
        what its catalog translates (completeness()) and English the rest."""
        return self._languages

    def completeness(self, lang: str) -> Tuple[int, int]:
        """How much of this database language ``lang`` says in its own words: ``(translated,
        total)``, counting every text a reader may read (the codes' texts, classes,
        categories, subjects, reasons, providers, labels and the templates of the sentences
        pages build; empty texts do not count). English, the source, has them all:
        ``translated == total``. Raises UnknownLanguageError, TypeError for a lang that is
        not a str."""
        try:
            translated, total = _core.smtpc_language_completeness(self._source.db,
                                                                  check_lang(lang))
        except _core.Error as e:
            raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None
        return int(translated), int(total)

    def direction(self, lang: str) -> str:
        """The direction language ``lang`` is written in, for HTML's ``dir``: "rtl" (right
        to left: Arabic) or "ltr", also for a tag the database lacks."""
        check_lang(lang)
        try:
            value = _core.smtpc_language_direction(self._source.db, lang)
        except UnicodeEncodeError:  # a lone surrogate: a tag the database lacks, as ""
            value = _core.smtpc_language_direction(self._source.db, "")
        return DIRECTIONS[value]

    def catalog(self, lang: Optional[str] = None) -> str:
        """The catalog of language ``lang`` as a gettext PO file: every text a reader reads,
        with its context ("421 description"), its English (msgid) and the language's
        translation (msgstr; "" where it has none). A translator fills it in, and
        ``load(catalogs=[path])`` reads it back. With ``lang`` None, the template (POT) with
        every msgstr empty. Raises UnknownLanguageError, TypeError for a lang that is
        neither a str nor None."""
        if lang is not None:
            check_lang(lang)
        try:
            return str(_core.smtpc_render_catalog(self._source.db, lang))
        except _core.Error as e:
            raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None

    def parse_reply(self, data: Union[bytes, bytearray, memoryview, str], /, *,
                    complete: bool = True, strict: bool = False, embedded: bool = False,
                    command: Optional[str] = None, host: Optional[str] = None) -> Reply:
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
        searched for it. ``command``: the command the reply answered, as clients write it
        ("RCPT", "RCPT TO:<a@example.org>", "end of DATA"), for the classification (a 552
        answering RCPT is retried); default: the command the text names, if any. ``host``: the
        server the reply came from ("mx.google.com", or an address at its domain), whose
        provider's meanings of codes and texts decide the reason first (see providers());
        default: none.

        Raises ReplyError (a ValueError, with ``line``, ``column`` and ``reason``) for data
        that is not a well-formed reply, UnknownCommandError for a command that is no SMTP
        command, and TypeError for data that is neither str nor bytes.
        """
        return self.parse_reply(  # the bound C function set by _open()
            data, complete=complete, strict=strict, embedded=embedded, command=command,
            host=host)

    def reply_parser(self, *, strict: bool = False, embedded: bool = False,
                     command: Optional[str] = None, host: Optional[str] = None
                     ) -> ReplyParser:
        """A ReplyParser for a stream of replies, looked up in this database."""
        return ReplyParser(strict=strict, embedded=embedded, command=command, host=host,
                           database=self)

    def classify(self, reply: Any, command: Optional[str] = None,
                 host: Optional[str] = None) -> Any:
        """What a client should do about a reply; returns a Verdict (action, rule,
        explanation, flags).

        ``reply`` is a Reply, the text of a reply (str or bytes, parsed as parse_reply()
        does), an smtplib reply tuple ``(550, b"5.1.1 ...")``, an
        smtplib.SMTPResponseException (its smtp_code and smtp_error), or a reply code (an int
        or a basic Code). For an smtplib.SMTPRecipientsRefused it returns a dict from each
        refused recipient to the Verdict of its reply, which answered RCPT.

        ``command`` is the command it answered, as clients write it ("RCPT", "RCPT
        TO:<a@example.org>", "end of DATA"); by default the one the reply names, and for
        smtplib's SMTPSenderRefused, SMTPHeloError, SMTPAuthenticationError and SMTPDataError
        the command they are about. ``host`` is the server that sent it ("mx.google.com", or
        an address at its domain): the meanings its provider gives codes and texts decide the
        reason first (Gmail's 5.7.29 is "securityerror", the registry's an ARC failure).

        The first digit decides (RFC 5321 section 4.2.1: 2 done, 3 continue, 4 retry, 5 give
        up), except that a 552 answering RCPT is retried (too many recipients, RFC 5321
        section 4.5.3.1.10), a 5xx reply with X.2.2 is retried (mailbox full, RFC 3463
        section 3.3), a reply whose enhanced class disagrees is decided by the reply code and
        flagged, and an unknown code is decided by its first digit and flagged.

        Raises UnknownCommandError for a command that is no SMTP command, ReplyError for
        text that is no reply or a code outside 200-599, and TypeError for anything else.
        """
        return classify(self, reply, command, host)

    def reason(self, code: Optional[int] = None, enhanced: Optional[str] = None,
               command: Optional[str] = None, text: Union[str, bytes, None] = None, *,
               host: Optional[str] = None, provider: Optional[str] = None) -> Reason:
        """Why a delivery failed, decided from what is known of it: returns a Reason (name,
        hard, rule, evidence).

        ``code`` is the reply code (an int or a basic Code; None when there is none),
        ``enhanced`` the enhanced code with its class ("5.1.1"), ``command`` the command it
        answered ("RCPT", "end of DATA"), ``text`` the reply's or diagnostic's text; each may
        be None. ``host`` (the server it came from, its provider found by provider_of()) or
        ``provider`` (a slug) names the provider whose text patterns and meanings of codes
        decide first. Then, in order: the data's text patterns, the enhanced code's entry,
        the reply code's entry for the command, the class (docs/bounces.md, "Reasons").

        Raises InvalidCodeError for an enhanced code that is no code, UnknownCommandError,
        UnknownProviderError, ValueError for a reply code outside 200-599 or for both host and
        provider, TypeError for arguments of the wrong type.
        """
        return decide_reason(self, code, enhanced, command, text,
                             self._provider_slug(host, provider))

    def build_reply(self, code: Any, enhanced: Any = None, text: Any = None) -> str:
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
        5321 does not allow. TypeError for arguments of the wrong type.
        """
        return build_reply(self._source.db, code, enhanced, text)

    def scan(self, source: Any, *, by: Any = None, top: Optional[int] = None,
             bucket: Any = None, year: Optional[int] = None,
             state: Optional[ScanState] = None) -> ScanSummary:
        """Counts the SMTP replies in a mail log or bounce messages; returns a ScanSummary.

        ``source`` is a path (str, bytes, os.PathLike), a file object open for reading
        (binary is best; a text file's str is read as UTF-8), or an iterable of lines (str or
        bytes, with or without their line ends; a list, a generator). Files are read in
        chunks of a megabyte, which the C scanner reads without the GIL; memory does not
        grow with the input. Each line is read as ``parse_reply(line, embedded=True)``
        reads it.

        The delivery attempts in the lines of the mail servers smtpcodes reads (docs/logs.md)
        are counted by outcome, and grouped ``by`` up to four axes: "domain", "relay",
        "reason", "sender-domain", "time", "code", "mta", as a str ("domain,reason") or a
        sequence of str. ``bucket`` is the length of a time bucket, in seconds or as "15m",
        "1h" (the default), "1d"; ``year`` the year of syslog timestamps, which have none
        (default: this year); ``top`` how many groups render() shows. With a ScanState
        ``state``, only what was written since the scan it last recorded is read, and it
        records how far this one read (a last line without its line end is left for the next).

        Compressed logs are read as they are (gzip always; xz, bzip2 and zstd as
        ``smtpcodes.scan_compressions()`` says): the format is found from the first bytes,
        not the file name, and decoded as it streams in.

        Raises OSError (FileNotFoundError, IsADirectoryError, ...) for a path that cannot be
        read, TypeError for a source of another kind or a line that is not str or bytes,
        ValueError for an unknown axis, a bucket or year out of range, and ScanInputError
        for input that cannot be read as a log: compressed in a format this build lacks,
        corrupt or cut short, or binary data that is no text.
        """
        return scan(source, self._index, "scan()", by, top, bucket, year, state)

    def scan_range(self, path: Any, start: int, end: int, *, by: Any = None,
                   top: Optional[int] = None, bucket: Any = None,
                   year: Optional[int] = None) -> ScanSummary:
        """The ScanSummary of the lines of the file ``path`` that start in the byte range
        [``start``, ``end``): the C scanner reads them itself, without the GIL. A line belongs
        to the range in which its first byte lies (the range's first line is skipped unless
        it starts at ``start``, its last line is read past ``end`` to its line end), so
        ranges that cut a file anywhere, as ``split_ranges()`` cuts it, give summaries that
        merge (``ScanSummary.merge()``) into exactly ``scan(path)``. This is how workers of a
        cluster (Dask, Spark, multiprocessing) share one large log: each is sent a path and
        two numbers, and sends back a summary. ``end`` may lie past the end of the file.

        For plain-text files: a compressed log cannot be cut into byte ranges; scan it whole.
        Raises OSError (FileNotFoundError, IsADirectoryError, ...) for a path that cannot be
        read, ValueError for a negative offset or ``start`` after ``end``, TypeError for
        offsets that are not ints or a path of another type. ``by``, ``top``, ``bucket`` and
        ``year`` are scan()'s: every range of a log must be scanned with the same ones for
        their summaries to merge.
        """
        return scan_range(path, start, end, self._index, by, top, bucket, year)

    def parse_bounce(self, message: Any) -> List[BounceRecord]:
        """The records of one bounce message: an RFC 3464 DSN or RFC 6533 global DSN gives one
        BounceRecord per recipient, an RFC 5965 feedback report or RFC 3834 automatic reply
        one record of its kind, a message that is none of these []. ``message`` is bytes, str
        or an email.message.Message. The reasons come from this database. Raises
        BounceLimitError for a message past the reader's limits (docs/bounces.md), TypeError
        for another type."""
        return parse_bounce(self._source.db, message)

    def resolve_language(self, lang: str) -> str:
        """The database's canonical tag for ``lang``: case is ignored, "_" counts as "-",
        a region the database lacks falls back to the language ("pt-BR" gives "pt"), and
        "zh", "zh-CN" and "zh-SG" give "zh-hans". Raises UnknownLanguageError."""
        try:
            return str(_core.smtpc_language_resolve(self._source.db, check_lang(lang)))
        except _core.Error as e:
            raise_core_error(e, lang=lang)
        except UnicodeEncodeError:
            raise UnknownLanguageError(lang) from None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Code]:
        return iter(self._entries)

    def __contains__(self, code: object) -> bool:
        try:
            self.lookup(code)
        except (UnknownCodeError, InvalidCodeError, TypeError):
            return False
        return True

    def __getitem__(self, code: Any) -> Code:
        return self.lookup(code)

    def __repr__(self) -> str:
        path = self._source.path
        catalogs = "".join(" + %r" % (c,) for c in self._source.catalogs)
        return "<Database %s%s, %d entries>" % (
            repr(path) if path else "built-in", catalogs, len(self._entries))

    def __reduce__(self) -> Tuple[Any, ...]:
        return self._source.__reduce__()


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (Database,):
    _cls.__module__ = "smtpcodes"


def _default_database() -> Database:
    """Unpickles the default database: the one of the unpickling process."""
    return database


def _reload_database(path: Optional[str], alone: bool, catalogs: Tuple[Any, ...] = ()
                     ) -> Database:
    """Unpickles a loaded database: loads its file and catalogs again."""
    return _load(path, alone, catalogs)


def load(path: Path, *, alone: bool = False, catalogs: Iterable[Path] = ()) -> Database:
    """Opens the data file at ``path`` (format: docs/data-format.md) as a new Database, with
    the catalogs of translations ``catalogs`` read into it.

    The file is laid over the built-in database: each of its records replaces the built-in
    record with the same key or is added, and the built-in translations of what it leaves as
    it was are kept. With ``alone=True`` the file alone is the whole database. ``path`` is a
    str, bytes or os.PathLike.

    ``catalogs`` are gettext PO files (``Database.catalog(lang)`` writes one), read in order
    after the data file, each adding to and replacing the translations of the language its
    header names. A translation whose msgid is no longer the database's English (the data
    file changed it) is stale and left out, so that the text reads in English; so are fuzzy
    and empty ones. ``Database.with_catalogs()`` reads catalogs into a copy of the default
    database.

    Raises DataError (a ValueError, with filename, line and column) for a data file or catalog
    that breaks its format (a catalog: bad PO syntax, a msgctxt that names no text of the
    database, a language it lacks, a template translated with other placeholders), and
    OSError (FileNotFoundError, PermissionError, ...) for a file that cannot be read.
    Nothing is half-loaded: a failed load leaves no database behind.
    """
    if not isinstance(alone, bool):
        raise TypeError("alone must be a bool, not %s" % type(alone).__name__)
    return _load(os.fspath(path), alone, _catalog_paths(catalogs))


def _catalog_paths(catalogs: Iterable[Path]) -> Tuple[Union[str, bytes], ...]:
    if isinstance(catalogs, (str, bytes, os.PathLike)):
        raise TypeError("catalogs must be an iterable of paths, not one path")
    return tuple(os.fspath(c) for c in catalogs)


def _load(path: Union[str, bytes, None], alone: bool,
          catalogs: Tuple[Union[str, bytes], ...]) -> Database:
    """The Database of the data file ``path`` (None: the built-in database alone) with
    ``catalogs`` read into it."""
    if path is None:
        try:
            # A database of its own that holds the built-in one, for the catalogs to add to.
            db = _core.smtpc_db_load_buffer("", "<built-in>", _core.SMTPC_LOAD_OVERLAY)
        except _core.Error as e:
            raise_core_error(e)
    else:
        flags = _core.SMTPC_LOAD_ALONE if alone else _core.SMTPC_LOAD_OVERLAY
        try:
            db = _core.smtpc_db_load(path, flags)
        except _core.Error as e:
            raise_core_error(e, path=path)
    # All before the Database exists, so no other thread reads the database meanwhile.
    for catalog in catalogs:
        try:
            _core.smtpc_db_load_catalog(db, catalog)
        except _core.Error as e:
            raise_core_error(e, path=catalog)
    return object.__new__(Database)._open(db, path, alone, catalogs)  # type: ignore[arg-type]


def _open_default() -> Database:
    path = os.environ.get("SMTPCODES_DATA") or None
    try:
        db = _core.smtpc_db_from_env()
    except _core.Error as e:
        raise_core_error(e, path=path)
    return object.__new__(Database)._open(db, path, False)


database = _open_default()
"""The default Database: the built-in one, laid over with the file named by SMTPCODES_DATA
(when that is set and not empty at import)."""


__all__ = ["Database", "Reason", "Source", "Verdict", "database", "load"]
