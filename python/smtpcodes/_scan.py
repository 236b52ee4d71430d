"""Scanning mail logs and bounces: counts of the replies found in them."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

    from ._database import Database

from . import _core
from ._codes import Code, Rendered, format_id
from ._errors import raise_core_error

_SCAN_CHUNK = 1 << 20  # bytes read from a file per feed
_SCAN_BATCH = 4096  # lines of an iterable joined into one feed


def _item(index: int, doc: str) -> Any:
    return property(lambda self: self[index], doc=doc)


def as_bytes(data: Any, what: str = "data") -> bytes:
    """Input as bytes: bytes-like objects as they are, str as UTF-8 (surrogateescape gives
    back the bytes of a str decoded with it)."""
    if data.__class__ is bytes:
        return data  # type: ignore[no-any-return]
    if isinstance(data, str):
        return data.encode("utf-8", "surrogateescape")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError("%s must be bytes or str, not %s" % (what, type(data).__name__))


class ScanRow(tuple[int, "str | None", int, "str | None", str, str, "Code | None",
                    "Code | None", "str | None"]):
    """One row of a ScanSummary: the replies seen with one (code, enhanced code) pair. A tuple
    (code, enhanced, count, name, action, sample, entry, enhanced_entry, reason) with a name
    for each part."""

    __slots__ = ()
    code: int = _item(0, "The reply code, an int.")
    enhanced: Optional[str] = _item(1, 'The enhanced code as seen ("5.1.1"), or None.')
    count: int = _item(2, "How many replies had this pair.")
    name: Optional[str] = _item(3, 'The name of the reply code ("Mailbox Unavailable"), or None '
                                   "when the database does not know it.")
    action: str = _item(4, 'What a client does about such a reply: "done", "continue", '
                           '"retry", "give-up".')
    sample: str = _item(5, "The row's sample line, without its line end (bytes that are not "
                           "UTF-8 as U+FFFD): of the lines the pair was seen on, the least in "
                           "byte order of their first 400 bytes, whatever their order.")
    entry: Optional[Code] = _item(6, "The Code of the reply code, or None.")
    enhanced_entry: Optional[Code] = _item(7, "The Code of the enhanced code (the closest "
                                              "registered one), written with its class, or "
                                              "None.")
    reason: Optional[str] = _item(8, 'Why the reply on the sample line failed ("userunknown", '
                                     '"blocked" ...; see Verdict.reason), or None for a 2xx or '
                                     '3xx reply.')

    def __repr__(self) -> str:
        return "ScanRow(code=%d, enhanced=%r, count=%d, name=%r, action=%r)" % self[:5]

    def to_dict(self) -> Dict[str, Any]:
        """The row as a JSON-ready dict: the row of ``ScanSummary.to_dict()`` (and of
        ``smtpcodes scan --format json``) for this pair, with the code as a string."""
        return {
            "count": self.count,
            "code": "%d" % self.code,
            "name": self.name or "",
            "enhanced": self.enhanced or "",
            "enhanced_entry": (
                self.enhanced_entry.entry if self.enhanced_entry is not None else ""),
            "enhanced_name": (
                self.enhanced_entry.name if self.enhanced_entry is not None else ""),
            "action": self.action,
            "reason": self.reason,
            "sample": self.sample,
        }


class ScanSummary(Rendered):
    """What ``scan()`` found: counts and one row per (code, enhanced code) pair, in order of
    code then enhanced code. Iterating over it gives the rows; ``str()`` is the text table of
    ``smtpcodes scan``, ``to_dict()`` its JSON, and Jupyter shows an HTML table.

    Summaries combine: ``a + b`` is a new summary of both (``a`` and ``b`` are left as they
    are), and ``ScanSummary.merge(summaries)`` merges any number at once. A row's sample is
    chosen by a rule that does not depend on the order of the lines (docs/replies.md), so the
    summaries of the parts of a log, merged in any order, equal the summary of the whole log:
    scan files or byte ranges on threads or worker processes, and merge what they send back.
    Summaries are immutable, compare equal when their counts and rows are the same, hash,
    and pickle through their saved form (``save()``, ``ScanSummary.load()``): compact text
    that a worker can also send as it is.
    """

    __slots__ = {
        "lines": "The number of lines read.",
        "replies": "The number of replies found in them.",
        "skipped": "The number of lines skipped for being longer than 65,536 bytes.",
        "rows": "The rows, a tuple of ScanRow.",
        "_scanner": None,
        "_index": None,
    }
    lines: int
    replies: int
    skipped: int
    rows: Tuple[ScanRow, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use smtpcodes.scan(source) to scan a log")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("ScanSummary objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("ScanSummary objects are immutable")

    def __iter__(self) -> Iterator[ScanRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return "<ScanSummary %d lines, %d replies, %d rows>" % (
            self.lines, self.replies, len(self.rows))

    def __str__(self) -> str:
        return self.render("text")

    def render(self, format: str = "text") -> str:
        """The summary as ``smtpcodes scan`` prints it, in ``format``: "text", "markdown"
        (or "md"), "html" or "json"."""
        fmt = format_id(format)
        try:
            return str(_core.smtpc_render_scan(self._scanner, fmt))
        except _core.Error as e:
            raise_core_error(e)

    def __add__(self, other: object) -> "ScanSummary":
        if not isinstance(other, ScanSummary):
            return NotImplemented
        return ScanSummary.merge((self, other))

    @classmethod
    def merge(cls, summaries: Iterable["ScanSummary"]) -> "ScanSummary":
        """One new summary of all of ``summaries`` (an iterable of ScanSummary, at least one):
        the counts added, each pair's rows added into one. The result does not depend on the
        order of the summaries. Raises ValueError for no summary, or for summaries made with
        different databases (load one's ``save()`` into the other's database first), and
        TypeError for anything that is not a ScanSummary."""
        scanner = index = None
        for summary in summaries:
            if not isinstance(summary, ScanSummary):
                raise TypeError("ScanSummary.merge() takes ScanSummary objects, not %s"
                                % type(summary).__name__)
            try:
                if scanner is None:
                    index = summary._index
                    scanner = _core.smtpc_scanner_new(index.source.db)
                _core.smtpc_scanner_merge(scanner, summary._scanner)
            except _core.Error as e:
                raise_core_error(e, merging=True)
        if scanner is None:
            raise ValueError("ScanSummary.merge() needs at least one summary")
        return new_summary(scanner, index)

    def save(self) -> str:
        """The summary in the core's saved form (docs/replies.md, "The saved form"): ASCII
        text, versioned, canonical (equal summaries give equal text). ``ScanSummary.load()``
        reads it back, in this process or another."""
        try:
            return str(_core.smtpc_scanner_save(self._scanner))
        except _core.Error as e:
            raise_core_error(e)

    @classmethod
    def load(cls, saved: Union[str, bytes],
             database: Optional["Database"] = None) -> "ScanSummary":
        """The summary that ``save()`` wrote (str or bytes), with the entries and reasons of
        ``database`` (default: ``smtpcodes.database``). Raises DataError (a ValueError, with
        ``line`` and ``column``) for text that is not a saved summary, breaks the form or
        names a reason the database does not know; TypeError for another type."""
        from ._database import Database, database as default

        if database is None:
            database = default
        elif not isinstance(database, Database):
            raise TypeError("database must be a smtpcodes Database, not %s"
                            % type(database).__name__)
        data = as_bytes(saved, "saved")
        index = database._index
        try:
            scanner = _core.smtpc_scanner_load(index.source.db, data)
        except _core.Error as e:
            raise_core_error(e, source="saved summary")
        return new_summary(scanner, index)

    def __eq__(self, other: object) -> bool:
        # Equal by what they count, whatever the database, as codes are; the saved form is
        # canonical.
        if not isinstance(other, ScanSummary):
            return NotImplemented
        return self is other or self.save() == other.save()

    def __hash__(self) -> int:
        return hash(self.save())

    def __reduce__(self) -> Any:
        # The saved form and the database, which unpickles as the default database of the
        # unpickling process or as its data file loaded again.
        return (_restore_summary, (self.save(), self._index.source))

    def __copy__(self) -> "ScanSummary":
        return self

    def __deepcopy__(self, memo: Any) -> "ScanSummary":
        return self


_set = {name: getattr(ScanSummary, name).__set__ for name in ScanSummary.__slots__}


def _feed_file(feed: Callable[..., Any], scanner: Any, read: Callable[[int], Any]) -> None:
    while True:
        chunk = read(_SCAN_CHUNK)
        if not chunk:
            if chunk is None:  # a non-blocking stream with nothing to read now
                raise BlockingIOError("scan() needs a blocking stream")
            return
        if chunk.__class__ is not bytes:
            chunk = as_bytes(chunk, "what the file's read() returned")
        feed(scanner, chunk)


def _feed_lines(feed: Callable[..., Any], scanner: Any, lines: Iterable[Any]) -> None:
    batch = []
    append = batch.append
    for index, line in enumerate(lines, 1):
        if line.__class__ is not bytes:
            try:
                line = as_bytes(line)
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


def new_summary(scanner: Any, index: Any) -> ScanSummary:
    """The ScanSummary of a finished core scanner over the database of ``index``."""
    rows = []
    for i in range(_core.smtpc_scanner_row_count(scanner)):
        row = _core.smtpc_scanner_row(scanner, i).fields()
        entry = index.get(row["entry"]) if row["entry"] else None
        enhanced = row["enhanced"]
        enhanced_entry = (index.text(enhanced[0] + row["enhanced_entry"][1:])
                          if row["enhanced_entry"] else None)
        rows.append(tuple.__new__(ScanRow, (
            row["code"], enhanced or None, row["count"],
            entry.name if entry is not None else None, row["action"],
            row["sample"].decode("utf-8", "replace"), entry, enhanced_entry, row["reason"])))
    summary = object.__new__(ScanSummary)
    _set["lines"](summary, _core.smtpc_scanner_lines(scanner))
    _set["replies"](summary, _core.smtpc_scanner_replies(scanner))
    _set["skipped"](summary, _core.smtpc_scanner_skipped(scanner))
    _set["rows"](summary, tuple(rows))
    _set["_scanner"](summary, scanner)
    _set["_index"](summary, index)
    return summary


def _restore_summary(saved: str, database: Any) -> ScanSummary:
    """Unpickles a ScanSummary."""
    return ScanSummary.load(saved, database)


def scan_compressions() -> List[str]:
    """The compressed formats that ``scan()`` reads in this build, by name: "gzip" always,
    "xz", "bzip2" and "zstd" when their library was found when smtpcodes was built. ``scan()``
    finds a file's format from its first bytes, never its name."""
    names = []
    for i in range(_core.smtpc_enum_count(_core.SMTPC_ENUM_COMPRESSION)):
        value, name = _core.smtpc_enum_at(_core.SMTPC_ENUM_COMPRESSION, i)
        if value != _core.SMTPC_COMPRESSION_NONE and _core.smtpc_scan_supports(value):
            names.append(name)
    return names


def scan(source: Any, index: Any, what: str) -> ScanSummary:
    """Database.scan()."""
    db = index.source.db
    scanner = _core.smtpc_scanner_new(db)
    feed = _core.smtpc_scanner_feed
    filename = None
    try:
        if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
            filename = os.fsdecode(source)
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
        raise_core_error(e, filename=filename)
    return new_summary(scanner, index)


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (ScanRow, ScanSummary):
    _cls.__module__ = "smtpcodes"
