"""Phrases a researcher names, counted per group: exact n-grams, or globs.

An exact phrase is tokenized with the corpus's tokenizer, except that a phrase made only of
forms the corpus holds, separated by white space, is taken as those forms: every ``ngram``
that :meth:`Corpus.ngrams` reports therefore counts the same when given back (tokenized
alone, "gen. smith" would lose the abbreviation context that made "gen." one token). A
phrase with punctuation or a sentence end between its words is refused: no n-gram runs
across those, so it could never be counted as written (and "(a|b) c" is pattern syntax,
for kwic and Lexicon).

A phrase with a glob word (``terror*``, ``*n't``) is matched as a pattern of the pattern
language (docs/patterns.md), word for word, with every match counted: "terror*" counts
"terror", "terrorism" and "terrorists".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from ._groups import MAX_ROWS
from ._scan import scan
from .lexicon import Lexicon, Marker
from .tokenizer import check_chars

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["Phrase", "PhraseCounts", "resolve", "count"]

_GLOB = re.compile(r"\*?[^*]+\*?")
# the pattern language's special characters, escaped in the literal words of a glob phrase
_SPECIAL = re.compile(r"([()|~?*\\])")


@dataclass(frozen=True)
class Phrase:
    """``text`` as given; ``forms`` its normalized tokens (a glob word keeps its ``*``);
    ``pattern`` the pattern that counts it when it holds a glob, else None."""

    text: str
    forms: tuple
    pattern: Optional[str] = None

    @property
    def ngram(self) -> str:
        return " ".join(self.forms)


@dataclass
class PhraseCounts:
    """``keys``: ``phrase``, ``ngram``, ``n`` per phrase; ``counts`` and ``docfreq``:
    (phrases, groups) int64."""

    keys: pd.DataFrame
    counts: np.ndarray
    docfreq: np.ndarray


def _is_glob(word: str) -> bool:
    return word.startswith("*") or word.endswith("*")


def _glob_phrase(corpus: "Corpus", i: int, text: str, words: List[str]) -> Phrase:
    forms, parts = [], []
    for w in words:
        if not _GLOB.fullmatch(w) or w == "*":
            raise ValueError(f"phrase {i} ({text!r}): {w!r} is not a glob; a * stands at "
                             "the start or end of a word (terror*, *n't)")
        if _is_glob(w):
            stem = w.strip("*")
            toks = corpus.tokenizer.tokenize(stem)
            if len(toks) != 1:
                raise ValueError(f"phrase {i} ({text!r}): the glob {w!r} must hold one word, "
                                 f"but {stem!r} is {len(toks)} tokens {toks}")
            lead, trail = ("*" if w.startswith("*") else ""), ("*" if w.endswith("*") else "")
            forms.append(lead + toks[0] + trail)
            parts.append(lead + _SPECIAL.sub(r"\\\1", stem) + trail)
        else:
            toks = corpus.tokenizer.tokenize(w)
            if not toks:
                raise ValueError(f"phrase {i} ({text!r}): {w!r} has no tokens to count")
            forms.extend(toks)
            parts.append(_SPECIAL.sub(r"\\\1", w))
    return Phrase(text, tuple(forms), " ".join(parts))


def _tokenized(corpus: "Corpus", i: int, text: str) -> tuple:
    """The forms of a phrase, refusing one that holds punctuation (or anything else the
    tokenizer removes) or a sentence end between its words: no n-gram runs across those, so
    counting the remaining words as adjacent would count a different phrase."""
    toks = corpus.tokenizer.tokens(text)
    if not toks:
        raise ValueError(f"phrase {i} ({text!r}) has no tokens to count")
    for a, b in zip(toks, toks[1:]):
        between = text[a.end:b.start].strip()
        if between or a.sentence != b.sentence:
            syntax = any(ch in text for ch in "|~?()\\")
            raise ValueError(
                f"phrase {i} ({text!r}) has {between!r} between {a.text!r} and {b.text!r}: an "
                "n-gram never runs across punctuation, a removed token or a sentence end, so "
                "the phrase cannot occur as written"
                + ("; pattern syntax ( | ) ? ~ is for kwic() and Lexicon, while frequency(), "
                   "trend() and dispersion() count phrases and * globs" if syntax else ""))
    return tuple(t.norm for t in toks)


def resolve(corpus: "Corpus", phrases: Union[str, Iterable[str]]) -> List[Phrase]:
    """The phrases as the corpus counts them; errors name the phrase and its index."""
    if isinstance(phrases, str):
        phrases = [phrases]
    phrases = list(phrases)
    out = []
    for i, p in enumerate(phrases):
        if not isinstance(p, str):
            raise TypeError(f"phrase {i} is {type(p).__name__}, not str")
        check_chars(p, f"phrase {i}")
        words = p.split()
        if words and all(known >= 0 for known in corpus.store.lookup(words)):
            out.append(Phrase(p, tuple(words)))
        elif any("*" in w for w in words):
            out.append(_glob_phrase(corpus, i, p, words))
        else:
            out.append(Phrase(p, _tokenized(corpus, i, p)))
    return out


def count(corpus: "Corpus", phrases: List[Phrase], codes: np.ndarray, ngroups: int,
          workers: int) -> PhraseCounts:
    """Counts and document frequencies of each phrase in each group (``codes[doc]`` is the
    group of a document, -1 leaves it out)."""
    rows = len(phrases) * ngroups
    if rows > MAX_ROWS:
        raise ValueError(f"{len(phrases):,} phrases in each of {ngroups:,} groups would make "
                         f"{rows:,} rows; the limit is {MAX_ROWS:,}. Count fewer phrases or "
                         "groups (without fill, only groups with documents count)")
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    keys = pd.DataFrame({"phrase": np.array([p.text for p in phrases], dtype=object),
                         "ngram": np.array([p.ngram for p in phrases], dtype=object),
                         "n": np.array([len(p.forms) for p in phrases], dtype=np.int64)})
    counts = np.zeros((len(phrases), ngroups), dtype=np.int64)
    docfreq = np.zeros((len(phrases), ngroups), dtype=np.int64)
    exact = [i for i, p in enumerate(phrases) if p.pattern is None]
    if exact:
        ids = [corpus.store.lookup(list(phrases[i].forms)) for i in exact]
        counts[exact], docfreq[exact] = corpus.store.phrases(ids, codes, ngroups, workers)
    globs = [i for i, p in enumerate(phrases) if p.pattern is not None]
    if globs:
        _count_globs(corpus, [phrases[i] for i in globs], codes, ngroups, workers,
                     counts, docfreq, globs)
    return PhraseCounts(keys, counts, docfreq)


def _count_globs(corpus: "Corpus", phrases: List[Phrase], codes: np.ndarray, ngroups: int,
                 workers: int, counts: np.ndarray, docfreq: np.ndarray, rows: List[int]) -> None:
    lex = Lexicon([Marker("phrases", str(k), p.pattern) for k, p in enumerate(phrases)])
    # every match, as n-grams count every occurrence; a match is one per start, and an
    # exact run of words with globs matches one way at each start
    h = scan(corpus, lex, overlap="all", workers=workers)
    g = codes[h.doc] if len(h) else np.zeros(0, dtype=np.int32)
    keep = g >= 0
    term, doc, g = h.pattern[keep], h.doc[keep], g[keep].astype(np.intp)
    for k, row in enumerate(rows):
        mine = term == k
        counts[row] = np.bincount(g[mine], minlength=ngroups)
        first = np.unique(doc[mine], return_index=True)[1]
        docfreq[row] = np.bincount(g[mine][first], minlength=ngroups)
