"""Corpus: texts with metadata, tokenized once by the C core, counted by group."""
from __future__ import annotations

import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _progress
from ._groups import By, Fill, Groups
from .tokenizer import Tokenizer, _resolve

__all__ = ["Corpus", "count_ngrams", "parse_n"]

NGRAM_MAX = 8


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_n(n: Union[int, Sequence[int]], limit: int = NGRAM_MAX) -> tuple:
    """``n`` as (nmin, nmax): an int or a (min, max) pair, within 1..limit."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool):
        lo = hi = int(n)
    else:
        try:
            lo, hi = (int(x) for x in n)
        except (TypeError, ValueError):
            raise ValueError(f"n must be an int or a (min, max) pair, not {n!r}") from None
    if not 1 <= lo <= hi <= limit:
        raise ValueError(f"n-gram orders must satisfy 1 <= min <= max <= {limit}; got {n!r}")
    return lo, hi


def _check_count(name: str, v: Optional[int], allow_none: bool = False) -> int:
    if v is None and allow_none:
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
        raise ValueError(f"{name} must be an integer >= 1, not {v!r}")
    return int(v)


def _meta_frame(meta: Any, n: int) -> pd.DataFrame:
    if meta is None:
        return pd.DataFrame(index=pd.RangeIndex(n))
    if isinstance(meta, pd.DataFrame):
        df = meta.reset_index(drop=True).copy()
    elif isinstance(meta, Mapping):
        df = pd.DataFrame(dict(meta))
    elif isinstance(meta, Sequence) and not isinstance(meta, (str, bytes)):
        bad = [i for i, m in enumerate(meta) if not isinstance(m, Mapping)]
        if bad:
            raise TypeError(f"meta as a list must hold dicts; item {bad[0]} is "
                            f"{type(meta[bad[0]]).__name__}")
        df = pd.DataFrame(list(meta))
    else:
        raise TypeError("meta must be a pandas DataFrame, a dict of columns or a list of dicts, "
                        f"not {type(meta).__name__}")
    if len(df) != n:
        raise ValueError(f"meta has {len(df)} rows but there are {n} texts")
    reserved = {"doc", "ngram", "n", "count", "docfreq", "per_10k", "tokens"} & set(df.columns)
    if reserved:
        raise ValueError(f"meta column(s) {sorted(reserved)} clash with result column names; "
                         "rename them")
    return df


class Corpus:
    """Texts plus metadata, tokenized once in C and ready for counting.

    Parameters
    ----------
    texts:
        A sequence of str (one per document). Empty strings are valid documents.
    meta:
        Metadata, one row per text: a pandas DataFrame, a dict of columns or a list of dicts.
    tokenizer:
        A :class:`~natocyber.Tokenizer`; or pass its options as keyword arguments.
    workers:
        Threads for tokenization and counting (default: the cores available). Results do not
        depend on it.
    progress:
        Show a progress bar (tqdm) while tokenizing.

    Example
    -------
    >>> corpus = Corpus(["We strongly condemn this.", "Allies strongly condemn it."],
    ...                 meta={"year": [2020, 2024]})
    >>> corpus.frequency("strongly condemn", by="year")[["year", "count"]].values.tolist()
    [[2020, 1], [2024, 1]]
    """

    def __init__(self, texts: Sequence[str], meta: Any = None, *,
                 tokenizer: Optional[Tokenizer] = None, workers: Optional[int] = None,
                 progress: bool = False, **tokenizer_options: Any) -> None:
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of str, not one str")
        if isinstance(texts, pd.Series):
            texts = texts.tolist()
        texts = list(texts)
        self._texts = texts
        self.meta = _meta_frame(meta, len(texts))
        self.tokenizer = _resolve(tokenizer, tokenizer_options)
        self.workers = self._workers(workers)
        with _progress.bar(len(texts), "tokenizing", progress) as cb:
            self._store = self.tokenizer._core.build(texts, workers=self.workers, progress=cb)
        self._ntokens = np.frombuffer(self._store.doc_ntokens(), dtype=np.uint32)

    @classmethod
    def from_dataframe(cls, df: pd.DataFrame, text: str = "text",
                       meta: Optional[Sequence[str]] = None, **kwargs: Any) -> "Corpus":
        """A corpus from a DataFrame: column ``text`` holds the texts, ``meta`` names the
        metadata columns (default: all others).

        >>> df = pd.DataFrame({"text": ["We condemn it."], "year": [2024]})
        >>> Corpus.from_dataframe(df).meta.columns.tolist()
        ['year']
        """
        if text not in df.columns:
            raise ValueError(f"no column {text!r} in the DataFrame; columns: {list(df.columns)}")
        cols = [c for c in df.columns if c != text] if meta is None else list(meta)
        return cls(df[text].tolist(), df[cols], **kwargs)

    def _workers(self, workers: Optional[int]) -> int:
        if workers is None:
            return default_workers()
        if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
            raise ValueError(f"workers must be an integer >= 1, not {workers!r}")
        return int(workers)

    # ---- basic facts -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._texts)

    def __repr__(self) -> str:
        return (f"<natocyber.Corpus: {len(self)} documents, {int(self._ntokens.sum()):,} tokens, "
                f"{self._store.vocab_size:,} types; meta {list(self.meta.columns)}>")

    @property
    def texts(self) -> list:
        """The documents' texts (the list held by the corpus; do not modify)."""
        return self._texts

    @property
    def n_tokens(self) -> pd.Series:
        """Kept tokens per document."""
        return pd.Series(self._ntokens.astype(np.int64), name="tokens")

    @property
    def vocabulary(self) -> list:
        """Every distinct normalized form, in order of first appearance."""
        return self._store.vocab()

    def summary(self) -> pd.DataFrame:
        """One row per document: ``doc``, the metadata, ``tokens``, ``sentences``."""
        out = pd.DataFrame({"doc": np.arange(len(self))})
        out = pd.concat([out, self.meta], axis=1)
        out["tokens"] = self._ntokens.astype(np.int64)
        out["sentences"] = np.frombuffer(self._store.doc_nsentences(), dtype=np.uint32).astype(np.int64)
        return out

    def memory_usage(self) -> dict:
        """Bytes held by the C token store: ``token_bytes``, ``vocab_bytes``, ``tokens``."""
        return dict(self._store.memory())

    def groups(self, by: By = None, fill: Fill = None) -> Groups:
        """The grouping of documents that ``by=`` and ``fill=`` describe."""
        return Groups(self.meta, by, fill)

    # ---- counting ----------------------------------------------------------------------

    def _stop_mask(self, stopwords: Optional[Iterable[str]]) -> Optional[np.ndarray]:
        if stopwords is None:
            return None
        if isinstance(stopwords, str):
            raise TypeError("stopwords must be an iterable of words, not one str")
        forms = []
        for w in stopwords:
            if not isinstance(w, str):
                raise TypeError(f"stop word {w!r} is not a str")
            forms.extend(self.tokenizer.tokenize(w))
        ids = [i for i in self._store.lookup(forms) if i >= 0]
        mask = np.zeros(self._store.vocab_size, dtype=np.uint8)
        mask[ids] = 1
        return mask

    def ngrams(self, n: Union[int, Sequence[int]] = (1, 3), by: By = None, *,
               min_count: int = 1, top: Optional[int] = None,
               stopwords: Optional[Iterable[str]] = None, fill: Fill = None,
               workers: Optional[int] = None, progress: bool = False) -> pd.DataFrame:
        """Counts of every n-gram, per group of documents.

        An n-gram never crosses a sentence boundary or a removed token (punctuation, or a
        stop word when ``stopwords`` is given): "at a time" never yields "at time".

        Parameters
        ----------
        n: an order (2) or a range of orders ((1, 3)), each between 1 and 8.
        by: metadata column(s) to group documents by; None counts the whole corpus.
        min_count: keep n-grams whose count over the whole corpus is at least this.
        top: keep the ``top`` most frequent n-grams of each group (ties broken by n-gram).
        stopwords: words removed before counting; they separate n-grams.
        fill: also report groups without documents: True (integer columns such as years
            get every value between their minimum and maximum) or {column: values}; each kept
            n-gram then gets a zero row in every empty or missing group.

        Returns
        -------
        DataFrame with columns ``ngram``, ``n``, the ``by`` columns, ``count``, ``docfreq``
        (documents containing it) and ``per_10k`` (count per 10,000 tokens of the group),
        sorted by count (descending), then ngram, then group.

        Example
        -------
        >>> c = Corpus(["At a time and in a manner of our choosing."])
        >>> c.ngrams(n=2, min_count=1).ngram.tolist()[:3]
        ['a manner', 'a time', 'and in']
        """
        nmin, nmax = parse_n(n)
        min_count = _check_count("min_count", min_count)
        top_k = _check_count("top", top, allow_none=True)
        groups = Groups(self.meta, by, fill)
        stop = self._stop_mask(stopwords)
        with _progress.bar(None, "counting", progress) as cb:
            strings, ns, rn, rg, rc, rd = self._store.ngrams(
                groups.codes, groups.ngroups, nmin, nmax, stop=stop, min_count=min_count,
                top=top_k, workers=self._workers(workers) if workers else self.workers,
                progress=cb)
        strings = np.array(strings, dtype=object)
        ns = np.frombuffer(ns, dtype=np.uint8)
        row_ngram = np.frombuffer(rn, dtype=np.uint32)
        row_group = np.frombuffer(rg, dtype=np.uint32).astype(np.intp)
        counts = np.frombuffer(rc, dtype=np.int64)
        df = pd.DataFrame({"ngram": strings[row_ngram], "n": ns[row_ngram].astype(np.int64)})
        for col, values in groups.key_columns(row_group).items():
            df[col] = values
        df["count"] = counts
        df["docfreq"] = np.frombuffer(rd, dtype=np.int64)
        tokens = groups.totals(self._ntokens)
        df["per_10k"] = _rate(counts, tokens[row_group])
        if fill and groups.columns:
            df = _fill_zero_rows(df, groups, tokens)
        return df

    def frequency(self, phrases: Union[str, Iterable[str]], by: By = None, *,
                  fill: Fill = None, workers: Optional[int] = None) -> pd.DataFrame:
        """Counts of given phrases per group, normalized like the text.

        Each phrase is tokenized with the corpus's tokenizer, so case, curly apostrophes,
        full-width letters and dash variants do not matter; it counts exactly as the same
        n-gram would in :meth:`ngrams` (no crossing of sentences or punctuation).

        Returns one row per phrase and group, zeros included: ``phrase`` (as given),
        ``ngram`` (its normalized form), ``n``, the ``by`` columns, ``count``, ``docfreq``,
        ``per_10k``; in the order the phrases were given, then by group.

        Example
        -------
        >>> c = Corpus(["NATO strongly condemns it.", "We Strongly Condemn it."],
        ...            meta={"year": [2019, 2024]})
        >>> c.frequency(["strongly condemn"], by="year")["count"].tolist()
        [0, 1]
        """
        if isinstance(phrases, str):
            phrases = [phrases]
        phrases = list(phrases)
        bad = [i for i, p in enumerate(phrases) if not isinstance(p, str)]
        if bad:
            raise TypeError(f"phrase {bad[0]} is {type(phrases[bad[0]]).__name__}, not str")
        forms = [self.tokenizer.tokenize(p) for p in phrases]
        empty = [p for p, f in zip(phrases, forms) if not f]
        if empty:
            raise ValueError(f"phrase {empty[0]!r} has no tokens to count")
        ids = [self._store.lookup(f) for f in forms]
        groups = Groups(self.meta, by, fill)
        g = groups.ngroups
        counts, docfreq = self._store.phrases(
            ids, groups.codes, g, workers=self._workers(workers) if workers else self.workers)
        counts = np.frombuffer(counts, dtype=np.int64)
        tokens = groups.totals(self._ntokens)
        row_group = np.tile(np.arange(g), len(phrases))
        df = pd.DataFrame({
            "phrase": np.repeat(np.array(phrases, dtype=object), g),
            "ngram": np.repeat(np.array([" ".join(f) for f in forms], dtype=object), g),
            "n": np.repeat([len(f) for f in forms], g).astype(np.int64),
        })
        for col, values in groups.key_columns(row_group).items():
            df[col] = values
        df["count"] = counts
        df["docfreq"] = np.frombuffer(docfreq, dtype=np.int64)
        df["per_10k"] = _rate(counts, tokens[row_group])
        return df


def _rate(counts: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """Count per 10,000 tokens; 0.0 for a group with no tokens (there is nothing to rate)."""
    tokens = np.asarray(tokens, dtype=np.float64)
    out = np.zeros(len(counts), dtype=np.float64)
    np.divide(np.asarray(counts, dtype=np.float64) * 10000.0, tokens, out=out, where=tokens > 0)
    return out


def _fill_zero_rows(df: pd.DataFrame, groups: Groups, tokens: np.ndarray) -> pd.DataFrame:
    """Adds a zero row for every (n-gram, group) pair the counts lack."""
    uniq = df[["ngram", "n"]].drop_duplicates()
    keys = groups.keys.assign(_g=np.arange(groups.ngroups))
    full = uniq.merge(keys, how="cross")
    merged = full.merge(df, on=["ngram", "n", *groups.columns], how="left")
    merged["count"] = merged["count"].fillna(0).astype(np.int64)
    merged["docfreq"] = merged["docfreq"].fillna(0).astype(np.int64)
    merged["per_10k"] = _rate(merged["count"].to_numpy(), tokens[merged["_g"].to_numpy()])
    merged = merged.sort_values(["count", "ngram", "_g"], ascending=[False, True, True],
                                kind="stable")
    return merged.drop(columns="_g").reset_index(drop=True)


def count_ngrams(documents: Iterable[Union[str, tuple]], n: Union[int, Sequence[int]] = (1, 3),
                 by: By = None, *, batch_size: int = 5000, min_count: int = 1,
                 top: Optional[int] = None, stopwords: Optional[Iterable[str]] = None,
                 tokenizer: Optional[Tokenizer] = None, workers: Optional[int] = None,
                 **tokenizer_options: Any) -> pd.DataFrame:
    """N-gram counts over a stream of documents without keeping their tokens.

    For corpora that do not fit in memory: documents are tokenized and counted in batches of
    ``batch_size``; only the counts are kept and merged exactly. Each item is a str, or a
    ``(text, metadata_dict)`` pair when grouping ``by`` metadata. The result is the same
    table :meth:`Corpus.ngrams` gives for the whole corpus.

    Example
    -------
    >>> docs = [("We condemn it.", {"year": 2020}), ("We condemn it.", {"year": 2021})]
    >>> count_ngrams(docs, n=2, by="year", batch_size=1)["count"].tolist()
    [1, 1, 1, 1]
    """
    nmin, nmax = parse_n(n)
    min_count = _check_count("min_count", min_count)
    top_k = _check_count("top", top, allow_none=True)
    batch_size = _check_count("batch_size", batch_size)
    tok = _resolve(tokenizer, tokenizer_options)
    cols = [by] if isinstance(by, str) else list(by or [])
    parts, token_parts = [], []
    batch_texts: list = []
    batch_meta: list = []

    def flush() -> None:
        if not batch_texts:
            return
        c = Corpus(batch_texts, batch_meta if cols else None, tokenizer=tok, workers=workers)
        parts.append(c.ngrams((nmin, nmax), by=cols or None, stopwords=stopwords))
        s = c.summary()
        token_parts.append(s.groupby(cols, dropna=False)["tokens"].sum() if cols
                           else pd.Series({0: s["tokens"].sum()}))
        batch_texts.clear()
        batch_meta.clear()

    for i, item in enumerate(documents):
        if isinstance(item, str):
            text, meta = item, {}
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
            text, meta = item
        else:
            raise TypeError(f"document {i}: expected a str or a (text, dict) pair, "
                            f"not {type(item).__name__}")
        if cols:
            missing = [c for c in cols if c not in meta]
            if missing:
                raise ValueError(f"document {i}: metadata lacks {missing} named in by=")
        if not isinstance(text, str):
            raise TypeError(f"document {i} is {type(text).__name__}, not str")
        batch_texts.append(text)
        batch_meta.append({c: meta[c] for c in cols})
        if len(batch_texts) >= batch_size:
            flush()
    flush()
    keys = ["ngram", "n", *cols]
    if not parts:
        return pd.DataFrame(columns=[*keys, "count", "docfreq", "per_10k"])
    df = (pd.concat(parts, ignore_index=True)
          .groupby(keys, sort=False, dropna=False)[["count", "docfreq"]].sum().reset_index())
    totals = df.groupby(["ngram", "n"], sort=False)["count"].transform("sum")
    df = df[totals >= min_count]
    tokens = pd.concat(token_parts).groupby(level=list(range(len(cols))) if cols else 0).sum()
    denom = (tokens.reindex(pd.MultiIndex.from_frame(df[cols])).to_numpy() if cols
             else np.full(len(df), tokens.iloc[0]))
    df = df.assign(per_10k=_rate(df["count"].to_numpy(), denom))
    df = df.sort_values(["count", "ngram", *cols], ascending=[False, True] + [True] * len(cols),
                        kind="stable")
    if top_k:
        df = df.groupby(cols, sort=False, dropna=False).head(top_k) if cols else df.head(top_k)
    return df.reset_index(drop=True)
