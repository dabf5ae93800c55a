"""Dispersion and trends through the public API, against tlda, statsmodels and scipy."""
import doctest
import math

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
from natocyber import dispersion as dispersion_mod
from natocyber import stats
from natocyber import trend as trend_mod


def sig6(got, want):
    assert got == pytest.approx(want, rel=5e-7, abs=0), (got, want)


def doc(word, k, size, filler="mot"):
    """A text of `size` tokens holding `word` k times."""
    return " ".join([word] * k + [filler] * (size - k))


# ---- dispersion ----------------------------------------------------------------------

# tlda's README (Soenning), after Lyne (1985): ALLEMAND in ten parts of a French corpus.
LYNE_FREQ = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0]
LYNE_SIZES = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930]


@pytest.fixture(scope="module")
def lyne():
    texts = [doc("allemand", v, s) for v, s in zip(LYNE_FREQ, LYNE_SIZES)]
    return nc.Corpus(texts, meta={"part": list(range(10)), "half": [0] * 5 + [1] * 5})


def test_dispersion_tlda_reference(lyne):
    d = lyne.dispersion(["allemand", "mot", "absent"])
    assert list(d.columns) == ["phrase", "ngram", "n"] + dispersion_mod.DISPERSION_COLUMNS
    a = d.iloc[0]
    assert (a["count"], a.parts, a.range) == (10, 10, 5)
    sig6(a.juilland_d, 0.6038797)     # tlda: disp_D_eq
    sig6(a.dp, 0.4990705)             # tlda: 1 - 0.5009295 (Gries 2008 scaling)
    sig6(a.dp_norm, 0.5535479785813592)
    # the filler is spread almost exactly like the text
    assert d.iloc[1].dp < 0.001 and d.iloc[1].juilland_d > 0.999
    # a phrase that never occurs: range 0, measures undefined (documented NaN)
    z = d.iloc[2]
    assert z["count"] == 0 and z.range == 0
    assert np.isnan([z.dp, z.dp_norm, z.juilland_d]).all()


def test_dispersion_by_groups(lyne):
    d = lyne.dispersion("allemand", by="half")
    r = d.iloc[0]
    assert (r["count"], r.parts, r.range) == (10, 2, 2)
    # by documents and by a column with one document each agree
    pd.testing.assert_frame_equal(lyne.dispersion(["allemand"]),
                                  lyne.dispersion(["allemand"], by="part"))


def test_dispersion_leaves_out_empty_parts():
    c = nc.Corpus(["a b", "", "a c"])
    r = c.dispersion(["a"]).iloc[0]
    assert r.parts == 2 and r.range == 2 and r.dp == pytest.approx(0.0)


def test_dispersion_bad_input():
    one = nc.Corpus(["only one document"])
    with pytest.raises(ValueError, match="at least two parts"):
        one.dispersion(["one"])
    c = nc.Corpus(["a b", "c d"], meta={"year": [2020, 2021]})
    with pytest.raises(ValueError, match="give phrases or categories"):
        c.dispersion()
    with pytest.raises(ValueError, match="unknown metadata column"):
        c.dispersion(["a"], by="yaer")
    with pytest.raises(ValueError, match="has no tokens"):
        c.dispersion(["..."])
    assert c.dispersion([]).empty


# ---- trend -------------------------------------------------------------------------------

# statsmodels GLM(y, [1, year], family=Poisson(), offset=log(tokens)) on these counts
# (2020 has no text at all): slope 0.19914589564753493, se 0.08151481628913591,
# LR 6.798577232771631, p 0.00912305442434948.
YEARS = [2018, 2019, 2021, 2022, 2023, 2024]
TOKENS = [12000, 15000, 9000, 20000, 18000, 25000]
COUNTS = [3, 5, 0, 11, 9, 19]


@pytest.fixture(scope="module")
def yearly():
    texts = [doc("condemn", k, t, "word") for k, t in zip(COUNTS, TOKENS)]
    return nc.Corpus(texts, meta={"year": YEARS})


def test_trend_statsmodels_reference(yearly):
    t = yearly.trend(["condemn"], by="year", fill=True)
    assert list(t.columns) == ["phrase", "ngram", "n", "year"] + trend_mod.TREND_COLUMNS
    assert t.year.tolist() == list(range(2018, 2025))     # 2020 filled in
    r = t.iloc[0]
    sig6(r.slope, 0.19914589564753493)
    sig6(r.slope_se, 0.08151481628913591)
    sig6(r.rate_ratio, math.exp(0.19914589564753493))
    sig6(r.p_trend, 0.00912305442434948)
    assert r.fit == "ok" and r["first"] == 2018 and r["last"] == 2024
    assert (t.slope == r.slope).all()                      # per-term columns repeat


def test_trend_rates_and_exact_intervals(yearly):
    t = yearly.trend("condemn", fill=True).set_index("year")
    assert t.loc[2019, "count"] == 5 and t.loc[2019, "tokens"] == 15000
    sig6(t.loc[2019, "per_10k"], 5 / 15000 * 1e4)
    # scipy: chi2.ppf(0.025, 10) / 2 and chi2.ppf(0.975, 12) / 2, per 10,000 of 15,000
    sig6(t.loc[2019, "per_10k_low"], 1.6234863901184207 / 1.5)
    sig6(t.loc[2019, "per_10k_high"], 11.66833207932267 / 1.5)
    # a zero count has lower bound 0 and upper chi2.ppf(0.975, 2) / 2
    assert t.loc[2021, "count"] == 0 and t.loc[2021, "per_10k_low"] == 0
    sig6(t.loc[2021, "per_10k_high"], 3.6888794541139354 / 0.9)
    # the empty year: present, zero counts, no rate (documented NaN)
    e = t.loc[2020]
    assert e["count"] == 0 and e["tokens"] == 0
    assert np.isnan([e.per_10k, e.per_10k_low, e.per_10k_high]).all()
    # no fill: only the years with documents
    assert yearly.trend("condemn", fill=False).year.tolist() == YEARS


def test_trend_edge_outcomes(yearly):
    t = yearly.trend(["never said", "word"])
    never = t[t.phrase == "never said"].iloc[0]
    assert never.fit == "no occurrences" and never.slope == 0 and never.p_trend == 1
    assert pd.isna(never["first"]) and pd.isna(never["last"])
    rows = t[t.phrase == "never said"]
    assert (rows.per_10k.dropna() == 0).all() and np.isfinite(rows.per_10k_high.dropna()).all()
    c = nc.Corpus(["a b", "a b", "a b condemn"], meta={"year": [2020, 2021, 2022]})
    sep = c.trend("condemn").iloc[0]
    assert sep.fit == "separated" and sep.slope == np.inf
    # the LR test stays valid: LR = 2 Y ln(T / T_last) = 2 ln(7 / 3), chi2(1) tail
    sig6(sep.p_trend, math.erfc(math.sqrt(math.log(7 / 3))))


def test_trend_follows_an_ordered_categorical_not_the_alphabet():
    # presidents in office order, which is not alphabetical: the rate rises along it
    order = ["Washington", "Adams", "Jefferson"]
    c = nc.Corpus(["we note it", "we condemn it", "we condemn it condemn"],
                  meta={"president": pd.Categorical(order, categories=order, ordered=True)})
    t = c.trend(["condemn"], by="president")
    assert t.president.tolist() == order
    assert isinstance(t.president.dtype, pd.CategoricalDtype) and t.president.cat.ordered
    r = t.iloc[0]
    assert r.slope > 0 and r.rate_ratio > 1
    assert r["first"] == "Adams" and r["last"] == "Jefferson"
    # the same texts by a plain text column: refused, not regressed on alphabetical order
    plain = nc.Corpus(c.texts, meta={"president": order})
    with pytest.raises(ValueError, match="no order of their own.*ordered Categorical"):
        plain.trend(["condemn"], by="president")
    unordered = nc.Corpus(c.texts, meta={"president": pd.Categorical(order)})
    with pytest.raises(ValueError, match="unordered Categorical.*as_ordered"):
        unordered.trend(["condemn"], by="president")


def test_trend_along_dates_in_years():
    dates = pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"])
    c = nc.Corpus(["we condemn it", "we condemn it condemn", "we condemn condemn condemn"],
                  meta={"date": dates})
    by_date = c.trend(["condemn"], by="date").iloc[0]
    by_year = nc.Corpus(c.texts, meta={"year": [2020, 2021, 2022]}).trend(["condemn"]).iloc[0]
    # slope per year either way (2020 is a leap year: 366/365.2425 of a year)
    assert by_date.slope == pytest.approx(by_year.slope, rel=0.01)


def test_trend_missing_group_values_are_left_out():
    c = nc.Corpus(["we condemn", "we condemn", "we condemn"],
                  meta={"year": [2020.0, np.nan, 2022.0]})
    with pytest.warns(UserWarning, match=r"1 document\(s\) without a year value are left out"):
        t = c.trend("condemn", fill=True)
    assert t.year.tolist() == [2020.0, 2021.0, 2022.0]
    assert t["count"].sum() == 2
    nullable = nc.Corpus(["we condemn"] * 4,
                         meta={"year": pd.array([2020, None, 2021, None], dtype="Int64")})
    with pytest.warns(UserWarning, match="2 document"):
        assert nullable.trend(["condemn"])["count"].tolist() == [1, 1]


def test_trend_bad_input(yearly):
    with pytest.raises(ValueError, match="give phrases or categories"):
        yearly.trend()
    with pytest.raises(ValueError, match="unknown metadata column"):
        yearly.trend("condemn", by="yaer")
    with pytest.raises(ValueError, match="one metadata column"):
        yearly.trend("condemn", by=["year", "year"])
    with pytest.raises(ValueError, match="conf must lie"):
        yearly.trend("condemn", conf=1.5)
    one = nc.Corpus(["we condemn"], meta={"year": [2024]})
    with pytest.raises(ValueError, match="at least two year groups"):
        one.trend("condemn")


def test_stance_categories():
    c = nc.Corpus(["We strongly condemn this attack. We condemn it.",
                   "We note with concern the incident.", "We did not condemn it.",
                   "Allies condemn it and stand in solidarity with Estonia."],
                  meta={"year": [2024, 2018, 2019, 2022]})
    t = c.trend(categories=["condemnation", "concern"], fill=True)
    assert list(t.columns[:2]) == ["category", "year"]
    cond = t[t.category == "condemnation"].set_index("year")
    assert cond["count"].tolist() == [0, 0, 0, 0, 1, 0, 2]   # 2018..2024; negated left out
    assert cond.loc[2020, "tokens"] == 0 and np.isnan(cond.loc[2020, "per_10k"])
    assert cond["first"].iloc[0] == 2022 and cond["last"].iloc[0] == 2024
    d = c.dispersion(categories=True)
    assert d.category.tolist()[:5] == ["attribution", "solidarity", "concern", "disapproval",
                                       "condemnation"]
    r = d.set_index("category").loc["condemnation"]
    assert (r["count"], r.parts, r.range) == (3, 4, 2)
    assert 0 <= r.juilland_d <= 1
    absent = d.set_index("category").loc["deterrence"]
    assert absent["count"] == 0 and np.isnan(absent.dp)
    with pytest.raises(ValueError, match="give phrases or categories"):
        c.trend(["condemn"], categories=True)


def test_array_level_trend_and_dispersion():
    f = stats.trend_poisson([[4, 2, 1, 0]], [1000, 1000, 2000, 500], [1, 2, 3, 4])
    sig6(f.slope[0], -1.0309377708951182)   # statsmodels GLM
    sig6(f.p[0], 0.014826658718480518)
    with pytest.raises(ValueError, match="zero tokens"):
        stats.trend_poisson([[1, 2]], [0, 10], [1, 2])
    with pytest.raises(ValueError, match="two groups"):
        stats.trend_poisson([[1, 2]], [10, 10], [1, 1])
    with pytest.raises(ValueError, match="size 0"):
        stats.dispersion([[1, 2]], [0, 10])
    lo, hi = stats.poisson_ci([0, 0], [0, 10])
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] == 0


def test_docstring_examples():
    for mod in (dispersion_mod, trend_mod):
        assert doctest.testmod(mod).failed == 0
