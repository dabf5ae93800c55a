"""Trends: the rate of a phrase or stance category per year (or other ordered groups).

``Corpus.trend`` delegates here. Per group: count, tokens, rate per 10,000 tokens with an
exact Poisson interval. Per term: first and last attestation and a trend test, the slope of
a Poisson regression of the counts on the group's position with log(tokens) as offset,
tested by a likelihood-ratio test. Formulas: docs/statistics.md, sections 4 and 5.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import stats
from ._groups import Fill, Groups, rate_per_10k
from ._schema import TREND_COLUMNS, TREND_RESULT
from ._tables import CountTable, marker_table, phrase_table

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["trend_frame", "corpus_trend", "TREND_COLUMNS", "MissingGroupWarning"]


class MissingGroupWarning(UserWarning):
    """Documents were left out of a trend because their group value is missing."""


def _positions(values: pd.Series) -> np.ndarray:
    """Where each group sits on the trend's axis: its value if numeric, fractional years
    for dates, else its rank (ordered categories, booleans)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        days = (values - pd.Timestamp("1970-01-01", tz=getattr(values.dt, "tz", None))
                ) / pd.Timedelta(days=1)
        return 1970.0 + days.to_numpy(dtype=np.float64) / 365.2425
    if (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
            and not isinstance(values.dtype, pd.CategoricalDtype)):
        return values.to_numpy(dtype=np.float64)
    return np.arange(len(values), dtype=np.float64)


def order_problem(meta: pd.DataFrame, by: str) -> Optional[str]:
    """Why ``by`` cannot be the axis of a trend (None when it can): a trend regresses on
    the order of the groups, and text has none of its own (sorted alphabetically, a rising
    rate could come out falling)."""
    if by not in meta.columns:
        return None  # Groups names the missing column
    col = meta[by]
    if isinstance(col.dtype, pd.CategoricalDtype):
        if col.cat.ordered:
            return None
        return (f"{by!r} is an unordered Categorical, so its groups have no order to regress "
                f"on; declare the order: corpus.meta[{by!r}] = corpus.meta[{by!r}]"
                ".cat.as_ordered() (keeps the categories' order, now "
                f"{list(col.cat.categories)[:4]}...) or pd.Categorical(values, "
                "categories=[...in order...], ordered=True)")
    if (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
            or pd.api.types.is_datetime64_any_dtype(col)):
        return None
    example = col.dropna().astype(str).unique()[:3].tolist()
    return (f"{by!r} holds {col.dtype} values such as {example}, which have no order of their "
            "own (sorting them alphabetically would make the trend meaningless); make it an "
            f"ordered Categorical, e.g. corpus.meta[{by!r}] = pd.Categorical(corpus.meta[{by!r}]"
            ", categories=[...in order...], ordered=True), or follow a numeric column such as "
            "a year")


def _attested(values: pd.Series, counts: np.ndarray) -> tuple:
    """Group values of each term's first and last occurrence (missing when it never occurs)."""
    hit = counts > 0
    any_hit = hit.any(axis=1)
    first = np.where(any_hit, hit.argmax(axis=1), -1)
    last = np.where(any_hit, counts.shape[1] - 1 - hit[:, ::-1].argmax(axis=1), -1)
    v = values.reset_index(drop=True)
    out = []
    for idx in (first, last):
        s = v.reindex(idx)  # -1 is not in the index: missing
        if pd.api.types.is_integer_dtype(v):
            s = s.astype("Int64")
        out.append(s.reset_index(drop=True))
    return tuple(out)


def trend_frame(table: CountTable, group_keys: pd.DataFrame, column: str,
                conf: float = 0.95) -> pd.DataFrame:
    """One row per term and group, in term order then group order.

    ``table`` has one column per row of ``group_keys`` (which holds ``column``, the ordered
    grouping). Groups without tokens stay in the table with count 0, tokens 0 and NaN rates:
    there is no text to rate, and the regression leaves them out.
    """
    nterms, ngroups = table.counts.shape
    tokens = table.tokens.astype(np.float64)
    if (tokens > 0).sum() < 2:
        raise ValueError(f"a trend needs at least two {column} groups with tokens")
    counts = table.counts.astype(np.float64)
    x = _positions(group_keys[column])
    fit = stats.trend_poisson(counts, tokens, x)
    flat = counts.reshape(-1)
    expo = np.tile(tokens, nterms)
    lo, hi = stats.poisson_ci(flat, expo, conf)
    rate = rate_per_10k(flat, expo)
    first, last = _attested(group_keys[column], table.counts)

    keys = table.keys.reset_index(drop=True)
    rows = np.repeat(np.arange(nterms), ngroups)
    out = keys.iloc[rows].reset_index(drop=True)
    out[column] = group_keys[column].array.take(np.tile(np.arange(ngroups), nterms))
    out["count"] = flat.astype(np.int64)
    out["tokens"] = expo.astype(np.int64)
    out["per_10k"] = rate
    out["per_10k_low"] = lo * 1e4
    out["per_10k_high"] = hi * 1e4
    out["first"] = first.iloc[rows].reset_index(drop=True)
    out["last"] = last.iloc[rows].reset_index(drop=True)
    per_term = {
        "slope": fit["slope"].to_numpy(),
        "slope_se": fit["slope_se"].to_numpy(),
        "rate_ratio": np.exp(fit["slope"].to_numpy()),
        "p_trend": fit["p"].to_numpy(),
        "p_trend_bh": stats.bh_adjust(fit["p"].to_numpy()) if nterms else np.zeros(0),
        "fit": fit["fit"].to_numpy(),
    }
    for col, v in per_term.items():
        out[col] = v[rows]
    return out


def corpus_trend(corpus: "Corpus", phrases: Union[None, str, Iterable[str]] = None,
                 by: str = "year", *, categories: Union[None, bool, str, Sequence[str]] = None,
                 lexicon=None, fill: Fill = True, conf: float = 0.95,
                 workers: Optional[int] = None) -> pd.DataFrame:
    """See :meth:`natocyber.Corpus.trend`."""
    if (phrases is None) == (categories is None):
        raise ValueError("give phrases or categories (one of the two)")
    if not isinstance(by, str):
        raise ValueError(f"a trend runs along one metadata column; by must be its name, "
                         f"not {by!r}")
    if not 0 < conf < 1:
        raise ValueError(f"conf must lie strictly between 0 and 1, not {conf!r}")
    why = order_problem(corpus.meta, by)
    if why:
        raise ValueError(f"trend(by={by!r}): {why}")
    groups = Groups(corpus.meta, by, fill, result_columns=TREND_RESULT)
    keys, codes = groups.keys, groups.codes
    missing = keys[by].isna().to_numpy()
    if missing.any():
        # documents without a value have no place on the axis: leave them out, saying so
        lost = int(np.isin(codes, np.flatnonzero(missing)).sum())
        warnings.warn(f"trend(by={by!r}): {lost:,} document(s) without a {by} value are left "
                      f"out (they have no place on the axis); corpus.meta[{by!r}].isna() "
                      "finds them", MissingGroupWarning, stacklevel=3)
        remap = np.where(missing, -1, np.cumsum(~missing) - 1)
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.int32)
        keys = keys[~missing].reset_index(drop=True)
    if categories is not None:
        table = marker_table(corpus, codes, len(keys), categories=categories, lexicon=lexicon)
    else:
        table = phrase_table(corpus, phrases, codes, len(keys), workers=workers)
    return trend_frame(table, keys, by, conf)
