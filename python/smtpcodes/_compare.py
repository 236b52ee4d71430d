"""Two codes side by side: the comparison page as an object."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Tuple

from . import _core
from ._codes import Code, Rendered, format_id, text_id
from ._errors import raise_core_error

if TYPE_CHECKING:
    from ._database import Source


def _item(index: int, doc: str) -> Any:
    return property(lambda self: self[index], doc=doc)


class Labels(tuple[str, str, str, str, str, str]):
    """The six section labels of a comparison page, in its language (a tuple in page
    order, with a name for each)."""

    __slots__ = ()
    description: str = _item(0, 'The label of a code\'s description ("Description").')
    when: str = _item(1, 'The label of when you see a code ("When You See It").')
    fix: str = _item(2, 'The label of how to fix it ("How to Fix").')
    differences: str = _item(3, 'The label of the numbered differences ("Key Differences").')
    usage: str = _item(4, 'The label of the advice for both codes ("When to Use Which").')
    learn_more: str = _item(5, 'The label of the references ("Learn More").')

    def __repr__(self) -> str:
        return "Labels(%s)" % ", ".join(
            "%s=%r" % pair
            for pair in zip(("description", "when", "fix", "differences", "usage",
                             "learn_more"), self))


class Difference(tuple[str, str]):
    """One item under "Key differences", a (kind, text) pair."""

    __slots__ = ()
    kind: str = _item(
        0, 'What the item is about: "class", "description", "when", "retry", "connection", '
        '"commands", "category", "enhanced", "origin" or "references".')
    text: str = _item(1, "The sentence, without its number.")

    def __repr__(self) -> str:
        return "Difference(kind=%r, text=%r)" % self


class Comparison(Rendered):
    """Two codes side by side: the comparison page as an object.

    Get one with ``smtpcodes.compare(a, b, lang)``. The lower code comes first whatever the
    order of the arguments. The page is in its language ``lang``: the labels, the sentences
    built for it and the codes' texts (``text(side, which)``) as the language's catalog
    translates them, and English where the catalog has no translation; ``fallbacks`` names
    those. Every section is an attribute; ``str()`` gives the text page,
    ``to_markdown()``, ``to_html()`` and ``to_json()`` the other renderings, ``to_dict()`` the
    JSON page as a dict, and Jupyter shows the HTML page. Comparisons are immutable, equal
    when they compare the same codes in the same language, and pickle by their arguments.
    """

    __slots__ = {
        "first": "The lower Code of the two.",
        "second": "The higher Code of the two.",
        "lang": 'The canonical tag of the page\'s language ("en", "pt", "zh-hans").',
        "title": 'The page title: "SMTP 421 Service Not Available vs 504 Parameter Not '
        'Implemented".',
        "intro": "The introduction: both codes, their classes and what each means.",
        "labels": "The section labels in the page's language (a Labels).",
        "differences": 'The numbered items under "Key differences" (Difference tuples).',
        "usage": 'The text under "When to use which".',
        "references": 'Both codes\' references under "Learn more", each once.',
        "fallbacks": 'What fell back to English, as JSON Pointers into the JSON page '
        '("/intro", "/codes/0/fix"): the keys of its "lang" object, in page order; () when the '
        'page says everything in its language, as an English page does.',
        "_cmp": None,
        "_source": None,
    }
    first: Code
    second: Code
    lang: str
    title: str
    intro: str
    labels: Labels
    differences: Tuple[Difference, ...]
    usage: str
    references: Tuple[str, ...]
    fallbacks: Tuple[str, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use smtpcodes.compare(a, b, lang) to compare two codes")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Comparison objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Comparison objects are immutable")

    @property
    def codes(self) -> Tuple[Code, Code]:
        """(first, second): the two codes in page order."""
        return (self.first, self.second)

    def __repr__(self) -> str:
        return "<Comparison %s vs %s lang=%r>" % (self.first.code, self.second.code, self.lang)

    def __str__(self) -> str:
        return self.render("text")

    def __eq__(self, other: object) -> bool:
        # Like codes, comparisons are equal by what they compare, whatever the database.
        if not isinstance(other, Comparison):
            return NotImplemented
        return (self.first.code, self.second.code, self.lang) == (
            other.first.code, other.second.code, other.lang)

    def __hash__(self) -> int:
        return hash((self.first.code, self.second.code, self.lang))

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore_comparison,
                (self.first.code, self.second.code, self.lang, self._source))

    def __copy__(self) -> "Comparison":
        return self

    def __deepcopy__(self, memo: Any) -> "Comparison":
        return self

    def text(self, side: int, which: str) -> str:
        """Text ``which`` of the code on ``side`` (0: ``first``, 1: ``second``) in the
        page's language, as the page shows it: "name", "aliases" (the names joined with "; ",
        "" when none), "description", "when", "fix" or "note" ("" when none). English where
        the language has no translation of it (``fallbacks`` then holds
        "/codes/SIDE/WHICH"); ``self.codes[side].text(which, self.lang)`` is the same text.

        Raises ValueError for another side or text, TypeError for arguments of the wrong
        type."""
        if isinstance(side, bool) or not isinstance(side, int):
            raise TypeError("side must be 0 or 1 (an int), not %s" % type(side).__name__)
        if side not in (0, 1):
            raise ValueError("side must be 0 (first) or 1 (second), not %d" % side)
        return str(_core.smtpc_comparison_text(self._cmp, side, text_id(which)))

    def render(self, format: str = "text") -> str:
        """The page in ``format``: "text", "markdown" (or "md"), "html" or "json"."""
        fmt = format_id(format)
        try:
            return str(_core.smtpc_render_comparison(self._cmp, fmt))
        except _core.Error as e:
            raise_core_error(e)

    def to_text(self) -> str:
        """The page as plain text (the same as ``str()``)."""
        return self.render("text")

    def to_markdown(self) -> str:
        """The page as CommonMark, references as links."""
        return self.render("markdown")

    def to_html(self) -> str:
        """The page as a self-contained HTML fragment (one <article>, inline styles)."""
        return self.render("html")

    def to_json(self) -> str:
        """The page as one JSON object with every section as a field (a str)."""
        return self.render("json")




_set = {name: getattr(Comparison, name).__set__ for name in Comparison.__slots__}


def new_comparison(source: "Source", index: Any, cmp: Any) -> Comparison:
    """The Comparison of the core's comparison ``cmp``."""
    obj = object.__new__(Comparison)
    _set["_cmp"](obj, cmp)
    _set["_source"](obj, source)
    _set["first"](obj, index.resolve(_core.smtpc_comparison_code(cmp, 0)))
    _set["second"](obj, index.resolve(_core.smtpc_comparison_code(cmp, 1)))
    _set["lang"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_LANG))
    _set["title"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_TITLE))
    _set["intro"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_INTRO))
    _set["usage"](obj, _core.smtpc_comparison_part(cmp, _core.SMTPC_PART_USAGE))
    _set["labels"](obj, Labels(_core.smtpc_comparison_label(cmp, i)
                               for i in range(_core.SMTPC_LABEL_COUNT)))
    _set["differences"](obj, tuple(
        Difference((_core.smtpc_comparison_difference_kind(cmp, i),
                    _core.smtpc_comparison_difference(cmp, i)))
        for i in range(_core.smtpc_comparison_difference_count(cmp))))
    _set["references"](obj, tuple(
        _core.smtpc_comparison_reference(cmp, i)
        for i in range(_core.smtpc_comparison_reference_count(cmp))))
    try:
        fallbacks = _core.smtpc_comparison_fallbacks(cmp)
    except _core.Error as e:
        raise_core_error(e)
    # Each pointer is followed by "\n".
    _set["fallbacks"](obj, tuple((fallbacks or "").split("\n")[:-1]))
    return obj


def _restore_comparison(a: str, b: str, lang: str, db: Any) -> Comparison:
    """Unpickles a Comparison: compares again in ``db``."""
    found: Comparison = db.compare(a, b, lang)
    return found


# Public names present themselves as smtpcodes's own (help(), repr, pickles, tracebacks).
for _cls in (Labels, Difference, Comparison):
    _cls.__module__ = "smtpcodes"
