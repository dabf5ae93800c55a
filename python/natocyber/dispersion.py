"""Dispersion: how evenly a phrase (or stance category) spreads over documents or groups.

``Corpus.dispersion`` delegates here: it builds a count table with one column per part (each
document, or each group of a metadata column) and hands it to
:func:`natocyber.stats.dispersion`. Formulas: docs/statistics.md, section 6.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import stats
from ._groups import By, Groups
from ._tables import CountTable, marker_table, phrase_table

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["dispersion_frame", "corpus_dispersion", "DISPERSION_COLUMNS"]

DISPERSION_COLUMNS = ["count", "parts", "range", "dp", "dp_norm", "juilland_d"]


def dispersion_frame(table: CountTable) -> pd.DataFrame:
    """The term keys of ``table`` followed by the dispersion columns.

    ``parts`` is the number of parts with tokens (parts without tokens are left out of every
    measure), ``range`` those in which the term occurs. A term that never occurs has range 0
    and NaN for dp, dp_norm and juilland_d: the dispersion of nothing is undefined.
    """
    sizes = table.tokens.astype(np.float64)
    if (sizes > 0).sum() < 2:
        raise ValueError("dispersion needs at least two parts (documents or groups) with "
                         "tokens")
    d = stats.dispersion(table.counts.astype(np.float64), sizes)
    out = table.keys.reset_index(drop=True).copy()
    out["count"] = table.counts.sum(axis=1).astype(np.int64)
    out["parts"] = int((sizes > 0).sum())
    for col in ("range", "dp", "dp_norm", "juilland_d"):
        out[col] = d[col].to_numpy()
    # rounding can leave D a few ulps outside its range [0, 1] (all in one part gives
    # -2e-16); NaN stays NaN
    out["juilland_d"] = out["juilland_d"].clip(0.0, 1.0)
    return out


def corpus_dispersion(corpus: "Corpus", phrases: Union[None, str, Iterable[str]] = None,
                      by: By = None, *,
                      categories: Union[None, bool, str, Sequence[str]] = None,
                      lexicon=None, workers: Optional[int] = None) -> pd.DataFrame:
    """See :meth:`natocyber.Corpus.dispersion`."""
    if (phrases is None) == (categories is None):
        raise ValueError("give phrases or categories (one of the two)")
    if by is None:
        codes, nparts = np.arange(len(corpus), dtype=np.int32), len(corpus)
    else:
        groups = Groups(corpus.meta, by)
        codes, nparts = groups.codes, groups.ngroups
    if categories is not None:
        table = marker_table(corpus, codes, nparts, categories=categories, lexicon=lexicon)
    else:
        table = phrase_table(corpus, phrases, codes, nparts, workers=workers)
    return dispersion_frame(table)
