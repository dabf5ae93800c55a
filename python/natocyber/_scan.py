"""Matching a lexicon over a corpus: the options that every matching call (markers, rates,
the ladder, kwic, glob phrases, category tables) shares, checked in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from ._checks import check_choice
from ._store import Hits
from .lexicon import Lexicon, automaton

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["OVERLAP", "check_window", "scan"]

#: How overlapping matches are resolved (the core's codes).
OVERLAP = {"category": 0, "lexicon": 1, "all": 2}
#: Widest negation, hypothetical or context window, in tokens.
MAX_WINDOW = 1_000_000


def check_window(name: str, v: Any) -> int:
    """A window of tokens: an integer from 0 to :data:`MAX_WINDOW`."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 or v > MAX_WINDOW:
        raise ValueError(f"{name} must be an integer from 0 to {MAX_WINDOW:,} tokens, not {v!r}")
    return int(v)


def scan(corpus: "Corpus", lexicon: Lexicon, *, overlap: str = "category",
         cross_punctuation: bool = False, negation_window: int = 3,
         hypothetical_window: int = 6, context: int = 0,
         workers: Optional[int] = None) -> Hits:
    """Every hit of ``lexicon`` in ``corpus`` (options as in :func:`natocyber.markers.markers`;
    ``context``: tokens of context each side, for kwic)."""
    check_choice("overlap", overlap, OVERLAP)
    return corpus.store.match(
        automaton(lexicon, corpus.tokenizer), overlap=OVERLAP[overlap],
        ignore_punct=bool(cross_punctuation),
        negation_window=check_window("negation_window", negation_window),
        hypothetical_window=check_window("hypothetical_window", hypothetical_window),
        context=context, workers=corpus.threads(workers))
