"""Providers: the mail services whose servers give codes and texts meanings of their own."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Tuple

from . import _core
from ._codes import Rendered, format_id
from ._errors import raise_core_error

if TYPE_CHECKING:
    from ._database import Source


class Provider(Rendered):
    """A mail provider whose servers give codes and texts meanings of their own: Gmail's
    "550 5.7.29" is no ARC failure, Microsoft's "5.7.708" is in no registry.

    Get them from ``smtpcodes.providers()`` or ``smtpcodes.provider_of(host)``; never build
    one by hand. Attributes (read-only): ``slug`` ("microsoft", the name ``meaning(code,
    provider=...)`` and ``Code.provider`` use), ``name`` ("Microsoft 365 and Outlook.com"),
    ``hosts`` (a tuple of the domain names of its servers and mailboxes; a host belongs to
    the provider when it is one of them or ends in "." and one of them), ``description`` and
    ``references`` (a tuple of the addresses of its documentation).

    Providers are immutable, hashable and equal when all their facts are; they pickle with
    their database. ``render()`` gives the provider's page with its codes, as ``smtpcodes
    providers SLUG`` prints it; Jupyter shows it as HTML.
    """

    __slots__ = ("slug", "name", "hosts", "description", "references", "_source")

    slug: str
    name: str
    hosts: Tuple[str, ...]
    description: str
    references: Tuple[str, ...]
    _source: "Source"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("Provider objects come from smtpcodes.providers() and provider_of()")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Provider objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Provider objects are immutable")

    def _facts(self) -> Tuple[str, str, Tuple[str, ...], str, Tuple[str, ...]]:
        return (self.slug, self.name, self.hosts, self.description, self.references)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Provider):
            return NotImplemented
        return self._facts() == other._facts()

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Provider):
            return NotImplemented
        return self._facts() != other._facts()

    def __hash__(self) -> int:
        return hash(self._facts())

    def __repr__(self) -> str:
        return "<Provider %s %s>" % (self.slug, self.name)

    def __str__(self) -> str:
        return self.slug

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore_provider, (self.slug, self._source))

    def __copy__(self) -> "Provider":
        return self

    def __deepcopy__(self, memo: Any) -> "Provider":
        return self

    def render(self, format: str = "text") -> str:
        """The provider's page (what ``smtpcodes providers SLUG`` prints): its facts and the
        table of its own codes with their names, reasons and retry advice, in ``format``
        ("text", "markdown" or "md", "html" or "json")."""
        fmt = format_id(format)
        try:
            return str(_core.smtpc_render_providers(self._source.db, self.slug, fmt))
        except _core.Error as e:
            raise_core_error(e, provider=self.slug)


def new_provider(source: "Source", facts: Dict[str, Any]) -> Provider:
    """The Provider of the facts of smtpc_py_provider_facts(), in the database of ``source``."""
    obj = object.__new__(Provider)
    for name in ("slug", "name", "hosts", "description", "references"):
        object.__setattr__(obj, name, facts[name])
    object.__setattr__(obj, "_source", source)
    return obj


def _restore_provider(slug: str, db: Any) -> Provider:
    """Unpickles a Provider: the provider of the same slug in ``db``."""
    for provider in db.providers():
        if provider.slug == slug:
            found: Provider = provider
            return found
    from ._errors import UnknownProviderError

    raise UnknownProviderError(slug)


Provider.__module__ = "smtpcodes"
