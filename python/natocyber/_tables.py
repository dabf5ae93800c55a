"""Count tables for the statistics: one row per term, one column per group of documents.

Every statistic (keyness, dispersion, trend) takes a :class:`CountTable`, so any kind of
term plugs in the same way: n-grams, given phrases, stance categories or markers. Group
codes follow :class:`~natocyber._groups.Groups`: ``codes[doc]`` is the group of a document,
-1 leaves it out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _phrases
from ._groups import totals
from ._scan import scan
from .lexicon import Lexicon

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus


@dataclass
class CountTable:
    """``keys``: one row per term (the columns that name it); ``counts``: (nterms, ngroups)
    int64; ``tokens``: tokens of each group."""

    keys: pd.DataFrame
    counts: np.ndarray
    tokens: np.ndarray

    def __post_init__(self) -> None:
        assert self.counts.shape == (len(self.keys), len(self.tokens))


def ngram_table(corpus: "Corpus", nmin: int, nmax: int, codes: np.ndarray, ngroups: int, *,
                min_count: int = 1, stopwords: Optional[Iterable[str]] = None,
                workers: Optional[int] = None) -> CountTable:
    """Every n-gram of order nmin..nmax whose count over the included groups is at least
    ``min_count``; keys ``ngram``, ``n`` in string order."""
    rows = corpus.store.ngrams(codes, ngroups, nmin, nmax, stop=corpus.stop_mask(stopwords),
                               min_count=min_count, top=0, workers=corpus.threads(workers))
    keys = pd.DataFrame({"ngram": rows.distinct_column(), "n": rows.ns.astype(np.int64)})
    return CountTable(keys, rows.count_matrix(ngroups),
                      totals(codes, ngroups, corpus.token_counts))


def phrase_table(corpus: "Corpus", phrases: Union[str, Iterable[str]], codes: np.ndarray,
                 ngroups: int, *, workers: Optional[int] = None) -> CountTable:
    """Counts of given phrases (normalized like the text, globs allowed, as in
    ``Corpus.frequency``); keys ``phrase`` (as given), ``ngram`` (normalized), ``n``, in the
    order given."""
    pc = _phrases.count(corpus, _phrases.resolve(corpus, phrases), codes, ngroups,
                        corpus.threads(workers))
    return CountTable(pc.keys, pc.counts, totals(codes, ngroups, corpus.token_counts))


def marker_table(corpus: "Corpus", codes: np.ndarray, ngroups: int, *,
                 categories: Union[bool, str, Sequence[str], None] = True,
                 markers: bool = False, lexicon: Any = None) -> CountTable:
    """Hits of stance categories (or of single markers) per group, from ``corpus.markers()``.

    Negated hits are left out ("did not condemn" is no condemnation), hypothetical ones
    count, as in ``Corpus.marker_rates``. Keys: ``category``, plus ``marker`` with
    ``markers=True``; every category (marker) of the lexicon has a row, in lexicon order,
    also without hits. ``categories``: True or None for all of the lexicon's, or names
    (unknown ones raise ``LexiconError``, a ValueError)."""
    if lexicon is None:
        lex = Lexicon.default()
    elif isinstance(lexicon, Lexicon):
        lex = lexicon
    else:
        lex = Lexicon(lexicon)
    if categories is not True and categories is not None:
        lex = lex.select(categories)
    # the hits themselves, not corpus.markers(): no metadata is needed here
    h = scan(corpus, lex)
    hits = pd.DataFrame({"doc": h.doc, "category": h.labels(lex.entries, "category"),
                         "marker": h.labels(lex.entries, "id"), "negated": h.negated})
    hits = hits[~hits["negated"].to_numpy(dtype=bool)]
    if markers:
        keys = pd.DataFrame({"category": [m.category for m in lex.entries],
                             "marker": [m.id for m in lex.entries]}, dtype=object)
        keys = keys.drop_duplicates().reset_index(drop=True)
        index = pd.MultiIndex.from_frame(keys)
        row = index.get_indexer(pd.MultiIndex.from_frame(hits[["category", "marker"]])) \
            if len(hits) else np.zeros(0, dtype=np.intp)
    else:
        keys = pd.DataFrame({"category": np.array(lex.categories, dtype=object)})
        row = pd.Index(keys["category"]).get_indexer(hits["category"]) if len(hits) \
            else np.zeros(0, dtype=np.intp)
    g = codes[hits["doc"].to_numpy(dtype=np.intp)] if len(hits) else np.zeros(0, np.int32)
    keep = (g >= 0) & (row >= 0)
    counts = np.zeros((len(keys), ngroups), dtype=np.int64)
    np.add.at(counts, (row[keep], g[keep]), 1)
    return CountTable(keys, counts, totals(codes, ngroups, corpus.token_counts))
