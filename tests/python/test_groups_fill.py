"""Groups, filled grids and rates of empty groups: one convention in every method."""
import time

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
from natocyber import _groups


def test_fill_gives_every_year_but_every_decade_for_decades():
    years = nc.Corpus(["we condemn"] * 4, meta={"year": [2018, 2020, 2022, 2024]})
    assert years.groups("year", fill=True).keys.year.tolist() == list(range(2018, 2025))
    decades = nc.Corpus(["we condemn"] * 3, meta={"decade": [1990, 2000, 2010]})
    assert decades.groups("decade", fill=True).keys.decade.tolist() == [1990, 2000, 2010]
    # a missing decade is filled at the decade's step, not year by year
    gap = nc.Corpus(["we condemn"] * 3, meta={"decade": [1970, 1990, 2010]})
    assert gap.groups("decade", fill=True).keys.decade.tolist() == [1970, 1980, 1990, 2000,
                                                                     2010]
    assert len(gap.trend("condemn", by="decade")) == 5
    # years that happen to be round are not decades unless every value is a multiple
    mixed = nc.Corpus(["a"] * 3, meta={"year": [2010, 2015, 2021]})
    assert len(mixed.groups("year", fill=True).keys) == 12
    # multiples of 5 are ordinary years, and two values are too few to call periods
    five = nc.Corpus(["a"] * 4, meta={"year": [2015, 2020, 2025, 2020]})
    assert five.groups("year", fill=True).keys.year.tolist() == list(range(2015, 2026))
    two = nc.Corpus(["a"] * 2, meta={"year": [2010, 2020]})
    assert len(two.groups("year", fill=True).keys) == 11
    # whole years stored as floats (a missing value makes pandas do that) fill the same way
    floats = nc.Corpus(["a"] * 3, meta={"year": [2018.0, np.nan, 2020.0]})
    assert floats.groups("year", fill=True).keys.year.tolist()[:3] == [2018.0, 2019.0, 2020.0]


@pytest.fixture(scope="module")
def outlier():
    years = list(range(2014, 2026)) + [3_000_000]
    return nc.Corpus(["We strongly condemn the attack."] * len(years), meta={"year": years})


@pytest.mark.parametrize("call", [
    lambda c: c.marker_rates(by="year", fill=True),
    lambda c: c.trend("condemn"),
    lambda c: c.trend(categories=["condemnation"]),
    lambda c: c.frequency("condemn", by="year", fill=True),
    lambda c: c.ngrams(1, by="year", fill=True),
    lambda c: c.count_ngrams(1, by="year").to_frame(fill=True),
    lambda c: c.count_markers(by="year").to_frame(fill=True),
    lambda c: c.escalation(by="year", fill=True),
    lambda c: c.dtm(1, by="year", fill=True),
])
def test_an_outlier_year_is_refused_quickly_with_its_range(outlier, call):
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"2,997,987 groups of 'year' \(2014 to 3000000 in "
                       r"steps of 1\).*13 values occur.*limit is 10,000.*fill=\{'year'"):
        call(outlier)
    assert time.perf_counter() - t0 < 5
    # without fill the outlier is one more group
    assert len(outlier.groups("year").keys) == 13


def test_an_explicit_grid_may_be_larger_but_is_bounded():
    c = nc.Corpus(["a b"] * 2, meta={"year": [0, 20000]})
    g = c.groups("year", fill={"year": range(0, 20001)})
    assert len(g.keys) == 20001 and g.codes.tolist() == [0, 20000]
    with pytest.raises(ValueError, match=r"fill\['year'\] names 2,000,001 values; the limit"):
        c.groups("year", fill={"year": range(2_000_001)})


def test_a_grid_over_several_columns_is_bounded():
    n = 1001
    c = nc.Corpus(["a"] * n, meta={"year": list(range(n)),
                                   "source": [f"s{i}" for i in range(n)]})
    with pytest.raises(ValueError, match=r"grid of 1,002,001 groups \(1,001 'year' x 1,001 "
                       r"'source'\); the limit is 1,000,000"):
        c.marker_rates(by=["year", "source"], fill=True)
    # the same columns without fill: one group per document
    assert len(c.groups(["year", "source"]).keys) == n


def test_categorical_groups_keep_their_order_and_fill_all_categories():
    order = ["Washington", "Adams", "Jefferson", "Madison"]
    c = nc.Corpus(["we condemn it", "we condemn", "we note"],
                  meta={"president": pd.Categorical(order[:3], categories=order, ordered=True)})
    f = c.frequency("condemn", by="president", fill=True)
    assert f.president.tolist() == order
    assert isinstance(f.president.dtype, pd.CategoricalDtype)
    r = c.marker_rates(by="president", categories="condemnation", fill=True)
    assert r.president.tolist() == order
    ng = c.ngrams(1, by="president")
    assert ng[ng.ngram == "we"].president.tolist() == order[:3]
    with pytest.raises(ValueError, match="'Lincoln', which is not a category"):
        c.groups("president", fill={"president": ["Lincoln"]})


def test_empty_groups_have_no_rate_everywhere():
    c = nc.Corpus(["We condemn it.", "We note it.", "We condemn it."],
                  meta={"year": [2020, 2021, 2023]})

    def check(df, key="year"):
        rows = df.set_index(key)
        empty = rows.loc[[2022]]
        assert np.isnan(empty["per_10k"].to_numpy()).all()
        if "count" in df.columns:
            assert (empty["count"] == 0).all()
        # a year with text but no hit is a measured zero
        assert (rows.loc[[2021], "per_10k"].to_numpy() == 0).all()

    check(c.frequency("condemn", by="year", fill=True))
    check(c.ngrams(1, by="year", fill=True).query("ngram == 'condemn'"))
    check(c.count_ngrams(1, by="year").to_frame(fill=True).query("ngram == 'condemn'"))
    check(c.marker_rates(by="year", categories="condemnation", fill=True))
    check(c.count_markers(by="year", categories="condemnation").to_frame(fill=True))
    check(c.trend("condemn"))


def test_rate_helper():
    out = _groups.rate_per_10k(np.array([1, 0, 0]), np.array([4, 5, 0]))
    assert out[0] == 2500.0 and out[1] == 0.0 and np.isnan(out[2])


def test_filled_ngram_rows_are_bounded():
    words = " ".join(f"w{i}" for i in range(6000))
    c = nc.Corpus([words, "w0"], meta={"year": [0, 9999]})
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"fill would make 60,000,000 rows \(6,000 n-grams in "
                       r"each of 10,000 groups\); the limit is 50,000,000. Raise min_count"):
        c.ngrams(1, by="year", fill=True)
    assert time.perf_counter() - t0 < 5
    assert len(c.ngrams(1, by="year", fill=True, min_count=2)) == 10_000


def test_explicit_grids_are_measured_before_they_are_listed():
    c = nc.Corpus(["a"] * 3000, meta={"k": list(range(3000))})
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"fill\['k'\] names 1,000,000,000,000 values"):
        c.groups("k", fill={"k": range(10**12)})
    with pytest.raises(ValueError, match=r"fill\['k'\] names 1,000,001 values"):
        c.groups("k", fill={"k": (x for x in range(10**12))})
    # a large grid that is allowed is merged with the observed values in one pass
    assert len(c.groups("k", fill={"k": range(3000, 900_000)}).keys) == 900_000
    assert time.perf_counter() - t0 < 20
    with pytest.raises(TypeError, match=r"fill\['k'\] must be a list"):
        c.groups("k", fill={"k": 5})


def test_phrase_tables_are_bounded():
    words = [f"w{i}" for i in range(6000)]
    c = nc.Corpus([" ".join(words), "w0"], meta={"year": [1000, 10999]})
    t0 = time.perf_counter()
    for call in (lambda: c.frequency(words, by="year", fill=True),
                 lambda: c.trend(words)):
        with pytest.raises(ValueError, match=r"6,000 phrases in each of 10,000 groups would "
                           r"make 60,000,000 rows; the limit is 50,000,000"):
            call()
    assert time.perf_counter() - t0 < 10
