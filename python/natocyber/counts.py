"""Count tables that pickle and merge exactly.

A count table holds the exact counts of a corpus, or of one part of it, before any
filtering: per n-gram and group its ``count`` and ``docfreq``, and per group its ``tokens``
and ``docs``. Tables of parts with disjoint documents add up (``a + b``, ``sum(tables)``,
:meth:`NgramCounts.merge`) to the table of the whole, so the work can be split over batches,
processes or machines (see :mod:`natocyber.distributed`) and ``.to_frame()`` renders
exactly what :meth:`Corpus.ngrams` (or :meth:`Corpus.marker_rates`) gives on the whole.

Document frequencies add because each document lives in one part: merging a table with
itself, or two tables that share documents, double counts, and nothing can detect it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import markers as _markers
from ._checks import NGRAM_MAX, check_count
from ._groups import Fill, Groups, fill_ngram_grid, rate_per_10k
from ._schema import NGRAM_COLUMNS, RATE_COLUMNS
from .lexicon import Lexicon, resolve_lexicon
from .tokenizer import Tokenizer

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

#: Names a ``by`` column may not have in an NgramCounts: its result columns and the
#: per-group totals it keeps.
_NGRAM_RESERVED = NGRAM_COLUMNS + ("tokens", "docs")

__all__ = ["NgramCounts", "MarkerCounts", "count_markers"]

_VERSION = 1


def _merge_groups(tables: Sequence[Any], by: List[str]) -> Tuple[pd.DataFrame, List[np.ndarray]]:
    """The union of the tables' groups (by columns, ``tokens``, ``docs`` summed) and, per
    table, the union row of each of its groups. Missing values in a key are a key too."""
    frames = [t._groups for t in tables]
    if not by:
        tokens = sum(int(f["tokens"].sum()) for f in frames)
        docs = sum(int(f["docs"].sum()) for f in frames)
        union = pd.DataFrame({"tokens": np.array([tokens], dtype=np.int64),
                              "docs": np.array([docs], dtype=np.int64)})
        return union, [np.zeros(len(f), dtype=np.int64) for f in frames]
    allg = pd.concat([f[by] for f in frames], ignore_index=True)
    code = allg.groupby(by, dropna=False, sort=False).ngroup().to_numpy(np.int64)
    first = pd.Series(np.arange(len(code))).groupby(code).first().to_numpy()
    union = allg.iloc[first].reset_index(drop=True)
    ng = len(union)
    tokens = np.zeros(ng, dtype=np.int64)
    docs = np.zeros(ng, dtype=np.int64)
    maps, start = [], 0
    for f in frames:
        c = code[start:start + len(f)]
        np.add.at(tokens, c, f["tokens"].to_numpy(np.int64))
        np.add.at(docs, c, f["docs"].to_numpy(np.int64))
        maps.append(c)
        start += len(f)
    union["tokens"] = tokens
    union["docs"] = docs
    return union, maps


def _render_groups(groups_table: pd.DataFrame, by: List[str], fill: Fill,
                   reserved: Sequence[str]) -> Tuple[Groups, np.ndarray, np.ndarray, np.ndarray]:
    """The Groups a corpus with these groups would have (sorted keys, fill grid), the code
    of each row of ``groups_table``, and tokens and documents per code."""
    keys = groups_table[by] if by else pd.DataFrame(index=groups_table.index)
    groups = Groups(keys, by or None, fill, result_columns=reserved)
    code = groups.codes.astype(np.intp)
    tokens = np.zeros(groups.ngroups, dtype=np.int64)
    docs = np.zeros(groups.ngroups, dtype=np.int64)
    tokens[code] = groups_table["tokens"].to_numpy(np.int64)
    docs[code] = groups_table["docs"].to_numpy(np.int64)
    return groups, code, tokens, docs


class _State:
    """Checks of a pickled count table's state before anything uses it: a crafted or
    damaged state must fail on loading, not count into the wrong group later."""

    def __init__(self, kind: str, state: Any) -> None:
        self.kind = kind
        if not isinstance(state, dict):
            self.fail(f"expected a dict, not {type(state).__name__}")
        self.state = state
        if state.get("version") != _VERSION:
            raise ValueError(f"this {kind} was pickled by a natocyber with table format "
                             f"{state.get('version')!r}; this one reads format {_VERSION}")

    def fail(self, why: str) -> None:
        raise ValueError(f"not a valid {self.kind} state: {why}")

    def get(self, key: str, kind: type) -> Any:
        v = self.state.get(key)
        if not isinstance(v, kind):
            self.fail(f"{key} must be a {kind.__name__}, not {type(v).__name__}")
        return v

    def frame(self, key: str, columns: Sequence[str]) -> pd.DataFrame:
        df = self.get(key, pd.DataFrame)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            self.fail(f"{key} lacks the column(s) {missing}")
        return df

    def integers(self, df: pd.DataFrame, col: str, lo: int, hi: Optional[int] = None) -> None:
        v = df[col]
        if v.dtype != np.int64:
            self.fail(f"column {col!r} must be int64, not {v.dtype}")
        if len(v) and (v.min() < lo or (hi is not None and v.max() > hi)):
            self.fail(f"column {col!r} holds {int(v.min())}..{int(v.max())}, outside "
                      f"{lo}..{'' if hi is None else hi}")

    def groups_table(self) -> pd.DataFrame:
        groups = self.frame("groups", ("tokens", "docs"))
        if not len(groups):
            self.fail("groups is empty")
        self.integers(groups, "tokens", 0)
        self.integers(groups, "docs", 0)
        return groups.reset_index(drop=True)

    def by(self, groups: pd.DataFrame, reserved: Sequence[str]) -> List[str]:
        by = self.get("by", list)
        if not all(isinstance(c, str) for c in by) or len(set(by)) != len(by):
            self.fail("by must be a list of distinct column names")
        bad = [c for c in by if c in reserved]
        if bad:
            self.fail(f"by column(s) {bad} have the name of a result column")
        if sorted(by) != sorted(c for c in groups.columns if c not in ("tokens", "docs")):
            self.fail(f"the groups table's columns {list(groups.columns)} do not match by={by}")
        if by and groups.duplicated(by).any():
            self.fail("a group appears twice")
        return list(by)


class NgramCounts:
    """Exact n-gram counts per group, for merging and for rendering later.

    Made by :meth:`Corpus.count_ngrams` (or :func:`natocyber.distributed.count_ngrams`).
    It holds every n-gram with its ``count`` and ``docfreq`` per group, unfiltered, and
    each group's ``tokens`` and ``docs``; ``min_count``, ``top`` and ``fill`` apply when it
    is rendered with :meth:`to_frame`, since they depend on the totals of the whole.

    Tables merge with ``a + b``, ``sum([a, b, c])`` or :meth:`merge` when they were counted
    with the same orders ``n``, ``by`` columns, tokenizer options and stop words, from
    disjoint sets of documents. They pickle (plain pandas data inside).

    Example
    -------
    >>> from natocyber import Corpus
    >>> a = Corpus(["We strongly condemn it."], meta={"year": [2020]})
    >>> b = Corpus(["Allies strongly condemn it."], meta={"year": [2024]})
    >>> whole = Corpus(["We strongly condemn it.", "Allies strongly condemn it."],
    ...                meta={"year": [2020, 2024]})
    >>> merged = a.count_ngrams(2, by="year") + b.count_ngrams(2, by="year")
    >>> merged.to_frame().equals(whole.ngrams(2, by="year"))
    True
    """

    def __init__(self) -> None:
        raise TypeError("NgramCounts are made by Corpus.count_ngrams(), "
                        "natocyber.count_ngrams() or by merging tables")

    @classmethod
    def _make(cls, counts: pd.DataFrame, groups: pd.DataFrame, *, n: Tuple[int, int],
              by: List[str], tokenizer: Dict[str, Any],
              stopwords: Optional[Tuple[str, ...]]) -> "NgramCounts":
        self = object.__new__(cls)
        self._counts = counts      # ngram, n, g (row of _groups), count, docfreq
        self._groups = groups      # <by>, tokens, docs
        self._n = (int(n[0]), int(n[1]))
        self._by = list(by)
        self._tokenizer = dict(tokenizer)
        self._stopwords = stopwords
        return self

    # ---- facts -------------------------------------------------------------------------

    @property
    def n(self) -> Tuple[int, int]:
        """The n-gram orders counted, as (min, max)."""
        return self._n

    @property
    def by(self) -> List[str]:
        """The metadata columns of the groups (empty: the whole corpus is one group)."""
        return list(self._by)

    @property
    def stopwords(self) -> Optional[Tuple[str, ...]]:
        """The normalized stop words removed before counting, or None."""
        return self._stopwords

    @property
    def tokenizer_options(self) -> Dict[str, Any]:
        """The options of the tokenizer the counts come from."""
        return dict(self._tokenizer)

    @property
    def groups(self) -> pd.DataFrame:
        """One row per group seen: the ``by`` columns, ``tokens``, ``docs``."""
        return self._groups.copy()

    @property
    def table(self) -> pd.DataFrame:
        """Every count, unfiltered and unsorted: ``ngram``, ``n``, the ``by`` columns,
        ``count``, ``docfreq``."""
        c = self._counts
        df = c[["ngram", "n"]].copy()
        g = c["g"].to_numpy(np.intp)
        for col in self._by:
            df[col] = self._groups[col].to_numpy()[g]
        df["count"] = c["count"].to_numpy()
        df["docfreq"] = c["docfreq"].to_numpy()
        return df

    @property
    def n_tokens(self) -> int:
        """Tokens counted, over all groups."""
        return int(self._groups["tokens"].sum())

    @property
    def n_docs(self) -> int:
        """Documents counted, over all groups."""
        return int(self._groups["docs"].sum())

    def __len__(self) -> int:
        return len(self._counts)

    def __repr__(self) -> str:
        return (f"<natocyber.NgramCounts n={self._n} by={self._by}: {len(self):,} rows, "
                f"{len(self._groups):,} groups, {self.n_docs:,} documents, "
                f"{self.n_tokens:,} tokens>")

    # ---- pickling ----------------------------------------------------------------------

    def __getstate__(self) -> dict:
        return {"version": _VERSION, "counts": self._counts, "groups": self._groups,
                "n": self._n, "by": self._by, "tokenizer": self._tokenizer,
                "stopwords": self._stopwords}

    def __setstate__(self, state: dict) -> None:
        st = _State("NgramCounts", state)
        groups = st.groups_table()
        by = st.by(groups, _NGRAM_RESERVED)
        n = st.get("n", tuple)
        if (len(n) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in n)
                or not 1 <= n[0] <= n[1] <= NGRAM_MAX):
            st.fail(f"n must be (min, max) with 1 <= min <= max <= {NGRAM_MAX}, not {n!r}")
        counts = st.frame("counts", ("ngram", "n", "g", "count", "docfreq"))
        st.integers(counts, "n", n[0], n[1])
        st.integers(counts, "g", 0, len(groups) - 1)
        st.integers(counts, "count", 1)
        st.integers(counts, "docfreq", 1)
        if (counts["docfreq"].to_numpy() > counts["count"].to_numpy()).any():
            st.fail("a docfreq exceeds its count")
        g = counts["g"].to_numpy(np.intp)
        if len(g) and (counts["docfreq"].to_numpy() > groups["docs"].to_numpy()[g]).any():
            st.fail("a docfreq exceeds the documents of its group")
        # each occurrence starts at a token of its group
        if len(g) and (counts["count"].to_numpy() > groups["tokens"].to_numpy()[g]).any():
            st.fail("a count exceeds the tokens of its group")
        words = counts["ngram"]
        if not all(isinstance(w, str) for w in words):
            st.fail("an ngram is not a str")
        if len(words) and ((words.str.count(" ").to_numpy() + 1 != counts["n"].to_numpy()).any()
                           or words.str.contains("  |^ | $|^$", regex=True).any()):
            st.fail("an ngram does not hold n tokens separated by single spaces")
        if counts.duplicated(["ngram", "g"]).any():
            st.fail("an (ngram, group) pair appears twice")
        tokenizer = st.get("tokenizer", dict)
        unknown = sorted(str(k) for k in tokenizer if k not in Tokenizer.OPTIONS)
        if unknown:
            st.fail(f"tokenizer holds unknown option(s) {unknown}")
        stop = state.get("stopwords")
        if stop is not None and (not isinstance(stop, tuple)
                                 or not all(isinstance(w, str) for w in stop)):
            st.fail("stopwords must be None or a tuple of str")
        self._counts = counts.reset_index(drop=True)
        self._groups = groups
        self._n = (n[0], n[1])
        self._by = by
        self._tokenizer = dict(tokenizer)
        self._stopwords = stop

    # ---- merging -----------------------------------------------------------------------

    def _check_compatible(self, other: "NgramCounts") -> None:
        for what, a, b in (("n-gram orders n", self._n, other._n),
                           ("by columns", self._by, other._by),
                           ("tokenizer options", self._tokenizer, other._tokenizer),
                           ("stop words", self._stopwords, other._stopwords)):
            if a != b:
                raise ValueError(f"cannot merge n-gram counts with different {what}: "
                                 f"{a!r} and {b!r}")

    @classmethod
    def merge(cls, tables: Iterable["NgramCounts"]) -> "NgramCounts":
        """One table of the counts of all ``tables`` (which hold disjoint documents).

        Merging all at once costs one pass over the rows, where repeated ``+`` costs one
        pass per addition.

        >>> from natocyber import Corpus
        >>> parts = [Corpus([t]).count_ngrams(1) for t in ["We condemn it.", "We do."]]
        >>> NgramCounts.merge(parts).to_frame()[["ngram", "count"]].values.tolist()
        [['we', 2], ['condemn', 1], ['do', 1], ['it', 1]]
        """
        tables = list(tables)
        if not tables:
            raise ValueError("merge() needs at least one NgramCounts")
        bad = [type(t).__name__ for t in tables if not isinstance(t, NgramCounts)]
        if bad:
            raise TypeError(f"can only merge NgramCounts, not {bad[0]}")
        first = tables[0]
        for t in tables[1:]:
            first._check_compatible(t)
        # a part without documents (an empty partition) has no groups to align
        live = [t for t in tables if len(t._groups) and t.n_docs] or [first]
        if len(live) == 1:
            t = live[0]
            return cls._make(t._counts, t._groups, n=t._n, by=t._by, tokenizer=t._tokenizer,
                             stopwords=t._stopwords)
        groups, maps = _merge_groups(live, first._by)
        parts = []
        for t, m in zip(live, maps):
            c = t._counts
            parts.append(c.assign(g=m[c["g"].to_numpy(np.intp)]) if len(c) else c)
        allc = pd.concat(parts, ignore_index=True)
        codes, uniques = pd.factorize(allc["ngram"], sort=False)
        key = codes.astype(np.int64) * len(groups) + allc["g"].to_numpy(np.int64)
        agg = (pd.DataFrame({"key": key, "n": allc["n"].to_numpy(np.int64),
                             "count": allc["count"].to_numpy(np.int64),
                             "docfreq": allc["docfreq"].to_numpy(np.int64)})
               .groupby("key", sort=False)
               .agg(n=("n", "first"), count=("count", "sum"), docfreq=("docfreq", "sum")))
        k = agg.index.to_numpy(np.int64)
        counts = pd.DataFrame({
            "ngram": np.asarray(uniques, dtype=object)[k // len(groups)],
            "n": agg["n"].to_numpy(np.int64),
            "g": k % len(groups),
            "count": agg["count"].to_numpy(np.int64),
            "docfreq": agg["docfreq"].to_numpy(np.int64),
        })
        return cls._make(counts, groups, n=first._n, by=first._by, tokenizer=first._tokenizer,
                         stopwords=first._stopwords)

    def __add__(self, other: Any) -> "NgramCounts":
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # sum() starts from 0
        if not isinstance(other, NgramCounts):
            return NotImplemented
        return NgramCounts.merge([self, other])

    __radd__ = __add__

    # ---- rendering ---------------------------------------------------------------------

    def to_frame(self, min_count: int = 1, top: Optional[int] = None,
                 fill: Fill = None) -> pd.DataFrame:
        """The table :meth:`Corpus.ngrams` gives for the counted documents: ``ngram``,
        ``n``, the ``by`` columns, ``count``, ``docfreq``, ``per_10k``, in the same order
        and with the same types. ``min_count``, ``top`` and ``fill`` mean what they mean
        there.

        >>> from natocyber import Corpus
        >>> Corpus(["We condemn it. We condemn."]).count_ngrams(2).to_frame().ngram.tolist()
        ['we condemn', 'condemn it']
        """
        min_count = check_count("min_count", min_count)
        top_k = check_count("top", top, allow_none=True)
        groups, code, tokens, _ = _render_groups(self._groups, self._by, fill, _NGRAM_RESERVED)
        c = self._counts
        if min_count > 1 and len(c):
            totals = c.groupby("ngram", sort=False)["count"].transform("sum")
            c = c[(totals >= min_count).to_numpy()]
        order = pd.DataFrame({"count": c["count"].to_numpy(np.int64),
                              "ngram": c["ngram"].to_numpy(dtype=object),
                              "_g": code[c["g"].to_numpy(np.intp)]})
        order = order.sort_values(["count", "ngram", "_g"], ascending=[False, True, True],
                                  kind="stable")
        rows = order.index.to_numpy()
        if top_k:
            rows = rows[(order.groupby("_g", sort=False).cumcount() < top_k).to_numpy()]
        row_group = code[c["g"].to_numpy(np.intp)[rows]]
        counts = c["count"].to_numpy(np.int64)[rows]
        df = pd.DataFrame({"ngram": c["ngram"].to_numpy(dtype=object)[rows],
                           "n": c["n"].to_numpy(np.int64)[rows]})
        for col, values in groups.key_columns(row_group).items():
            df[col] = values
        df["count"] = counts
        df["docfreq"] = c["docfreq"].to_numpy(np.int64)[rows]
        df["per_10k"] = rate_per_10k(counts, tokens[row_group])
        if fill and groups.columns:
            truth = None
            if top_k:
                # top dropped rows that are not zero: fill from the unfiltered counts
                g_all = code[c["g"].to_numpy(np.intp)]
                truth = pd.DataFrame({"ngram": c["ngram"].to_numpy(dtype=object),
                                      "n": c["n"].to_numpy(np.int64)})
                for col, values in groups.key_columns(g_all).items():
                    truth[col] = values
                truth["count"] = c["count"].to_numpy(np.int64)
                truth["docfreq"] = c["docfreq"].to_numpy(np.int64)
            df = fill_ngram_grid(df, groups, tokens, truth)
        return df


def ngram_counts(corpus: "Corpus", n: Tuple[int, int], by: Any,
                 stopwords: Optional[Iterable[str]], workers: int,
                 progress: Any = None) -> NgramCounts:
    """The :class:`NgramCounts` of ``corpus`` (what :meth:`Corpus.count_ngrams` returns):
    orders ``n`` (checked), groups of ``by``, ``workers`` threads."""
    groups = Groups(corpus.meta, by, result_columns=_NGRAM_RESERVED)
    rows = corpus.store.ngrams(groups.codes, groups.ngroups, n[0], n[1],
                               stop=corpus.stop_mask(stopwords), min_count=1, top=0,
                               workers=workers, progress=progress, unique_text=False,
                               row_text=True)
    counts = pd.DataFrame({"ngram": rows.ngram_column(), "n": rows.n,
                           "g": rows.row_group.astype(np.int64), "count": rows.count,
                           "docfreq": rows.docfreq}, copy=False)
    table = groups.keys.copy() if groups.columns else pd.DataFrame(index=range(1))
    table["tokens"] = groups.totals(corpus.token_counts).astype(np.int64)
    table["docs"] = groups.documents()
    return NgramCounts._make(counts, table.reset_index(drop=True), n=n, by=groups.columns,
                             tokenizer=corpus.tokenizer.options,
                             stopwords=_stop_forms(corpus, stopwords))


def _stop_forms(corpus: "Corpus", stopwords: Optional[Iterable[str]]) -> Optional[Tuple[str, ...]]:
    """Stop words as the normalized forms that were removed (for comparing tables)."""
    if stopwords is None:
        return None
    forms = set()
    for w in stopwords:
        forms.update(corpus.tokenizer.tokenize(w))
    return tuple(sorted(forms))


# ---- stance markers ---------------------------------------------------------------------------

class MarkerCounts:
    """Exact stance-marker hits per group and category, for merging and rendering later:
    the mergeable form of :meth:`Corpus.marker_rates`.

    Made by :meth:`Corpus.count_markers`; merges with ``+``, ``sum()`` and :meth:`merge`
    like :class:`NgramCounts` (same lexicon, options, tokenizer and ``by``; disjoint
    documents), pickles, and renders with :meth:`to_frame`.

    Example
    -------
    >>> from natocyber import Corpus
    >>> a = Corpus(["We condemn it."], meta={"year": [2020]})
    >>> b = Corpus(["We did not condemn it."], meta={"year": [2021]})
    >>> m = a.count_markers(by="year", categories="condemnation") + \\
    ...     b.count_markers(by="year", categories="condemnation")
    >>> m.to_frame()[["year", "hits", "tokens"]].values.tolist()
    [[2020, 1, 3], [2021, 0, 5]]
    """

    def __init__(self) -> None:
        raise TypeError("MarkerCounts are made by Corpus.count_markers() or by merging tables")

    @classmethod
    def _from_rates(cls, rates: pd.DataFrame, by: List[str], categories: List[str],
                    spec: Dict[str, Any]) -> "MarkerCounts":
        self = object.__new__(cls)
        ncat = len(categories)
        ng = len(rates) // ncat if ncat else 0
        first = rates.iloc[::ncat] if ncat else rates.iloc[:0]
        groups = (first[by].reset_index(drop=True) if by else pd.DataFrame(index=range(ng)))
        groups["tokens"] = first["tokens"].to_numpy(np.int64)
        groups["docs"] = first["docs"].to_numpy(np.int64)
        self._groups = groups
        self._hits = rates["hits"].to_numpy(np.int64).reshape(ng, ncat)
        self._docs_with = rates["docs_with_hits"].to_numpy(np.int64).reshape(ng, ncat)
        self._by = list(by)
        self._categories = list(categories)
        self._spec = spec
        return self

    @property
    def by(self) -> List[str]:
        return list(self._by)

    @property
    def categories(self) -> List[str]:
        return list(self._categories)

    @property
    def groups(self) -> pd.DataFrame:
        """One row per group seen: the ``by`` columns, ``tokens``, ``docs``."""
        return self._groups.copy()

    @property
    def n_docs(self) -> int:
        return int(self._groups["docs"].sum())

    def __repr__(self) -> str:
        return (f"<natocyber.MarkerCounts by={self._by}: {len(self._categories)} categories, "
                f"{len(self._groups):,} groups, {self.n_docs:,} documents, "
                f"{int(self._hits.sum()):,} hits>")

    def __getstate__(self) -> dict:
        return {"version": _VERSION, "groups": self._groups, "hits": self._hits,
                "docs_with": self._docs_with, "by": self._by, "categories": self._categories,
                "spec": self._spec}

    def __setstate__(self, state: dict) -> None:
        st = _State("MarkerCounts", state)
        groups = st.groups_table()
        by = st.by(groups, RATE_COLUMNS)
        cats = st.get("categories", list)
        if not all(isinstance(c, str) for c in cats) or len(set(cats)) != len(cats):
            st.fail("categories must be distinct str")
        shape = (len(groups), len(cats))
        arrays = {}
        for key in ("hits", "docs_with"):
            a = state.get(key)
            if (not isinstance(a, np.ndarray) or a.dtype != np.int64 or a.shape != shape):
                st.fail(f"{key} must be an int64 array of shape {shape} (groups x categories), "
                        f"not {getattr(a, 'dtype', type(a).__name__)} "
                        f"{getattr(a, 'shape', '')}")
            if (a < 0).any():
                st.fail(f"{key} holds a negative number")
            arrays[key] = a.copy()
        docs = groups["docs"].to_numpy()[:, None]
        if (arrays["docs_with"] > np.minimum(arrays["hits"], docs)).any():
            st.fail("docs_with exceeds the hits or documents of its group")
        spec = st.get("spec", dict)
        self._groups = groups
        self._hits = arrays["hits"]
        self._docs_with = arrays["docs_with"]
        self._by = by
        self._categories = list(cats)
        self._spec = spec

    @classmethod
    def merge(cls, tables: Iterable["MarkerCounts"]) -> "MarkerCounts":
        """One table of the hits of all ``tables`` (which hold disjoint documents)."""
        tables = list(tables)
        if not tables:
            raise ValueError("merge() needs at least one MarkerCounts")
        bad = [type(t).__name__ for t in tables if not isinstance(t, MarkerCounts)]
        if bad:
            raise TypeError(f"can only merge MarkerCounts, not {bad[0]}")
        first = tables[0]
        for t in tables[1:]:
            for what, a, b in (("by columns", first._by, t._by),
                               ("categories", first._categories, t._categories),
                               ("lexicon, tokenizer or matching options", first._spec, t._spec)):
                if a != b:
                    raise ValueError(f"cannot merge marker counts with different {what}")
        live = [t for t in tables if len(t._groups) and t.n_docs] or [first]
        groups, maps = _merge_groups(live, first._by)
        ncat = len(first._categories)
        hits = np.zeros((len(groups), ncat), dtype=np.int64)
        docs_with = np.zeros((len(groups), ncat), dtype=np.int64)
        for t, m in zip(live, maps):
            np.add.at(hits, m, t._hits)
            np.add.at(docs_with, m, t._docs_with)
        out = object.__new__(cls)
        out._groups, out._hits, out._docs_with = groups, hits, docs_with
        out._by, out._categories, out._spec = first._by, first._categories, first._spec
        return out

    def __add__(self, other: Any) -> "MarkerCounts":
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        if not isinstance(other, MarkerCounts):
            return NotImplemented
        return MarkerCounts.merge([self, other])

    __radd__ = __add__

    def to_frame(self, fill: Fill = None) -> pd.DataFrame:
        """The table :meth:`Corpus.marker_rates` gives for the counted documents: the
        ``by`` columns, ``category``, ``hits``, ``tokens``, ``per_10k``,
        ``docs_with_hits``, ``docs``; every group and category, zeros included."""
        groups, code, tokens, docs = _render_groups(self._groups, self._by, fill, RATE_COLUMNS)
        ng, ncat = groups.ngroups, len(self._categories)
        hits = np.zeros((ng, ncat), dtype=np.int64)
        docs_with = np.zeros((ng, ncat), dtype=np.int64)
        hits[code] = self._hits
        docs_with[code] = self._docs_with
        return _markers.rates_frame(groups, self._categories, hits, docs_with, tokens, docs)


def count_markers(corpus: "Corpus", by: Any = None, *, lexicon: Any = None,
                  categories: Union[None, str, Iterable[str]] = None,
                  include_negated: bool = False, include_hypothetical: bool = True,
                  **options: Any) -> MarkerCounts:
    """Stance-marker hits of ``corpus`` per group and category as a mergeable
    :class:`MarkerCounts`; the arguments are those of :meth:`Corpus.marker_rates`
    (without ``fill``, which applies when rendering)."""
    lex = resolve_lexicon(lexicon, categories)
    rates = _markers.marker_rates(corpus, by, lexicon=lex, include_negated=include_negated,
                                  include_hypothetical=include_hypothetical, **options)
    spec = {"lexicon": lex.to_dict() if isinstance(lex, Lexicon) else repr(lex),
            "tokenizer": corpus.tokenizer.options, "include_negated": bool(include_negated),
            "include_hypothetical": bool(include_hypothetical),
            "options": {k: v for k, v in sorted(options.items()) if k != "workers"}}
    cols = Groups(corpus.meta, by).columns
    return MarkerCounts._from_rates(rates, cols, list(lex.categories), spec)
