"""Bounce messages: one record per recipient of a DSN, a feedback report or an automatic reply,
with the reason it failed and the evidence for that reason (docs/bounces.md)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Tuple

from . import _core
from ._errors import raise_core_error
from ._scan import as_bytes

# The fields of a record, in the order of the JSON the core renders (docs/json.md).
FIELDS: Tuple[str, ...] = (
    "kind", "recipient", "original_recipient", "code", "enhanced", "action", "reason", "hard",
    "rule", "evidence", "diagnostic", "diagnostic_type", "command", "remote_mta",
    "reporting_mta", "arrival_date", "last_attempt_date", "will_retry_until", "queue_id",
    "message_id", "original_date", "return_path", "subject", "feedback_type", "format",
    "provider")


class BounceRecord:
    """One recipient of a message that came back, as the core read it.

    ``kind`` ("dsn", "global-dsn", "feedback", "auto-reply", "nonstandard"), ``format`` (the
    RFC or the MTA whose format it was read from: "rfc3464", "qmail" ...), ``provider`` (whose
    meanings of codes decided the reason, or ""), ``recipient``, ``code`` (the
    reply code, an int, or None), ``enhanced`` ("5.1.1" or None), ``action`` (the DSN Action:
    "failed", "delayed", "delivered", "relayed", "expanded", or None), ``reason``
    ("userunknown" ...), ``hard`` (True, False, or None when it is no failure), ``rule`` and
    ``evidence`` (what decided the reason, and the text it matched), ``diagnostic``,
    ``command``, ``remote_mta``, ``message_id`` and the other fields of docs/bounces.md. A
    field the message does not give is "" (None for code, enhanced, action and hard).
    """

    __slots__ = FIELDS

    def __init__(self, fields: Dict[str, Any]) -> None:
        for name in FIELDS:
            object.__setattr__(self, name, fields[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("BounceRecord objects are immutable")

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict: the record of ``smtpcodes bounce --format json``."""
        return {name: getattr(self, name) for name in FIELDS}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BounceRecord):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "BounceRecord(recipient=%r, code=%r, enhanced=%r, action=%r, reason=%r)" % (
            self.recipient, self.code, self.enhanced, self.action, self.reason)


def message_bytes(message: Any) -> bytes:
    """The message as bytes: bytes and str as they are (str as UTF-8), an
    email.message.Message as it would be sent."""
    if hasattr(message, "as_bytes") and hasattr(message, "get_payload"):
        return message.as_bytes()  # type: ignore[no-any-return]
    return as_bytes(message, "message")


def parse_bounce(db: Any, message: Any) -> List[BounceRecord]:
    """The records of one message read by the core; [] for a message that is no bounce."""
    import json  # here, not at import: importing smtpcodes stays light

    try:
        text = _core.smtpc_py_bounce_json(db, message_bytes(message))
    except _core.Error as e:
        raise_core_error(e)
    records: List[Dict[str, Any]] = json.loads(text)
    for record in records:
        record.pop("file", None)
    return [BounceRecord(record) for record in records]
