"""Statistics on count tables, computed in C (``csrc/stats/``).

These functions take plain arrays of counts, so they work on any count table: n-grams,
stance categories, or counts you made yourself. The :class:`~natocyber.Corpus` methods
``keyness``, ``collocations``, ``dispersion`` and ``trend`` build their tables and call
them. Formulas, corrections and the conventions for zeros are in ``docs/statistics.md``.

>>> import numpy as np
>>> from natocyber import stats
>>> g2, p = stats.keyness([7], [2], 10, 9, measure="g2")   # quanteda's example, feature "b"
>>> round(float(g2[0]), 6), round(float(p[0]), 6)
(4.534939, 0.03321)
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._checks import check_choice

__all__ = ["MEASURES", "CORRECTIONS", "ASSOCIATIONS", "keyness", "bh_adjust", "colloc_lambda",
           "bigram_assoc", "poisson_ci", "trend_poisson", "dispersion"]

ArrayLike = Union[Sequence[float], np.ndarray, pd.Series]

#: Keyness measures (codes of ``nc_keyness_measure`` in stats.h).
MEASURES = {"g2": 0, "chi2": 1, "log_ratio": 2, "pct_diff": 3, "pmi": 4, "fisher": 5}
#: Corrections of G2 and chi2 (``nc_correction``).
CORRECTIONS = {"none": 0, "yates": 1, "williams": 2}
#: Bigram association measures (``nc_assoc_measure``).
ASSOCIATIONS = {"pmi": 0, "npmi": 1, "ll": 2, "t_score": 3, "log_dice": 4, "gensim": 5,
                "gensim_npmi": 6}
#: Trend fit outcomes (``nc_trend_status``), as reported in the ``fit`` column.
TREND_STATUS = ("ok", "no occurrences", "separated", "not converged")


def _counts(x: ArrayLike, name: str) -> np.ndarray:
    """A 1-D float64 copy (or view) of non-negative finite counts."""
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(-1))
    if a.size and not (np.isfinite(a).all() and (a >= 0).all()):
        raise ValueError(f"{name} must hold finite counts >= 0")
    return a


def _per_part(values: ArrayLike, sizes: np.ndarray, name: str, empty: str) -> np.ndarray:
    """``values`` as a flat float64 copy of a (nterms, parts) table of counts (a 1-D array is
    one term); ``empty`` is the error for a positive count in a part of size 0."""
    c = np.asarray(values, dtype=np.float64)
    if c.ndim == 1:
        c = c.reshape(1, -1)
    if c.ndim != 2 or c.shape[1] != len(sizes):
        raise ValueError(f"{name} must be (nterms, {len(sizes)}), not {c.shape}")
    c = _counts(c, name)
    if ((sizes[None, :] == 0) & (c.reshape(-1, len(sizes)) > 0)).any():
        raise ValueError(empty)
    return c


def _total(x: float, name: str) -> float:
    x = float(x)
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a finite number > 0, not {x!r}")
    return x


def _f64(buf) -> np.ndarray:
    return np.frombuffer(buf, dtype=np.float64)


def keyness(a: ArrayLike, b: ArrayLike, total_target: float, total_reference: float,
            measure: str = "g2", correction: str = "none") -> Tuple[np.ndarray, np.ndarray]:
    """Keyness of each term from its count in the target (``a``) and reference (``b``).

    ``total_target`` and ``total_reference`` are the sizes of the two corpora (tokens).
    Returns ``(statistic, p)``. G2 and chi2 are signed: positive when the term is relatively
    more frequent in the target. ``fisher`` gives the odds ratio (0.5 added to every cell when one
    is zero, Haldane–Anscombe, so it stays finite) and an exact two-sided p; ``log_ratio``, ``pct_diff`` and ``pmi`` are effect sizes, with p NaN. ``correction``
    ("none", "yates", "williams") applies to G2 and chi2 only.

    >>> chi2, p = keyness([7], [2], 10, 9, measure="chi2", correction="yates")
    >>> round(float(chi2[0]), 6)
    2.632438
    """
    m = MEASURES[check_choice("measure", measure, MEASURES)]
    c = CORRECTIONS[check_choice("correction", correction, CORRECTIONS)]
    if c and measure not in ("g2", "chi2"):
        raise ValueError(f"correction={correction!r} applies to g2 and chi2 only, "
                         f"not to measure={measure!r}")
    a, b = _counts(a, "a"), _counts(b, "b")
    if len(a) != len(b):
        raise ValueError(f"a and b differ in length ({len(a)} and {len(b)})")
    c_tot, d_tot = _total(total_target, "total_target"), _total(total_reference,
                                                                  "total_reference")
    if (a > c_tot).any() or (b > d_tot).any():
        raise ValueError("a count is larger than its corpus total")
    stat, p = _core.keyness(a, b, c_tot, d_tot, m, c)
    return _f64(stat), _f64(p)


def bh_adjust(p: ArrayLike) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (as R's ``p.adjust(p, "BH")``); NaN stays NaN.

    >>> bh_adjust([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    a = np.ascontiguousarray(np.asarray(p, dtype=np.float64).reshape(-1))
    ok = a[~np.isnan(a)]
    if ((ok < 0) | (ok > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    return _f64(_core.bh_adjust(a))


def colloc_lambda(cells: ArrayLike, size: int,
                  smoothing: float = 0.5) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """quanteda's lambda, its standard error sigma and z = lambda / sigma.

    ``cells`` holds 2**size counts per term (any shape that flattens to that, e.g.
    (nterms, 2**size)), in quanteda's layout: bit j of the cell index is set when position j
    matches.

    >>> lam, sigma, z = colloc_lambda([7, 0, 0, 2], 2)
    >>> round(float(lam[0]), 6), round(float(z[0]), 6)
    (4.317488, 2.027787)
    """
    a = _counts(cells, "cells")
    if not (np.isfinite(smoothing) and smoothing >= 0):
        raise ValueError(f"smoothing must be a finite number >= 0, not {smoothing!r}")
    lam, sig, z = _core.colloc_lambda(a, int(size), float(smoothing))
    return _f64(lam), _f64(sig), _f64(z)


def bigram_assoc(n11: ArrayLike, n1x: ArrayLike, nx1: ArrayLike, nxx: float,
                 measure: str = "pmi", *, min_count: float = 0,
                 vocab_size: float = 0) -> np.ndarray:
    """Association of bigrams from their count ``n11``, the counts of their first (``n1x``)
    and second (``nx1``) words, and the sample size ``nxx`` (NLTK's and gensim's
    arguments). Measures: pmi, npmi, ll, t_score, log_dice, gensim, gensim_npmi.

    >>> round(float(bigram_assoc([2], [4], [4], 20, "ll")[0]), 12)  # NLTK likelihood_ratio(2, (4, 4), 20)
    2.414274336842
    """
    m = ASSOCIATIONS[check_choice("measure", measure, ASSOCIATIONS)]
    a, r, c = _counts(n11, "n11"), _counts(n1x, "n1x"), _counts(nx1, "nx1")
    if not len(a) == len(r) == len(c):
        raise ValueError("n11, n1x and nx1 differ in length")
    nxx = _total(nxx, "nxx")
    if (a > np.minimum(r, c)).any() or (r > nxx).any() or (c > nxx).any():
        raise ValueError("inconsistent counts: need n11 <= n1x, nx1 <= nxx")
    return _f64(_core.bigram_assoc(a, r, c, nxx, m, float(min_count), float(vocab_size)))


def poisson_ci(counts: ArrayLike, exposure: Optional[ArrayLike] = None,
               conf: float = 0.95) -> Tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for the rate ``counts / exposure`` at confidence ``conf``.

    Bounds are NaN where exposure and count are both 0 (no rate is defined there).

    >>> lo, hi = poisson_ci([0], [10000])
    >>> round(float(hi[0]) * 10000, 4)     # per 10,000 tokens
    3.6889
    """
    k = _counts(counts, "counts")
    e = None if exposure is None else _counts(exposure, "exposure")
    if e is not None and len(e) != len(k):
        raise ValueError("counts and exposure differ in length")
    if e is not None and ((e == 0) & (k > 0)).any():
        raise ValueError("a positive count has zero exposure")
    if not 0 < conf < 1:
        raise ValueError(f"conf must lie strictly between 0 and 1, not {conf!r}")
    lo, hi = _core.poisson_ci(k, e, float(conf))
    return _f64(lo), _f64(hi)


def trend_poisson(counts: ArrayLike, tokens: ArrayLike, x: ArrayLike) -> pd.DataFrame:
    """Poisson regression of each term's counts on ``x`` with log(tokens) as offset.

    ``counts`` is (nterms, ngroups); ``tokens`` and ``x`` have one value per group. Returns
    one row per term: ``slope`` (change in log rate per unit of x), ``slope_se``, ``z``,
    ``p_wald``, ``intercept``, ``lr`` (likelihood-ratio statistic against no trend), ``p``
    (its chi2(1) p-value) and ``fit`` (ok / no occurrences / separated / not converged; see
    docs/statistics.md for what each means for the other columns).

    >>> trend_poisson([[1, 2, 4]], [100, 100, 100], [0, 1, 2]).slope.round(6).tolist()
    [0.693147]
    """
    t = _counts(tokens, "tokens")
    xs = np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(-1))
    if len(xs) != len(t):
        raise ValueError("tokens and x differ in length")
    c = _per_part(counts, t, "counts", "a positive count lies in a group with zero tokens")
    used = t > 0
    if len(np.unique(xs[used])) < 2 or not np.isfinite(xs[used]).all():
        raise ValueError("a trend needs at least two groups with tokens and finite, "
                         "distinct positions")
    out = [_f64(b) for b in _core.trend_poisson(c, t, xs)]
    return pd.DataFrame({
        "slope": out[0], "slope_se": out[1], "z": out[2], "p_wald": out[3],
        "intercept": out[4], "lr": out[5], "p": out[6],
        "fit": np.array(TREND_STATUS, dtype=object)[out[8].astype(np.intp)],
    })


def dispersion(freq: ArrayLike, sizes: ArrayLike) -> pd.DataFrame:
    """Dispersion of each term over parts: ``freq`` is (nterms, nparts), ``sizes`` the
    tokens of each part. Returns ``range`` (parts with the term), ``dp`` (Gries's DP),
    ``dp_norm`` (Lijffijt & Gries) and ``juilland_d``; NaN for a term that never occurs.

    >>> dispersion([[1, 2, 3, 4, 5]], [10, 10, 10, 10, 10]).round(4).values.tolist()
    [[5.0, 0.2, 0.25, 0.7643]]
    """
    s = _counts(sizes, "sizes")
    f = _per_part(freq, s, "freq", "a positive frequency lies in a part of size 0")
    if (s > 0).sum() < 2:
        raise ValueError("dispersion needs at least two parts with tokens")
    rng, dp, dpn, d = (_f64(b) for b in _core.dispersion(f, s))
    return pd.DataFrame({"range": rng.astype(np.int64), "dp": dp, "dp_norm": dpn,
                         "juilland_d": d})
