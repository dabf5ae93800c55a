"""Grouping documents by metadata columns into dense integer codes."""
from __future__ import annotations

import itertools
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

By = Union[None, str, Sequence[str]]
Fill = Union[None, bool, Mapping[str, Sequence]]


def normalize_by(by: By, meta: pd.DataFrame) -> list:
    """The ``by`` argument as a list of existing column names."""
    if by is None:
        return []
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        return []
    missing = [c for c in cols if c not in meta.columns]
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
        keep = self.codes >= 0
        return np.bincount(self.codes[keep], weights=per_doc[keep].astype(np.float64),
                           minlength=self.ngroups).astype(np.int64)

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

    def result_key_columns(self, res: dict) -> dict:
        """The by columns of an ``ngrams`` result of the core: ``row_key`` as the core wrote
        it when it was given ``fixed_key()``, else gathered by ``row_group``."""
        if "row_key" in res:
            col = self.columns[0]
            return {col: np.frombuffer(res["row_key"], dtype=self.keys[col].dtype)}
        return self.key_columns(np.frombuffer(res["row_group"], dtype=np.uint32))

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
        if c in fill:
            v = list(fill[c])
            extra = set(observed[c].dropna()) - set(v)
            v = v + sorted(extra)
        else:
            obs = observed[c].dropna()
            if fill == {} and len(obs) and pd.api.types.is_integer_dtype(obs):
                # fill=True: integer columns (years) get every value between min and max
                v = list(range(int(obs.min()), int(obs.max()) + 1))
            else:
                v = list(pd.unique(obs))
            if observed[c].isna().any():
                v.append(observed[c][observed[c].isna()].iloc[0])
        values.append(sorted(v, key=_sort_key))
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
