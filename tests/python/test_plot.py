"""natocyber.plot: the figures carry the data of the tables they are drawn from."""
import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import natocyber as nc  # noqa: E402
from natocyber.plot import LADDER_LABELS  # noqa: E402

TEXTS = [
    ("We condemn the attack. We condemn it again.", 2018, "NATO", "2018-03-01"),
    ("Allies strongly condemn the attack and stand in solidarity with Estonia.", 2018, "EU",
     "2018-09-10"),
    ("We note with concern these activities.", 2020, "UK", "2020-05-05"),
    ("We strongly condemn it. We will respond at a time and in a manner of our choosing.",
     2021, "NATO", "2021-06-14"),
    ("A plain sentence about the weather.", 2021, "US", "2021-07-01"),
]


@pytest.fixture
def small():
    df = pd.DataFrame(TEXTS, columns=["text", "year", "source", "date"])
    df["date"] = pd.to_datetime(df["date"])
    return nc.Corpus.from_dataframe(df)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- trend ----------------------------------------------------------------------------------

def test_trend_one_line_per_term_with_the_rates(small):
    t = small.trend(["condemn", "strongly condemn"])
    ax = nc.plot.trend(t)
    assert [line.get_label() for line in ax.lines] == ["condemn", "strongly condemn"]
    for line, term in zip(ax.lines, ["condemn", "strongly condemn"]):
        part = t[t.phrase == term]
        assert line.get_xdata().tolist() == part.year.tolist() == [2018, 2019, 2020, 2021]
        np.testing.assert_array_equal(line.get_ydata(), part.per_10k.to_numpy())
    # 2019 has no text: its rate is missing (a gap in the line), not zero
    assert np.isnan(ax.lines[0].get_ydata()[1])
    assert ax.get_ylabel() == "per 10,000 tokens"
    assert ax.get_xlabel() == "year"


def test_trend_bands_span_the_interval(small):
    t = small.trend(["condemn"])
    ax = nc.plot.trend(t)
    bands = [c for c in ax.collections if c.get_paths()]
    assert bands
    ys = np.concatenate([p.vertices[:, 1] for p in bands[0].get_paths()])
    ok = t.per_10k_high.notna()
    assert ys.max() == pytest.approx(t.per_10k_high[ok].max())
    assert ys.min() == pytest.approx(t.per_10k_low[ok].min())
    # without intervals: no bands
    ax2 = nc.plot.trend(t, interval=False)
    assert not [c for c in ax2.collections if c.get_paths()]


def test_trend_marks_groups_without_text(small):
    ax = nc.plot.trend(small.trend(["condemn"]))
    spans = [p for p in ax.patches]
    assert len(spans) == 1                                     # 2019
    assert spans[0].get_window_extent().width > 0
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == ["condemn", "shaded: 95% interval", "no text in that year"]


def test_trend_categories_and_term_choice(sample):
    t = sample.trend(categories=["condemnation", "deterrence", "norms"])
    ax = nc.plot.trend(t, terms=["norms", "condemnation"], title="Stance")
    assert [line.get_label() for line in ax.lines] == ["norms", "condemnation"]
    assert ax.get_title(loc="left") == "Stance"
    with pytest.raises(ValueError, match="not in the table"):
        nc.plot.trend(t, terms=["nonsense"])


def test_trend_draws_on_the_given_axes(small):
    fig, axes = plt.subplots(1, 2)
    ax = nc.plot.trend(small.trend(["condemn"]), ax=axes[1])
    assert ax is axes[1]
    assert len(axes[1].lines) == 1 and not axes[0].lines


def test_trend_rejects_other_tables(small):
    with pytest.raises(ValueError, match="Corpus.trend"):
        nc.plot.trend(small.ngrams(n=1))
    with pytest.raises(TypeError):
        nc.plot.trend([1, 2, 3])


def test_trend_grid_one_panel_per_term(sample):
    t = sample.trend(categories=["condemnation", "deterrence", "norms", "response"])
    fig = nc.plot.trend_grid(t, ncols=3, title="Categories")
    order = ["condemnation", "norms", "response", "deterrence"]   # the lexicon's order
    assert [ax.get_title(loc="left") for ax in fig.axes] == order  # the empty 6th panel is gone
    for ax, cat in zip(fig.axes, order):
        assert len(ax.lines) == 1
        np.testing.assert_array_equal(ax.lines[0].get_ydata(),
                                      t[t.category == cat].per_10k.to_numpy())
    # one scale for all panels by default
    assert len({ax.get_ylim() for ax in fig.axes}) == 1
    assert fig._suptitle.get_text() == "Categories"


# ---- heatmap --------------------------------------------------------------------------------

def test_heatmap_cells_are_the_rates(sample):
    rates = sample.marker_rates(by="year", fill=True)
    ax = nc.plot.heatmap(rates)
    img = ax.images[0].get_array()
    cats = list(nc.Lexicon.default().categories)
    years = list(range(2014, 2026))
    assert img.shape == (len(cats), len(years))
    assert [t.get_text() for t in ax.get_yticklabels()] == cats
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in years]
    expect = rates.set_index(["category", "year"]).per_10k
    i, j = cats.index("condemnation"), years.index(2024)
    assert img[i, j] == pytest.approx(expect[("condemnation", 2024)])
    # 2015 has no text: masked in every row, drawn as a dash
    col = years.index(2015)
    assert np.ma.getmaskarray(img)[:, col].all()
    assert not np.ma.getmaskarray(img)[:, years.index(2014)].any()
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == img.size
    assert texts.count("–") == len(cats)


def test_heatmap_other_value_and_no_annotation(small):
    rates = small.marker_rates(by="year", categories=["condemnation", "concern"])
    ax = nc.plot.heatmap(rates, value="hits", annotate=False, colorbar=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["concern", "condemnation"]
    assert ax.images[0].get_array().tolist() == [[0, 1, 0], [3, 0, 1]]
    assert not ax.texts
    assert len(ax.figure.axes) == 1                                # no colour bar


def test_heatmap_needs_one_group_column(small):
    with pytest.raises(ValueError, match="one grouping column"):
        nc.plot.heatmap(small.marker_rates(by=["year", "source"]))


# ---- keyness --------------------------------------------------------------------------------

def test_keyness_bars_over_and_under(sample):
    k = sample.keyness(sample.meta.year == 2025, n=(1, 2), min_count=3)
    ax = nc.plot.keyness(k, top=5, target="2025", reference="2014-2024")
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 10
    over = k[k.statistic > 0].statistic.head(5).tolist()
    under = k[k.statistic < 0].statistic.iloc[::-1].head(5).tolist()
    # drawn top to bottom: strongest over-use first, strongest under-use last
    order = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [p.get_width() for p in order] == pytest.approx(over + under[::-1])
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    labels = [t.get_text() for t in ticks]
    assert labels[:5] == k[k.statistic > 0].ngram.head(5).tolist()
    assert labels[-1] == k[k.statistic < 0].ngram.iloc[-1]
    colors = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colors) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["more frequent in 2025", "more frequent in 2014-2024"]
    # count labels: target / reference
    assert f"{k.count_target[0]} / {k.count_reference[0]}" in [t.get_text() for t in ax.texts]


def test_keyness_log_ratio_and_p_filter(sample):
    k = sample.keyness(sample.meta.year == 2025, n=1, min_count=3)
    ax = nc.plot.keyness(k, top=50, value="log_ratio", max_p=0.05, counts=False)
    kept = k[k.p <= 0.05]
    assert len(ax.patches) == len(kept)
    assert sorted(p.get_width() for p in ax.patches) == pytest.approx(sorted(kept.log_ratio))
    assert not ax.texts


def test_keyness_asks_for_one_comparison(sample):
    k = sample.keyness(by="year", n=1, min_count=5)
    with pytest.raises(ValueError, match="comparisons"):
        nc.plot.keyness(k)
    ax = nc.plot.keyness(k[k.year == 2024], top=3)
    assert len(ax.patches) == 6


def test_keyness_of_categories(sample):
    k = sample.keyness(sample.meta.year >= 2022, categories=True)
    ax = nc.plot.keyness(k, top=3)
    names = {t.get_text() for t in ax.get_yticklabels()}
    assert names <= set(nc.Lexicon.default().categories)


# ---- escalation -----------------------------------------------------------------------------

def test_escalation_points_are_documents_at_their_level(small):
    esc = small.escalation()
    ax = nc.plot.escalation(esc)
    by_source = {c.get_label(): c.get_offsets() for c in ax.collections}
    assert sorted(by_source) == ["EU", "NATO", "UK"]             # US has no ladder language
    nato = by_source["NATO"]
    assert nato[:, 1].tolist() == [3, 7]                          # condemn; open-ended threat
    dates = esc[(esc.source == "NATO")].date
    assert nato[:, 0].tolist() == pytest.approx(
        [matplotlib.dates.date2num(d) for d in dates])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(LADDER_LABELS)
    assert "1 document without ladder language not shown" in [t.get_text() for t in ax.texts]


def test_escalation_by_year_spreads_ties_and_labels(sample):
    esc = sample.escalation()
    ax = nc.plot.escalation(esc, x="year", hue=None, labels=True)
    assert len(ax.collections) == 1
    pts = ax.collections[0].get_offsets()
    has = esc.level.notna()
    assert len(pts) == has.sum()
    assert sorted(pts[:, 1].tolist()) == sorted(esc.level[has].astype(float).tolist())
    # documents sharing a year and level sit side by side, near their year
    years = esc.year[has].to_numpy()
    assert np.abs(pts[:, 0] - years).max() <= 0.25 + 1e-9
    assert len({tuple(p) for p in pts.tolist()}) == len(pts)
    assert sorted(a.get_text() for a in ax.texts if a.get_text() in set(esc.marker.dropna())) == \
        sorted(esc.marker[has].tolist())


def test_escalation_checks_columns(small):
    esc = small.escalation()
    with pytest.raises(ValueError, match="x='when'"):
        nc.plot.escalation(esc, x="when")
    with pytest.raises(ValueError, match="labels="):
        nc.plot.escalation(esc, labels="nope")
    with pytest.raises(ValueError, match="per-document|one row per document|level"):
        nc.plot.escalation(small.escalation(by="year"))


def test_every_function_accepts_ax(sample):
    fig, axes = plt.subplots(2, 2)
    k = sample.keyness(sample.meta.year == 2025, n=1, min_count=3)
    got = [nc.plot.trend(sample.trend(["condemn"]), ax=axes[0, 0]),
           nc.plot.heatmap(sample.marker_rates(by="year"), ax=axes[0, 1], colorbar=False),
           nc.plot.keyness(k, ax=axes[1, 0]),
           nc.plot.escalation(sample.escalation(), ax=axes[1, 1])]
    assert got == [axes[0, 0], axes[0, 1], axes[1, 0], axes[1, 1]]
    assert len(plt.get_fignums()) == 1


def test_module_doctests():
    import doctest

    import natocyber.plot as plot_mod
    assert doctest.testmod(plot_mod).failed == 0
