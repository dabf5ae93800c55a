"""Checks of arguments at the API boundary.

Everything handed to the C core must fit the type C reads it into: a count past 64 bits
would wrap around (``min_count=2**64 + 2`` acting as 2), so ranges are checked here, with a
message that names the argument, before any work starts.
"""
from __future__ import annotations

import os
from typing import Any, Collection, Optional, Sequence, Tuple, Union

import numpy as np

__all__ = ["MAX_COUNT", "MAX_WORKERS", "NGRAM_MAX", "check_choice", "check_count",
           "check_workers", "default_workers", "parse_n"]

#: Largest count, threshold or limit accepted (the C core counts in signed 64 bits).
MAX_COUNT = 2**63 - 1
#: Most threads one call uses; more are capped to this (the counters' own limit).
MAX_WORKERS = 64
#: Longest n-gram counted (the core's NC_NGRAM_MAX).
NGRAM_MAX = 8


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def check_count(name: str, v: Any, allow_none: bool = False, minimum: int = 1,
                maximum: int = MAX_COUNT) -> int:
    """``v`` as an int in ``minimum..maximum``; None gives 0 when ``allow_none``.

    >>> check_count("min_count", 5)
    5
    >>> check_count("top", 2**64)
    Traceback (most recent call last):
    ...
    ValueError: top must be an integer from 1 to 9223372036854775807, not 18446744073709551616
    """
    if v is None and allow_none:
        return 0
    if not _is_int(v) or not minimum <= v <= maximum:
        raise ValueError(f"{name} must be an integer from {minimum} to {maximum}, not {v!r}")
    return int(v)


def default_workers() -> int:
    """Cores this process may use (at most :data:`MAX_WORKERS`)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_WORKERS))


def check_workers(v: Optional[Any], default: Optional[int] = None) -> int:
    """A thread count: None is ``default`` (else the cores available); a number above
    :data:`MAX_WORKERS` is capped to it, since no call can use more.

    >>> check_workers(20000)
    64
    """
    if v is None:
        return default if default is not None else default_workers()
    if not _is_int(v) or v < 1:
        raise ValueError(f"workers must be an integer >= 1, not {v!r}")
    return int(min(v, MAX_WORKERS))


def check_choice(name: str, value: Any, choices: Collection[str]) -> str:
    """``value`` when it is one of ``choices`` (names; a dict's keys count).

    >>> check_choice("overlap", "all", ("category", "lexicon", "all"))
    'all'
    >>> check_choice("measure", "lr", {"g2": 0, "chi2": 1})
    Traceback (most recent call last):
    ...
    ValueError: measure must be one of 'g2', 'chi2', not 'lr'
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


def parse_n(n: Union[int, Sequence[int]], limit: int = NGRAM_MAX) -> Tuple[int, int]:
    """``n`` as (nmin, nmax): an int or a (min, max) pair, within 1..limit.

    >>> parse_n(2), parse_n((1, 3))
    ((2, 2), (1, 3))
    """
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
