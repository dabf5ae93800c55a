"""Corpus: texts with metadata, tokenized once by the C core, counted by group.

The :class:`Corpus` is the entry point: its methods check their arguments and hand the work
to the modules that do it (markers, counts, keyness, trend, dispersion, collocations), which
see a corpus through the members documented under "internal interface" below, never through
its private attributes.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _phrases, _progress
from . import markers as _markers
from ._checks import NGRAM_MAX  # noqa: F401 (stays importable from here)
from ._checks import check_count, check_workers, parse_n
from ._groups import By, Fill, Groups, fill_ngram_grid, rate_per_10k
from ._schema import NGRAM_COLUMNS
from ._store import NgramRows, TokenStore
from .collocations import corpus_collocations
from .counts import MarkerCounts, NgramCounts, count_markers, ngram_counts
from .dispersion import corpus_dispersion
from .keyness import corpus_keyness
from .loaders import named_build, read_csv, read_files, read_jsonl, read_parquet
from .tokenizer import Tokenizer, check_chars, lone_surrogate, resolve_tokenizer
from .trend import corpus_trend

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse

__all__ = ["Corpus", "count_ngrams", "parse_n"]


def _check_names(names: Iterable[Any]) -> None:
    # pandas turns str column names into Arrow strings, which cannot hold a lone surrogate
    for c in names:
        if isinstance(c, str):
            check_chars(c, "metadata column name")


def _frame(data: Any) -> pd.DataFrame:
    try:
        return pd.DataFrame(data)
    except UnicodeEncodeError:
        # pandas stores text as Arrow strings, which cannot hold a lone surrogate
        df = pd.DataFrame(data, dtype=object)
        for c in df.columns:
            for i, v in enumerate(df[c]):
                if isinstance(v, str) and lone_surrogate(v):
                    raise ValueError(f"metadata column {c!r}, row {i}: "
                                     f"{lone_surrogate(v)[1]} in {v!r}") from None
        raise


def _meta_frame(meta: Any, n: int) -> pd.DataFrame:
    if meta is None:
        return pd.DataFrame(index=pd.RangeIndex(n))
    if isinstance(meta, pd.DataFrame):
        _check_names(meta.columns)
        df = meta.reset_index(drop=True).copy()
    elif isinstance(meta, Mapping):
        _check_names(meta)
        # by position: a Series keeps its own index, which would misalign rows
        df = _frame({k: (v.array if isinstance(v, pd.Series) else v) for k, v in meta.items()})
    elif isinstance(meta, Sequence) and not isinstance(meta, (str, bytes)):
        bad = next((i for i, m in enumerate(meta) if not isinstance(m, Mapping)), None)
        if bad is not None:
            raise TypeError(f"meta as a list must hold dicts; item {bad} is "
                            f"{type(meta[bad]).__name__}")
        _check_names({k for m in meta for k in m})
        df = _frame(list(meta))
    else:
        raise TypeError("meta must be a pandas DataFrame, a dict of columns or a list of dicts, "
                        f"not {type(meta).__name__}")
    if len(df) != n:
        raise ValueError(f"meta has {len(df)} rows but there are {n} texts")
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
        depend on it. No call uses more than 64 threads: a larger number is capped to 64
        (and tokenizing uses at most one thread per document).
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
        if isinstance(texts, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"texts must be a sequence of str (one per document), not one "
                            f"{type(texts).__name__}")
        if isinstance(texts, (Mapping, pd.DataFrame)):
            raise TypeError(f"texts must be a sequence of str (one per document), not a "
                            f"{type(texts).__name__} (its keys would be the texts); for a table "
                            "use Corpus.from_dataframe(df, text='text'), or pass "
                            "Corpus(d['text'], meta=...)")
        if isinstance(texts, pd.Series):
            texts = texts.tolist()
        texts = list(texts)
        self._texts = texts
        self._skipped: list = []
        self.meta = _meta_frame(meta, len(texts))
        self.tokenizer = resolve_tokenizer(tokenizer, tokenizer_options)
        self.workers = self.threads(workers)
        with _progress.bar(len(texts), "tokenizing", progress) as cb:
            self.store = TokenStore.build(self.tokenizer, texts, self.workers, cb)
        self._ntokens = self.store.token_counts()

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

    # ---- loaders (natocyber.loaders) ------------------------------------------------------

    @classmethod
    def from_files(cls, paths: Any, meta: Any = None, *, key: str = "file",
                   missing: str = "error", errors: str = "strict", encoding: str = "utf-8",
                   boilerplate: Any = None, **kwargs: Any) -> "Corpus":
        """A corpus from text files, one document per file, with metadata.

        ``paths`` is a glob pattern (``"statements/**/*.txt"``), a folder (every ``*.txt``
        under it) or a list of files. ``**`` does not enter symbolic links to folders, and
        a file reached twice (a link, or listed twice) is read once. The metadata always
        has ``file`` (the path relative to the pattern's leading folder); ``meta`` adds
        columns from a file name pattern (``"{year}-{source}-*.txt"``; a field must be
        followed by literal text), from ``"front-matter"`` (``key: value`` lines between
        ``---`` lines at the top of each file), from a sidecar CSV keyed by file name
        (column ``key``), or from a list of these.

        Files are UTF-8, or UTF-16/UTF-32 with a byte-order mark; ``encoding`` names
        another encoding. A file that cannot be read as text (bad bytes, a broken link, a
        named pipe, a folder named like a file, more than 2**31 - 1 bytes) raises
        :class:`~natocyber.loaders.LoadError` naming the file and why; ``errors="replace"``
        reads bad bytes as U+FFFD, ``errors="skip"`` leaves such files out and lists them in
        :attr:`skipped` (with a warning). ``boilerplate=True`` (or a list of regular
        expressions) drops boilerplate lines. Details: :func:`natocyber.loaders.read_files`.
        Other keyword arguments go to :class:`Corpus` (tokenizer options, ``workers``,
        ``progress``).

        >>> c = Corpus.from_files("statements/**/*.txt", meta="{year}-{source}-*.txt",
        ...                       boilerplate=True)                    # doctest: +SKIP
        >>> c.meta.columns.tolist()                                      # doctest: +SKIP
        ['file', 'year', 'source']
        >>> Corpus.from_files("statements/", errors="skip").skipped    # doctest: +SKIP
                    file                                   reason
        0  2024/feed.txt  a named pipe (FIFO), not a regular file
        """
        df = read_files(paths, meta, key=key, missing=missing, errors=errors,
                        encoding=encoding, boilerplate=boilerplate)
        corpus = named_build(lambda: cls.from_dataframe(df, text="text", **kwargs),
                              lambda i: f"file {df['file'].iat[i]}")
        corpus._skipped = list(df.attrs.get("skipped", []))
        return corpus

    @property
    def skipped(self) -> pd.DataFrame:
        """The files :meth:`from_files` left out, with ``file`` and ``reason`` columns (with
        ``errors="skip"``: files that could not be read; always: a second name of a file
        already read). Empty for a corpus not read from files.

        >>> Corpus(["We condemn it."]).skipped.columns.tolist()
        ['file', 'reason']
        """
        return pd.DataFrame(self._skipped, columns=["file", "reason"]).astype(object)

    @classmethod
    def from_csv(cls, path: Any, text: str = "text", meta: Optional[Sequence[str]] = None, *,
                 errors: str = "strict", encoding: str = "utf-8", boilerplate: Any = None,
                 read_options: Optional[dict] = None, **kwargs: Any) -> "Corpus":
        """A corpus from a CSV file (``.csv`` or ``.csv.gz``): column ``text`` holds the texts
        (read as written: a cell "NA" or "null" is that word, an empty cell an empty text),
        ``meta`` names the metadata columns (default: all others). Decoding as in
        :meth:`from_files`; ``read_options`` go to ``pandas.read_csv``; other keyword
        arguments to :class:`Corpus`. Details: :func:`natocyber.loaders.read_csv`.

        >>> Corpus.from_csv("statements.csv", meta=["year"])             # doctest: +SKIP
        """
        df = read_csv(path, text, errors=errors, encoding=encoding, boilerplate=boilerplate,
                      read_options=read_options)
        return named_build(lambda: cls.from_dataframe(df, text=text, meta=meta, **kwargs),
                            lambda i: f"{os.fspath(path)}, data row {i + 1}")

    @classmethod
    def from_jsonl(cls, path: Any, text: str = "text", meta: Optional[Sequence[str]] = None, *,
                   errors: str = "strict", encoding: str = "utf-8", boilerplate: Any = None,
                   **kwargs: Any) -> "Corpus":
        """A corpus from a JSON Lines file (one object per line; ``.gz`` too): field ``text``
        holds the text, ``meta`` names the metadata fields (default: all others). Errors
        name the file and line; an object with a key twice is refused.

        >>> Corpus.from_jsonl("statements.jsonl")                        # doctest: +SKIP
        """
        df = read_jsonl(path, text, errors=errors, encoding=encoding, boilerplate=boilerplate)
        return named_build(lambda: cls.from_dataframe(df, text=text, meta=meta, **kwargs),
                            lambda i: f"{os.fspath(path)}, record {i + 1}")

    @classmethod
    def from_parquet(cls, path: Any, text: str = "text", meta: Optional[Sequence[str]] = None,
                     *, boilerplate: Any = None, **kwargs: Any) -> "Corpus":
        """A corpus from a Parquet file or folder (needs pyarrow): column ``text`` holds the
        texts, ``meta`` names the metadata columns (default: all others; only those are read).

        >>> Corpus.from_parquet("statements.parquet", meta=["year"])     # doctest: +SKIP
        """
        df = read_parquet(path, text, columns=meta, boilerplate=boilerplate)
        return named_build(lambda: cls.from_dataframe(df, text=text, meta=meta, **kwargs),
                            lambda i: f"{os.fspath(path)}, row {i + 1}")

    # ---- basic facts -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._texts)

    def __repr__(self) -> str:
        return (f"<natocyber.Corpus: {len(self)} documents, {int(self._ntokens.sum()):,} tokens, "
                f"{self.store.vocab_size:,} types; meta {list(self.meta.columns)}>")

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
        return self.store.vocab()

    def summary(self) -> pd.DataFrame:
        """One row per document: ``doc``, the metadata, ``tokens``, ``sentences``."""
        clash = [c for c in ("doc", "tokens", "sentences") if c in self.meta.columns]
        if clash:
            raise ValueError(f"metadata column(s) {clash} have the name of a summary column; "
                             "rename them")
        out = pd.DataFrame({"doc": np.arange(len(self))})
        out = pd.concat([out, self.meta], axis=1)
        out["tokens"] = self._ntokens.astype(np.int64)
        out["sentences"] = self.store.sentence_counts().astype(np.int64)
        return out

    def memory_usage(self) -> dict:
        """Bytes held by the C token store: ``token_bytes``, ``vocab_bytes``, ``tokens``."""
        return self.store.memory()

    def groups(self, by: By = None, fill: Fill = None) -> Groups:
        """The grouping of documents that ``by=`` and ``fill=`` describe."""
        return Groups(self.meta, by, fill)

    # ---- internal interface ------------------------------------------------------------
    # What natocyber's own modules use of a corpus, besides texts, meta and tokenizer:
    # ``store`` (the TokenStore, set in __init__), ``token_counts``, ``stop_mask()`` and
    # ``threads()``. Not part of the documented API.

    @property
    def token_counts(self) -> np.ndarray:
        """Kept tokens per document: the store's uint32 array itself (do not modify it;
        :attr:`n_tokens` is the public form)."""
        return self._ntokens

    def threads(self, workers: Optional[int]) -> int:
        """The threads of one call: ``workers``, or the corpus's own when None; more than
        64 are capped to 64."""
        return check_workers(workers, getattr(self, "workers", None))

    def stop_mask(self, stopwords: Optional[Iterable[str]]) -> Optional[np.ndarray]:
        """A uint8 mask over the vocabulary, 1 for the forms of ``stopwords`` (each
        tokenized like the text); None for None."""
        if stopwords is None:
            return None
        if isinstance(stopwords, str):
            raise TypeError("stopwords must be an iterable of words, not one str")
        forms = []
        for w in stopwords:
            if not isinstance(w, str):
                raise TypeError(f"stop word {w!r} is not a str")
            check_chars(w, "stop word")
            forms.extend(self.tokenizer.tokenize(w))
        ids = [i for i in self.store.lookup(forms) if i >= 0]
        mask = np.zeros(self.store.vocab_size, dtype=np.uint8)
        mask[ids] = 1
        return mask

    # ---- counting ----------------------------------------------------------------------

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
            get every value between their minimum and maximum, a column of decades every
            decade, a Categorical all its categories; bounded, see the README) or
            {column: values}; each kept n-gram then gets a row in every group of the grid,
            with its true count there (also where ``top`` left it out) and zero where it does
            not occur, with ``per_10k`` NaN in a group without tokens. Needs ``by``.

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
        min_count = check_count("min_count", min_count)
        top_k = check_count("top", top, allow_none=True)
        groups = Groups(self.meta, by, fill, result_columns=NGRAM_COLUMNS)
        stop = self.stop_mask(stopwords)
        tokens = np.ascontiguousarray(groups.totals(self._ntokens), dtype=np.int64)
        with _progress.bar(len(self), "counting", progress) as cb:
            rows = self.store.ngrams(
                groups.codes, groups.ngroups, nmin, nmax, stop=stop, min_count=min_count,
                top=top_k, workers=self.threads(workers), progress=cb, tokens=tokens,
                unique_text=bool(fill and top_k), row_text=True, group_key=groups.fixed_key())
        # every column is a fresh array of the core's, handed over without a copy
        df = pd.DataFrame({"ngram": rows.ngram_column(), "n": rows.n,
                           **groups.result_key_columns(rows.row_key, rows.row_group),
                           "count": rows.count, "docfreq": rows.docfreq,
                           "per_10k": rows.per_10k}, copy=False)
        if fill and groups.columns:
            truth = None
            if top_k:
                truth = self._true_counts(rows, groups, workers)
            df = fill_ngram_grid(df, groups, tokens, truth)
        return df

    def _true_counts(self, rows: NgramRows, groups: Groups,
                     workers: Optional[int]) -> pd.DataFrame:
        """Counts of the n-grams of an ``ngrams`` result (by their ids) in every group, for
        filling a grid after ``top`` dropped rows."""
        kept = np.unique(rows.row_ngram)
        g = groups.ngroups
        counts, docfreq = self.store.phrases(rows.token_ids(kept), groups.codes, g,
                                             self.threads(workers))
        row_u = np.repeat(kept, g)
        row_group = np.tile(np.arange(g), len(kept))
        truth = pd.DataFrame({"ngram": rows.take_text(row_u),
                              "n": rows.ns[row_u].astype(np.int64),
                              **groups.key_columns(row_group),
                              "count": counts.reshape(-1), "docfreq": docfreq.reshape(-1)})
        return truth[truth["count"] > 0]

    def frequency(self, phrases: Union[str, Iterable[str]], by: By = None, *,
                  fill: Fill = None, workers: Optional[int] = None) -> pd.DataFrame:
        """Counts of given phrases per group, normalized like the text.

        Each phrase is tokenized with the corpus's tokenizer, so case, curly apostrophes,
        full-width letters and dash variants do not matter; it counts exactly as the same
        n-gram would in :meth:`ngrams` (no crossing of sentences or punctuation), and every
        ``ngram`` that :meth:`ngrams` reports counts the same when given back here. A word
        with a ``*`` at its start or end is a glob as in the pattern language (``"terror*"``
        counts terror, terrorism and terrorists; ``ngram`` then shows the glob).

        Returns one row per phrase and group, zeros included: ``phrase`` (as given),
        ``ngram`` (its normalized form), ``n``, the ``by`` columns, ``count``, ``docfreq``,
        ``per_10k``; in the order the phrases were given, then by group.

        Example
        -------
        >>> c = Corpus(["NATO strongly condemns it.", "We Strongly Condemn it."],
        ...            meta={"year": [2019, 2024]})
        >>> c.frequency(["strongly condemn"], by="year")["count"].tolist()
        [0, 1]
        >>> c.frequency("condemn*")[["ngram", "count"]].values.tolist()
        [['condemn*', 2]]
        """
        resolved = _phrases.resolve(self, phrases)
        groups = Groups(self.meta, by, fill, result_columns=("phrase",) + NGRAM_COLUMNS)
        g = groups.ngroups
        pc = _phrases.count(self, resolved, groups.codes, g, self.threads(workers))
        tokens = groups.totals(self._ntokens)
        row_group = np.tile(np.arange(g), len(resolved))
        rows = np.repeat(np.arange(len(resolved)), g)
        df = pc.keys.iloc[rows].reset_index(drop=True)
        for col, values in groups.key_columns(row_group).items():
            df[col] = values
        counts = pc.counts.reshape(-1)
        df["count"] = counts
        df["docfreq"] = pc.docfreq.reshape(-1)
        df["per_10k"] = rate_per_10k(counts, tokens[row_group])
        return df

    # ---- data out: matrices, mergeable count tables, pickling (natocyber.counts) ---------

    def dtm(self, n: Union[int, Sequence[int]] = 1, by: By = None, *, min_count: int = 1,
            stopwords: Optional[Iterable[str]] = None, fill: Fill = None,
            workers: Optional[int] = None, progress: bool = False
            ) -> tuple[scipy.sparse.csr_matrix, list[str]]:
        """A document-term matrix for scikit-learn: ``(matrix, vocabulary)``.

        ``matrix`` is a ``scipy.sparse.csr_matrix`` of int64 counts with one row per
        document (in corpus order) or, with ``by``, per group (in the order of
        ``corpus.groups(by, fill).keys``), and one column per n-gram; ``vocabulary`` lists the
        columns' n-grams (tokens joined by spaces) in code-point order, as scikit-learn's
        ``CountVectorizer`` sorts its features. Counts are those of :meth:`ngrams` (an n-gram
        never crosses a sentence, punctuation or a stop word); ``min_count`` keeps the
        n-grams counted at least that often in the whole corpus. The default ``n=1`` is
        CountVectorizer's; ``n=(1, 3)`` adds bigrams and trigrams.

        The arrays come from the C core without a copy and belong to the matrix (they are
        writable); indices are sorted and int32 while they fit, so scipy and scikit-learn
        need not convert them.

        Example
        -------
        >>> c = Corpus(["We condemn it. We condemn it.", "Allies condemn."])
        >>> X, vocab = c.dtm()
        >>> vocab
        ['allies', 'condemn', 'it', 'we']
        >>> X.toarray().tolist()
        [[0, 2, 2, 2], [1, 1, 0, 0]]
        """
        try:
            import scipy.sparse as sp
        except ImportError:
            raise ImportError("dtm() returns a scipy.sparse matrix: pip install scipy") from None

        nmin, nmax = parse_n(n)
        min_count = check_count("min_count", min_count)
        if by is None:
            if fill is not None and fill is not False:
                raise ValueError("fill= completes a grid of groups and needs by=")
            rows, nrows = np.arange(len(self), dtype=np.int32), len(self)
        else:
            groups = Groups(self.meta, by, fill)
            rows, nrows = groups.codes, groups.ngroups
        stop = self.stop_mask(stopwords)
        with _progress.bar(len(self), "building matrix", progress) as cb:
            m = self.store.dtm(rows, nrows, nmin, nmax, stop=stop, min_count=min_count,
                               workers=self.threads(workers), progress=cb)
        X = sp.csr_matrix((m.data, m.indices, m.indptr), shape=(nrows, len(m.vocabulary)),
                          copy=False)
        # sorted, duplicate-free indices by construction: spare scipy the checks
        X.has_sorted_indices = True
        X.has_canonical_format = True
        return X, m.vocabulary

    def count_ngrams(self, n: Union[int, Sequence[int]] = (1, 3), by: By = None, *,
                     stopwords: Optional[Iterable[str]] = None, workers: Optional[int] = None,
                     progress: bool = False) -> NgramCounts:
        """Exact n-gram counts per group as a mergeable, picklable
        :class:`~natocyber.counts.NgramCounts`.

        Where :meth:`ngrams` renders one filtered table, this keeps every count, so the
        tables of corpora with disjoint documents add up (``a + b``, ``sum(...)``) and
        ``.to_frame(min_count=..., top=..., fill=...)`` then equals :meth:`ngrams` on the
        union. It is what :func:`natocyber.count_ngrams` and :mod:`natocyber.distributed`
        merge.

        >>> a = Corpus(["We condemn it."]).count_ngrams(1)
        >>> b = Corpus(["We condemn."]).count_ngrams(1)
        >>> (a + b).to_frame()[["ngram", "count"]].values.tolist()
        [['condemn', 2], ['we', 2], ['it', 1]]
        """
        nmin, nmax = parse_n(n)
        with _progress.bar(None, "counting", progress) as cb:
            return ngram_counts(self, (nmin, nmax), by, stopwords, self.threads(workers), cb)

    def count_markers(self, by: By = None, **options: Any) -> MarkerCounts:
        """Stance-marker hits per group and category as a mergeable, picklable
        :class:`~natocyber.counts.MarkerCounts`, whose ``.to_frame(fill=...)`` equals
        :meth:`marker_rates` (same options) on the union of the merged corpora.

        >>> c = Corpus(["We condemn it."], meta={"year": [2020]})
        >>> c.count_markers(by="year", categories="condemnation").to_frame()["hits"].tolist()
        [1]
        """
        return count_markers(self, by, **options)

    def __reduce__(self) -> tuple:
        # A Corpus pickles as its texts, metadata and tokenizer options and is tokenized
        # again when loaded (the C token store is not serialized: rebuilding it costs
        # about as much as reading it back, and keeps pickles independent of the build).
        return (_rebuild_corpus, (self._texts, self.meta, self.tokenizer, self._skipped))

    # ---- stance markers (natocyber.markers; docs/patterns.md) -----------------------------

    def markers(self, lexicon: Any = None, **options: Any) -> pd.DataFrame:
        """Every stance-marker hit, one row each: ``doc``, the metadata, ``sentence``,
        ``category``, ``marker``, ``pattern``, ``level``, ``text``, ``start``, ``end``,
        ``negated``, ``hypothetical``. Options and rules: :func:`natocyber.markers.markers`.

        >>> c = Corpus(["We strongly condemn the attack."], meta={"year": [2024]})
        >>> c.markers(categories="condemnation")[["year", "marker", "level"]].values.tolist()
        [[2024, 'strongly_condemn', 4]]
        """
        return _markers.markers(self, lexicon, **options)

    def marker_rates(self, by: By = None, **options: Any) -> pd.DataFrame:
        """Hits per group and category with ``tokens``, ``per_10k``, ``docs_with_hits`` and
        ``docs``; negated hits left out. Options: :func:`natocyber.markers.marker_rates`.

        >>> c = Corpus(["We condemn it.", "We did not condemn it."], meta={"year": [2020, 2021]})
        >>> c.marker_rates(by="year", categories="condemnation")["hits"].tolist()
        [1, 0]
        """
        return _markers.marker_rates(self, by, **options)

    def escalation(self, by: By = None, **options: Any) -> pd.DataFrame:
        """The highest ladder level per document (and the marker that set it), or its
        distribution per group with ``by``. Options: :func:`natocyber.markers.escalation`.

        >>> c = Corpus(["We note with concern the attack.", "We strongly condemn it."])
        >>> c.escalation()["level"].tolist()
        [1, 4]
        """
        return _markers.escalation(self, by, **options)

    def kwic(self, pattern: Any, window: int = 8, **options: Any) -> pd.DataFrame:
        """Keyword in context of a pattern (or patterns, or a Lexicon): ``doc``, the metadata,
        ``sentence``, ``left``, ``match``, ``right``, ``start``, ``end``, ``pattern``,
        ``negated``, ``hypothetical``. Options: :func:`natocyber.markers.kwic`.

        >>> c = Corpus(["Allies strongly and unequivocally condemn the attack."])
        >>> c.kwic("strongly ~3 condemn*", window=1)[["left", "match", "right"]].values.tolist()
        [['Allies', 'strongly and unequivocally condemn', 'the']]
        """
        return _markers.kwic(self, pattern, window, **options)

    # ---- comparing rhetoric (statistics in natocyber.stats; docs/statistics.md) --------

    def keyness(self, target: Any = None, reference: Any = None, *, by: By = None,
                n: Union[int, Sequence[int]] = (1, 3), measure: str = "g2",
                correction: str = "none", min_count: int = 1,
                stopwords: Optional[Iterable[str]] = None,
                categories: Union[None, bool, str, Sequence[str]] = None, markers: bool = False,
                lexicon: Any = None, workers: Optional[int] = None) -> pd.DataFrame:
        """Terms used more (or less) in a target than in a reference.

        Three ways to choose the sides:

        - ``target=mask`` (a boolean mask over the documents) against ``reference=mask``, or
          against all other documents when ``reference`` is None;
        - ``by=column`` alone: each group against all the other groups;
        - ``by=column, target=value(s)``: those groups against ``reference=value(s)``, or
          against all other documents.

        Terms are n-grams of orders ``n`` (counted like :meth:`ngrams`: never across a
        sentence or punctuation), or stance ``categories`` (True or a list of names) or single
        ``markers`` found by :meth:`markers` (negated hits left out). Terms whose count in
        target plus reference is below ``min_count`` are left out; on large corpora raise it,
        since hapaxes are never significant and make the table long.

        ``measure``: ``"g2"`` (log-likelihood, Dunning), ``"chi2"`` (Pearson), ``"fisher"``
        (exact test; statistic = ln odds ratio), or the effect sizes ``"log_ratio"``
        (Hardie), ``"pct_diff"`` (%DIFF) and ``"pmi"`` (base 2), whose p-value is that of
        G2. ``correction``: ``"none"``, ``"yates"`` or ``"williams"``, for g2 and chi2 (and
        the G2 test behind the effect sizes). Corpus sizes are the token counts of each side.

        Returns
        -------
        DataFrame: the ``by`` columns (each group against the rest), the term columns
        (``ngram``, ``n``; or ``category`` [, ``marker``]), then ``count_target``,
        ``count_reference``, ``per_10k_target``, ``per_10k_reference``, ``statistic``
        (signed: positive = more frequent in the target), ``p``, ``p_bh``
        (Benjamini-Hochberg within each comparison) and ``log_ratio`` (the effect size), sorted
        by statistic (descending) within each comparison. Zero counts give finite values,
        except pmi, which is -inf for a term absent from the target.

        Example
        -------
        >>> c = Corpus(["b b b b b b b a a a", "a a a a a a a b b"], meta={"year": [2024, 2018]})
        >>> k = c.keyness(c.meta.year == 2024, n=1, measure="chi2")
        >>> k[["ngram", "count_target", "count_reference"]].values.tolist()
        [['b', 7, 2], ['a', 3, 7]]
        >>> round(float(k.statistic[0]), 6)
        4.33716
        """
        return corpus_keyness(self, target, reference, by=by, n=n, measure=measure,
                              correction=correction, min_count=min_count, stopwords=stopwords,
                              categories=categories, markers=markers, lexicon=lexicon,
                              workers=workers)

    def collocations(self, size: Union[int, Sequence[int]] = 2, *, min_count: int = 2,
                     smoothing: float = 0.5, stopwords: Optional[Iterable[str]] = None,
                     workers: Optional[int] = None) -> pd.DataFrame:
        """Multi-word expressions scored like quanteda's ``textstat_collocations``.

        Every sequence of ``size`` words (an int, or a (min, max) range within 2..5) seen at
        least ``min_count`` times is scored by lambda (the k-way interaction of the log-linear
        model of its 2**k table of windows, each cell plus ``smoothing``) and z = lambda /
        its standard error. Windows never cross a sentence boundary or punctuation; stop
        words, when given, act as quanteda's pads (a sequence holding one is not scored).
        Bigrams also get association measures from their word counts and the number of
        tokens, as NLTK and gensim compute them: ``pmi`` (base 2), ``npmi``, ``ll`` (G2),
        ``t_score`` and ``log_dice``; these are NaN for longer sequences.

        Returns
        -------
        DataFrame with ``collocation``, ``count``, ``length``, ``lambda``, ``z``, ``pmi``,
        ``npmi``, ``ll``, ``t_score``, ``log_dice``, sorted by z (descending).

        Example
        -------
        >>> c = Corpus(["I like good ice cream.", "Me too!  I like good ice cream."])
        >>> col = c.collocations(min_count=2)
        >>> col.collocation.tolist(), col["lambda"].round(6).unique().tolist()
        (['good ice', 'i like', 'ice cream', 'like good'], [4.317488])
        """
        return corpus_collocations(self, size, min_count=min_count, smoothing=smoothing,
                                   stopwords=stopwords, workers=workers)

    def dispersion(self, phrases: Union[None, str, Iterable[str]] = None, by: By = None, *,
                   categories: Union[None, bool, str, Sequence[str]] = None,
                   lexicon: Any = None, workers: Optional[int] = None) -> pd.DataFrame:
        """How evenly phrases (or stance ``categories``) spread over the corpus.

        The parts are the documents (``by=None``) or the groups of a metadata column. Parts
        without tokens are left out. Measures: ``range`` (parts where the term occurs), Gries's
        DP (0 = spread like the text, near 1 = concentrated), DP normalized by its maximum
        (Lijffijt & Gries 2012) and Juilland's D (1 = even).

        Returns
        -------
        DataFrame: the term columns (``phrase``, ``ngram``, ``n``; or ``category``), then
        ``count``, ``parts``, ``range``, ``dp``, ``dp_norm``, ``juilland_d``. A term that never
        occurs gets range 0 and NaN measures (the dispersion of nothing is undefined).

        Example
        -------
        >>> c = Corpus(["We strongly condemn it.", "We strongly condemn it.", "Other text."])
        >>> c.dispersion(["strongly condemn"])[["count", "parts", "range"]].values.tolist()
        [[2, 3, 2]]
        """
        return corpus_dispersion(self, phrases, by, categories=categories, lexicon=lexicon,
                                 workers=workers)

    def trend(self, phrases: Union[None, str, Iterable[str]] = None, by: str = "year", *,
              categories: Union[None, bool, str, Sequence[str]] = None, lexicon: Any = None,
              fill: Fill = True, conf: float = 0.95,
              workers: Optional[int] = None) -> pd.DataFrame:
        """Rates of phrases (or stance ``categories``) along an ordered column, with a test.

        ``by`` (default ``"year"``) must have an order: numbers (years), dates, or an ordered
        pandas Categorical (presidents in office order, named periods); text columns are
        refused, since their alphabetical order would be an arbitrary axis.

        Per group of ``by``: ``count``, ``tokens``, ``per_10k`` and its exact Poisson
        (Garwood) interval ``per_10k_low``/``per_10k_high`` at confidence ``conf``. With
        ``fill=True`` (default) the groups without documents between the first and the last
        appear too, as in :meth:`ngrams`: every year between the first and the last, every
        decade for a column of decades (1990, 2000, ...), every category of a Categorical;
        a span of more than 10,000 values is refused (a typo such as 20240 among years). A
        group without text has tokens 0 and NaN rates (there is nothing to rate) and does
        not enter the regression. ``fill=False`` keeps only the groups with documents.

        Per term (repeated on each of its rows; ``df.drop_duplicates("phrase")`` gives one
        row per term): ``first`` and ``last`` attestation, and a Poisson regression of the
        counts on the group's position (its value; fractional years for dates; the rank for
        categories) with log tokens as offset: ``slope`` (change in log rate per unit, e.g.
        per year), ``slope_se``, ``rate_ratio`` = exp(slope), ``p_trend`` (likelihood-ratio
        test against a constant rate), ``p_trend_bh`` (Benjamini-Hochberg over the terms)
        and ``fit``: ``"ok"``, ``"no occurrences"`` (slope 0, p 1), ``"separated"`` (every
        occurrence in the first or last group: slope +-inf, the LR test still valid) or
        ``"not converged"``.

        Example
        -------
        >>> c = Corpus(["We condemn it.", "Text.", "We condemn it. We condemn it."],
        ...            meta={"year": [2020, 2022, 2023]})
        >>> t = c.trend(["condemn"])
        >>> t[["year", "count", "tokens"]].values.tolist()
        [[2020, 1, 3], [2021, 0, 0], [2022, 0, 1], [2023, 2, 6]]
        """
        return corpus_trend(self, phrases, by, categories=categories, lexicon=lexicon,
                            fill=fill, conf=conf, workers=workers)


def _rebuild_corpus(texts: list, meta: pd.DataFrame, tokenizer: Tokenizer,
                    skipped: Optional[list] = None) -> Corpus:
    corpus = Corpus(texts, meta, tokenizer=tokenizer)
    if skipped:
        corpus._skipped = [{"file": str(r["file"]), "reason": str(r["reason"])} for r in skipped]
    return corpus


def count_ngrams(documents: Iterable[Union[str, tuple]], n: Union[int, Sequence[int]] = (1, 3),
                 by: By = None, *, batch_size: int = 5000, min_count: int = 1,
                 top: Optional[int] = None, stopwords: Optional[Iterable[str]] = None,
                 tokenizer: Optional[Tokenizer] = None, workers: Optional[int] = None,
                 **tokenizer_options: Any) -> pd.DataFrame:
    """N-gram counts over a stream of documents without keeping their tokens.

    For corpora that do not fit in memory: documents are tokenized and counted in batches of
    ``batch_size``; only the counts are kept and merged exactly (as
    :class:`~natocyber.NgramCounts`, the tables of :meth:`Corpus.count_ngrams`). Each item is a
    str, or a ``(text, metadata_dict)`` pair when grouping ``by`` metadata. The result is the
    same table :meth:`Corpus.ngrams` gives for the whole corpus.

    Example
    -------
    >>> docs = [("We condemn it.", {"year": 2020}), ("We condemn it.", {"year": 2021})]
    >>> count_ngrams(docs, n=2, by="year", batch_size=1)["count"].tolist()
    [1, 1, 1, 1]
    """
    if isinstance(documents, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"documents must be an iterable of str or (text, dict) pairs, not one "
                        f"{type(documents).__name__}; for one text pass [text]")
    nmin, nmax = parse_n(n)
    min_count = check_count("min_count", min_count)
    top_k = check_count("top", top, allow_none=True)
    batch_size = check_count("batch_size", batch_size)
    tok = resolve_tokenizer(tokenizer, tokenizer_options)
    cols = [by] if isinstance(by, str) else list(by or [])

    # Batch tables merge like a binary counter (two tables of the same level merge into one
    # of the next), so at most log2(batches) tables are held and each count is merged
    # O(log batches) times.
    levels: list = []
    batch_texts: list = []
    batch_meta: list = []

    def flush() -> None:
        if not batch_texts:
            return
        c = Corpus(batch_texts, batch_meta if cols else None, tokenizer=tok, workers=workers)
        table, level = c.count_ngrams((nmin, nmax), by=cols or None, stopwords=stopwords), 0
        batch_texts.clear()
        batch_meta.clear()
        while levels and levels[-1][0] == level:
            table, level = NgramCounts.merge([levels.pop()[1], table]), level + 1
        levels.append((level, table))

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
    if not levels:
        return pd.DataFrame(columns=["ngram", "n", *cols, "count", "docfreq", "per_10k"])
    total = NgramCounts.merge([t for _, t in levels])
    return total.to_frame(min_count=min_count, top=top_k or None)
