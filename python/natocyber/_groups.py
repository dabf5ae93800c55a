"""Grouping documents by metadata columns into dense integer codes; the grids that ``fill=``
completes; rates per 10,000 tokens."""
from __future__ import annotations

import itertools
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

By = Union[None, str, Sequence[str]]
Fill = Union[None, bool, Mapping[str, Sequence]]


def rate_per_10k(counts: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """Count per 10,000 tokens; NaN for a group without tokens, which has no rate (a zero
    there would read as a measured absence).

    >>> rate_per_10k(np.array([3, 0, 0]), np.array([100, 100, 0])).tolist()
    [300.0, 0.0, nan]
    """
    tokens = np.asarray(tokens, dtype=np.float64)
    out = np.full(len(tokens), np.nan, dtype=np.float64)
    np.divide(np.asarray(counts, dtype=np.float64) * 10000.0, tokens, out=out, where=tokens > 0)
    return out


def totals(codes: np.ndarray, ngroups: int, per_doc: np.ndarray) -> np.ndarray:
    """Sum of a per-document quantity over each group (``codes[doc]``, -1 left out), int64.

    >>> totals(np.array([0, 1, -1, 0]), 2, np.array([5, 7, 100, 1])).tolist()
    [6, 7]
    """
    keep = codes >= 0
    return np.bincount(codes[keep], weights=per_doc[keep].astype(np.float64),
                       minlength=ngroups).astype(np.int64)


def normalize_by(by: By, meta: pd.DataFrame) -> list:
    """The ``by`` argument as a list of existing column names."""
    if by is None:
        return []
    if isinstance(by, str):
        cols = [by]
    elif isinstance(by, (list, tuple)):
        cols = list(by)
    else:
        raise TypeError(f"by must be a metadata column name or a list of names, not "
                        f"{type(by).__name__}")
    try:
        missing = [c for c in cols if c not in meta.columns]
    except TypeError:  # an unhashable name
        raise TypeError(f"by names must be column names, not {cols!r}") from None
    if not cols:
        return []
    if missing:
        raise ValueError(f"unknown metadata column(s) {', '.join(map(repr, missing))} in by=; "
                         f"available: {', '.join(map(repr, meta.columns)) or '(no metadata)'}")
    if len(set(cols)) != len(cols):
        raise ValueError(f"by= names a column twice: {cols}")
    return cols


class Groups:
    """Per-document group codes and the table of group keys.

    ``codes[i]`` is the group of document i (-1: left out); ``keys`` has one row per group
    with the ``by`` columns, in sorted key order; with ``fill`` it also holds groups that
    have no documents (a year grid, say).
    """

    def __init__(self, meta: pd.DataFrame, by: By, fill: Fill = None,
                 mask: Optional[np.ndarray] = None, result_columns: Sequence[str] = ()) -> None:
        self.columns = normalize_by(by, meta)
        clash = [c for c in self.columns if c in result_columns]
        if clash:
            raise ValueError(f"by= column(s) {clash} have the name of a result column; rename "
                             f"them first, e.g. corpus.meta = corpus.meta.rename(columns="
                             f"{{{clash[0]!r}: {clash[0] + '_'!r}}})")
        if fill is not None and fill is not False and not self.columns:
            raise ValueError("fill= completes a grid of groups and needs by= (the metadata "
                             "column(s) to group by)")
        n = len(meta)
        if not self.columns:
            self.codes = np.zeros(n, dtype=np.int32)
            self.keys = pd.DataFrame(index=range(1))
        else:
            sub = meta[self.columns]
            observed = sub.drop_duplicates()
            try:
                observed = observed.sort_values(self.columns, na_position="last")
            except TypeError:
                for c in self.columns:
                    kinds = sorted({type(v).__name__ for v in sub[c].dropna()})
                    if len(kinds) > 1:
                        raise ValueError(
                            f"metadata column {c!r} mixes value types ({', '.join(kinds)}), so its "
                            f"groups have no order; convert it to one type, e.g. "
                            f"corpus.meta[{c!r}] = corpus.meta[{c!r}].astype(str)") from None
                raise
            keys = _grid(observed, self.columns, fill) if fill else observed
            keys = keys.reset_index(drop=True)
            index = pd.MultiIndex.from_frame(keys)
            codes = index.get_indexer(pd.MultiIndex.from_frame(sub))
            self.codes = codes.astype(np.int32)
            self.keys = keys
        if mask is not None:
            self.codes = np.where(mask, self.codes, -1).astype(np.int32)

    @property
    def ngroups(self) -> int:
        return len(self.keys)

    def totals(self, per_doc: np.ndarray) -> np.ndarray:
        """Sum of a per-document quantity over each group."""
        return totals(self.codes, self.ngroups, per_doc)

    def documents(self) -> np.ndarray:
        """Documents in each group (int64)."""
        return np.bincount(self.codes[self.codes >= 0], minlength=self.ngroups).astype(np.int64)

    def fixed_key(self) -> Optional[np.ndarray]:
        """The group values of a lone ``by`` column of an 8-byte NumPy number type (years
        as int64, say), for the core to write into each result row on its threads, where
        ``key_columns`` would gather them afterwards on one; None for anything else."""
        if len(self.columns) != 1:
            return None
        col = self.keys[self.columns[0]]
        if (isinstance(col.dtype, pd.api.extensions.ExtensionDtype) or col.dtype.kind not in "iuf"
                or col.dtype.itemsize != 8):
            return None
        return np.ascontiguousarray(col.to_numpy())

    def result_key_columns(self, row_key: Optional[np.ndarray], row_group: np.ndarray) -> dict:
        """The by columns of rows the core counted: ``row_key`` as the core wrote it when it
        was given ``fixed_key()``, else gathered by ``row_group``."""
        if row_key is not None:
            return {self.columns[0]: row_key}
        return self.key_columns(row_group)

    def key_columns(self, group_codes: np.ndarray) -> dict:
        """The by columns for rows given by group code."""
        out = {}
        for c in self.columns:
            col = self.keys[c]
            # extension arrays (Arrow strings, nullable ints) take in their own storage
            # instead of going through a column of Python objects
            if isinstance(col.dtype, pd.api.extensions.ExtensionDtype):
                out[c] = col.array.take(group_codes)
            else:
                out[c] = col.to_numpy()[group_codes]
        return out


#: Most values ``fill=True`` may add between the smallest and largest value of an integer
#: column (a year typed 20240 among 2014-2025 would otherwise make 18,000 empty groups).
MAX_FILL_SPAN = 10_000
#: Period lengths ``fill=True`` recognises in an integer column of at least three values that
#: are all multiples of one (longest first): millennia, centuries, decades.
PERIOD_STEPS = (1000, 100, 10)
#: Most rows a table of terms times groups may have (a filled n-gram table, phrase counts).
MAX_ROWS = 50_000_000
#: Most groups any filled grid may have (the product over the ``by`` columns).
MAX_GRID = 1_000_000


def _integer_span(obs: pd.Series, column: str) -> list:
    """Every integer from min to max, or, when three or more values are all the start of a
    period (multiples of one of :data:`PERIOD_STEPS`: decades 1970, 1990, 2010), every period
    start (1970, 1980, ... 2010), using the longest such period. Years that happen to be
    multiples of 5 (2015, 2020, 2025) stay years."""
    values = np.unique(obs.to_numpy(dtype=np.int64))
    if len(values) < 2:
        return values.tolist()
    lo, hi = int(values[0]), int(values[-1])
    step = 1
    if len(values) >= 3:
        step = next((p for p in PERIOD_STEPS if not (values % p).any()), 1)
    count = (hi - lo) // step + 1
    if count > MAX_FILL_SPAN:
        raise ValueError(
            f"fill=True would make {count:,} groups of {column!r} ({lo} to {hi} in steps of "
            f"{step}), where {len(values):,} values occur; the limit is {MAX_FILL_SPAN:,}. "
            f"Check {column!r} for a wrong value (a typo such as {hi}?), name the grid "
            f"(fill={{{column!r}: range(...)}}), or leave fill out")
    return list(range(lo, hi + 1, step))


def _grid(observed: pd.DataFrame, columns: list, fill: Fill) -> pd.DataFrame:
    if fill is True:
        fill = {}
    elif not isinstance(fill, Mapping):
        raise TypeError("fill must be True or a mapping {column: values}")
    unknown = [c for c in fill if c not in columns]
    if unknown:
        raise ValueError(f"fill names column(s) {unknown} that are not in by={columns}")
    values = []
    for c in columns:
        col = observed[c]
        obs = col.dropna()
        categorical = isinstance(col.dtype, pd.CategoricalDtype)
        if c in fill:
            given = fill[c]
            if isinstance(given, (str, bytes)) or not hasattr(given, "__iter__"):
                raise TypeError(f"fill[{c!r}] must be a list (or range) of values, not "
                                f"{type(given).__name__}")
            size = len(given) if hasattr(given, "__len__") else None
            if size is None:
                given = list(itertools.islice(given, MAX_GRID + 1))
                size = len(given)
            if size > MAX_GRID:
                raise ValueError(f"fill[{c!r}] names {size:,} values; the limit is "
                                 f"{MAX_GRID:,} groups")
            v = list(given)
            named = set(v)
            v += [x for x in pd.unique(obs) if x not in named]
        elif categorical:
            # a Categorical's grid is all of its categories, in their order
            v = list(col.cat.categories)
        elif len(obs) and pd.api.types.is_integer_dtype(obs) and not pd.api.types.is_bool_dtype(
                obs):
            v = _integer_span(obs, c)
        elif (len(obs) and pd.api.types.is_float_dtype(obs)
              and bool((obs == np.floor(obs)).all()) and np.isfinite(obs).all()):
            # whole numbers stored as float (a missing year makes pandas do that)
            v = [float(x) for x in _integer_span(obs, c)]
        else:
            v = list(pd.unique(obs))
        if categorical:
            order = {x: i for i, x in enumerate(col.cat.categories)}
            bad = [x for x in v if x not in order]
            if bad:
                raise ValueError(f"fill[{c!r}] holds {bad[0]!r}, which is not a category of "
                                 f"the Categorical column {c!r}")
            v = sorted(v, key=order.__getitem__)
        else:
            v = sorted(v, key=_sort_key)
        if col.isna().any():
            v.append(col[col.isna()].iloc[0])
        values.append(v)
    size = 1
    for v in values:
        size *= max(1, len(v))
    if size > MAX_GRID:
        sizes = " x ".join(f"{len(v):,} {c!r}" for c, v in zip(columns, values))
        raise ValueError(f"fill would make a grid of {size:,} groups ({sizes}); the limit is "
                         f"{MAX_GRID:,}. Fill fewer columns, name the values to fill "
                         "(fill={column: values}), or leave fill out")
    grid = pd.DataFrame(list(itertools.product(*values)), columns=columns)
    for c in columns:
        try:
            grid[c] = grid[c].astype(observed[c].dtype)
        except (TypeError, ValueError):
            pass
    return grid


def _sort_key(v):
    missing = v is None or (isinstance(v, float) and np.isnan(v))
    return (missing, str(type(v)), v if not missing else 0)


def fill_ngram_grid(df: pd.DataFrame, groups: Groups, tokens: np.ndarray,
                    truth: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Every n-gram of ``df`` (an n-gram table: ``ngram``, ``n``, the by columns, ``count``,
    ``docfreq``, ``per_10k``) in every group of the grid, sorted as ``ngrams`` sorts. A pair
    ``df`` lacks takes its count from ``truth`` (the same columns, unfiltered) when given,
    since ``top`` drops rows that are not zero, and is zero otherwise."""
    uniq = df[["ngram", "n"]].drop_duplicates()
    rows = len(uniq) * groups.ngroups
    if rows > MAX_ROWS:
        raise ValueError(f"fill would make {rows:,} rows ({len(uniq):,} n-grams in each of "
                         f"{groups.ngroups:,} groups); the limit is {MAX_ROWS:,}. Raise "
                         "min_count, use top, or leave fill out")
    keys = groups.keys.assign(_g=np.arange(groups.ngroups))
    full = uniq.merge(keys, how="cross")
    source = df if truth is None else truth
    merged = full.merge(source, on=["ngram", "n", *groups.columns], how="left")
    merged["count"] = merged["count"].fillna(0).astype(np.int64)
    merged["docfreq"] = merged["docfreq"].fillna(0).astype(np.int64)
    merged["per_10k"] = rate_per_10k(merged["count"].to_numpy(), tokens[merged["_g"].to_numpy()])
    merged = merged.sort_values(["count", "ngram", "_g"], ascending=[False, True, True],
                                kind="stable")
    return merged.drop(columns="_g").reset_index(drop=True)
