"""The two ways a user would count 1-3-grams by group without natocyber.

Both functions take the texts and one group label per text (for example
``meta["year"]``) and produce what natocyber's ``Corpus.ngrams(by=...)``
produces at its core: one row per distinct (n-gram, group) with its count,
as a tidy pandas DataFrame. They return an :class:`NgramCounts` with the
number of rows and the total count so the tools can be sanity-checked against
each other, plus the time spent in each phase.

(a) :func:`countvectorizer_ngrams` - scikit-learn, the way it is done in a
    notebook: one ``CountVectorizer(ngram_range=(1, 3))`` is fitted on all
    documents (one shared vocabulary, default settings: lowercase, token
    pattern ``(?u)\\b\\w\\w+\\b``), and the document-term matrix is summed
    per group with a sparse group-indicator matrix product. Fitting once and
    summing is what a user does when they later want other groupings from the
    same matrix; fitting one vectorizer per group costs about the same.

(b) :func:`regex_counter_ngrams` - plain Python: ``re.findall(r"\\w+",
    text.lower())`` and one ``collections.Counter`` per group, updated with
    the tokens and with ``zip`` of the shifted token lists (tuples as keys,
    joined into strings only once per distinct n-gram when the frame is
    built).

Neither baseline knows sentences: both count n-grams across sentence and
paragraph boundaries. CountVectorizer drops one-character tokens *before*
building n-grams, so "at a time" yields the phantom bigram "at time". The
regex splits "Russia’s" into "russia" and "s" and "U.S." into "u" and "s".
Neither computes document frequencies, which natocyber does as well.

Run directly for a quick check::

    python bench/baselines.py --mb 5
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["NgramCounts", "countvectorizer_ngrams", "regex_counter_ngrams"]


@dataclass
class NgramCounts:
    """Summary of one tool's n-gram-by-group table.

    Attributes:
        tool: short name of the tool.
        rows: number of distinct (n-gram, group) rows.
        total: sum of all counts (all orders n together).
        tokens: sum of the unigram counts, i.e. the tool's own token count.
        by_n: for each order n, (rows, total) restricted to that n.
        seconds: wall-clock seconds per phase; ``seconds["total"]`` is the sum.
        frame: the tidy table (ngram, n, <group>, count), unless not built.
    """

    tool: str
    rows: int
    total: int
    tokens: int
    by_n: dict[int, tuple[int, int]]
    seconds: dict[str, float] = field(default_factory=dict)
    frame: pd.DataFrame | None = None

    def summary(self) -> str:
        """One line with the counts, for logs."""
        parts = ", ".join(f"n={n}: {r:,} rows / {t:,}" for n, (r, t) in sorted(self.by_n.items()))
        return f"{self.tool}: {self.rows:,} rows, total {self.total:,}, tokens {self.tokens:,} ({parts})"


def _summarise(tool: str, n_arr: np.ndarray, counts: np.ndarray) -> tuple[int, int, int, dict[int, tuple[int, int]]]:
    by_n: dict[int, tuple[int, int]] = {}
    for n in np.unique(n_arr).tolist():
        mask = n_arr == n
        by_n[int(n)] = (int(mask.sum()), int(counts[mask].sum()))
    total = int(counts.sum())
    tokens = by_n.get(1, (0, 0))[1]
    return len(counts), total, tokens, by_n


def countvectorizer_ngrams(
    texts: Sequence[str],
    groups: Sequence[Hashable],
    ngram_range: tuple[int, int] = (1, 3),
    group_name: str = "group",
    build_frame: bool = True,
) -> NgramCounts:
    """Count n-grams per group with one scikit-learn CountVectorizer.

    Phases timed: ``fit`` (``fit_transform`` on all texts), ``group`` (sparse
    indicator-matrix product that sums documents per group) and ``frame``
    (feature names, n and the tidy DataFrame).
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    vectorizer = CountVectorizer(ngram_range=ngram_range)
    X = vectorizer.fit_transform(texts)  # documents x features, CSR
    t1 = time.perf_counter()
    seconds["fit"] = t1 - t0

    codes, labels = pd.factorize(pd.Series(list(groups)), sort=True)
    n_docs = X.shape[0]
    indicator = sp.csr_matrix(
        (np.ones(n_docs, dtype=X.dtype), (codes, np.arange(n_docs))),
        shape=(len(labels), n_docs),
    )
    per_group = (indicator @ X).tocoo()  # groups x features
    t2 = time.perf_counter()
    seconds["group"] = t2 - t1

    names = vectorizer.get_feature_names_out()
    # Tokens never contain spaces, so the order of a feature is spaces + 1.
    n_of_feature = np.fromiter((f.count(" ") + 1 for f in names), dtype=np.int8, count=len(names))
    n_arr = n_of_feature[per_group.col]
    counts = per_group.data.astype(np.int64, copy=False)
    frame = None
    if build_frame:
        frame = pd.DataFrame(
            {
                "ngram": names[per_group.col],
                "n": n_arr,
                group_name: np.asarray(labels)[per_group.row],
                "count": counts,
            }
        )
    seconds["frame"] = time.perf_counter() - t2
    seconds["total"] = sum(seconds.values())
    rows, total, tokens, by_n = _summarise("CountVectorizer", n_arr, counts)
    return NgramCounts("CountVectorizer", rows, total, tokens, by_n, seconds, frame)


_WORD = re.compile(r"\w+")


def _sorted_groups(counters: dict[Any, Counter]) -> list[Any]:
    """Group labels in sorted order when they are comparable, else as first seen."""
    try:
        return sorted(counters)
    except TypeError:
        return list(counters)


def regex_tokenize(text: str) -> list[str]:
    """The tokenizer of the plain-Python baseline: ``\\w+`` runs of the lowercased text."""
    return _WORD.findall(text.lower())


def regex_counter_ngrams(
    texts: Sequence[str],
    groups: Sequence[Hashable],
    n_max: int = 3,
    group_name: str = "group",
    build_frame: bool = True,
) -> NgramCounts:
    """Count 1..n_max-grams per group with a regex tokenizer and collections.Counter.

    Phases timed: ``count`` (tokenize and update one Counter per group) and
    ``frame`` (join tuple keys into strings, build the tidy DataFrame).
    """
    if not 1 <= n_max <= 3:
        raise ValueError("n_max must be 1, 2 or 3")
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    counters: dict[Any, Counter] = {}
    for text, group in zip(texts, groups):
        toks = _WORD.findall(text.lower())
        counter = counters.get(group)
        if counter is None:
            counter = counters[group] = Counter()
        counter.update(toks)
        if n_max >= 2:
            counter.update(zip(toks, toks[1:]))
        if n_max >= 3:
            counter.update(zip(toks, toks[1:], toks[2:]))
    t1 = time.perf_counter()
    seconds["count"] = t1 - t0

    ngram_col: list[str] = []
    n_col: list[int] = []
    group_col: list[Hashable] = []
    count_col: list[int] = []
    for group in _sorted_groups(counters):
        counter = counters[group]
        for key, count in counter.items():
            if type(key) is str:
                ngram_col.append(key)
                n_col.append(1)
            else:
                ngram_col.append(" ".join(key))
                n_col.append(len(key))
            count_col.append(count)
        group_col.extend([group] * len(counter))
    n_arr = np.array(n_col, dtype=np.int8)
    counts = np.array(count_col, dtype=np.int64)
    frame = None
    if build_frame:
        frame = pd.DataFrame({"ngram": ngram_col, "n": n_arr, group_name: group_col, "count": counts})
    seconds["frame"] = time.perf_counter() - t1
    seconds["total"] = sum(seconds.values())
    rows, total, tokens, by_n = _summarise("regex+Counter", n_arr, counts)
    return NgramCounts("regex+Counter", rows, total, tokens, by_n, seconds, frame)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both baselines on a generated corpus and print their summaries."""
    import os

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gen_corpus

    parser = argparse.ArgumentParser(description="Run the n-gram baselines once (no subprocesses, no RSS).")
    parser.add_argument("--mb", type=float, default=5, help="corpus size in 10**6 UTF-8 bytes (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tool", choices=("cv", "regex", "both"), default="both")
    args = parser.parse_args(argv)
    texts, meta = gen_corpus.load_corpus(gen_corpus.ensure_cached(args.mb, args.seed))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    years = meta["year"].tolist()
    runs: dict[str, Callable[..., NgramCounts]] = {"cv": countvectorizer_ngrams, "regex": regex_counter_ngrams}
    for key, fn in runs.items():
        if args.tool not in (key, "both"):
            continue
        result = fn(texts, years, group_name="year")
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
        print(f"{result.summary()}\n  {mb / result.seconds['total']:.2f} MB/s ({phases})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
