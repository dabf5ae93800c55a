"""The token store: a corpus tokenized by the C core, and what its counters and matcher
return, as typed Python objects.

:class:`TokenStore` wraps the core's ``_TokenStore``. Its callers have checked the arguments
(:mod:`natocyber._checks`, :class:`~natocyber._groups.Groups`); each method calls the core
and hands back numpy arrays that view the core's buffers, so no result is copied on its way
into a DataFrame. The core's raw results (dicts and tuples of buffers) do not leave this
module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core, _strings
from ._strings import Strings
from .tokenizer import Tokenizer, build_store

__all__ = ["TokenStore", "NgramRows", "Hits", "Dtm", "Collocations"]

Progress = Optional[Callable[[int], None]]

# flag bits of a hit (NC_HIT_NEGATED, NC_HIT_HYPOTHETICAL in the core's matcher.h)
_NEGATED, _HYPOTHETICAL = 1, 2


@dataclass(frozen=True)
class NgramRows:
    """The result of one n-gram count: the distinct n-grams kept, and one row per n-gram and
    group in which it occurs (in the core's order: count descending, then n-gram, then group).

    Per distinct n-gram u: ``ns[u]`` its order (uint8), its token ids
    ``keys[key_off[u]:key_off[u + 1]]`` and, when asked for, its text in ``text``. Per row:
    ``row_ngram`` (u), ``row_group`` (group code), ``count``, ``docfreq`` and ``n`` (int64,
    writable: they become DataFrame columns as they are), ``per_10k`` when the group tokens
    were given, ``row_key`` (the group's value) when a ``group_key`` was, and the n-gram's
    text in ``row_text`` when asked for.
    """

    ns: np.ndarray
    keys: np.ndarray
    key_off: np.ndarray
    row_ngram: np.ndarray
    row_group: np.ndarray
    count: np.ndarray
    docfreq: np.ndarray
    n: np.ndarray
    per_10k: Optional[np.ndarray] = None
    row_key: Optional[np.ndarray] = None
    text: Optional[Strings] = None
    row_text: Optional[Strings] = None

    def __len__(self) -> int:
        return len(self.count)

    @property
    def ndistinct(self) -> int:
        return len(self.ns)

    def ngram_column(self) -> Any:
        """The n-gram of each row, as a column of strings."""
        return _strings.column(self._need(self.row_text, "row_text"))

    def distinct_column(self) -> Any:
        """Each distinct n-gram, as a column of strings."""
        return _strings.column(self._need(self.text, "unique_text"))

    def take_text(self, distinct: np.ndarray, workers: int = 1) -> Any:
        """The text of the distinct n-grams ``distinct`` (one entry each), as a column."""
        return _strings.take_column(self._need(self.text, "unique_text"), distinct, workers)

    def token_ids(self, distinct: Sequence[int]) -> List[List[int]]:
        """The token ids of the distinct n-grams ``distinct``."""
        off = self.key_off.astype(np.intp)
        return [self.keys[off[u]:off[u + 1]].tolist() for u in distinct]

    def count_matrix(self, ngroups: int) -> np.ndarray:
        """Counts as a (distinct n-grams, groups) int64 array, zero where a row is absent."""
        out = np.zeros((self.ndistinct, ngroups), dtype=np.int64)
        out[self.row_ngram, self.row_group] = self.count
        return out

    @staticmethod
    def _need(strings: Optional[Strings], flag: str) -> Strings:
        if strings is None:
            raise RuntimeError(f"the n-gram text was not asked for ({flag}=False)")
        return strings


@dataclass(frozen=True)
class Hits:
    """Matches of a lexicon's automaton, in document order: for each hit its ``doc``,
    ``pattern`` (index into the lexicon's entries), ``sentence``, token span
    ``tok_start``/``tok_end``, code-point span ``start``/``end``, ``negated`` and
    ``hypothetical`` flags, and with ``context`` the code-point span of the context."""

    doc: np.ndarray
    pattern: np.ndarray
    sentence: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    start: np.ndarray
    end: np.ndarray
    negated: np.ndarray
    hypothetical: np.ndarray
    ctx_start: Optional[np.ndarray] = None
    ctx_end: Optional[np.ndarray] = None

    def __len__(self) -> int:
        return len(self.doc)

    def labels(self, entries: Sequence[Any], name: str) -> Any:
        """Attribute ``name`` of each hit's entry, as a pandas Index."""
        # a take from the lexicon's few labels instead of one string per hit
        return pd.Index([getattr(m, name) for m in entries]).take(self.pattern)

    def levels(self, entries: Sequence[Any]) -> np.ndarray:
        """The ladder level of each hit's entry, -1 for none (int64)."""
        return np.array([-1 if m.level is None else m.level for m in entries],
                        dtype=np.int64)[self.pattern]

    def texts(self, texts: list, a: np.ndarray, b: np.ndarray) -> list:
        """``texts[doc][a:b]`` of each hit."""
        return _strings.substrings(texts, self.doc, a, b)


@dataclass(frozen=True)
class Dtm:
    """A document-term matrix in CSR form, and the n-gram of each column."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    vocabulary: List[str]


@dataclass(frozen=True)
class Collocations:
    """Sequences of ``size`` words and their counts: per sequence, its text in
    ``strings``, the 2**size window counts (``cells``, float64, one row per sequence), the
    counts of its words (``word_counts``, uint64, ``size`` per sequence); ``ntokens`` the
    tokens counted."""

    strings: List[str]
    cells: np.ndarray
    word_counts: np.ndarray
    ntokens: int


def _i64(buf: Any) -> np.ndarray:
    return np.frombuffer(buf, dtype=np.int64)


def _u32(buf: Any) -> np.ndarray:
    return np.frombuffer(buf, dtype=np.uint32)


def _u32_as_i64(buf: Any) -> Optional[np.ndarray]:
    return None if buf is None else np.frombuffer(buf, dtype=np.uint32).astype(np.int64)


class TokenStore:
    """The corpus as the C core holds it: token ids, offsets, sentences and barriers per
    document, and the vocabulary of normalized forms.

    ``core`` is the core's ``_TokenStore`` itself (for the binding's own tests).
    """

    __slots__ = ("core",)

    def __init__(self, core: Any) -> None:
        self.core = core

    @classmethod
    def build(cls, tokenizer: Tokenizer, texts: list, workers: int,
              progress: Progress = None) -> "TokenStore":
        """Tokenizes ``texts`` on ``workers`` threads."""
        return cls(build_store(tokenizer, texts, workers, progress))

    # ---- facts -------------------------------------------------------------------------

    @property
    def ndocs(self) -> int:
        return self.core.ndocs

    @property
    def vocab_size(self) -> int:
        return self.core.vocab_size

    def token_counts(self) -> np.ndarray:
        """Kept tokens per document (uint32)."""
        return _u32(self.core.doc_ntokens())

    def sentence_counts(self) -> np.ndarray:
        """Sentences per document (uint32)."""
        return _u32(self.core.doc_nsentences())

    def vocab(self) -> List[str]:
        """Every normalized form, by id (the order of first appearance)."""
        return self.core.vocab()

    def lookup(self, forms: Sequence[str]) -> List[int]:
        """The id of each form, -1 for a form the corpus does not hold."""
        return self.core.lookup(forms)

    def memory(self) -> Dict[str, int]:
        return dict(self.core.memory())

    # ---- counting ----------------------------------------------------------------------

    def ngrams(self, codes: np.ndarray, ngroups: int, nmin: int, nmax: int, *,
               stop: Optional[np.ndarray] = None, min_count: int = 1, top: int = 0,
               workers: int = 1, progress: Progress = None,
               tokens: Optional[np.ndarray] = None, unique_text: bool = True,
               row_text: bool = False, group_key: Optional[np.ndarray] = None) -> NgramRows:
        """Counts of every n-gram of orders nmin..nmax per group (``codes[doc]``, -1 leaves
        a document out). ``stop``: a uint8 mask over the vocabulary of removed forms;
        ``min_count``: over all groups; ``top``: per group (0: all). ``tokens`` (int64 per
        group) adds ``per_10k``; ``group_key`` (8-byte numbers per group) adds ``row_key``
        in its dtype; ``unique_text`` and ``row_text`` ask for the text of the distinct
        n-grams and of each row."""
        res = self.core.ngrams(
            np.ascontiguousarray(codes, dtype=np.int32), ngroups, nmin, nmax, stop=stop,
            min_count=min_count, top=top, workers=workers, progress=progress, tokens=tokens,
            unique_text=unique_text, row_text=row_text, group_key=group_key)
        return NgramRows(
            ns=np.frombuffer(res["ns"], dtype=np.uint8),
            keys=_u32(res["keys"]),
            key_off=np.frombuffer(res["key_off"], dtype=np.uint64),
            row_ngram=_u32(res["row_ngram"]),
            row_group=_u32(res["row_group"]),
            count=_i64(res["count"]),
            docfreq=_i64(res["docfreq"]),
            n=_i64(res["n"]),
            per_10k=np.frombuffer(res["per_10k"], dtype=np.float64) if "per_10k" in res
            else None,
            row_key=np.frombuffer(res["row_key"], dtype=group_key.dtype)
            if group_key is not None and "row_key" in res else None,
            text=(res["text"], res["text_off"]) if "text" in res else None,
            row_text=(res["row_text"], res["row_text_off"]) if "row_text" in res else None)

    def phrases(self, ids: Sequence[Sequence[int]], codes: np.ndarray, ngroups: int,
                workers: int = 1) -> Tuple[np.ndarray, np.ndarray]:
        """Counts and document frequencies of each phrase (its token ids; an id < 0 never
        matches) per group, as two (phrases, groups) int64 arrays."""
        counts, docfreq = self.core.phrases(ids, np.ascontiguousarray(codes, dtype=np.int32),
                                            ngroups, workers=workers)
        shape = (len(ids), ngroups)
        return _i64(counts).reshape(shape), _i64(docfreq).reshape(shape)

    def dtm(self, rows: np.ndarray, nrows: int, nmin: int, nmax: int, *,
            stop: Optional[np.ndarray] = None, min_count: int = 1, workers: int = 1,
            progress: Progress = None) -> Dtm:
        """N-gram counts per row (``rows[doc]``) as CSR arrays (writable, the caller's),
        with int32 indices while they fit, and the columns' n-grams in code-point order."""
        ip, ix, data, text, text_off, _ = self.core.dtm(
            rows, nrows, nmin, nmax, stop=stop, min_count=min_count, workers=workers,
            progress=progress)
        itype = np.int32 if memoryview(ip).itemsize == 4 else np.int64
        return Dtm(np.frombuffer(ip, dtype=itype), np.frombuffer(ix, dtype=itype), _i64(data),
                   _core.decode_strings(text, text_off))

    def collocations(self, size: int, min_count: int, *, stop: Optional[np.ndarray] = None,
                     workers: int = 1) -> Collocations:
        """Every sequence of ``size`` words seen at least ``min_count`` times, with the
        counts that score it (see :func:`natocyber.stats.colloc_lambda`)."""
        strings, _, cells, wc, _, ntokens = _core.count_collocations(
            self.core, size, min_count, stop=stop, workers=workers)
        return Collocations(strings, np.frombuffer(cells, dtype=np.float64),
                            np.frombuffer(wc, dtype=np.uint64), ntokens)

    # ---- matching ----------------------------------------------------------------------

    def match(self, automaton: Any, *, overlap: int, ignore_punct: bool, negation_window: int,
              hypothetical_window: int, context: int = 0, workers: int = 1) -> Hits:
        """Every hit of a compiled lexicon (:func:`natocyber.lexicon.automaton`)."""
        raw = automaton.match(self.core, overlap=overlap, ignore_punct=ignore_punct,
                              negation_window=negation_window,
                              hypothetical_window=hypothetical_window, context=context,
                              workers=workers)
        doc, pat, sent, ts, te, start, end, flags, cs, ce = raw
        flags = np.frombuffer(flags, dtype=np.uint8)
        return Hits(doc=_u32_as_i64(doc),
                    pattern=np.frombuffer(pat, dtype=np.uint32).astype(np.intp),
                    sentence=_u32_as_i64(sent), tok_start=_u32_as_i64(ts),
                    tok_end=_u32_as_i64(te), start=_u32_as_i64(start), end=_u32_as_i64(end),
                    negated=(flags & _NEGATED) != 0, hypothetical=(flags & _HYPOTHETICAL) != 0,
                    ctx_start=_u32_as_i64(cs), ctx_end=_u32_as_i64(ce))


