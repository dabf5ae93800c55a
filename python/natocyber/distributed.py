"""Counting corpora that outgrow one process or one machine, on Dask.

The path is map-reduce over mergeable count tables (:mod:`natocyber.counts`):

1. the corpus is cut into partitions of records, a record being a text with its metadata;
2. each partition is counted on a worker into a table (:class:`~natocyber.NgramCounts`,
   :class:`~natocyber.MarkerCounts`, or any object that adds up with ``+``);
3. the tables are merged on the workers in a tree and the client receives one table, whose
   ``.to_frame()`` equals what the single-process method gives on the whole corpus, exactly.

Partitions are a ``dask.bag.Bag`` of records, or a plain list of partitions (lists of
records), which is turned into a bag. A record is a ``str``, a ``(text, metadata_dict)``
pair, or a dict with a ``"text"`` key and metadata in its other keys. Make the bag where
the data lives: :func:`to_bag` for data on the client (a Corpus, a DataFrame, records);
:func:`files_bag` for files the workers can read (shared storage), so the texts never travel
through the scheduler.

Whatever scheduler is active computes it: a ``distributed.Client`` once one is created,
otherwise dask's default for bags (local processes).

Example (a cluster of two worker processes on this machine)::

    from dask.distributed import Client, LocalCluster
    import natocyber as nc
    from natocyber import distributed as ncd

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        bag = ncd.files_bag("archive/**/*.txt", meta="{year}-{source}-*.txt",
                            files_per_partition=500, boilerplate=True)
        counts = ncd.count_ngrams(bag, n=(1, 3), by="year")
        markers = ncd.count_markers(bag, by="year")
    counts.to_frame(min_count=5, top=20)     # = Corpus.ngrams(...) on the whole archive
    markers.to_frame(fill=True)              # = Corpus.marker_rates(...)

Your own per-partition analysis follows the same pattern: write a function from a list of
records to a table that supports ``+`` and pass it to :func:`reduce_partitions`.
"""
from __future__ import annotations

import functools
import os
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, Optional,
                    Sequence, Tuple, Union)

import pandas as pd

from ._checks import parse_n
from .corpus import Corpus
from .counts import MarkerCounts, NgramCounts
from .loaders import bad_entries_error, find_entries, read_files, warn_skipped
from .tokenizer import Tokenizer, resolve_tokenizer

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag

__all__ = ["to_bag", "files_bag", "partition", "reduce_partitions", "count_ngrams",
           "count_markers"]

Record = Union[str, Tuple[str, Mapping[str, Any]], Mapping[str, Any]]

# Records carry plain values, so a partition cannot know that a column was an ordered
# Categorical or a nullable integer: the dtypes of the metadata of bags made by to_bag()
# (keyed by the bag's name) are handed to the partitions, which then group exactly as the
# single-process corpus does.
_BAG_DTYPES: Dict[str, Dict[str, Any]] = {}
_BAG_DTYPES_KEPT = 256


def _dask_bag():
    try:
        import dask.bag as db
    except ImportError:
        raise ImportError("natocyber.distributed needs dask: pip install 'dask[distributed]' "
                          "(or pip install 'natocyber[dask]')") from None
    return db


# ---- records and partitions ---------------------------------------------------------------

def _split(item: Any, i: int, text: str = "text") -> Tuple[str, Mapping[str, Any]]:
    """(text, metadata) of one record; errors name the record's index in its partition."""
    if isinstance(item, str):
        return item, {}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
        t, meta = item
    elif isinstance(item, Mapping):
        if text not in item:
            raise ValueError(f"record {i}: a dict record needs a {text!r} key; keys: "
                             f"{', '.join(map(str, item))} (a list of lists is read as "
                             "partitions of records; a record pair is a tuple (text, dict))")
        t, meta = item[text], {k: v for k, v in item.items() if k != text}
    else:
        hint = (" (a record pair is a tuple (text, dict), not a list)"
                if isinstance(item, list) else "")
        raise TypeError(f"record {i}: expected a str, a (text, dict) pair or a dict with "
                        f"{text!r}, not {type(item).__name__}{hint}")
    if not isinstance(t, str):
        raise TypeError(f"record {i}: the text is {type(t).__name__}, not str")
    return t, meta


def _meta_dtypes(data: Any, text: str = "text") -> Optional[Dict[str, Any]]:
    """The metadata dtypes of a Corpus, a DataFrame or a bag made from one by to_bag()."""
    if isinstance(data, Corpus):
        return dict(data.meta.dtypes)
    if isinstance(data, pd.DataFrame):
        return {c: t for c, t in data.dtypes.items() if c != text}
    name = getattr(data, "name", None)
    return _BAG_DTYPES.get(name) if isinstance(name, str) else None


def _check_data(data: Any) -> None:
    if isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"data must be records, partitions, a Corpus, a DataFrame or a dask "
                        f"bag, not one {type(data).__name__}; for one text pass [text]")
    if isinstance(data, (list, tuple)) and not data:
        raise ValueError("no records to count")


def _records(data: Any, text: str = "text") -> List[Tuple[str, Dict[str, Any]]]:
    if isinstance(data, Corpus):
        metas = data.meta.to_dict("records") if len(data.meta.columns) else [{}] * len(data)
        return list(zip(data.texts, metas))
    if isinstance(data, pd.DataFrame):
        if text not in data.columns:
            raise ValueError(f"no column {text!r} in the DataFrame; columns: "
                             f"{list(data.columns)}")
        metas = data.drop(columns=[text]).to_dict("records")
        return list(zip(data[text].tolist(), metas))
    return [(t, dict(m)) for t, m in (_split(x, i, text) for i, x in enumerate(data))]


def partition(data: Any, npartitions: int, text: str = "text") -> List[List[Tuple[str, dict]]]:
    """Cuts a Corpus, a DataFrame or a sequence of records into ``npartitions`` contiguous
    lists of ``(text, metadata)`` records of about equal size (in characters).

    >>> [len(p) for p in partition(["a b", "c", "d e f", "g"], 2)]
    [2, 2]
    """
    if isinstance(npartitions, bool) or not isinstance(npartitions, int) or npartitions < 1:
        raise ValueError(f"npartitions must be an integer >= 1, not {npartitions!r}")
    recs = _records(data, text)
    sizes = [len(t) + 1 for t, _ in recs]
    total = sum(sizes)
    parts: List[List[Tuple[str, dict]]] = [[] for _ in range(min(npartitions, max(len(recs), 1)))]
    acc = 0
    for rec, size in zip(recs, sizes):
        # a record goes to the part its middle falls in
        k = min((2 * acc + size) * len(parts) // max(2 * total, 1), len(parts) - 1)
        parts[k].append(rec)
        acc += size
    return parts



def to_bag(data: Any, npartitions: Optional[int] = None, text: str = "text") -> dask.bag.Bag:
    """A ``dask.bag.Bag`` of ``(text, metadata)`` records from a Corpus, a DataFrame, a
    sequence of records, or a list of partitions (each a list of records: kept as the
    bag's partitions). ``npartitions`` defaults to one per 2,000 records.

    The data is embedded in the task graph and sent through the scheduler; for large
    corpora on shared storage use :func:`files_bag`.
    """
    db = _dask_bag()
    if isinstance(data, db.Bag):
        return data
    _check_data(data)
    dtypes = _meta_dtypes(data, text)
    bag = _make_bag(db, data, npartitions, text)
    if dtypes:
        while len(_BAG_DTYPES) >= _BAG_DTYPES_KEPT:
            _BAG_DTYPES.pop(next(iter(_BAG_DTYPES)))
        _BAG_DTYPES[bag.name] = dtypes
    return bag


def _make_bag(db: Any, data: Any, npartitions: Optional[int], text: str) -> dask.bag.Bag:
    if _is_partition_list(data):
        parts = [[(t, dict(m)) for t, m in (_split(x, i, text) for i, x in enumerate(p))]
                 for p in data]
        return db.from_sequence(parts, npartitions=max(len(parts), 1)).flatten()
    recs = _records(data, text)
    parts = partition(recs, npartitions or max(1, -(-len(recs) // 2000)))
    return db.from_sequence(parts, npartitions=len(parts)).flatten()


def _is_partition_list(data: Any) -> bool:
    return (isinstance(data, (list, tuple)) and len(data) > 0
            and all(isinstance(p, list) for p in data))


def _read_partition(chunks: Iterable[List[str]], root: str, options: Dict[str, Any]
                    ) -> List[Tuple[str, dict]]:
    """The records of a partition of files (runs on a worker)."""
    out: List[Tuple[str, dict]] = []
    for paths in chunks:
        df = read_files(paths, root=root, **options)
        metas = df.drop(columns=["text"]).to_dict("records")
        out.extend(zip(df["text"].tolist(), metas))
    return out


def files_bag(paths: Any, meta: Any = None, *, files_per_partition: int = 200,
              **options: Any) -> dask.bag.Bag:
    """A ``dask.bag.Bag`` of records read from text files by the workers.

    The client only expands ``paths`` (as :func:`natocyber.loaders.read_files` does); each
    partition then reads its files with ``read_files`` on the worker that runs it, with the
    same ``meta`` and ``options`` (``key``, ``missing``, ``errors``, ``encoding``,
    ``boilerplate``) and the same ``file`` names as a single read would give. The files must
    be readable at the same paths on every worker.

    What the client can see is handled there: entries that are not readable files (broken
    links, named pipes, folders named like files) raise :class:`~natocyber.LoadError`, or with
    ``errors="skip"`` are left out with a :class:`~natocyber.loaders.SkippedFilesWarning`
    naming them, as are second names of a file already read. Bytes that do not decode are
    only seen by the workers: they raise there (naming the file) unless
    ``errors="replace"``, so ``errors="skip"`` does not drop such files unseen.
    """
    db = _dask_bag()
    if isinstance(files_per_partition, bool) or not isinstance(files_per_partition, int) \
            or files_per_partition < 1:
        raise ValueError(f"files_per_partition must be an integer >= 1, not "
                         f"{files_per_partition!r}")
    errors = options.get("errors", "strict")
    found, bad, skipped, root = find_entries(paths)
    if bad and errors != "skip":
        raise bad_entries_error(bad)
    skipped = sorted(skipped + [(name, why) for _, name, why in bad])
    if skipped:
        warn_skipped(skipped, listed=False)
    if errors == "skip":
        options = dict(options, errors="strict")
    files = [os.path.abspath(f) for f, _ in found]
    chunks = [files[i:i + files_per_partition] for i in range(0, len(files),
                                                              files_per_partition)]
    # a sidecar named relative to the client's folder must be found from the workers' too
    specs = meta if isinstance(meta, (list, tuple)) else [meta]
    specs = [os.path.abspath(m) if isinstance(m, (str, os.PathLike)) and os.path.isfile(m)
             else m for m in specs]
    read = functools.partial(_read_partition, root=os.path.abspath(root),
                             options=dict(options, meta=specs if meta is not None else None))
    return db.from_sequence(chunks, npartitions=len(chunks)).map_partitions(read)


# ---- map-reduce over mergeable tables ------------------------------------------------------

def _merge_all(tables: Iterable[Any]) -> Any:
    tables = list(tables)
    kind = type(tables[0])
    if hasattr(kind, "merge"):
        return kind.merge(tables)
    return sum(tables[1:], tables[0])


def reduce_partitions(data: Any, per_partition: Callable[[List[Record]], Any], *,
                      split_every: Optional[int] = None, compute: bool = True,
                      **compute_options: Any) -> Any:
    """Applies ``per_partition`` to every partition on the workers and merges the results.

    ``per_partition`` takes a list of records and returns a table that adds up with ``+``
    (or has a ``merge`` class method taking a list, used when present, as NgramCounts and
    MarkerCounts do); it must be picklable (a module-level function or a
    ``functools.partial`` of one). Results are merged in a tree on the workers,
    ``split_every`` at a time. With ``compute=False`` the lazy ``dask`` object is returned.
    """
    bag = to_bag(data)
    lazy = bag.reduction(_as_list_call(per_partition), _merge_all, split_every=split_every,
                         name="natocyber-reduce")
    return lazy.compute(**compute_options) if compute else lazy


class _as_list_call:
    """Hands a partition to the per-partition function as a list (dask passes an
    iterator), and stays picklable."""

    def __init__(self, fn: Callable) -> None:
        self.fn = fn

    def __call__(self, part: Iterable[Any]) -> Any:
        return self.fn(list(part))


def _partition_corpus(records: List[Record], by: Any, tokenizer: Tokenizer, workers: int,
                      dtypes: Optional[Dict[str, Any]] = None) -> Corpus:
    cols = [by] if isinstance(by, str) else list(by or [])
    texts, metas = [], []
    for i, item in enumerate(records):
        t, m = _split(item, i)
        lacking = [c for c in cols if c not in m]
        if lacking:
            raise ValueError(f"record {i} of a partition: metadata lacks {lacking} named in by=")
        texts.append(t)
        metas.append({c: m[c] for c in cols})
    meta = None
    if cols:
        meta = pd.DataFrame(metas, columns=cols)
        typed = {c: dtypes[c] for c in cols if dtypes and c in dtypes}
        if typed:
            meta = meta.astype(typed)
    return Corpus(texts, meta, tokenizer=tokenizer, workers=workers)


def _count_ngrams_partition(records: List[Record], n: Any, by: Any, stopwords: Any,
                            tokenizer: Tokenizer, workers: int,
                            dtypes: Optional[Dict[str, Any]]) -> NgramCounts:
    return _partition_corpus(records, by, tokenizer, workers, dtypes).count_ngrams(
        n, by=by, stopwords=stopwords)


def _count_markers_partition(records: List[Record], by: Any, tokenizer: Tokenizer,
                             workers: int, options: Dict[str, Any],
                             dtypes: Optional[Dict[str, Any]]) -> MarkerCounts:
    return _partition_corpus(records, by, tokenizer, workers, dtypes).count_markers(
        by, **options)


def count_ngrams(data: Any, n: Union[int, Sequence[int]] = (1, 3), by: Any = None, *,
                 stopwords: Optional[Iterable[str]] = None,
                 tokenizer: Optional[Tokenizer] = None, workers: int = 1,
                 split_every: Optional[int] = None, compute: bool = True,
                 **tokenizer_options: Any) -> NgramCounts:
    """N-gram counts of partitioned data as one :class:`~natocyber.NgramCounts`.

    ``data``: a ``dask.bag.Bag`` of records, a list of partitions, or anything
    :func:`to_bag` takes. Each partition is tokenized and counted on a worker with
    ``workers`` threads (default 1: dask already runs partitions in parallel), and the tables
    are merged. ``.to_frame(min_count=..., top=..., fill=...)`` of the result equals
    ``Corpus.ngrams`` on all the records.
    """
    _check_data(data)
    nmin, nmax = parse_n(n)
    tok = resolve_tokenizer(tokenizer, tokenizer_options)
    stop = None if stopwords is None else list(stopwords)
    fn = functools.partial(_count_ngrams_partition, n=(nmin, nmax), by=by, stopwords=stop,
                           tokenizer=tok, workers=workers, dtypes=_meta_dtypes(data))
    return reduce_partitions(data, fn, split_every=split_every, compute=compute)


def count_markers(data: Any, by: Any = None, *, tokenizer: Optional[Tokenizer] = None,
                  workers: int = 1, split_every: Optional[int] = None, compute: bool = True,
                  **options: Any) -> MarkerCounts:
    """Stance-marker hits of partitioned data as one :class:`~natocyber.MarkerCounts`.

    ``options`` are those of :meth:`Corpus.count_markers` (``lexicon``, ``categories``,
    ``include_negated``, ``include_hypothetical``, matching options); the lexicon is pickled
    to the workers. ``.to_frame(fill=...)`` of the result equals ``Corpus.marker_rates`` on
    all the records.
    """
    _check_data(data)
    tok = resolve_tokenizer(tokenizer, {})
    fn = functools.partial(_count_markers_partition, by=by, tokenizer=tok, workers=workers,
                           options=options, dtypes=_meta_dtypes(data))
    return reduce_partitions(data, fn, split_every=split_every, compute=compute)
