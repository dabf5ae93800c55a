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
from dataclasses import dataclass
from string import Template
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _progress, plot
from ._version import __version__
from .lexicon import Lexicon
from .trend import order_problem

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

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


# ---- the page and what its sections share ----------------------------------------------------

class _Page:
    """The sections' HTML as it is written, and the number of figures in it."""

    def __init__(self, by: str) -> None:
        self.by = by
        self.parts: List[str] = []
        self.figures = 0

    def add(self, html_text: str) -> None:
        self.parts.append(html_text)

    def table(self, df: pd.DataFrame, table_id: str, caption: str,
              formats: Optional[dict] = None) -> None:
        self.add(_table(df, table_id, caption, formats, plain=(self.by, "first", "last")))

    def figure(self, fig_id: str, draw: Callable[[Any], Any], size: Tuple[float, float],
               alt: str, caption: str) -> None:
        self.add(_figure(fig_id, _png(draw, size), alt, caption))
        self.figures += 1

    def unavailable(self, what: str, why: str) -> None:
        self.add(f'<p class="note">{_esc(what)} not shown: {_esc(why)}.</p>')


@dataclass
class _Data:
    """What the sections share: the corpus and options, and facts about its groups."""

    corpus: "Corpus"
    by: str
    lex: Lexicon
    stopwords: Optional[List[str]]
    summary: pd.DataFrame            # Corpus.summary()
    groups: pd.Series                # the values of ``by`` that have documents, in order
    filled: pd.Series                # the same with the years between them
    per_group: pd.DataFrame          # documents, tokens and sentences per group
    with_text: list                  # the groups with tokens
    unordered: Optional[str]         # why ``by`` has no order for a trend, or None

    @classmethod
    def of(cls, corpus: "Corpus", by: str, lex: Lexicon, stopwords: Optional[List[str]]
           ) -> "_Data":
        summary = corpus.summary()
        groups = corpus.groups(by).keys[by]
        filled = corpus.groups(by, fill=True).keys[by] if pd.api.types.is_integer_dtype(
            corpus.meta[by]) else groups
        per_group = summary.groupby(by, sort=True).agg(documents=("doc", "count"),
                                                       tokens=("tokens", "sum"),
                                                       sentences=("sentences", "sum"))
        with_text = per_group.index[per_group["tokens"] > 0].tolist()
        return cls(corpus, by, lex, stopwords, summary, groups, filled, per_group, with_text,
                   order_problem(corpus.meta, by))

    @property
    def latest(self) -> Any:
        return self.with_text[-1] if self.with_text else None

    @property
    def span(self) -> str:
        first, last = ((self.groups.iloc[0], self.groups.iloc[-1]) if len(self.groups)
                       else (None, None))
        return _span([first, last])


# ---- the sections ------------------------------------------------------------------------------

def _data_section(page: _Page, d: _Data, note: Optional[str]) -> None:
    by, corpus, lex = d.by, d.corpus, d.lex
    empty = [v for v in d.filled.tolist() if v not in set(d.per_group.index.tolist())]
    lex_label = " ".join(str(x) for x in (lex.name, lex.version) if x) or "custom lexicon"
    facts = [
        ("Documents", f"{len(corpus):,}"),
        (by.capitalize(), f"{d.span}: {len(d.groups)} with documents"
         + (f"; none in {', '.join(map(str, empty))}" if empty else "")),
        ("Tokens", f"{int(d.summary.tokens.sum()):,} in {int(d.summary.sentences.sum()):,} "
                   f"sentences; {len(corpus.vocabulary):,} distinct forms"),
        ("Stance lexicon", f"{lex_label}: {len(lex)} markers in {len(lex.categories)} "
                           "categories"),
        ("Generated by", f"natocyber {__version__} (ICU {_core.icu_version()}) on "
                         f"{datetime.date.today().isoformat()}"),
    ]
    if "source" in corpus.meta.columns:
        src = corpus.meta["source"].value_counts()
        facts.insert(1, ("Sources", ", ".join(f"{k} ({v})" for k, v in src.items())))
    page.add('<h2 id="data">The data</h2>')
    if note:
        page.add(f'<p class="note" id="data-note">{_esc(note)}</p>')
    page.add('<dl class="facts">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                            for k, v in facts) + "</dl>")
    page.table(d.per_group.reset_index(), "table-data",
               f"Documents, tokens and sentences by {by}")


def _top_phrases_section(page: _Page, d: _Data, top: int) -> None:
    by = d.by
    page.add(f'<h2 id="phrases">Top phrases by {by}</h2>')
    ng = d.corpus.ngrams(n=(2, 3), by=by, top=top, stopwords=d.stopwords)
    rows = []
    for g, part in ng.groupby(by, sort=True):
        part = part.sort_values(["count", "ngram"], ascending=[False, True]).head(top)
        rows.append({by: g, "phrases (count)": " · ".join(
            f"{a} ({b})" for a, b in zip(part.ngram, part["count"]))})
    page.table(pd.DataFrame(rows, columns=[by, "phrases (count)"]), "table-top-phrases",
               f"The {top} most frequent phrases of 2-3 words in each {by}"
               + (" (function words left out)" if d.stopwords else ""))


def _trend_categories(rates: pd.DataFrame, lex: Lexicon,
                      categories: Optional[Sequence[str]]) -> List[str]:
    """The categories drawn over time: those asked for (all must exist), else those of
    :data:`TREND_CATEGORIES` the lexicon has, else its five most frequent."""
    cats = [c for c in (categories or TREND_CATEGORIES) if c in lex.categories]
    if categories is not None and len(cats) != len(categories):
        unknown = [c for c in categories if c not in lex.categories]
        raise ValueError(f"unknown categories {unknown}; the lexicon has {lex.categories}")
    if not cats:  # a lexicon of other categories: its five most frequent
        totals = rates.groupby("category", sort=False)["hits"].sum()
        cats = totals.sort_values(ascending=False, kind="stable").index[:5].tolist()
    return cats


def _stance_section(page: _Page, d: _Data, categories: Optional[Sequence[str]]) -> None:
    by, corpus, lex = d.by, d.corpus, d.lex
    page.add(f'<h2 id="stance">Stance markers by category and {by}</h2>')
    rates = corpus.marker_rates(by=by, lexicon=lex,
                                fill=True if len(d.filled) != len(d.groups) else None)
    ncols = rates[by].nunique()
    page.figure("fig-stance-heatmap",
                lambda f: plot.heatmap(rates, ax=f.add_subplot(),
                                       title="Stance markers per 10,000 tokens"),
                (min(16.0, max(7.0, 0.62 * ncols + 3.5)), 0.42 * len(lex.categories) + 1.8),
                f"Heatmap of stance-marker rates by category and {by}",
                "Hits per 10,000 tokens; negated hits left out; grey: no text that "
                f"{by}.")
    cats = _trend_categories(rates, lex, categories)
    if len(d.with_text) >= 2 and not d.unordered:
        # every category for the table; the figure draws the chosen ones
        ctrend = corpus.trend(categories=True, by=by, lexicon=lex)
        page.figure("fig-stance-trend",
                    lambda f: plot.trend_grid(ctrend, terms=cats, fig=f, ncols=3,
                                              title="Stance categories over time"),
                    _grid_size(len(cats)),
                    f"Rates of stance categories by {by} with 95% intervals",
                    "Per 10,000 tokens, one panel per category on a common scale; shaded: "
                    "exact 95% Poisson interval; grey: no text.")
        slopes = ctrend.drop_duplicates("category")[["category", "first", "last",
                                                      "rate_ratio", "p_trend", "fit"]]
    else:
        page.unavailable("Stance categories over time", f"{by} has no order" if d.unordered
                         else f"it needs two {by} groups with text")
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
    page.table(stance, "table-stance-rates",
               f"Stance-marker hits per 10,000 tokens by category and {by}"
               + (", first and last attestation, and trend test (Poisson "
                  "regression, likelihood-ratio p)" if slopes is not None else ""),
               {"p (trend)": ".3g", f"rate ratio per {by}": ".2f"})


def _key_phrases_section(page: _Page, d: _Data, phrases: Optional[Sequence[str]]) -> None:
    by = d.by
    page.add('<h2 id="key-phrases">Key phrases over time</h2>')
    if not (phrases and len(d.with_text) >= 2 and not d.unordered):
        page.unavailable("Key phrases over time", "no phrases given" if not phrases else
                         f"{by} has no order" if d.unordered else
                         f"it needs two {by} groups with text")
        return
    ptrend = d.corpus.trend(list(phrases), by=by)
    page.figure("fig-phrase-trend",
                lambda f: plot.trend_grid(ptrend, fig=f, ncols=4, sharey=False,
                                          title="Key phrases over time"),
                _grid_size(len(phrases), 4), f"Rates of key phrases by {by} with 95% intervals",
                "Per 10,000 tokens (the exact phrase: inflections are not merged), each panel "
                "on its own scale; shaded: exact 95% Poisson interval; grey: no text.")
    per = ptrend.drop_duplicates("phrase")[["phrase", "first", "last", "rate_ratio",
                                            "p_trend", "fit"]]
    counts = ptrend.groupby("phrase", sort=False)["count"].sum()
    per.insert(1, "count", per["phrase"].map(counts).astype(np.int64))
    page.table(per.rename(columns={"rate_ratio": f"rate ratio per {by}",
                                   "p_trend": "p (trend)"}),
               "table-phrase-trend",
               "Key phrases: first and last attestation and trend test "
               "(Poisson regression, likelihood-ratio p)",
               {"p (trend)": ".3g", f"rate ratio per {by}": ".2f"})


def _keyness_section(page: _Page, d: _Data, keyness_top: int) -> None:
    by, latest = d.by, d.latest
    page.add(f'<h2 id="keyness">Keyness of {_esc(latest)} against the rest</h2>')
    if len(d.with_text) < 2:
        page.unavailable("Keyness", f"it needs two {by} groups with text")
        return
    target = d.corpus.meta[by] == latest
    ref_label = _span([d.with_text[0], d.with_text[-2]])
    k = d.corpus.keyness(target.to_numpy(), n=(1, 2), min_count=3, stopwords=d.stopwords)
    if not len(k):
        page.unavailable("Keyness", "no term is counted 3 times or more")
        return
    page.figure("fig-keyness",
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
    page.table(kt, "table-keyness",
               f"Terms most over- and under-used in {latest} against "
               f"{ref_label} (log-likelihood G², p uncorrected)",
               {"G²": ".2f", "p": ".3g", "log_ratio": ".2f"})


def _escalation_timeline(page: _Page, d: _Data) -> Tuple[pd.DataFrame, str]:
    """The ladder's heading and timeline; returns the per-document table and its x column
    for :func:`_escalation_tables`."""
    page.add('<h2 id="escalation">Escalation ladder</h2>')
    esc = d.corpus.escalation(lexicon=d.lex)
    x = "date" if "date" in esc.columns and pd.api.types.is_datetime64_any_dtype(
        esc["date"]) else d.by
    page.figure("fig-escalation",
                lambda f: plot.escalation(esc, x=x, ax=f.add_subplot(),
                                          title="Strongest language of each document"),
                (10, 4.8),
                "Timeline of documents by their highest level on the escalation ladder",
                "Each point is a document at the highest ladder level its own, non-negated, "
                "non-hypothetical language reaches (0 note … 8 Article 5 / armed attack).")
    return esc, x


def _escalation_tables(page: _Page, d: _Data, esc: pd.DataFrame, x: str) -> None:
    by = d.by
    eg = d.corpus.escalation(by=by, lexicon=d.lex)
    eg_cols = [by, "docs", "docs_with_level", "max_level", "mean_level", "median_level",
               *[f"level_{i}" for i in range(9)]]
    eg = eg[eg_cols].rename(columns={
        "docs": "documents", "docs_with_level": "with a level", "max_level": "highest",
        "mean_level": "mean", "median_level": "median",
        **{f"level_{i}": str(i) for i in range(9)}})
    page.table(eg, "table-escalation",
               f"Escalation by {by}: the highest level of each document "
               "summarized, then the number of documents whose highest level is "
               "0 (note) ... 8 (Article 5 / armed attack)",
               {"mean": ".2f", "median": ".1f"})
    label = next((c for c in ("title", "id", "file") if c in esc.columns), None)
    cols = [c for c in dict.fromkeys([by, x, "source", label]) if c and c in esc.columns]
    strongest = esc[esc.level.notna()].sort_values(["level", x], ascending=[False, True],
                                                    kind="stable").head(10)
    page.table(strongest[cols + ["level", "step", "text"]].rename(columns={"text": "wording"}),
               "table-escalation-documents",
               "The ten documents highest on the ladder, with the wording "
               "that put them there")


# ---- the report -------------------------------------------------------------------------------

#: Steps of the report's progress bar: the five sections before the ladder, and the ladder's
#: timeline and tables.
_STEPS = 7


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

    page = _Page(by)
    with _progress.bar(_STEPS, "report", progress, unit="step") as tick:
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if tick:
                tick(done)

        d = _Data.of(corpus, by, lex, sw)
        _data_section(page, d, note)
        step()
        _top_phrases_section(page, d, top)
        step()
        _stance_section(page, d, categories)
        step()
        _key_phrases_section(page, d, phrases)
        step()
        _keyness_section(page, d, keyness_top)
        step()
        esc, x = _escalation_timeline(page, d)
        step()
        _escalation_tables(page, d, esc, x)
        step()

    html_page = _PAGE.substitute(
        version=_esc(__version__),
        title=_esc(title or f"Rhetoric on cyber operations by {by}, {d.span}"),
        lead=_esc(f"{len(corpus):,} documents, {int(d.summary.tokens.sum()):,} tokens, "
                  f"{page.figures} figures. Rates are per 10,000 tokens."),
        sections="\n".join(page.parts))
    out = pathlib.Path(path)
    out.write_text(html_page, encoding="utf-8")
    return out
