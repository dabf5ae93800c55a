"""Tokenization: ICU word and sentence boundaries, per-token normalization.

The work is done by the C core; this module validates options and shapes the
results (lists of str, :class:`Token` records, sentence strings or spans).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, Tuple, Union

from . import _core

__all__ = ["Token", "Tokenizer", "tokenize", "tokens", "sentences", "stem_languages",
           "ABBREVIATION_CLASSES"]

#: Classes of abbreviations, for :class:`Tokenizer`'s ``abbreviations``.
#: ``always``: never ends a sentence ("Gen.", "e.g."); ``before_number``: does not end a sentence
#: when a number follows ("Art. 5", "No. 3"); ``ambiguous``: ends a sentence only when the next
#: word is a capitalized sentence opener such as "The", "We", "In" ("in the U.S. The ministers").
ABBREVIATION_CLASSES = {"always": 1, "before_number": 2, "ambiguous": 3}
_CLASS_NAMES = {v: k for k, v in ABBREVIATION_CLASSES.items()}

_HYPHENS = {"keep": 0, "split": 1}

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(s: str) -> Optional[Tuple[int, str]]:
    """``(position, reason)`` of the first lone surrogate in ``s``, or None.

    A Python str can hold one (from an escape such as ``"\\ud800"`` or a decode with
    ``surrogateescape``) although it is not a character, and UTF-8, in which the core
    works, cannot encode it. Texts may hold them (they separate tokens); names, options,
    patterns and phrases may not.

    >>> lone_surrogate("ab\\ud800")
    (2, 'lone surrogate U+D800 is not a character')
    """
    m = _SURROGATE.search(s)
    if m is None:
        return None
    return m.start(), f"lone surrogate U+{ord(m.group()):04X} is not a character"


def check_chars(s: str, what: str) -> None:
    """Raises ValueError naming ``what`` if ``s`` holds a lone surrogate.

    >>> check_chars("en\\udc80", "locale")
    Traceback (most recent call last):
    ...
    ValueError: locale 'en\\udc80': lone surrogate U+DC80 is not a character (position 2)
    """
    bad = lone_surrogate(s)
    if bad is not None:
        raise ValueError(f"{what} {s!r}: {bad[1]} (position {bad[0]})")


class Token(NamedTuple):
    """One token: ``text`` as written, its normalized ``norm``, code-point ``start``/``end``
    (``source[start:end] == text``), ``kind`` (word, number, punct, symbol) and the index of
    its ``sentence`` within the text."""

    text: str
    norm: str
    start: int
    end: int
    kind: str
    sentence: int


class Tokenizer:
    """Splits text into normalized tokens and sentences with ICU.

    Parameters
    ----------
    locale:
        ICU locale id or BCP 47 tag passed to ICU's break iterators ("en", "en-GB", "de").
        An unknown language is an error, not a silent fallback.
    keep_case:
        Keep letter case (NFKC only) instead of NFKC case folding.
    keep_punct, keep_symbols:
        Keep punctuation / symbol and emoji tokens. When dropped (the default) they still
        separate n-grams.
    drop_numbers:
        Remove number tokens (they then separate n-grams like punctuation).
    hyphens:
        ``"keep"``: "cyber-attack" is one token; ``"split"``: "cyber" and "attack", adjacent.
    stem:
        A Snowball language (see :func:`stem_languages`) to reduce words to stems.
    paragraph_lines:
        If true, every line break ends a sentence; by default a single line break inside a
        sentence (wrapped text) does not, and a blank line does.
    abbreviations:
        Extra abbreviations that must not end a sentence: an iterable of strings (class
        ``"always"``) or a mapping to a class name in :data:`ABBREVIATION_CLASSES`.
        Each is written with its final period and matched case-sensitively.
    default_abbreviations:
        Start from the built-in table (see it with ``Tokenizer().abbreviations``).

    A normalized form never contains white space, so the forms of an n-gram always split back
    at its spaces: a narrow no-break space inside a token is dropped ("10\u202f000" gives
    "10000"), and a token whose NFKC would contain a space (U+FDFA, U+00B4 and 50 others) is
    given canonical normalization and case folding only.

    Example
    -------
    >>> tok = Tokenizer(abbreviations={"Cdr.": "always"})
    >>> tok.tokenize("NATO’s Council strongly condemns the attack.")
    ["nato's", 'council', 'strongly', 'condemns', 'the', 'attack']
    """

    OPTIONS = ("locale", "keep_case", "keep_punct", "keep_symbols", "drop_numbers", "hyphens",
               "stem", "paragraph_lines", "abbreviations", "default_abbreviations")

    def __init__(self, locale: str = "en", *, keep_case: bool = False, keep_punct: bool = False,
                 keep_symbols: bool = False, drop_numbers: bool = False, hyphens: str = "keep",
                 stem: Optional[str] = None, paragraph_lines: bool = False,
                 abbreviations: Union[None, Iterable[str], Mapping[str, str]] = None,
                 default_abbreviations: bool = True) -> None:
        if not isinstance(locale, str):
            raise TypeError(f"locale must be a str, not {type(locale).__name__}")
        check_chars(locale, "locale")
        if hyphens not in _HYPHENS:
            raise ValueError(f"hyphens must be one of {sorted(_HYPHENS)}, not {hyphens!r}")
        if stem is not None and stem not in _core.stem_languages():
            raise ValueError(f"unknown stemming language {stem!r}; "
                             f"available: {', '.join(sorted(_core.stem_languages()))}")
        extra = _abbreviation_table(abbreviations)
        self._options = dict(locale=locale, keep_case=bool(keep_case),
                             keep_punct=bool(keep_punct), keep_symbols=bool(keep_symbols),
                             drop_numbers=bool(drop_numbers), hyphens=hyphens, stem=stem,
                             paragraph_lines=bool(paragraph_lines),
                             abbreviations={k: _CLASS_NAMES[v] for k, v in extra.items()},
                             default_abbreviations=bool(default_abbreviations))
        self._core = _core._Tokenizer(
            locale=locale, keep_case=bool(keep_case), keep_punct=bool(keep_punct),
            keep_symbols=bool(keep_symbols), drop_numbers=bool(drop_numbers),
            hyphens=_HYPHENS[hyphens], stem=stem, paragraph_lines=bool(paragraph_lines),
            default_abbreviations=bool(default_abbreviations), abbreviations=extra)

    @classmethod
    def from_options(cls, options: Optional[Mapping] = None, **kwargs) -> "Tokenizer":
        """Build a tokenizer from a dict of options; unknown names raise ValueError."""
        opts = dict(options or {}, **kwargs)
        unknown = sorted(set(opts) - set(cls.OPTIONS))
        if unknown:
            raise ValueError(f"unknown tokenizer option(s) {', '.join(map(repr, unknown))}; "
                             f"valid options: {', '.join(cls.OPTIONS)}")
        return cls(**opts)

    @property
    def options(self) -> dict:
        """The options this tokenizer was made with (a copy)."""
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self._options.items()}

    @property
    def abbreviations(self) -> dict:
        """The effective abbreviation table: {abbreviation: class name}."""
        return {k: _CLASS_NAMES[v] for k, v in self._core.abbreviations().items()}

    def tokenize(self, text: str) -> list:
        """Normalized forms of the tokens of ``text``.

        >>> Tokenizer().tokenize("Ｃyber‑attacks, co‑ordinated")
        ['cyber-attacks', 'co-ordinated']
        """
        return self._core.tokenize(text)

    def tokens(self, text: str) -> list:
        """:class:`Token` records with code-point offsets into ``text``.

        >>> Tokenizer().tokens("We condemn it.")[1]
        Token(text='condemn', norm='condemn', start=3, end=10, kind='word', sentence=0)
        """
        return [Token(text[s:e], norm, s, e, kind, sent)
                for norm, s, e, kind, sent in self._core.tokens(text)]

    def sentences(self, text: str, spans: bool = False) -> list:
        """Sentences of ``text`` (str, trimmed), or ``(start, end)`` spans if ``spans``.

        >>> Tokenizer().sentences("Gen. Smith met the U.S. Secretary. Allies agreed.")
        ['Gen. Smith met the U.S. Secretary.', 'Allies agreed.']
        """
        sp = self._core.sentence_spans(text)
        return sp if spans else [text[s:e] for s, e in sp]

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._options.items()
                   if v != _DEFAULTS.get(k)}
        return "Tokenizer(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    def __reduce__(self):
        return (_rebuild, (self._options,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokenizer) and other._options == self._options

    def __hash__(self) -> int:
        return hash(repr(sorted((k, repr(v)) for k, v in self._options.items())))


_DEFAULTS = dict(locale="en", keep_case=False, keep_punct=False, keep_symbols=False,
                 drop_numbers=False, hyphens="keep", stem=None, paragraph_lines=False,
                 abbreviations={}, default_abbreviations=True)


def _rebuild(options: dict) -> Tokenizer:
    return Tokenizer(**options)


def _abbreviation_table(abbr) -> dict:
    if abbr is None:
        return {}
    if isinstance(abbr, str):
        raise TypeError("abbreviations must be an iterable or mapping of strings, not one str")
    items = abbr.items() if isinstance(abbr, Mapping) else ((a, "always") for a in abbr)
    out = {}
    for a, cls in items:
        if not isinstance(a, str):
            raise TypeError(f"abbreviation {a!r} is not a str")
        check_chars(a, "abbreviation")
        if cls not in ABBREVIATION_CLASSES:
            raise ValueError(f"abbreviation {a!r}: class must be one of "
                             f"{', '.join(ABBREVIATION_CLASSES)}, not {cls!r}")
        if not a.endswith(".") or len(a) > 64:
            raise ValueError(f"abbreviation {a!r} must end with '.' and be at most 64 characters")
        out[a] = ABBREVIATION_CLASSES[cls]
    return out


_default: Optional[Tokenizer] = None


def default_tokenizer() -> Tokenizer:
    """The shared tokenizer with default options."""
    global _default
    if _default is None:
        _default = Tokenizer()
    return _default


def resolve_tokenizer(tokenizer: Optional[Tokenizer], options: dict) -> Tokenizer:
    """The tokenizer a call asked for: ``tokenizer``, or one made from ``options``, or the
    shared default; both at once is an error."""
    if tokenizer is not None and options:
        raise ValueError("pass either a tokenizer or tokenizer options, not both")
    if tokenizer is not None:
        if not isinstance(tokenizer, Tokenizer):
            raise TypeError(f"tokenizer must be a natocyber.Tokenizer, not {type(tokenizer).__name__}")
        return tokenizer
    return Tokenizer.from_options(options) if options else default_tokenizer()


def build_store(tokenizer: Tokenizer, texts: list, workers: int,
                progress: Optional[Callable[[int], None]] = None) -> Any:
    """The C core's token store of ``texts`` (see :class:`natocyber._store.TokenStore`)."""
    return tokenizer._core.build(texts, workers=workers, progress=progress)


def tokenize(text: str, tokenizer: Optional[Tokenizer] = None, **options) -> list:
    """Normalized tokens of ``text``; ``options`` are :class:`Tokenizer` options.

    >>> tokenize("NATO’s Council strongly condemns the attack on ＮＡＴＯ 😀 members.")
    ["nato's", 'council', 'strongly', 'condemns', 'the', 'attack', 'on', 'nato', 'members']
    """
    return resolve_tokenizer(tokenizer, options).tokenize(text)


def tokens(text: str, tokenizer: Optional[Tokenizer] = None, **options) -> list:
    """:class:`Token` records of ``text`` (text, norm, start, end, kind, sentence).

    >>> [t.text for t in tokens("Russia’s GRU.")]
    ['Russia’s', 'GRU']
    """
    return resolve_tokenizer(tokenizer, options).tokens(text)


def sentences(text: str, spans: bool = False, tokenizer: Optional[Tokenizer] = None,
              **options) -> list:
    """Sentence strings of ``text``, or their ``(start, end)`` code-point spans.

    >>> sentences("Allies met on Art. 5 today. They agreed.")
    ['Allies met on Art. 5 today.', 'They agreed.']
    """
    return resolve_tokenizer(tokenizer, options).sentences(text, spans=spans)


def stem_languages() -> list:
    """Languages available for ``Tokenizer(stem=...)``."""
    return sorted(_core.stem_languages())
