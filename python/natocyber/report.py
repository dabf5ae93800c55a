"""An HTML report on a corpus: figures and tables of its rhetoric by year, in one file.

``nc.report(corpus, "report.html")`` writes a self-contained page (figures embedded as
PNG, no external files or network access) with: a note on the data, the top phrases by
year, stance-marker rates by category and year, key phrases over time, keyness of the
latest year against the rest, and the escalation ladder. From the shell:
``natocyber report FOLDER -o report.html``.
"""
from __future__ import annotations

import base64
import datetime
import html
import io
import math
import os
import pathlib
from string import Template
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _progress
from .trend import order_problem

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .lexicon import Lexicon

__all__ = ["report", "KEY_PHRASES", "STOPWORDS", "TREND_CATEGORIES"]

#: Phrases whose rates the report follows over time (when the corpus has them).
KEY_PHRASES: Tuple[str, ...] = ("condemn", "strongly condemn", "responsible state behaviour",
                                "international law", "malicious cyber", "sanctions",
                                "article 5")
#: Categories drawn as lines over time (the heatmap and table show every category).
TREND_CATEGORIES: Tuple[str, ...] = ("attribution", "condemnation", "response", "deterrence",
                                     "norms")
#: Function words left out of the report's phrase and keyness tables, so that "we will"
#: and "of the" do not crowd out the content phrases. Pass ``stopwords=None`` to keep them.
STOPWORDS: Tuple[str, ...] = tuple("""
a an the and or but nor of to in on at by for from with as into onto upon about over under
than then that this these those it its it's is are was were be been being has have had do
does did will would shall should can could may might must we our us you your they their
them he she his her i my me who whom which what whose there here not no so such also all
any each both other""".split())

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="natocyber $version">
<title>$title</title>
<style>
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1120px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.4rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.lead { color: #555; margin-top: 0; }
.note { color: #555; font-size: .9rem; }
figure { margin: 1rem 0 1.4rem; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: .88rem; margin-top: .3rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .86rem; margin: .6rem 0 1.2rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; background: #f6f6f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.missing { color: #999; text-align: center; }
td.date { white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafafa; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="lead">$lead</p>
$sections
<script>
// Records how many embedded figures the browser decoded ("loaded/total") on <body>,
// so a headless browser can check the page without a screenshot.
window.addEventListener("load", function () {
  var imgs = document.images, ok = 0;
  for (var i = 0; i < imgs.length; i++) {
    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
  }
  document.body.setAttribute("data-images-loaded", ok + "/" + imgs.length);
});
</script>
</body>
</html>
""")


# ---- HTML pieces ----------------------------------------------------------------------------

def _esc(v: Any) -> str:
    return html.escape(str(v), quote=True)


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _cell(v: Any, fmt: Optional[str]) -> str:
    if _is_missing(v):
        return '<td class="missing">–</td>'
    if isinstance(v, (bool, np.bool_)):
        return f"<td>{'yes' if v else 'no'}</td>"
    if isinstance(v, (int, np.integer)):
        return f'<td class="num">{format(int(v), fmt or ",")}</td>'
    if isinstance(v, (float, np.floating)):
        if fmt == "d":  # a year stored as float (pandas does that when one is missing)
            fmt = "d" if float(v).is_integer() else None
            v = int(v) if fmt else v
            if fmt:
                return f'<td class="num">{v}</td>'
        return f'<td class="num">{format(float(v), fmt or ",.1f")}</td>'
    if isinstance(v, (pd.Timestamp, datetime.date)):
        return f'<td class="date">{_esc(v.strftime("%Y-%m-%d"))}</td>'
    return f"<td>{_esc(v)}</td>"


def _table(df: pd.DataFrame, table_id: str, caption: str, formats: Optional[dict] = None,
           plain: Sequence[str] = ()) -> str:
    """A DataFrame as an HTML table with an id and a caption; numbers right-aligned,
    missing values as a dash. ``formats`` maps columns to format specs (``".3g"``);
    integers in ``plain`` columns (years) get no thousands separator."""
    formats = {**{c: "d" for c in plain}, **(formats or {})}
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c])}
    head = "".join(f'<th scope="col" class="num">{_esc(c)}</th>' if c in numeric
                   else f'<th scope="col">{_esc(c)}</th>' for c in df.columns)
    body = []
    for row in df.itertuples(index=False, name=None):
        cells = "".join(_cell(v, formats.get(c)) for c, v in zip(df.columns, row))
        body.append(f"<tr>{cells}</tr>")
    return (f'<div class="scroll"><table id="{_esc(table_id)}">\n'
            f"<caption>{_esc(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(body) + "\n</tbody></table></div>")


def _figure(fig_id: str, png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="{_esc(fig_id)}"><img src="data:image/png;base64,{data}" '
            f'alt="{_esc(alt)}"><figcaption>{_esc(caption)}</figcaption></figure>')


def _png(draw: Callable[[Any], Any], size: Tuple[float, float]) -> bytes:
    """Calls ``draw(figure)`` on a fresh Figure (not a pyplot one: nothing is left open,
    whatever the backend) and returns the figure as PNG bytes."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("the report needs matplotlib: pip install matplotlib "
                          "(or pip install 'natocyber[plot]')") from None
    fig = Figure(figsize=size, layout="constrained")
    draw(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return buf.getvalue()


def _grid_size(n: int, ncols: int = 3) -> Tuple[float, float]:
    ncols = min(ncols, n)
    return (min(11.0, 3.4 * ncols + 0.6), 2.5 * -(-n // ncols) + 0.6)


def _span(values: Sequence[Any]) -> str:
    values = list(values)
    if not values:
        return "none"
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


# ---- the report -------------------------------------------------------------------------------

def report(corpus: "Corpus", path: Union[str, "os.PathLike[str]"] = "natocyber-report.html", *,
           by: str = "year", title: Optional[str] = None,
           phrases: Optional[Sequence[str]] = KEY_PHRASES,
           categories: Optional[Sequence[str]] = None, lexicon: Optional["Lexicon"] = None,
           top: int = 5, keyness_top: int = 12,
           stopwords: Optional[Sequence[str]] = STOPWORDS, note: Optional[str] = None,
           progress: bool = False) -> pathlib.Path:
    """Writes a self-contained HTML report on ``corpus`` grouped by ``by`` and returns its
    path.

    The page holds a note on the data (documents, groups, tokens, lexicon version), the
    ``top`` phrases (2-3 words) of each group, stance-marker rates by category and group
    (heatmap, lines with 95% intervals for ``categories`` (default
    :data:`TREND_CATEGORIES`), table), rates of ``phrases`` over time, keyness of the latest
    group against all the others (bars and a table of ``keyness_top`` terms each way), and
    the escalation ladder (a timeline of documents and a table per group). Figures are
    embedded as PNG, so the file can be mailed or archived as it is. Phrase tables and
    keyness leave out ``stopwords`` (default: :data:`STOPWORDS`, function words).

    ``by`` must be an ordered metadata column (a year, or a date-like value); sections that
    need two groups with text say so instead of failing. ``note`` adds a sentence to the
    data note (e.g. where the texts come from). ``lexicon`` replaces the built-in stance
    lexicon. Needs matplotlib.

    Example
    -------
    >>> import natocyber as nc
    >>> nc.report(nc.sample_corpus(), "report.html", title="Sample")   # doctest: +SKIP
    PosixPath('report.html')
    """
    from . import __version__, _core
    from . import plot
    from .lexicon import Lexicon

    if not isinstance(by, str):
        raise ValueError(f"by must name one metadata column, not {by!r}")
    if by not in corpus.meta.columns:
        hint = (" (for a folder of files, take it from the file names, e.g. "
                "'{year}-{source}-*.txt', or from a sidecar CSV)") if by == "year" else ""
        raise ValueError(f"the report groups by {by!r}, which is not a metadata column{hint}; "
                         f"columns: {', '.join(map(str, corpus.meta.columns)) or 'none'}")
    if int(corpus.n_tokens.sum()) == 0:
        raise ValueError("the corpus has no tokens to report on")
    lex = lexicon if lexicon is not None else Lexicon.default()
    if top < 1 or keyness_top < 1:
        raise ValueError("top and keyness_top must be at least 1")
    sw = list(stopwords) if stopwords else None

    def table(df: pd.DataFrame, table_id: str, caption: str,
              formats: Optional[dict] = None) -> str:
        return _table(df, table_id, caption, formats, plain=(by, "first", "last"))
    steps = 7
    parts: List[str] = []
    nfig = 0

    def fig(fig_id: str, draw: Callable[[Any], Any], size: Tuple[float, float], alt: str,
            caption: str) -> None:
        nonlocal nfig
        parts.append(_figure(fig_id, _png(draw, size), alt, caption))
        nfig += 1

    def unavailable(what: str, why: str) -> None:
        parts.append(f'<p class="note">{_esc(what)} not shown: {_esc(why)}.</p>')

    with _progress.bar(steps, "report", progress, unit="step") as tick:
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if tick:
                tick(done)

        # -- the data
        summary = corpus.summary()
        groups = corpus.groups(by).keys[by]
        filled = corpus.groups(by, fill=True).keys[by] if pd.api.types.is_integer_dtype(
            corpus.meta[by]) else groups
        per_group = summary.groupby(by, sort=True).agg(documents=("doc", "count"),
                                                       tokens=("tokens", "sum"),
                                                       sentences=("sentences", "sum"))
        with_text = per_group.index[per_group["tokens"] > 0].tolist()
        empty = [v for v in filled.tolist() if v not in set(per_group.index.tolist())]
        latest = with_text[-1] if with_text else None
        first, last = (groups.iloc[0], groups.iloc[-1]) if len(groups) else (None, None)
        title = title or f"Rhetoric on cyber operations by {by}, {_span([first, last])}"
        lex_label = " ".join(str(x) for x in (lex.name, lex.version) if x) or "custom lexicon"
        facts = [
            ("Documents", f"{len(corpus):,}"),
            (by.capitalize(), f"{_span([first, last])}: {len(groups)} with documents"
             + (f"; none in {', '.join(map(str, empty))}" if empty else "")),
            ("Tokens", f"{int(summary.tokens.sum()):,} in {int(summary.sentences.sum()):,} "
                       f"sentences; {len(corpus.vocabulary):,} distinct forms"),
            ("Stance lexicon", f"{lex_label}: {len(lex)} markers in {len(lex.categories)} "
                               "categories"),
            ("Generated by", f"natocyber {__version__} (ICU {_core.icu_version()}) on "
                             f"{datetime.date.today().isoformat()}"),
        ]
        if "source" in corpus.meta.columns:
            src = corpus.meta["source"].value_counts()
            facts.insert(1, ("Sources", ", ".join(f"{k} ({v})" for k, v in src.items())))
        parts.append('<h2 id="data">The data</h2>')
        if note:
            parts.append(f'<p class="note" id="data-note">{_esc(note)}</p>')
        parts.append('<dl class="facts">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                                      for k, v in facts) + "</dl>")
        parts.append(table(per_group.reset_index(), "table-data",
                            f"Documents, tokens and sentences by {by}"))
        step()

        # -- top phrases
        parts.append(f'<h2 id="phrases">Top phrases by {by}</h2>')
        ng = corpus.ngrams(n=(2, 3), by=by, top=top, stopwords=sw)
        rows = []
        for g, part in ng.groupby(by, sort=True):
            part = part.sort_values(["count", "ngram"], ascending=[False, True]).head(top)
            rows.append({by: g, "phrases (count)": " · ".join(
                f"{a} ({b})" for a, b in zip(part.ngram, part["count"]))})
        parts.append(table(pd.DataFrame(rows, columns=[by, "phrases (count)"]),
                            "table-top-phrases",
                            f"The {top} most frequent phrases of 2-3 words in each {by}"
                            + (" (function words left out)" if sw else "")))
        step()

        # -- stance categories
        parts.append(f'<h2 id="stance">Stance markers by category and {by}</h2>')
        rates = corpus.marker_rates(by=by, lexicon=lex,
                                    fill=True if len(filled) != len(groups) else None)
        ncols = rates[by].nunique()
        fig("fig-stance-heatmap",
            lambda f: plot.heatmap(rates, ax=f.add_subplot(),
                                   title="Stance markers per 10,000 tokens"),
            (min(16.0, max(7.0, 0.62 * ncols + 3.5)), 0.42 * len(lex.categories) + 1.8),
            f"Heatmap of stance-marker rates by category and {by}",
            "Hits per 10,000 tokens; negated hits left out; grey: no text that "
            f"{by}.")
        cats = [c for c in (categories or TREND_CATEGORIES) if c in lex.categories]
        if categories is not None and len(cats) != len(categories):
            unknown = [c for c in categories if c not in lex.categories]
            raise ValueError(f"unknown categories {unknown}; the lexicon has {lex.categories}")
        if not cats:  # a lexicon of other categories: its five most frequent
            totals = rates.groupby("category", sort=False)["hits"].sum()
            cats = totals.sort_values(ascending=False, kind="stable").index[:5].tolist()
        unordered = order_problem(corpus.meta, by)
        if len(with_text) >= 2 and not unordered:
            # every category for the table; the figure draws the chosen ones
            ctrend = corpus.trend(categories=True, by=by, lexicon=lex)
            fig("fig-stance-trend",
                lambda f: plot.trend_grid(ctrend, terms=cats, fig=f, ncols=3,
                                          title="Stance categories over time"),
                _grid_size(len(cats)), f"Rates of stance categories by {by} with 95% intervals",
                "Per 10,000 tokens, one panel per category on a common scale; shaded: exact "
                "95% Poisson interval; grey: no text.")
            slopes = ctrend.drop_duplicates("category")[["category", "first", "last",
                                                          "rate_ratio", "p_trend", "fit"]]
        else:
            unavailable("Stance categories over time", f"{by} has no order" if unordered else
                        f"it needs two {by} groups with text")
            slopes = None
        wide = rates.pivot_table(index="category", columns=by, values="per_10k", sort=False,
                                 dropna=False).reindex(lex.categories)
        tok = rates.drop_duplicates(by).set_index(by)["tokens"]
        for g in wide.columns:
            if tok.get(g, 0) == 0:
                wide[g] = np.nan  # no text: no rate
        wide.columns = [str(c) for c in wide.columns]
        stance = wide.reset_index()
        if slopes is not None:
            stance = stance.merge(slopes.rename(columns={"rate_ratio": f"rate ratio per {by}",
                                                         "p_trend": "p (trend)"}),
                                  on="category", how="left")
        parts.append(table(stance, "table-stance-rates",
                            f"Stance-marker hits per 10,000 tokens by category and {by}"
                            + (", first and last attestation, and trend test (Poisson "
                               "regression, likelihood-ratio p)" if slopes is not None else ""),
                            {"p (trend)": ".3g", f"rate ratio per {by}": ".2f"}))
        step()

        # -- key phrases
        parts.append('<h2 id="key-phrases">Key phrases over time</h2>')
        if phrases and len(with_text) >= 2 and not unordered:
            ptrend = corpus.trend(list(phrases), by=by)
            fig("fig-phrase-trend",
                lambda f: plot.trend_grid(ptrend, fig=f, ncols=4, sharey=False,
                                          title="Key phrases over time"),
                _grid_size(len(phrases), 4), f"Rates of key phrases by {by} with 95% intervals",
                "Per 10,000 tokens (the exact phrase: inflections are not merged), each panel "
                "on its own scale; shaded: exact 95% Poisson interval; grey: no text.")
            per = ptrend.drop_duplicates("phrase")[["phrase", "first", "last", "rate_ratio",
                                                    "p_trend", "fit"]]
            counts = ptrend.groupby("phrase", sort=False)["count"].sum()
            per.insert(1, "count", per["phrase"].map(counts).astype(np.int64))
            parts.append(table(per.rename(columns={"rate_ratio": f"rate ratio per {by}",
                                                    "p_trend": "p (trend)"}),
                                "table-phrase-trend",
                                "Key phrases: first and last attestation and trend test "
                                "(Poisson regression, likelihood-ratio p)",
                                {"p (trend)": ".3g", f"rate ratio per {by}": ".2f"}))
        else:
            unavailable("Key phrases over time", "no phrases given" if not phrases else
                        f"{by} has no order" if unordered else
                        f"it needs two {by} groups with text")
        step()

        # -- keyness
        parts.append(f'<h2 id="keyness">Keyness of {_esc(latest)} against the rest</h2>')
        if len(with_text) >= 2:
            target = corpus.meta[by] == latest
            ref_label = _span([with_text[0], with_text[-2]])
            k = corpus.keyness(target.to_numpy(), n=(1, 2), min_count=3, stopwords=sw)
            if len(k):
                fig("fig-keyness",
                    lambda f: plot.keyness(k, ax=f.add_subplot(), top=keyness_top,
                                           target=str(latest), reference=ref_label,
                                           title=f"Key terms of {latest} against {ref_label}"),
                    (9, 0.3 * min(2 * keyness_top, len(k)) + 1.6),
                    f"Keyness bars: terms over- and under-used in {latest}",
                    "Signed log-likelihood G² (positive: more frequent in "
                    f"{latest}); labels give the counts in {latest} / in the rest. Terms "
                    "counted at least 3 times; function words left out.")
                over = k[k.statistic > 0].head(keyness_top)
                under = k[k.statistic < 0].iloc[::-1].head(keyness_top)
                kt = pd.concat([over.assign(use="over"), under.assign(use="under")])
                kt = kt[["use", "ngram", "count_target", "count_reference", "per_10k_target",
                         "per_10k_reference", "statistic", "p", "log_ratio"]].rename(columns={
                             "count_target": f"count {latest}", "count_reference": "count rest",
                             "per_10k_target": f"per 10k {latest}",
                             "per_10k_reference": "per 10k rest", "statistic": "G²"})
                parts.append(table(kt, "table-keyness",
                                    f"Terms most over- and under-used in {latest} against "
                                    f"{ref_label} (log-likelihood G², p uncorrected)",
                                    {"G²": ".2f", "p": ".3g", "log_ratio": ".2f"}))
            else:
                unavailable("Keyness", "no term is counted 3 times or more")
        else:
            unavailable("Keyness", f"it needs two {by} groups with text")
        step()

        # -- escalation
        parts.append('<h2 id="escalation">Escalation ladder</h2>')
        esc = corpus.escalation(lexicon=lex)
        x = "date" if "date" in esc.columns and pd.api.types.is_datetime64_any_dtype(
            esc["date"]) else by
        fig("fig-escalation",
            lambda f: plot.escalation(esc, x=x, ax=f.add_subplot(),
                                       title="Strongest language of each document"),
            (10, 4.8), "Timeline of documents by their highest level on the escalation ladder",
            "Each point is a document at the highest ladder level its own, non-negated, "
            "non-hypothetical language reaches (0 note … 8 Article 5 / armed attack).")
        step()
        eg = corpus.escalation(by=by, lexicon=lex)
        eg_cols = [by, "docs", "docs_with_level", "max_level", "mean_level", "median_level",
                   *[f"level_{i}" for i in range(9)]]
        eg = eg[eg_cols].rename(columns={
            "docs": "documents", "docs_with_level": "with a level", "max_level": "highest",
            "mean_level": "mean", "median_level": "median",
            **{f"level_{i}": str(i) for i in range(9)}})
        parts.append(table(eg, "table-escalation",
                            f"Escalation by {by}: the highest level of each document "
                            "summarized, then the number of documents whose highest level is "
                            "0 (note) ... 8 (Article 5 / armed attack)",
                            {"mean": ".2f", "median": ".1f"}))
        label = next((c for c in ("title", "id", "file") if c in esc.columns), None)
        cols = [c for c in dict.fromkeys([by, x, "source", label]) if c and c in esc.columns]
        strongest = esc[esc.level.notna()].sort_values(["level", x], ascending=[False, True],
                                                        kind="stable").head(10)
        parts.append(table(strongest[cols + ["level", "step", "text"]]
                            .rename(columns={"text": "wording"}),
                            "table-escalation-documents",
                            "The ten documents highest on the ladder, with the wording "
                            "that put them there"))
        step()

    page = _PAGE.substitute(
        version=_esc(__version__), title=_esc(title),
        lead=_esc(f"{len(corpus):,} documents, {int(summary.tokens.sum()):,} tokens, "
                  f"{nfig} figures. Rates are per 10,000 tokens."),
        sections="\n".join(parts))
    out = pathlib.Path(path)
    out.write_text(page, encoding="utf-8")
    return out
