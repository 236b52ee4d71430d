r"""SMTP reply codes and enhanced status codes, explained and compared.

smtpcodes knows every SMTP reply code (``421``) and every enhanced status code (``5.7.1``):
what each one means, when you see it, how to fix it, its class, its origin (an RFC, the IANA
registry, or folklore) and where it is defined. It compares two codes side by side, as
text, Markdown, HTML or JSON, in 15 languages, each of which says everything in its own words
(a language that a data file adds says what its catalogs bring, and English the rest). All
facts come from the C library libsmtpcodes, which this package contains.

>>> import smtpcodes
>>> code = smtpcodes.lookup(421)
>>> code.name, code.is_transient, code.retry
('Service Not Available', True, 'later')
>>> code == 421
True
>>> smtpcodes.lookup("5.7.1").is_permanent
True
>>> print(smtpcodes.compare(504, 421, lang="tr"))          # doctest: +ELLIPSIS
SMTP 421 Hizmet Kullanılamıyor ile 504 Parametre Uygulanmamış karşılaştırması
...
>>> code.text("name", "fr"), code.translated("fix", "fr")
('Service non disponible', True)
>>> smtpcodes.compare(504, 421, lang="fr").fallbacks
()

Code objects are built once, when the package is imported, so a lookup costs about as much as
a dict access. They are immutable, hashable, equal to their int code (basic codes), ordered
in code order, picklable, and render as HTML in Jupyter. ``smtpcodes.codes()`` lists them,
``Code.to_dict()`` turns one into a row for a table or a DataFrame.

Replies as servers send them parse into Reply objects, classified by what RFC 5321 and RFC
3463 say a client should do; ``ReplyParser`` reads them from a stream, ``build_reply`` writes
them, ``scan`` counts them in mail logs (compressed ones too: ``scan_compressions()`` lists
the formats this build reads):

>>> reply = smtpcodes.parse_reply(b"550 5.1.1 <x@example.org>: Recipient address rejected\r\n")
>>> reply.code, reply.enhanced, reply.action, reply.entry.name
(550, '5.1.1', 'give-up', 'Mailbox Unavailable')
>>> smtpcodes.classify((552, b"Too many recipients"), command="RCPT TO:<a@example.org>").action
'retry'
>>> smtpcodes.build_reply(451, "4.7.1", "Greylisted, try again later")
'451 4.7.1 Greylisted, try again later\r\n'

Bounce messages read into one record per recipient, with the reason and what decided it:
``smtpcodes.parse_bounce(message)`` takes bytes, str or an ``email.message.Message``.

Large mail providers give codes and texts meanings of their own. ``smtpcodes.providers()``
lists them, ``provider_of(host)`` finds the one a server belongs to, and ``meaning(code,
host=...)`` looks a code up as that provider means it; ``classify``, ``parse_reply`` and
``reason`` take ``host=`` so that the provider's meanings decide the reason first:

>>> smtpcodes.meaning("5.7.29", host="gmail-smtp-in.l.google.com").name
'No TLS, Blocked'
>>> smtpcodes.reason(421, "4.7.0", "MAIL", "[TSS04] Messages from 192.0.2.9 temporarily "
...                  "deferred", host="mta7.am0.yahoodns.net").name
'speeding'

The database is the built-in one, laid over with the data file named by the environment
variable ``SMTPCODES_DATA`` when it is set (read at import). ``smtpcodes.load(path)`` opens
another data file as a separate ``Database`` with the same methods. ``load(path,
catalogs=[...])`` and ``database.with_catalogs([...])`` read translations (gettext PO files,
which ``Database.catalog(lang)`` writes) into a new Database; ``Database.completeness(lang)``
says how much of the database a language translates.

Everything here can be used from any number of threads at once, except that one ReplyParser
reads one stream: give each thread its own.
"""

from __future__ import annotations  # noqa: E402

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple, Union

from . import _core
from ._bounces import BounceRecord
from ._codes import BasicCode, Code, EnhancedCode
from ._compare import Comparison, Difference, Labels
from ._database import Database, database, load
from ._errors import (BounceLimitError, DataError, Error, IncompleteReplyError,
                      InvalidCodeError, ReplyBuildError, ReplyError, SameCodeError,
                      ScanInputError, UnknownCodeError, UnknownCommandError,
                      UnknownLanguageError, UnknownProviderError)
from ._providers import Provider
from ._replies import Reason, Reply, ReplyParser, Verdict
from ._scan import ScanGroup, ScanRow, ScanState, ScanSummary, scan_compressions
from ._scan import split_ranges as _split_ranges

__all__ = [
    "BasicCode",
    "BounceLimitError",
    "BounceRecord",
    "Code",
    "Comparison",
    "DataError",
    "Database",
    "Difference",
    "EnhancedCode",
    "Error",
    "IncompleteReplyError",
    "InvalidCodeError",
    "Labels",
    "Provider",
    "Reason",
    "Reply",
    "ReplyBuildError",
    "ReplyError",
    "ReplyParser",
    "SameCodeError",
    "ScanGroup",
    "ScanInputError",
    "ScanRow",
    "ScanState",
    "ScanSummary",
    "UnknownCodeError",
    "UnknownCommandError",
    "UnknownLanguageError",
    "UnknownProviderError",
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
    "meaning",
    "parse_bounce",
    "parse_reply",
    "provider_of",
    "providers",
    "reason",
    "reply_parser",
    "scan",
    "scan_compressions",
    "scan_range",
    "split_ranges",
]

__version__: str = _core.smtpc_version()
"""The version of the C library inside this package, "MAJOR.MINOR.PATCH"."""


lookup = database.lookup
parse_reply = database.parse_reply
parse_bounce = database.parse_bounce


def lookup_closest(code: Any) -> Tuple[Code, bool]:
    """Returns ``(Code, exact)`` for ``code`` in the default database; see
    Database.lookup_closest()."""
    return database._index.closest(code)


def codes(klass: Optional[int] = None, kind: Optional[str] = None) -> Tuple[Code, ...]:
    """Returns the Codes of the default database in code order; see Database.codes()."""
    return database.codes(klass, kind)


def compare(a: Any, b: Any, lang: str = "en") -> Comparison:
    """Compares two codes in the default database; returns a Comparison (lower code first).

    ``a`` and ``b`` are anything lookup() accepts. ``lang`` is the tag of the page's language
    (see languages()); what its catalog does not translate is in English
    (``Comparison.fallbacks``). ``str(comparison)`` is the text page.
    """
    return database.compare(a, b, lang)


def languages() -> Tuple[str, ...]:
    """The language tags of the default database ("en", "zh-hans", ...); see
    Database.languages()."""
    return database._languages


def meaning(code: Any, host: Optional[str] = None, provider: Optional[str] = None) -> Code:
    """The Code for ``code`` as the provider of ``host`` (or the provider ``provider``, a
    slug) means it, in the default database; see Database.meaning()."""
    return database.meaning(code, host, provider)


def providers() -> Tuple[Provider, ...]:
    """The providers of the default database, in the order of their slugs; see
    Database.providers()."""
    return database.providers()


def provider_of(host: str) -> Optional[Provider]:
    """The Provider whose servers ``host`` belongs to, or None; see Database.provider_of()."""
    return database.provider_of(host)


def reply_parser(*, strict: bool = False, embedded: bool = False,
                 command: Optional[str] = None, host: Optional[str] = None) -> ReplyParser:
    """A ReplyParser for a stream of replies in the default database; see ReplyParser."""
    return ReplyParser(strict=strict, embedded=embedded, command=command, host=host,
                       database=database)


def classify(reply: Any, command: Optional[str] = None, host: Optional[str] = None) -> Any:
    """What a client should do about a reply; returns a Verdict (for an
    smtplib.SMTPRecipientsRefused, a dict from each recipient to its Verdict). See
    Database.classify()."""
    return database.classify(reply, command, host)


def reason(code: Optional[int] = None, enhanced: Optional[str] = None,
           command: Optional[str] = None, text: Union[str, bytes, None] = None, *,
           host: Optional[str] = None, provider: Optional[str] = None) -> Reason:
    """Why a delivery failed, decided from its parts in the default database; returns a
    Reason (name, hard, rule, evidence). See Database.reason()."""
    return database.reason(code, enhanced, command, text, host=host, provider=provider)


def build_reply(code: Union[int, str, Code], enhanced: Union[str, Code, None] = None,
                text: Union[str, bytes, None] = None) -> str:
    """The wire form of a reply ("550 5.7.1 text\\r\\n"); see Database.build_reply()."""
    return database.build_reply(code, enhanced, text)


def scan(source: Any, *, by: Any = None, top: Optional[int] = None, bucket: Any = None,
         year: Optional[int] = None, state: Optional[ScanState] = None) -> ScanSummary:
    """Counts the SMTP replies in a mail log or bounce messages, plain or compressed, and the
    delivery attempts of the mail servers it knows, grouped ``by`` axes; returns a
    ScanSummary. See Database.scan()."""
    return database.scan(source, by=by, top=top, bucket=bucket, year=year, state=state)


def scan_range(path: Any, start: int, end: int, *, by: Any = None, top: Optional[int] = None,
               bucket: Any = None, year: Optional[int] = None) -> ScanSummary:
    """Counts the SMTP replies on the lines of the file ``path`` that start in the byte range
    [``start``, ``end``); returns a ScanSummary. See Database.scan_range()."""
    return database.scan_range(path, start, end, by=by, top=top, bucket=bucket, year=year)


def split_ranges(paths: Any, size: int) -> List[Tuple[str, int, int]]:
    """Cuts files into byte ranges of at most ``size`` bytes for scan_range(): a list of
    ``(path, start, end)``, file by file in the order given, each file's ranges in order and
    covering it exactly (an empty file gets one empty range, ``(path, 0, 0)``). ``paths`` is
    an iterable of paths (str, bytes, os.PathLike) or one path; each path is given back as
    ``os.fspath()`` gives it. The cuts fall anywhere, even inside a line: scan_range() reads
    each line in the range where it starts, so the merged summaries of all the ranges equal
    the summary of all the files.

    Raises OSError for a file that cannot be looked at (os.stat()), ValueError for a size
    below 1, TypeError for a size that is not an int or a path of another type."""
    return _split_ranges(paths, size)
