"""Scanning mail logs and bounces: counts of the replies found in them."""

from __future__ import annotations

import operator
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
_MAX_OFFSET = (1 << 64) - 1  # the most the core's byte offsets hold: past every file's end


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


class ScanRow(tuple["int | None", "str | None", int, "str | None", str, str, "Code | None",
                    "Code | None", "str | None"]):
    """One row of a ScanSummary: the replies seen with one (code, enhanced code) pair. A tuple
    (code, enhanced, count, name, action, sample, entry, enhanced_entry, reason) with a name
    for each part."""

    __slots__ = ()
    code: Optional[int] = _item(0, "The reply code, an int; None for the delivery attempts "
                                   "that got no reply (their row is that of the status their "
                                   "MTA states, ``enhanced``).")
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
        return "ScanRow(code=%r, enhanced=%r, count=%d, name=%r, action=%r)" % self[:5]

    def to_dict(self) -> Dict[str, Any]:
        """The row as a JSON-ready dict: the row of ``ScanSummary.to_dict()`` (and of
        ``smtpcodes scan --format json``) for this pair, with the code as a string."""
        return {
            "count": self.count,
            "code": "%d" % self.code if self.code is not None else None,
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


class ScanGroup(tuple["tuple[str, ...]", int, int, int, int, int, str]):
    """One group of a ScanSummary made with ``by=``: the delivery attempts with the same
    values on the axes. A tuple (values, count, delivered, deferred, bounced, rejected,
    sample) with a name for each part."""

    __slots__ = ()
    values: Tuple[str, ...] = _item(0, 'Its value on each axis, in the order of '
                                       '``ScanSummary.by`` ("example.org", "userunknown"); '
                                       '"" when a line does not tell.')
    count: int = _item(1, "Its delivery attempts.")
    delivered: int = _item(2, "Of them, delivered (accepted by the next hop, or put in the "
                              "mailbox).")
    deferred: int = _item(3, "Of them, deferred: failed for now, to be tried again.")
    bounced: int = _item(4, "Of them, bounced: failed for good.")
    rejected: int = _item(5, "Of them, refused by this server while receiving the message.")
    sample: str = _item(6, "One of its lines: the least in byte order of their first 400 "
                           "bytes.")

    def __repr__(self) -> str:
        return "ScanGroup(values=%r, count=%d, delivered=%d, deferred=%d, bounced=%d, " \
               "rejected=%d)" % self[:6]

    def to_dict(self) -> Dict[str, Any]:
        """The group as ``ScanSummary.to_dict()`` gives it."""
        return {"values": list(self.values), "count": self.count,
                "delivered": self.delivered, "deferred": self.deferred,
                "bounced": self.bounced, "rejected": self.rejected, "sample": self.sample}


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

    Lines of the mail servers smtpcodes reads (Postfix, Exim, Sendmail, OpenSMTPD, Exchange
    and Microsoft 365 exports, Dovecot; docs/logs.md) are delivery attempts, each counted
    once: ``attempts`` and ``outcomes`` count them, and with ``scan(..., by="domain")`` the
    ``groups`` say which destinations refuse or defer mail, and why. Jupyter shows the groups
    as a chart as well as a table.
    """

    __slots__ = {
        "lines": "The number of lines read.",
        "replies": "The number of replies found in them.",
        "skipped": "The number of lines skipped for being longer than 65,536 bytes.",
        "rows": "The rows, a tuple of ScanRow.",
        "attempts": "The number of delivery attempts.",
        "outcomes": 'The attempts by outcome: a dict of "delivered", "deferred", "bounced" '
                    'and "rejected".',
        "by": 'The axes the groups are made by, a tuple of names ("domain", "reason").',
        "bucket": "The length of a time bucket in seconds (the axis \"time\").",
        "groups": "The groups, a tuple of ScanGroup: most attempts first (in time order when "
                  "the first axis is \"time\").",
        "top": "How many groups render() shows by default (None: all).",
        "_scanner": None,
        "_index": None,
    }
    lines: int
    replies: int
    skipped: int
    rows: Tuple[ScanRow, ...]
    attempts: int
    outcomes: Dict[str, int]
    by: Tuple[str, ...]
    bucket: int
    groups: Tuple[ScanGroup, ...]
    top: Optional[int]

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

    def render(self, format: str = "text", top: Optional[int] = None) -> str:
        """The summary as ``smtpcodes scan`` prints it, in ``format``: "text", "markdown"
        (or "md"), "html" or "json"; with the first ``top`` groups (default: the ``top``
        given to scan(), else all) and the rest summed in one line."""
        fmt = format_id(format)
        shown = _check_top(self.top if top is None else top)
        try:
            return str(_core.smtpc_render_scan_top(self._scanner, fmt, shown or 0))
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
                    top = summary.top
                    scanner = _core.smtpc_scanner_new_like(summary._scanner)
                _core.smtpc_scanner_merge(scanner, summary._scanner)
            except _core.Error as e:
                raise_core_error(e, merging=True)
        if scanner is None:
            raise ValueError("ScanSummary.merge() needs at least one summary")
        return new_summary(scanner, index, top)

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


def _check_top(top: Any) -> Optional[int]:
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, int):
        raise TypeError("top must be an int or None, not %s" % type(top).__name__)
    if top < 0:
        raise ValueError("top must be 0 (all groups) or more, not %d" % top)
    return top


def _groups(scanner: Any) -> Tuple[ScanGroup, ...]:
    n_axes = _core.smtpc_scanner_axis_count(scanner)
    groups = []
    for i in range(_core.smtpc_scanner_group_count(scanner)):
        g = _core.smtpc_scanner_group(scanner, i).fields(n_axes)
        values = tuple(v.decode("utf-8", "replace") for v in g["values"])
        groups.append(tuple.__new__(ScanGroup, (
            values, g["count"]) + g["outcomes"] + (g["sample"].decode("utf-8", "replace"),)))
    return tuple(groups)


def new_summary(scanner: Any, index: Any, top: Optional[int] = None) -> ScanSummary:
    """The ScanSummary of a finished core scanner over the database of ``index``."""
    rows = []
    for i in range(_core.smtpc_scanner_row_count(scanner)):
        row = _core.smtpc_scanner_row(scanner, i).fields()
        entry = index.get(row["entry"]) if row["entry"] else None
        enhanced = row["enhanced"]
        enhanced_entry = (index.text(enhanced[0] + row["enhanced_entry"][1:])
                          if row["enhanced_entry"] else None)
        rows.append(tuple.__new__(ScanRow, (
            row["code"] or None, enhanced or None, row["count"],
            entry.name if entry is not None else None, row["action"],
            row["sample"].decode("utf-8", "replace"), entry, enhanced_entry, row["reason"])))
    summary = object.__new__(ScanSummary)
    _set["lines"](summary, _core.smtpc_scanner_lines(scanner))
    _set["replies"](summary, _core.smtpc_scanner_replies(scanner))
    _set["skipped"](summary, _core.smtpc_scanner_skipped(scanner))
    _set["rows"](summary, tuple(rows))
    _set["attempts"](summary, _core.smtpc_scanner_attempts(scanner))
    _set["outcomes"](summary, {
        name: _core.smtpc_scanner_outcome(scanner, value)
        for value, name in enumerate(("delivered", "deferred", "bounced", "rejected"))})
    _set["by"](summary, tuple(
        _core.smtpc_enum_name(_core.SMTPC_ENUM_SCAN_AXIS, _core.smtpc_scanner_axis(scanner, i))
        for i in range(_core.smtpc_scanner_axis_count(scanner))))
    _set["bucket"](summary, _core.smtpc_scanner_bucket(scanner))
    _set["groups"](summary, _groups(scanner))
    _set["top"](summary, top)
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


def _new_scanner(db: Any, by: Any, bucket: Any, year: Any) -> Any:
    """A core scanner set up by scan()'s keyword arguments (checked by the core)."""
    scanner = _core.smtpc_scanner_new(db)
    if by is not None:
        if not isinstance(by, str):
            if isinstance(by, (bytes, bytearray)) or not all(isinstance(a, str) for a in by):
                raise TypeError("by must be a str (\"domain,reason\") or a sequence of str")
            by = ",".join(by)
        _core.smtpc_scanner_group_by(scanner, by)
    if bucket is not None:
        if isinstance(bucket, str):
            bucket = _core.smtpc_duration_parse(bucket)
        elif isinstance(bucket, bool) or not isinstance(bucket, int):
            raise TypeError("bucket must be seconds (an int) or a str (\"15m\", \"1h\"), not "
                            "%s" % type(bucket).__name__)
        elif not -(1 << 62) < bucket < (1 << 62):
            raise ValueError("bucket %d is out of range" % bucket)
        _core.smtpc_scanner_set_bucket(scanner, bucket)
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError("year must be an int, not %s" % type(year).__name__)
        if not -(1 << 30) < year < (1 << 30):
            raise ValueError("the year %d: 1970 to 9999" % year)
        _core.smtpc_scanner_set_year(scanner, year)
    return scanner


class ScanState:
    """Where the last scans of logs stopped, for a nightly run to read only what was written
    since: ``scan(path, state=s)`` skips what ``s`` says was read of the log and records how
    far it reads now (docs/logs.md, "Resuming"). A log is known by its first 1024 bytes of
    text, so it is found again after logrotate renamed or compressed it. ``save()`` gives the
    state as text, ``ScanState(text)`` reads it back (raising DataError, a ValueError, with
    ``line`` and ``column`` for text that is not a state); ``ScanState()`` is a new one."""

    __slots__ = ("_state", "_lock")

    def __init__(self, saved: Union[str, bytes, None] = None) -> None:
        import threading

        data = b"" if saved is None else as_bytes(saved, "saved")
        try:
            self._state = _core.smtpc_scan_state_load(data)
        except _core.Error as e:
            raise_core_error(e, source="scan state")
        self._lock = threading.Lock()

    def save(self) -> str:
        """The state as text ("smtpcodes-state 1", one line per log)."""
        with self._lock:
            return str(_core.smtpc_scan_state_save(self._state))

    def __len__(self) -> int:
        """How many logs the state knows."""
        return int(_core.smtpc_scan_state_count(self._state))

    def __repr__(self) -> str:
        return "<ScanState of %d logs>" % len(self)


def scan(source: Any, index: Any, what: str, by: Any = None, top: Any = None,
         bucket: Any = None, year: Any = None, state: Optional[ScanState] = None) -> ScanSummary:
    """Database.scan()."""
    db = index.source.db
    top = _check_top(top)
    if state is not None and not isinstance(state, ScanState):
        raise TypeError("state must be a ScanState, not %s" % type(state).__name__)
    try:
        scanner = _new_scanner(db, by, bucket, year)
        if state is not None:
            _core.smtpc_scanner_resume(scanner, state._state)
    except _core.Error as e:
        raise_core_error(e, setting=True)
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
        if state is not None:
            with state._lock:
                _core.smtpc_scan_state_record(state._state, scanner)
    except _core.Error as e:
        raise_core_error(e, filename=filename)
    return new_summary(scanner, index, top)


def _offset(value: Any, what: str) -> int:
    """A byte offset or size: an int (bool is not one) of 0 or more."""
    try:
        if isinstance(value, bool):
            raise TypeError
        value = operator.index(value)
    except TypeError:
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__)) from None
    if value < 0:
        raise ValueError("%s must be 0 or more, not %d" % (what, value))
    return value  # type: ignore[no-any-return]


def scan_range(path: Any, start: Any, end: Any, index: Any, by: Any = None, top: Any = None,
               bucket: Any = None, year: Any = None) -> ScanSummary:
    """Database.scan_range()."""
    start = _offset(start, "scan_range(): start")
    end = _offset(end, "scan_range(): end")
    top = _check_top(top)
    try:
        scanner = _new_scanner(index.source.db, by, bucket, year)
    except _core.Error as e:
        raise_core_error(e, setting=True)
    try:
        _core.smtpc_scanner_feed_file_range(scanner, path, min(start, _MAX_OFFSET),
                                            min(end, _MAX_OFFSET))
        _core.smtpc_scanner_finish(scanner)
    except _core.Error as e:
        raise_core_error(e, path=path, ranging=True)
    return new_summary(scanner, index, top)


def split_ranges(paths: Any, size: Any) -> List[Tuple[str, int, int]]:
    """smtpcodes.split_ranges()."""
    size = _offset(size, "split_ranges(): size")
    if size == 0:
        raise ValueError("split_ranges(): size must be 1 or more, not 0")
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    ranges = []
    for path in paths:
        if not isinstance(path, (str, bytes)) and not hasattr(path, "__fspath__"):
            raise TypeError("split_ranges() takes paths (str, bytes, os.PathLike), not %s"
                            % type(path).__name__)
        path = os.fspath(path)
        length = os.stat(path).st_size
        # An empty file still has its range, so that every path is read (and must exist)
        # when the ranges are scanned.
        ranges.extend((path, at, min(at + size, length)) for at in range(0, length, size))
        if length == 0:
            ranges.append((path, 0, 0))
    return ranges


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (ScanRow, ScanGroup, ScanSummary, ScanState):
    _cls.__module__ = "smtpcodes"
