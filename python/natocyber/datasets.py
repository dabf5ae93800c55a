"""The built-in sample corpus: illustrative statements written for this project.

They are not real statements; they imitate the genre (and its hazards: curly
apostrophes, soft hyphens, abbreviations, negations) so that examples, notebooks
and the main job run out of the box. See docs/sample_corpus.md.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pandas as pd

from .corpus import Corpus

__all__ = ["sample_statements", "sample_corpus"]


def sample_statements() -> pd.DataFrame:
    """The sample statements as a DataFrame (id, date, year, source, kind, title, text, note).

    >>> df = sample_statements()
    >>> sorted(df.columns)[:3]
    ['date', 'id', 'kind']
    """
    raw = resources.files("natocyber").joinpath("data/sample_statements.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    return df


def sample_corpus(**kwargs: Any) -> Corpus:
    """The sample statements as a :class:`~natocyber.Corpus` with metadata
    (id, date, year, source, kind, title).

    >>> int(sample_corpus().meta.year.min())
    2014
    """
    df = sample_statements()
    return Corpus.from_dataframe(df, text="text", meta=["id", "date", "year", "source", "kind",
                                                       "title"], **kwargs)
