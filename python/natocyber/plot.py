"""Figures of rhetoric over time, drawn with matplotlib from natocyber's result tables.

Each function takes the DataFrame a :class:`~natocyber.Corpus` method returns, draws on
``ax`` (or on a new figure) and returns the Axes, so figures compose with the rest of
matplotlib::

    import natocyber as nc
    corpus = nc.sample_corpus()
    nc.plot.trend(corpus.trend(categories=["condemnation", "deterrence"]))
    nc.plot.heatmap(corpus.marker_rates(by="year", fill=True))
    nc.plot.keyness(corpus.keyness(corpus.meta.year == 2025, n=(1, 2), min_count=2))
    nc.plot.escalation(corpus.escalation())

matplotlib is imported when a function is first called, so ``import natocyber`` does not
need it (``pip install 'natocyber[plot]'``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ._schema import KEYNESS_RESULT, RATE_COLUMNS, TREND_RESULT
from .markers import LADDER

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["trend", "trend_grid", "heatmap", "keyness", "escalation", "LADDER_LABELS"]

#: y tick labels of the escalation ladder, level 0 to 8.
LADDER_LABELS = tuple(f"{k} {v}" for k, v in LADDER.items())


# over-use / under-use colours: a blue and a vermilion that stay apart for colour-blind readers
_OVER, _UNDER = "#1f5fa8", "#c8553d"
_MISSING = "#e6e6e6"


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("natocyber.plot needs matplotlib: pip install matplotlib "
                          "(or pip install 'natocyber[plot]')") from None
    return plt


def _axes(ax: Optional["Axes"], figsize: Tuple[float, float]) -> "Axes":
    """``ax`` itself, or the Axes of a new pyplot figure (so notebooks show it)."""
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=figsize, layout="constrained")
    return ax


def _tidy(ax: "Axes", grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid_axis, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def _need(df: Any, columns: Sequence[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected the DataFrame of {what}, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"this table lacks column(s) {missing}; pass the result of {what}")


def _one_group_column(df: pd.DataFrame, known: Sequence[str], what: str) -> str:
    cols = [c for c in df.columns if c not in known]
    if len(cols) != 1:
        raise ValueError(f"expected one grouping column (such as year) in the result of {what}; "
                         f"found {cols or 'none'}")
    return cols[0]


def _term_column(df: pd.DataFrame, candidates: Sequence[str]) -> str:
    for c in candidates:
        if c in df.columns:
            return c
    raise ValueError(f"the table has none of the term columns {list(candidates)}")


def _positions(values: pd.Series) -> Tuple[np.ndarray, Optional[list]]:
    """x positions of group values: the values if numeric, else 0..n-1 with labels."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=np.float64), None
    labels = list(pd.unique(values))
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index[v] for v in values], dtype=np.float64), [str(v) for v in labels]


def _integer_ticks(ax: "Axes", axis: str = "x") -> None:
    from matplotlib.ticker import MaxNLocator
    getattr(ax, f"{axis}axis").set_major_locator(MaxNLocator(integer=True))


# ---- rates over time ------------------------------------------------------------------------

def trend(data: pd.DataFrame, *, terms: Optional[Sequence[str]] = None, interval: bool = True,
          interval_label: str = "95% interval", ax: Optional["Axes"] = None,
          title: Optional[str] = None, legend: bool = True) -> "Axes":
    """Rates per 10,000 tokens over an ordered column (years), one line per phrase or
    category, with its Poisson interval as a shaded band.

    ``data`` is the result of :meth:`Corpus.trend` (phrases or categories). ``terms``
    picks and orders the terms to draw (default: all, in table order). Groups without
    tokens (a year without statements) have no rate: the lines break there and the
    year is shaded grey, since "no text" is not "rate zero". ``interval_label`` describes
    the band in the legend; change it if you called ``trend(conf=...)`` with another level.

    Returns the Axes: one line per term in ``ax.lines`` (labelled with the term), its band
    in ``ax.collections`` (plus interval bars for points that stand between gaps).

    Example
    -------
    >>> import natocyber as nc
    >>> corpus = nc.sample_corpus()
    >>> ax = nc.plot.trend(corpus.trend(["condemn", "strongly condemn"]))
    >>> [line.get_label() for line in ax.lines]
    ['condemn', 'strongly condemn']
    """
    _need(data, ["per_10k", "per_10k_low", "per_10k_high", "tokens"], "Corpus.trend()")
    term_col = _term_column(data, ("phrase", "category", "marker", "ngram"))
    x_col = _one_group_column(data, TREND_RESULT, "Corpus.trend()")
    order = list(pd.unique(data[term_col]))
    if terms is not None:
        terms = [terms] if isinstance(terms, str) else list(terms)
        unknown = [t for t in terms if t not in order]
        if unknown:
            raise ValueError(f"term(s) {unknown} are not in the table; it has {order}")
        order = terms
    ax = _axes(ax, (8, 4.2))
    x_all, labels = _positions(data[x_col])
    for i, term in enumerate(order):
        sel = (data[term_col] == term).to_numpy()
        x = x_all[sel]
        part = data.loc[sel]
        color = f"C{i % 10}"
        ax.plot(x, part["per_10k"].to_numpy(dtype=float), marker="o", markersize=4,
                linewidth=1.8, color=color, label=str(term))
        if interval:
            low = part["per_10k_low"].to_numpy(dtype=float)
            high = part["per_10k_high"].to_numpy(dtype=float)
            ax.fill_between(x, low, high, color=color, alpha=0.15, linewidth=0)
            # a band has no width at a point between gaps: draw its interval as a bar
            ok = np.isfinite(part["per_10k"].to_numpy(dtype=float))
            alone = ok & ~np.r_[False, ok[:-1]] & ~np.r_[ok[1:], False]
            if alone.any():
                ax.vlines(x[alone], low[alone], high[alone], color=color, alpha=0.3,
                          linewidth=4)
    # groups without text: one grey span each (tokens are the same for every term)
    first = data[term_col] == order[0] if order else np.zeros(len(data), bool)
    for xv in x_all[(first & (data["tokens"] == 0)).to_numpy()]:
        ax.axvspan(xv - 0.4, xv + 0.4, facecolor=_MISSING, edgecolor="white", hatch="//",
                   linewidth=0, label="_no text")
    if labels is not None:
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    elif pd.api.types.is_integer_dtype(data[x_col]):
        _integer_ticks(ax)
    ax.set_xlabel(str(x_col))
    ax.set_ylabel("per 10,000 tokens")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title, loc="left")
    if legend and order:
        from matplotlib.patches import Patch
        handles, names = ax.get_legend_handles_labels()
        if interval:
            handles.append(Patch(color="#8c8c8c", alpha=0.35, linewidth=0))
            names.append(f"shaded: {interval_label}")
        if (data["tokens"] == 0).any():
            handles.append(Patch(facecolor=_MISSING, edgecolor="white", hatch="//",
                                 linewidth=0))
            names.append(f"no text in that {x_col}")
        ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  fontsize="small")
    _tidy(ax)
    return ax


def trend_grid(data: pd.DataFrame, *, terms: Optional[Sequence[str]] = None, ncols: int = 3,
               interval: bool = True, sharey: bool = True, fig: Any = None,
               title: Optional[str] = None) -> Any:
    """Small multiples of :func:`trend`: one panel per phrase or category, which reads
    better than many overlapping bands once there are more than two or three terms.

    ``data`` is the result of :meth:`Corpus.trend`; ``terms`` picks and orders the
    panels (default: the table's order); ``sharey`` puts every panel on one scale (rates
    compare across panels), False gives each its own. Draws on ``fig`` (a matplotlib
    Figure) or a new pyplot figure.

    Returns the Figure: one Axes per term in ``fig.axes``, titled with the term.

    Example
    -------
    >>> import natocyber as nc
    >>> t = nc.sample_corpus().trend(categories=["condemnation", "deterrence", "norms"])
    >>> [ax.get_title(loc="left") for ax in nc.plot.trend_grid(t, ncols=2).axes]
    ['condemnation', 'norms', 'deterrence']
    """
    _need(data, ["per_10k"], "Corpus.trend()")
    term_col = _term_column(data, ("phrase", "category", "marker", "ngram"))
    order = list(pd.unique(data[term_col])) if terms is None else \
        ([terms] if isinstance(terms, str) else list(terms))
    if not order:
        raise ValueError("the table holds no terms to draw")
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be an integer >= 1, not {ncols!r}")
    ncols = min(int(ncols), len(order))
    nrows = -(-len(order) // ncols)
    if fig is None:
        fig = _pyplot().figure(figsize=(3.6 * ncols + 0.6, 2.7 * nrows + 0.5),
                               layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=sharey, squeeze=False).ravel()
    for i, (ax, term) in enumerate(zip(axes, order)):
        trend(data, terms=[term], interval=interval, ax=ax, legend=False)
        for artist in ax.lines + ax.collections:
            artist.set_color(f"C{i % 10}")
        ax.set_title(str(term), loc="left", fontsize="medium")
        if pd.api.types.is_numeric_dtype(data[_one_group_column(
                data, TREND_RESULT, "Corpus.trend()")]):
            from matplotlib.ticker import MaxNLocator
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # narrow panels
        if i % ncols:
            ax.set_ylabel("")
        if i < len(order) - ncols:
            ax.set_xlabel("")
    for ax in axes[len(order):]:
        fig.delaxes(ax)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def heatmap(rates: pd.DataFrame, *, value: str = "per_10k", ax: Optional["Axes"] = None,
            annotate: bool = True, fmt: str = "{:.0f}", cmap: str = "Blues",
            colorbar: bool = True, title: Optional[str] = None) -> "Axes":
    """A category-by-group heatmap (categories down, years across) of stance-marker rates.

    ``rates`` is the result of :meth:`Corpus.marker_rates` with one ``by`` column, e.g.
    ``corpus.marker_rates(by="year", fill=True)``. ``value`` is the column shown
    (``"per_10k"``, ``"hits"``, ``"docs_with_hits"``). A group without tokens is drawn grey
    and marked "–": it has no rate. With ``annotate`` each cell shows its value (``fmt``).

    Returns the Axes; the cells are ``ax.images[0]`` (its array is categories x groups, masked
    where there is no text), tick labels name categories and groups.

    Example
    -------
    >>> import natocyber as nc
    >>> rates = nc.sample_corpus().marker_rates(by="year", fill=True)
    >>> ax = nc.plot.heatmap(rates)
    >>> ax.images[0].get_array().shape
    (12, 12)
    """
    _need(rates, ["category", value, "tokens"], "Corpus.marker_rates(by=...)")
    col = _one_group_column(rates, RATE_COLUMNS, "Corpus.marker_rates(by=...)")
    cats = list(pd.unique(rates["category"]))
    groups = list(pd.unique(rates[col]))
    wide = rates.set_index(["category", col])
    grid = wide[value].unstack(col).reindex(index=cats, columns=groups)
    tokens = wide["tokens"].unstack(col).reindex(index=cats, columns=groups)
    values = np.ma.masked_where(tokens.to_numpy() == 0, grid.to_numpy(dtype=float))
    ax = _axes(ax, (max(6.0, 0.62 * len(groups) + 3.2), max(3.0, 0.42 * len(cats) + 1.4)))
    import matplotlib as mpl
    cm = mpl.colormaps[cmap].with_extremes(bad=_MISSING)
    im = ax.imshow(values, aspect="auto", cmap=cm, interpolation="nearest",
                   vmin=0, vmax=max(float(values.max()) if values.count() else 1.0, 1e-9))
    ax.set_xticks(range(len(groups)), [str(g) for g in groups],
                  rotation=0 if len(groups) <= 14 else 90)
    ax.set_yticks(range(len(cats)), [str(c) for c in cats])
    ax.set_xlabel(str(col))
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    if annotate:
        mask = np.ma.getmaskarray(values)
        top = float(values.max()) if values.count() else 1.0
        for i in range(len(cats)):
            for j in range(len(groups)):
                if mask[i, j]:
                    ax.text(j, i, "–", ha="center", va="center", color="#888888",
                            fontsize="small")
                    continue
                v = values[i, j]
                dark = top > 0 and v > 0.6 * top  # white text on dark cells
                ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="x-small",
                        color="white" if dark else "#222222")
    if colorbar:
        label = {"per_10k": "per 10,000 tokens"}.get(value, value)
        ax.figure.colorbar(im, ax=ax, label=label, shrink=0.9, pad=0.02)
    if title:
        ax.set_title(title, loc="left")
    return ax


# ---- keyness --------------------------------------------------------------------------------

def keyness(table: pd.DataFrame, *, top: int = 10, value: str = "statistic",
            target: str = "target", reference: str = "reference", max_p: Optional[float] = None,
            counts: bool = True, ax: Optional["Axes"] = None,
            title: Optional[str] = None) -> "Axes":
    """Horizontal bars of the ``top`` terms over-used in the target and the ``top`` terms
    under-used (over-used in the reference), from one keyness comparison.

    ``table`` is the result of :meth:`Corpus.keyness` for one comparison (for
    ``by=`` alone, select one group first: ``k[k.year == 2024]``). ``value`` is the bar
    length: the signed ``"statistic"`` (default) or ``"log_ratio"``. ``max_p`` keeps only
    terms with ``p`` at most that. ``target`` and ``reference`` name the two sides in the
    legend (e.g. ``"2025"``, ``"2014-2024"``). With ``counts`` each bar is labelled with
    its counts, target / reference.

    Returns the Axes: one bar per term in ``ax.patches`` (over-used first, strongest at the
    top), term labels on the y axis.

    Example
    -------
    >>> import natocyber as nc
    >>> c = nc.sample_corpus()
    >>> k = c.keyness(c.meta.year == 2025, n=(1, 2), min_count=3)
    >>> ax = nc.plot.keyness(k, top=5, target="2025", reference="2014-2024")
    >>> len(ax.patches)
    10
    """
    _need(table, ["statistic", value, "count_target", "count_reference"], "Corpus.keyness()")
    extra = [c for c in table.columns if c not in KEYNESS_RESULT]
    if extra and len(table[extra].drop_duplicates()) > 1:
        groups = table[extra].drop_duplicates()
        raise ValueError(f"the table holds {len(groups)} comparisons (one per {', '.join(extra)}); "
                         f"select one first, e.g. k[k.{extra[0]} == {groups.iloc[-1, 0]!r}]")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be an integer >= 1, not {top!r}")
    term_col = _term_column(table, ("ngram", "marker", "category"))
    df = table if max_p is None else table[table["p"] <= max_p]
    v = df[value].to_numpy(dtype=float)
    over = df[v > 0].sort_values(value, ascending=False, kind="stable").head(top)
    under = df[v < 0].sort_values(value, ascending=True, kind="stable").head(top)
    # strongest over-use at the top, strongest under-use at the bottom
    rows = pd.concat([over, under.iloc[::-1]])
    n = len(rows)
    ax = _axes(ax, (8, max(2.5, 0.3 * n + 1.2)))
    y = np.arange(n)[::-1]
    vals = rows[value].to_numpy(dtype=float)
    colors = [_OVER if x > 0 else _UNDER for x in vals]
    bars = ax.barh(y, vals, color=colors, height=0.7)
    ax.set_yticks(y, [str(t) for t in rows[term_col]])
    ax.axvline(0, color="#444444", linewidth=0.8)
    if counts and n:
        span = float(np.abs(vals).max()) or 1.0
        for bar, x, a, b in zip(bars, vals, rows["count_target"], rows["count_reference"]):
            ax.text(x + (0.01 * span if x > 0 else -0.01 * span),
                    bar.get_y() + bar.get_height() / 2, f"{a} / {b}",
                    ha="left" if x > 0 else "right", va="center", fontsize="x-small",
                    color="#555555")
        # room for the count labels on each side that has bars
        pad = 0.2 * span
        ax.set_xlim(min(vals.min(), 0.0) - (pad if (vals < 0).any() else 0),
                    max(vals.max(), 0.0) + (pad if (vals > 0).any() else 0))
    label = {"statistic": "keyness statistic (signed)", "log_ratio": "log ratio (binary log)"}
    ax.set_xlabel(label.get(value, value))
    from matplotlib.patches import Patch
    ax.legend([Patch(color=_OVER), Patch(color=_UNDER)],
              [f"more frequent in {target}", f"more frequent in {reference}"],
              loc="best", frameon=False, fontsize="small")
    if title:
        ax.set_title(title, loc="left")
    _tidy(ax, "x")
    return ax


# ---- escalation ladder ----------------------------------------------------------------------

def _dodge(x: np.ndarray, y: np.ndarray, width: float) -> np.ndarray:
    """Spreads points that share (x, y) side by side within +-width/2."""
    out = x.astype(float).copy()
    keys = pd.DataFrame({"x": x, "y": y})
    for _, idx in keys.groupby(["x", "y"]).indices.items():
        if len(idx) > 1:
            out[idx] += np.linspace(-width / 2, width / 2, len(idx))
    return out


def escalation(data: pd.DataFrame, *, x: Optional[str] = None, hue: Optional[str] = "source",
               labels: Union[bool, str] = False, ax: Optional["Axes"] = None,
               title: Optional[str] = None) -> "Axes":
    """A timeline of documents on the escalation ladder: one point per document at the
    highest level its language reaches (0 note ... 8 Article 5 / armed attack).

    ``data`` is the per-document result of :meth:`Corpus.escalation` (``by=None``).
    ``x`` is the time column (default: ``date`` when present, else ``year``, else the
    document number); documents sharing a year and level are set side by side. ``hue``
    colours points by a metadata column (default ``source``, ignored when absent; None for
    one colour). ``labels=True`` writes each point's marker next to it; a column name
    writes that column instead. Documents without ladder language are not drawn; a note
    in the corner counts them.

    Returns the Axes: one collection per colour in ``ax.collections`` whose offsets are
    (x, level), y ticks labelled with the ladder's steps.

    Example
    -------
    >>> import natocyber as nc
    >>> esc = nc.sample_corpus().escalation()
    >>> ax = nc.plot.escalation(esc)
    >>> sum(len(c.get_offsets()) for c in ax.collections) == int(esc.level.notna().sum())
    True
    """
    _need(data, ["level"], "Corpus.escalation() (one row per document)")
    if x is None:
        x = next((c for c in ("date", "year", "doc") if c in data.columns), None)
        if x is None:
            raise ValueError("no time column: pass x= (a column of dates or years)")
    elif x not in data.columns:
        raise ValueError(f"x={x!r} is not a column; columns: {list(data.columns)}")
    if hue is not None and hue not in data.columns:
        hue = None
    label_col = None
    if labels is True:
        label_col = "marker"
    elif isinstance(labels, str):
        if labels not in data.columns:
            raise ValueError(f"labels={labels!r} is not a column; columns: {list(data.columns)}")
        label_col = labels
    has = data["level"].notna().to_numpy()
    df = data.loc[has]
    ax = _axes(ax, (9, 4.6))
    is_time = pd.api.types.is_datetime64_any_dtype(data[x])
    levels = df["level"].to_numpy(dtype=float)
    if is_time:
        xs = pd.to_datetime(df[x]).to_numpy()
    else:
        xs, xlabels = _positions(df[x])
        xs = _dodge(xs, levels, 0.5)
    groups = [(None, np.ones(len(df), bool))] if hue is None else \
        [(g, (df[hue] == g).to_numpy()) for g in sorted(pd.unique(df[hue].dropna()), key=str)]
    if hue is not None and df[hue].isna().any():
        groups.append(("(none)", df[hue].isna().to_numpy()))
    for i, (name, sel) in enumerate(groups):
        ax.scatter(xs[sel], levels[sel], s=46, color=f"C{i % 10}", edgecolor="white",
                   linewidth=0.6, zorder=3, label=str(name) if name is not None else "_docs")
    if label_col is not None:
        for xv, yv, text in zip(xs, levels, df[label_col].tolist()):
            if text is None or (isinstance(text, float) and np.isnan(text)):
                continue
            ax.annotate(str(text), (xv, yv), xytext=(4, 4), textcoords="offset points",
                        fontsize="xx-small", color="#444444", rotation=20)
    ax.set_yticks(range(len(LADDER_LABELS)), LADDER_LABELS)
    ax.set_ylim(-0.6, len(LADDER_LABELS) - 0.4)
    if not is_time:
        if xlabels is not None:
            ax.set_xticks(range(len(xlabels)), xlabels, rotation=30, ha="right")
        else:
            _integer_ticks(ax)
    ax.set_xlabel(str(x))
    ax.set_ylabel("highest level on the ladder")
    missing = int((~has).sum())
    if missing:
        ax.text(1.0, 0.01, f"{missing} document{'s' if missing != 1 else ''} without ladder "
                "language not shown", transform=ax.transAxes, ha="right", va="bottom",
                fontsize="x-small", color="#666666")
    if hue is not None and groups:
        ax.legend(title=hue, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  fontsize="small")
    if title:
        ax.set_title(title, loc="left")
    _tidy(ax)
    return ax
