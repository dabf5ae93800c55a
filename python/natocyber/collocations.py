"""Collocations: multi-word expressions scored like quanteda's ``textstat_collocations``.

``Corpus.collocations`` delegates here. The C core counts, for every
sequence of k words seen at least ``min_count`` times, the 2**k table of windows matching it
on each subset of positions; lambda and z follow from that table, and bigrams also get the
usual association measures from their word counts. Formulas: docs/statistics.md.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import stats
from ._checks import check_count, parse_n

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["corpus_collocations", "COLLOCATION_COLUMNS", "SIZE_MAX"]

SIZE_MAX = 5

COLLOCATION_COLUMNS = ["collocation", "count", "length", "lambda", "z", "pmi", "npmi", "ll",
                       "t_score", "log_dice"]


def parse_size(size: Union[int, Sequence[int]]) -> tuple:
    """``size`` as (min, max) within 2..SIZE_MAX."""
    try:
        lo, hi = parse_n(size, limit=SIZE_MAX)
    except ValueError:
        raise ValueError(f"size must be an int or a (min, max) pair with 2 <= min <= max <= "
                         f"{SIZE_MAX}; got {size!r}") from None
    if lo < 2:
        raise ValueError(f"size must be an int or a (min, max) pair with 2 <= min <= max <= "
                         f"{SIZE_MAX}; got {size!r}")
    return lo, hi


def _bigram_measures(count: np.ndarray, w1: np.ndarray, w2: np.ndarray,
                     ntokens: int) -> dict:
    out = {}
    for col, m in (("pmi", "pmi"), ("npmi", "npmi"), ("t_score", "t_score"),
                   ("log_dice", "log_dice")):
        out[col] = stats.bigram_assoc(count, w1, w2, ntokens, m)
    # G2 needs a non-negative fourth cell N - f1 - f2 + f12; only a word repeated so often
    # that it fills most of the corpus breaks that (then ll is NaN).
    ok = ntokens - w1 - w2 + count >= 0
    ll = np.full(len(count), np.nan)
    if ok.any():
        ll[ok] = stats.bigram_assoc(count[ok], w1[ok], w2[ok], ntokens, "ll")
    out["ll"] = ll
    return out


def corpus_collocations(corpus: "Corpus", size: Union[int, Sequence[int]] = 2, *,
                        min_count: int = 2, smoothing: float = 0.5,
                        stopwords: Optional[Iterable[str]] = None,
                        workers: Optional[int] = None) -> pd.DataFrame:
    """See :meth:`natocyber.Corpus.collocations`."""
    lo, hi = parse_size(size)
    min_count = check_count("min_count", min_count)
    smoothing = float(smoothing)
    if not (np.isfinite(smoothing) and smoothing >= 0):
        raise ValueError(f"smoothing must be a finite number >= 0, not {smoothing!r}")
    stop = corpus.stop_mask(stopwords)
    parts = []
    for k in range(lo, hi + 1):
        found = corpus.store.collocations(k, min_count, stop=stop,
                                          workers=corpus.threads(workers))
        nt = len(found.strings)
        lam, _, z = stats.colloc_lambda(found.cells, k, smoothing)
        count = found.cells.reshape(nt, 1 << k)[:, -1] if nt else np.zeros(0)
        df = pd.DataFrame({"collocation": np.array(found.strings, dtype=object),
                           "count": count.astype(np.int64), "length": np.full(nt, k),
                           "lambda": lam, "z": z})
        if k == 2 and nt:
            words = found.word_counts.reshape(nt, 2).astype(np.float64)
            for col, v in _bigram_measures(count, words[:, 0], words[:, 1],
                                           found.ntokens).items():
                df[col] = v
        else:
            for col in ("pmi", "npmi", "ll", "t_score", "log_dice"):
                df[col] = np.nan  # defined for bigrams only
        parts.append(df[COLLOCATION_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    out["length"] = out["length"].astype(np.int64)
    # by z, descending; ties keep length, then string order (a numeric stable sort)
    order = np.argsort(-out["z"].to_numpy(), kind="stable")
    return out.take(order).reset_index(drop=True)
