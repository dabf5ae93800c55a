"""Stance markers over a Corpus: hits, rates per group, the escalation ladder and
keyword in context. Each function takes a :class:`~natocyber.Corpus`; the Corpus has
thin methods of the same names.

Matching runs in C over the corpus's tokens with the lexicon compiled for the corpus's
tokenizer (see ``docs/patterns.md`` for the rules on overlap, punctuation, negation and
hypotheticals).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ._groups import By, Fill, Groups, rate_per_10k
from ._scan import check_window, scan
from ._schema import RATE_COLUMNS
from ._store import Hits
from .lexicon import Lexicon, LexiconError, resolve_lexicon

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["markers", "marker_rates", "escalation", "kwic", "MARKER_COLUMNS", "KWIC_COLUMNS",
           "LADDER"]

#: Result columns of :func:`markers` (the metadata columns come after ``doc``).
MARKER_COLUMNS = ("doc", "sentence", "category", "marker", "pattern", "level", "text", "start",
                  "end", "negated", "hypothetical")
#: Result columns of :func:`kwic` (the metadata columns come after ``doc``).
KWIC_COLUMNS = ("doc", "sentence", "left", "match", "right", "start", "end", "pattern",
                "negated", "hypothetical")

#: The escalation ladder: level -> step.
LADDER = {0: "note", 1: "concern", 2: "disapprove", 3: "condemn", 4: "strongly condemn",
          5: "consider coordinated or collective response", 6: "announce measures",
          7: "open-ended threat", 8: "Article 5 / armed attack"}
#: Columns of :func:`escalation` with ``by`` besides the by columns.
ESCALATION_GROUP_COLUMNS = ("docs", "docs_with_level", "max_level", "mean_level",
                            "median_level") + tuple(f"level_{k}" for k in range(9))


def _nullable(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Int64 with <NA> where values are negative (no level)."""
    values = np.asarray(values, dtype=np.int64)
    return pd.arrays.IntegerArray(np.where(values >= 0, values, 0), values < 0)


def _meta_rows(corpus: "Corpus", docs: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    clash = [c for c in corpus.meta.columns if c in columns]
    if clash:
        raise ValueError(f"metadata column(s) {clash} clash with result columns; rename them")
    return corpus.meta.iloc[docs].reset_index(drop=True)


def markers(corpus: "Corpus", lexicon: Optional[Lexicon] = None, *,
            categories: Union[None, str, Iterable[str]] = None, overlap: str = "category",
            cross_punctuation: bool = False, negation_window: int = 3,
            hypothetical_window: int = 6, workers: Optional[int] = None) -> pd.DataFrame:
    """Every stance-marker hit, one row each, with the document's metadata.

    Parameters
    ----------
    lexicon:
        A :class:`~natocyber.Lexicon` (default: the built-in stance lexicon).
    categories:
        Only these categories of the lexicon (unknown names raise :class:`LexiconError`).
    overlap:
        ``"category"`` (default): within a category the longest match wins and nested or
        overlapping matches of the same category are dropped, so "strongly condemn" counts
        once, as ``strongly_condemn``; ``"lexicon"``: the same across all categories;
        ``"all"``: every match of every marker.
    cross_punctuation:
        Let adjacent pattern words match across punctuation too (by default only a gap
        ``~N`` spans punctuation: "international, law" is not "international law").
    negation_window, hypothetical_window:
        At most this many tokens between a negator (hypothetical cue) and the hit.

    Returns
    -------
    DataFrame with ``doc``, the metadata columns, ``sentence`` (index within the document),
    ``category``, ``marker`` (id), ``pattern``, ``level`` (nullable Int64), ``text`` (as
    written in the source), ``start``, ``end`` (code-point offsets: ``text ==
    corpus.texts[doc][start:end]``), ``negated``, ``hypothetical``; in document order.

    Example
    -------
    >>> from natocyber import Corpus
    >>> c = Corpus(["We strongly condemn the attack.", "The EU did not condemn it."],
    ...            meta={"year": [2024, 2014]})
    >>> hits = markers(c, categories="condemnation")
    >>> hits[["doc", "year", "marker", "level", "text", "negated"]].values.tolist()
    [[0, 2024, 'strongly_condemn', 4, 'strongly condemn', False], [1, 2014, 'condemn', 3, 'condemn', True]]
    """
    lex = resolve_lexicon(lexicon, categories)
    h = scan(corpus, lex, overlap=overlap, cross_punctuation=cross_punctuation,
             negation_window=negation_window, hypothetical_window=hypothetical_window,
             workers=workers)
    return _marker_frame(corpus, lex, h)


def _marker_frame(corpus: "Corpus", lex: Lexicon, h: Hits) -> pd.DataFrame:
    meta = _meta_rows(corpus, h.doc, MARKER_COLUMNS)
    df = pd.DataFrame({"doc": h.doc})
    df = pd.concat([df, meta], axis=1)
    df["sentence"] = h.sentence
    df["category"] = h.labels(lex.entries, "category")
    df["marker"] = h.labels(lex.entries, "id")
    df["pattern"] = h.labels(lex.entries, "pattern")
    df["level"] = _nullable(h.levels(lex.entries))
    # object dtype: source text may hold lone surrogates, which Arrow-backed strings refuse
    df["text"] = pd.Series(h.texts(corpus.texts, h.start, h.end), dtype=object)
    df["start"] = h.start
    df["end"] = h.end
    df["negated"] = h.negated
    df["hypothetical"] = h.hypothetical
    return df


def marker_rates(corpus: "Corpus", by: By = None, *, lexicon: Optional[Lexicon] = None,
                 categories: Union[None, str, Iterable[str]] = None,
                 include_negated: bool = False, include_hypothetical: bool = True,
                 fill: Fill = None, **options: Any) -> pd.DataFrame:
    """Hits per group and category, and their rate per 10,000 tokens.

    Parameters
    ----------
    by:
        Metadata column(s) to group documents by; None: the whole corpus.
    include_negated:
        Count negated hits too (by default they are left out: "did not condemn" is no
        condemnation).
    include_hypothetical:
        Count hypothetical hits (default True; set False to leave them out).
    fill:
        As in :meth:`Corpus.ngrams`: also report groups without documents.
    options:
        Matching options of :func:`markers` (overlap, cross_punctuation, windows, workers).

    Returns
    -------
    One row per group and category (zeros included): the ``by`` columns, ``category``,
    ``hits``, ``tokens`` (of the group), ``per_10k``, ``docs_with_hits`` (documents with
    at least one counted hit) and ``docs`` (documents in the group); groups in sorted key
    order, categories in lexicon order.

    Example
    -------
    >>> from natocyber import Corpus
    >>> c = Corpus(["We condemn it. We did not condemn that.", "We condemn."],
    ...            meta={"year": [2020, 2021]})
    >>> r = marker_rates(c, by="year", categories="condemnation")
    >>> r[["year", "category", "hits", "tokens", "per_10k"]].values.tolist()
    [[2020, 'condemnation', 1, 8, 1250.0], [2021, 'condemnation', 1, 2, 5000.0]]
    """
    lex = resolve_lexicon(lexicon, categories)
    groups = Groups(corpus.meta, by, fill, result_columns=RATE_COLUMNS)
    h = scan(corpus, lex, **options)
    keep = np.ones(len(h), dtype=bool)
    if not include_negated:
        keep &= ~h.negated
    if not include_hypothetical:
        keep &= ~h.hypothetical
    cat_index = {c: i for i, c in enumerate(lex.categories)}
    pat_cat = np.array([cat_index[m.category] for m in lex.entries], dtype=np.intp)
    ncat, ng = len(lex.categories), groups.ngroups
    docs = h.doc[keep]
    cats = pat_cat[h.pattern[keep]] if len(h) else np.zeros(0, dtype=np.intp)
    g = groups.codes[docs].astype(np.intp) if len(docs) else np.zeros(0, dtype=np.intp)
    ok = g >= 0
    cell = g[ok] * ncat + cats[ok]
    hits = np.bincount(cell, minlength=ng * ncat)
    # documents with at least one hit: distinct (doc, category) pairs
    pairs = np.unique(docs[ok] * ncat + cats[ok]) if ok.any() else np.zeros(0, dtype=np.int64)
    pd_doc, pd_cat = pairs // ncat, pairs % ncat
    pg = groups.codes[pd_doc].astype(np.intp) if len(pairs) else np.zeros(0, dtype=np.intp)
    docs_with = np.bincount(pg * ncat + pd_cat, minlength=ng * ncat)
    return rates_frame(groups, lex.categories, hits, docs_with,
                       groups.totals(corpus.token_counts), groups.documents())


def rates_frame(groups: Groups, categories: Sequence[str], hits: np.ndarray,
                docs_with: np.ndarray, tokens: np.ndarray, docs: np.ndarray) -> pd.DataFrame:
    """The table of :func:`marker_rates` from hits and documents with hits per group and
    category (flat, group-major) and tokens and documents per group."""
    ng = groups.ngroups
    row_group = np.repeat(np.arange(ng), len(categories))
    out = pd.DataFrame(groups.key_columns(row_group))
    out["category"] = np.tile(np.array(categories, dtype=object), ng)
    out["hits"] = np.asarray(hits).reshape(-1).astype(np.int64)
    out["tokens"] = tokens[row_group].astype(np.int64)
    out["per_10k"] = rate_per_10k(out["hits"].to_numpy(), out["tokens"].to_numpy())
    out["docs_with_hits"] = np.asarray(docs_with).reshape(-1).astype(np.int64)
    out["docs"] = docs[row_group].astype(np.int64)
    return out


def escalation(corpus: "Corpus", by: By = None, *, lexicon: Optional[Lexicon] = None,
               include_negated: bool = False, include_hypothetical: bool = False,
               fill: Fill = None, **options: Any) -> pd.DataFrame:
    """The escalation ladder: the strongest language of each document, or its
    distribution per group.

    Only hits of markers with a ``level`` count, and by default neither negated nor
    hypothetical ones ("could lead to the invocation of Article 5" is not an invocation).

    Parameters
    ----------
    by:
        None: one row per document. Metadata column(s): one row per group.
    include_negated, include_hypothetical:
        Let negated / hypothetical hits count as well.
    options:
        Matching options of :func:`markers`.

    Returns
    -------
    Per document: ``doc``, the metadata, ``level`` (highest counted level, <NA> if none),
    ``step`` (its name on the ladder), ``marker``, ``category``, ``text``, ``start``,
    ``end`` (the first hit at that level), ``mean_level`` (mean over the document's counted
    hits) and ``ladder_hits``.

    Per group: the ``by`` columns, ``docs``, ``docs_with_level``, ``max_level``,
    ``mean_level`` (mean of the documents' highest levels), ``median_level`` and
    ``level_0`` ... ``level_8`` (documents whose highest level is that step).

    Example
    -------
    >>> from natocyber import Corpus
    >>> c = Corpus(["We note with concern the attack.", "We strongly condemn it.",
    ...             "Allies did not condemn it."], meta={"year": [2018, 2024, 2024]})
    >>> e = escalation(c)
    >>> e.level.tolist(), e.marker.tolist()
    ([1, 4, <NA>], ['note_with_concern', 'strongly_condemn', nan])
    >>> escalation(c, by="year")[["year", "docs", "max_level", "mean_level"]].values.tolist()
    [[2018, 1, 1, 1.0], [2024, 2, 4, 4.0]]
    """
    lex = resolve_lexicon(lexicon, None)
    h = scan(corpus, lex, **options)
    levels = h.levels(lex.entries) if len(h) else np.zeros(0, dtype=np.int64)
    keep = levels >= 0
    if not include_negated:
        keep &= ~h.negated
    if not include_hypothetical:
        keep &= ~h.hypothetical
    idx = np.flatnonzero(keep)
    n = len(corpus)
    best = np.full(n, -1, dtype=np.int64)
    np.maximum.at(best, h.doc[idx], levels[idx])
    count = np.bincount(h.doc[idx], minlength=n)
    total = np.bincount(h.doc[idx], weights=levels[idx].astype(np.float64), minlength=n)
    # the first hit (in text order) at the document's highest level
    first = np.full(n, -1, dtype=np.int64)
    top = idx[levels[idx] == best[h.doc[idx]]]
    for i in top[::-1].tolist():
        first[h.doc[i]] = i
    if by is None:
        meta = _meta_rows(corpus, np.arange(n), ("doc", "level", "step", "marker", "category",
                                                 "text", "start", "end", "mean_level",
                                                 "ladder_hits"))
        df = pd.concat([pd.DataFrame({"doc": np.arange(n)}), meta], axis=1)
        df["level"] = _nullable(best)
        df["step"] = [LADDER[b] if b >= 0 else None for b in best.tolist()]
        ids = [m.id for m in lex.entries]
        cats = [m.category for m in lex.entries]
        fh = first.tolist()
        pats = h.pattern.tolist()
        df["marker"] = [ids[pats[i]] if i >= 0 else None for i in fh]
        df["category"] = [cats[pats[i]] if i >= 0 else None for i in fh]
        texts = corpus.texts
        starts, ends = h.start.tolist(), h.end.tolist()
        df["text"] = pd.Series([texts[d][starts[i]:ends[i]] if i >= 0 else None
                                for d, i in enumerate(fh)], dtype=object)
        df["start"] = pd.array([starts[i] if i >= 0 else None for i in fh], dtype="Int64")
        df["end"] = pd.array([ends[i] if i >= 0 else None for i in fh], dtype="Int64")
        mean = np.full(n, np.nan)
        np.divide(total, count, out=mean, where=count > 0)
        df["mean_level"] = mean
        df["ladder_hits"] = count.astype(np.int64)
        return df
    groups = Groups(corpus.meta, by, fill, result_columns=ESCALATION_GROUP_COLUMNS)
    ng = groups.ngroups
    codes = groups.codes
    rows = []
    for g in range(ng):
        sel = best[codes == g]
        lv = sel[sel >= 0]
        row: Dict[str, Any] = {"docs": int(len(sel)), "docs_with_level": int(len(lv)),
                               "max_level": int(lv.max()) if len(lv) else pd.NA,
                               "mean_level": float(lv.mean()) if len(lv) else np.nan,
                               "median_level": float(np.median(lv)) if len(lv) else np.nan}
        dist = np.bincount(lv, minlength=len(LADDER)) if len(lv) else np.zeros(len(LADDER), int)
        for k in LADDER:
            row[f"level_{k}"] = int(dist[k])
        rows.append(row)
    out = pd.DataFrame(groups.key_columns(np.arange(ng)))
    # columns named even when there is no group (an empty corpus)
    stats = pd.DataFrame(rows, columns=list(ESCALATION_GROUP_COLUMNS))
    stats["max_level"] = pd.array(stats["max_level"].tolist(), dtype="Int64")
    return pd.concat([out, stats], axis=1)


_WS = re.compile(r"\s+")


def kwic(corpus: "Corpus", pattern: Union[str, Sequence[str], Lexicon], window: int = 8, *,
         collapse_whitespace: bool = True, **options: Any) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` tokens each side.

    Parameters
    ----------
    pattern:
        A pattern (``"strongly condemn*"``), a list of patterns, or a Lexicon. Matches
        do not overlap: the longest wins (``overlap="lexicon"``; pass ``overlap="all"``
        to see every match).
    window:
        Tokens of context on each side; the context is cut at whole tokens, stays within
        the document and may cross sentences.
    collapse_whitespace:
        Show runs of white space (line breaks included) as one space in ``left``,
        ``match`` and ``right``. The offsets always refer to the source text.
    options:
        Matching options of :func:`markers`.

    Returns
    -------
    DataFrame with ``doc``, the metadata, ``sentence``, ``left``, ``match``, ``right``,
    ``start``, ``end`` (code-point offsets of the match), ``pattern``, ``negated``,
    ``hypothetical``.

    Example
    -------
    >>> from natocyber import Corpus
    >>> c = Corpus(["Allies strongly and unequivocally condemn Russia’s attack on Estonia."])
    >>> kwic(c, "strongly ~3 condemn*", window=2)[["left", "match", "right"]].values.tolist()
    [['Allies', 'strongly and unequivocally condemn', 'Russia’s attack']]
    """
    check_window("window", window)
    if isinstance(pattern, Lexicon):
        lex = pattern
    else:
        pats = [pattern] if isinstance(pattern, str) else list(pattern)
        if not pats:
            raise LexiconError("kwic() needs at least one pattern")
        bad = [p for p in pats if not isinstance(p, str)]
        if bad:
            raise TypeError(f"a pattern must be str, not {type(bad[0]).__name__}")
        lex = _kwic_lexicon(tuple(dict.fromkeys(pats)))
    if "overlap" not in options:
        options["overlap"] = "lexicon"
    h = scan(corpus, lex, context=max(int(window), 0) or 0, **options)
    meta = _meta_rows(corpus, h.doc, KWIC_COLUMNS)
    df = pd.concat([pd.DataFrame({"doc": h.doc}), meta], axis=1)
    df["sentence"] = h.sentence
    if window > 0:
        left = h.texts(corpus.texts, h.ctx_start, h.start)
        right = h.texts(corpus.texts, h.end, h.ctx_end)
    else:
        left = right = [""] * len(h)
    match = h.texts(corpus.texts, h.start, h.end)
    if collapse_whitespace:
        left = [_WS.sub(" ", s).strip() for s in left]
        match = [_WS.sub(" ", s) for s in match]
        right = [_WS.sub(" ", s).strip() for s in right]
    df["left"] = pd.Series(left, dtype=object)
    df["match"] = pd.Series(match, dtype=object)
    df["right"] = pd.Series(right, dtype=object)
    df["start"] = h.start
    df["end"] = h.end
    df["pattern"] = h.labels(lex.entries, "pattern")
    df["negated"] = h.negated
    df["hypothetical"] = h.hypothetical
    return df


_KWIC_CACHE: Dict[Tuple[str, ...], Lexicon] = {}


def _kwic_lexicon(patterns: Tuple[str, ...]) -> Lexicon:
    lex = _KWIC_CACHE.get(patterns)
    if lex is None:
        lex = Lexicon({"kwic": list(patterns)})
        if len(_KWIC_CACHE) > 64:
            _KWIC_CACHE.clear()
        _KWIC_CACHE[patterns] = lex
    return lex
