"""Keyness: which terms one part of a corpus uses more (or less) than another.

``Corpus.keyness`` delegates here. A comparison is a count table with two columns (target,
reference); each group against the rest is one such comparison per group. The statistics
come from :func:`natocyber.stats.keyness`; see docs/statistics.md for the formulas.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import stats
from ._checks import check_choice, check_count, parse_n
from ._groups import By, Groups
from ._schema import KEYNESS_COLUMNS, KEYNESS_RESULT
from ._tables import CountTable, marker_table, ngram_table

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["keyness_frame", "corpus_keyness", "KEYNESS_COLUMNS"]

def keyness_frame(a: np.ndarray, b: np.ndarray, total_target: float, total_reference: float,
                  measure: str = "g2", correction: str = "none") -> pd.DataFrame:
    """The keyness columns for one comparison (one row per term, in the given order).

    ``statistic`` is the chosen measure, signed so that over-use in the target is positive;
    for ``fisher`` it is the natural log of the odds ratio. ``p`` comes from the measure's
    own test (G2, chi2, Fisher); the effect sizes ``log_ratio``, ``pct_diff`` and ``pmi``
    have no test of their own, so their ``p`` is that of G2 (with ``correction``).
    ``p_bh`` is Benjamini-Hochberg adjusted over the rows. ``log_ratio`` (Hardie's binary
    log of the ratio of relative frequencies, 0.5 standing in for a zero count) is always
    there as the effect size.

    >>> keyness_frame(np.array([7]), np.array([2]), 10, 9, "chi2").statistic.round(6).tolist()
    [4.33716]
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    effect_only = measure in ("log_ratio", "pct_diff", "pmi")
    stat, p = stats.keyness(a, b, total_target, total_reference, measure,
                            "none" if effect_only else correction)
    if effect_only:
        _, p = stats.keyness(a, b, total_target, total_reference, "g2", correction)
    elif measure == "fisher":
        stat = np.log(stat)  # finite: zero cells get the Haldane-Anscombe 0.5
    lr, _ = stats.keyness(a, b, total_target, total_reference, "log_ratio")
    return pd.DataFrame({
        "count_target": a.astype(np.int64),
        "count_reference": b.astype(np.int64),
        "per_10k_target": a * 1e4 / total_target,
        "per_10k_reference": b * 1e4 / total_reference,
        "statistic": stat,
        "p": p,
        "p_bh": stats.bh_adjust(p) if len(p) else p,
        "log_ratio": lr,
    })


def _mask(value: Any, n: int, name: str) -> np.ndarray:
    """A boolean document mask of length n, or a ValueError that says what is wrong."""
    if isinstance(value, pd.Series):
        if value.isna().any():
            raise ValueError(f"{name} mask has missing values; fill them (e.g. .fillna(False))")
        # documents are 0..n-1 in corpus.meta's index: a mask built from a sorted or filtered
        # copy of the metadata must line up by its index, not by position
        if not value.index.equals(pd.RangeIndex(n)):
            if len(value) == n and value.index.sort_values().equals(pd.RangeIndex(n)):
                value = value.sort_index()
            else:
                raise ValueError(f"{name} is a Series whose index is not the corpus's documents "
                                 f"0..{n - 1}; build it from corpus.meta (e.g. corpus.meta.year "
                                 ">= 2024), or pass .to_numpy() to take it by position")
        value = value.to_numpy()
    arr = np.asarray(value)
    if arr.dtype != bool:
        if arr.dtype == object and all(isinstance(v, (bool, np.bool_)) for v in arr.ravel()):
            arr = arr.astype(bool)
        else:
            raise ValueError(f"{name} must be a boolean mask over the documents (e.g. "
                             f"corpus.meta.year >= 2024), not an array of {arr.dtype}; to name "
                             "groups, pass by= as well")
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} mask has {arr.size} values but the corpus has {n} documents")
    return arr


def _values(value: Any) -> list:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index)):
        return list(value)
    return [value]


def _select(meta: pd.DataFrame, column: str, value: Any, name: str) -> np.ndarray:
    """Documents whose ``column`` is one of the values; every value must exist."""
    wanted = _values(value)
    col = meta[column]
    present = set(col.dropna().unique().tolist())
    missing = [v for v in wanted if v not in present]
    if missing:
        shown = sorted(present, key=str)[:20]
        raise ValueError(f"{name}: no document has {column} == {missing[0]!r}; "
                         f"values present: {shown}{' ...' if len(present) > 20 else ''}")
    return col.isin(wanted).to_numpy()


def _check_sides(corpus: "Corpus", target: np.ndarray, reference: np.ndarray) -> None:
    if (target & reference).any():
        raise ValueError(f"{int((target & reference).sum())} document(s) are in both the "
                         "target and the reference")
    for name, m in (("target", target), ("reference", reference)):
        if not m.any():
            raise ValueError(f"the {name} selects no documents")
        if int(corpus.token_counts[m].sum()) == 0:
            raise ValueError(f"the {name} documents have no tokens")


def _table(corpus: "Corpus", codes: np.ndarray, ngroups: int, n, min_count: int,
           stopwords, categories, markers: bool, lexicon, workers) -> CountTable:
    if categories not in (None, False) or markers:
        t = marker_table(corpus, codes, ngroups, categories=True if categories is None
                         else categories, markers=markers, lexicon=lexicon)
        keep = t.counts.sum(axis=1) >= min_count
        return CountTable(t.keys[keep].reset_index(drop=True), t.counts[keep], t.tokens)
    nmin, nmax = parse_n(n)
    return ngram_table(corpus, nmin, nmax, codes, ngroups, min_count=min_count,
                       stopwords=stopwords, workers=workers)


def _sorted(keys: pd.DataFrame, cols: pd.DataFrame) -> pd.DataFrame:
    """By statistic, descending; ties keep the table's order (string order for n-grams,
    lexicon order for categories). A numeric stable sort: sorting on the strings as well
    would cost more than everything else on a large table."""
    order = np.argsort(-cols["statistic"].to_numpy(), kind="stable")
    df = pd.concat([keys.reset_index(drop=True), cols], axis=1)
    return df.take(order).reset_index(drop=True)


def corpus_keyness(corpus: "Corpus", target: Any = None, reference: Any = None, *,
                   by: By = None, n: Union[int, Sequence[int]] = (1, 3), measure: str = "g2",
                   correction: str = "none", min_count: int = 1,
                   stopwords: Optional[Iterable[str]] = None,
                   categories: Union[None, bool, str, Sequence[str]] = None,
                   markers: bool = False, lexicon=None,
                   workers: Optional[int] = None) -> pd.DataFrame:
    """See :meth:`natocyber.Corpus.keyness`."""
    check_choice("measure", measure, stats.MEASURES)
    check_choice("correction", correction, stats.CORRECTIONS)
    if correction != "none" and measure == "fisher":
        raise ValueError("Fisher's exact test takes no correction; use correction='none'")
    min_count = check_count("min_count", min_count)
    ndocs = len(corpus)

    if by is None:
        if target is None:
            raise ValueError("give a target (a boolean mask over the documents) or by= (a "
                             "metadata column: each group against the rest)")
        tmask = _mask(target, ndocs, "target")
        rmask = ~tmask if reference is None else _mask(reference, ndocs, "reference")
        return _two_sided(corpus, tmask, rmask, n, measure, correction, min_count, stopwords,
                          categories, markers, lexicon, workers)

    groups = Groups(corpus.meta, by, result_columns=KEYNESS_RESULT)
    if target is not None:
        if isinstance(target, (np.ndarray, pd.Series)) and target.dtype == bool:
            raise ValueError("with by=, target names values of the by column; to compare a "
                             "boolean mask, leave by= out")
        if len(groups.columns) != 1:
            raise ValueError("target values need a single by= column")
        col = groups.columns[0]
        tmask = _select(corpus.meta, col, target, "target")
        rmask = ~tmask if reference is None else _select(corpus.meta, col, reference,
                                                         "reference")
        return _two_sided(corpus, tmask, rmask, n, measure, correction, min_count, stopwords,
                          categories, markers, lexicon, workers)
    if reference is not None:
        raise ValueError("reference= needs a target=; with by= alone each group is compared "
                         "with all the others")

    # each group against all the others
    codes = groups.codes
    table = _table(corpus, codes, groups.ngroups, n, min_count, stopwords, categories,
                   markers, lexicon, workers)
    total_counts = table.counts.sum(axis=1)
    total_tokens = int(table.tokens.sum())
    parts = []
    for g in range(groups.ngroups):
        c = int(table.tokens[g])
        d = total_tokens - c
        if c == 0:
            continue  # a group without tokens has nothing to compare
        if d == 0:
            raise ValueError(f"by={by!r} leaves nothing to compare with: all tokens are in "
                             "one group")
        a = table.counts[:, g]
        cols = keyness_frame(a, total_counts - a, c, d, measure, correction)
        df = _sorted(table.keys, cols)
        for name, values in groups.key_columns(np.full(len(df), g)).items():
            df.insert(list(groups.columns).index(name), name, values)
        parts.append(df)
    if not parts:
        raise ValueError("no group has tokens")
    return pd.concat(parts, ignore_index=True)


def _two_sided(corpus, tmask, rmask, n, measure, correction, min_count, stopwords, categories,
               markers, lexicon, workers) -> pd.DataFrame:
    _check_sides(corpus, tmask, rmask)
    codes = np.where(tmask, 0, np.where(rmask, 1, -1)).astype(np.int32)
    table = _table(corpus, codes, 2, n, min_count, stopwords, categories, markers, lexicon,
                   workers)
    cols = keyness_frame(table.counts[:, 0], table.counts[:, 1], int(table.tokens[0]),
                         int(table.tokens[1]), measure, correction)
    return _sorted(table.keys, cols)
