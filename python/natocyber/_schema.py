"""Column names of the result tables, shared by the modules that make them, the count tables
that render them again and the plots that read them.

A metadata column named like a result column is refused where it would clash (``by=``).
"""
from __future__ import annotations

__all__ = ["TERM_COLUMNS", "KEYNESS_TERMS", "NGRAM_COLUMNS", "RATE_COLUMNS", "KEYNESS_COLUMNS",
           "KEYNESS_RESULT", "TREND_COLUMNS", "TREND_RESULT"]

#: Columns that name the term of a row in the statistics tables (trend, dispersion).
TERM_COLUMNS = ("phrase", "ngram", "n", "category", "marker")
#: The term columns of a keyness table (it compares n-grams or stance categories).
KEYNESS_TERMS = ("ngram", "n", "category", "marker")

#: Columns of ``Corpus.ngrams`` besides the ``by`` columns (``frequency`` adds "phrase").
NGRAM_COLUMNS = ("ngram", "n", "count", "docfreq", "per_10k")
#: Columns of ``Corpus.marker_rates`` besides the ``by`` columns.
RATE_COLUMNS = ("category", "hits", "tokens", "per_10k", "docs_with_hits", "docs")
#: Statistic columns of every keyness table, after the columns that name the term.
KEYNESS_COLUMNS = ["count_target", "count_reference", "per_10k_target", "per_10k_reference",
                   "statistic", "p", "p_bh", "log_ratio"]
#: Columns of ``Corpus.trend`` after the term and ``by`` columns.
TREND_COLUMNS = ["count", "tokens", "per_10k", "per_10k_low", "per_10k_high", "first", "last",
                 "slope", "slope_se", "rate_ratio", "p_trend", "p_trend_bh", "fit"]

#: Every column of a keyness table besides the ``by`` columns.
KEYNESS_RESULT = KEYNESS_TERMS + tuple(KEYNESS_COLUMNS)
#: Every column of a trend table besides the ``by`` column.
TREND_RESULT = TERM_COLUMNS + tuple(TREND_COLUMNS)
