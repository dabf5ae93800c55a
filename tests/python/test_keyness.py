"""Keyness through the public API, against the values quanteda, NLTK and scipy publish."""
import doctest
import math

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
from natocyber import keyness as keyness_mod
from natocyber import stats

# quanteda's textstat_keyness example: feature "b" is 7 of 10 tokens in the target and 2 of
# 9 in the reference.
QTEXTS = ["b b b b b b b a a a", "a a a a a a a b b"]


def sig6(got, want):
    """Equal to 6 significant digits."""
    assert got == pytest.approx(want, rel=5e-7, abs=0), (got, want)


@pytest.fixture(scope="module")
def q():
    return nc.Corpus(QTEXTS, meta={"year": [2024, 2018]})


def row(df, term):
    r = df[df.ngram == term]
    assert len(r) == 1
    return r.iloc[0]


@pytest.mark.parametrize("measure, correction, want", [
    ("chi2", "none", 4.337160),    # quanteda, correction = "none"
    ("chi2", "yates", 2.632438),   # quanteda, correction = "default" (Yates for 2x2)
    ("g2", "none", 4.534939),      # quanteda, measure = "lr", correction = "none"
    ("g2", "yates", 2.7028437427387395),   # scipy chi2_contingency(lambda_="log-likelihood")
    ("g2", "williams", 4.200833412154394),  # G2 / Williams's q = 1.0795332466969894
])
def test_quanteda_reference(q, measure, correction, want):
    k = q.keyness(q.meta.year == 2024, n=1, measure=measure, correction=correction)
    b = row(k, "b")
    sig6(b.statistic, want)
    assert (b.count_target, b.count_reference) == (7, 2)
    sig6(b.per_10k_target, 7000.0)
    sig6(b.per_10k_reference, 2e4 / 9)
    # signed: "a" is over-used in the reference, so negative, same size
    sig6(row(k, "a").statistic, -want)
    assert k.ngram.tolist() == ["b", "a"]


def test_p_values_and_effect_sizes(q):
    k = q.keyness(q.meta.year == 2024, n=1, measure="chi2")
    sig6(row(k, "b").p, 0.03728906301729919)            # scipy chi2.sf(4.33716, 1)
    k = q.keyness(q.meta.year == 2024, n=1, measure="g2")
    b = row(k, "b")
    sig6(b.p, 0.033209633968387844)
    sig6(b.log_ratio, math.log2((7 / 10) / (2 / 9)))    # Hardie's log ratio
    # two terms with the same p: BH leaves them at p
    sig6(b.p_bh, b.p)
    f = row(q.keyness(q.meta.year == 2024, n=1, measure="fisher"), "b")
    sig6(f.p, 0.069778518694927364)                     # Fisher [[7, 2], [3, 7]], exact
    sig6(f.statistic, math.log(7 * 7 / (2 * 3)))        # ln odds ratio
    lr = row(q.keyness(q.meta.year == 2024, n=1, measure="log_ratio"), "b")
    sig6(lr.statistic, math.log2(3.15))
    sig6(lr.p, 0.033209633968387844)                    # effect sizes carry G2's p
    pd_ = row(q.keyness(q.meta.year == 2024, n=1, measure="pct_diff"), "b")
    sig6(pd_.statistic, 100 * (0.7 - 2 / 9) / (2 / 9))  # %DIFF = 215
    pmi = row(q.keyness(q.meta.year == 2024, n=1, measure="pmi"), "b")
    sig6(pmi.statistic, math.log2(7 * 19 / (9 * 10)))


def test_nltk_likelihood_ratio_as_keyness():
    # NLTK BigramAssocMeasures.likelihood_ratio(2, (4, 4), 20) is G2 of [[2, 2], [2, 14]]:
    # "cyber" is 2 of the 4 target tokens and 2 of the 16 reference tokens.
    c = nc.Corpus(["cyber attack cyber attack",
                   "cyber threats and cyber crime are what we note in the statement of the "
                   "allies today"])
    assert c.n_tokens.tolist() == [4, 16]
    r = row(c.keyness(np.array([True, False]), n=1), "cyber")
    assert (r.count_target, r.count_reference) == (2, 2)
    sig6(r.statistic, 2.4142743368419755)


def test_reference_mask_and_left_out_documents():
    c = nc.Corpus(["strongly condemn the attack", "we condemn the attack", "unrelated text",
                   "we note the attack"], meta={"year": [2024, 2020, 2019, 2018]})
    k = c.keyness(c.meta.year == 2024, c.meta.year.isin([2018, 2020]), n=1)
    # "unrelated text" is in neither side
    assert "unrelated" not in set(k.ngram)
    r = row(k, "strongly")
    assert (r.count_target, r.count_reference) == (1, 0)
    assert np.isfinite(r.statistic) and r.statistic > 0
    assert np.isfinite(r.log_ratio)
    # the same comparison by group values
    k2 = c.keyness(by="year", target=2024, reference=[2018, 2020], n=1)
    pd.testing.assert_frame_equal(k, k2)


def test_each_group_against_the_rest():
    c = nc.Corpus(["strongly condemn", "strongly condemn", "we condemn", "note"],
                  meta={"year": [2024, 2024, 2020, 2018]})
    k = c.keyness(by="year", n=1)
    assert list(k.columns[:3]) == ["year", "ngram", "n"]
    assert list(k.columns[3:]) == keyness_mod.KEYNESS_COLUMNS
    assert sorted(k.year.unique().tolist()) == [2018, 2020, 2024]
    # every comparison lists every term; counts add up to the corpus
    for year, part in k.groupby("year"):
        assert len(part) == 4
        assert (part.count_target + part.count_reference).sum() == 7
        assert part.statistic.is_monotonic_decreasing
    r = k[(k.year == 2024) & (k.ngram == "strongly")].iloc[0]
    assert (r.count_target, r.count_reference) == (2, 0)
    # a term absent from the target: finite, negative
    r = k[(k.year == 2018) & (k.ngram == "condemn")].iloc[0]
    assert r.count_target == 0 and r.statistic < 0 and np.isfinite(r.log_ratio)


def test_ngram_orders_and_min_count():
    c = nc.Corpus(["we strongly condemn the attack. we strongly condemn it.",
                   "we condemn the attack."], meta={"year": [2024, 2020]})
    k = c.keyness(c.meta.year == 2024, n=(1, 3), min_count=2)
    assert set(k.n) == {1, 2, 3}
    assert (k.count_target + k.count_reference >= 2).all()
    assert "condemn it" not in set(k.ngram)
    # no n-gram spans the full stop
    assert "attack we" not in set(k.ngram)


def test_zero_counts_are_finite():
    c = nc.Corpus(["alpha beta", "gamma delta"])
    for measure in ("g2", "chi2", "log_ratio", "pct_diff", "fisher"):
        k = c.keyness(np.array([True, False]), n=1, measure=measure)
        assert np.isfinite(k[["statistic", "p", "p_bh", "log_ratio"]].to_numpy()).all(), measure
    # pmi of a term that never occurs in the target is -inf, as documented
    k = c.keyness(np.array([True, False]), n=1, measure="pmi")
    assert np.isneginf(k[k.count_target == 0].statistic).all()


def test_large_tables_release_the_gil_and_agree():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 50, 50_000).astype(float)
    b = rng.integers(0, 50, 50_000).astype(float)
    s_big, p_big = stats.keyness(a, b, 1e6, 2e6, "g2")
    s_small = np.concatenate([stats.keyness(a[i:i + 100], b[i:i + 100], 1e6, 2e6, "g2")[0]
                              for i in range(0, 50_000, 100)])
    np.testing.assert_array_equal(s_big, s_small)
    q = stats.bh_adjust(p_big)
    assert (q >= p_big).all() and (q <= 1).all()


@pytest.mark.parametrize("kwargs, message", [
    (dict(target=np.array([True, False, True])), "mask has 3 values but the corpus has 2"),
    (dict(target=np.array([False, False])), "the target selects no documents"),
    (dict(target=np.array([True, True])), "the reference selects no documents"),
    (dict(target=np.array([True, False]), reference=np.array([True, True])),
     "in both the target and the reference"),
    (dict(target=np.array([1, 0])), "must be a boolean mask"),
    (dict(target=pd.Series([True, None])), "missing values"),
    (dict(), "give a target"),
    (dict(by="yaer"), "unknown metadata column"),
    (dict(by="year", target=2030), "no document has year == 2030"),
    (dict(by="year", target=2024, reference=1999), "no document has year == 1999"),
    (dict(by="year", reference=2024), "reference= needs a target="),
    (dict(by="year", target=np.array([True, False])), "leave by= out"),
    (dict(target=np.array([True, False]), n=0), "n-gram orders"),
    (dict(target=np.array([True, False]), n=9), "n-gram orders"),
    (dict(target=np.array([True, False]), n=(3, 2)), "n-gram orders"),
    (dict(target=np.array([True, False]), min_count=0), "min_count must be an integer from 1 to"),
    (dict(target=np.array([True, False]), measure="lr"), "measure must be one of"),
    (dict(target=np.array([True, False]), correction="default"), "correction must be one of"),
    (dict(target=np.array([True, False]), measure="fisher", correction="yates"),
     "takes no correction"),
])
def test_bad_input(q, kwargs, message):
    with pytest.raises(ValueError, match=message):
        q.keyness(**kwargs)


def test_empty_side_by_tokens():
    c = nc.Corpus(["", "words here"], meta={"year": [2024, 2020]})
    with pytest.raises(ValueError, match="target documents have no tokens"):
        c.keyness(c.meta.year == 2024)
    one = nc.Corpus(["a b", "c d"], meta={"year": [2024, 2024]})
    with pytest.raises(ValueError, match="leaves nothing to compare"):
        one.keyness(by="year")


def test_array_level_api():
    assert nc.stats is stats
    with pytest.raises(ValueError, match="larger than its corpus total"):
        stats.keyness([11], [0], 10, 9)
    with pytest.raises(ValueError, match="differ in length"):
        stats.keyness([1, 2], [0], 10, 9)
    with pytest.raises(ValueError, match="total_reference must be"):
        stats.keyness([1], [0], 10, 0)
    with pytest.raises(ValueError, match="finite counts"):
        stats.keyness([-1], [0], 10, 9)
    with pytest.raises(ValueError, match=r"p-values must lie in \[0, 1\]"):
        stats.bh_adjust([0.5, 2])
    # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05, NA), "BH")
    np.testing.assert_allclose(stats.bh_adjust([0.01, 0.02, 0.03, 0.04, 0.05, np.nan])[:5],
                               [0.05] * 5)
    assert np.isnan(stats.bh_adjust([0.01, np.nan])[1])


STANCE = ["We strongly condemn this attack. We condemn it.",
          "We note with concern the incident.",
          "We did not condemn it.",
          "Allies stand in solidarity with Estonia."]


def test_keyness_on_stance_categories():
    c = nc.Corpus(STANCE, meta={"year": [2024, 2018, 2019, 2021]})
    k = c.keyness(c.meta.year == 2024, categories=["condemnation", "concern"])
    assert list(k.columns) == ["category"] + keyness_mod.KEYNESS_COLUMNS
    cond = k[k.category == "condemnation"].iloc[0]
    # "did not condemn" is negated: not a condemnation
    assert (cond.count_target, cond.count_reference) == (2, 0)
    want, _ = stats.keyness([2], [0], 8, 17, "g2")
    sig6(cond.statistic, want[0])
    assert k.category.tolist() == ["condemnation", "concern"]
    # single markers
    m = c.keyness(c.meta.year == 2024, categories="condemnation", markers=True)
    assert list(m.columns[:2]) == ["category", "marker"]
    assert set(m.marker) >= {"condemn", "strongly_condemn"}
    assert m.set_index("marker").loc[["condemn", "strongly_condemn"], "count_target"].tolist() \
        == [1, 1]
    # each year against the rest, every category of the built-in lexicon with a hit
    by = c.keyness(by="year", categories=True)
    assert set(by.category) == {"condemnation", "concern", "solidarity"}
    with pytest.raises(ValueError, match="unknown category 'condemnaton'"):
        c.keyness(c.meta.year == 2024, categories=["condemnaton"])


def test_docstring_examples():
    for mod in (stats, keyness_mod):
        res = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert res.failed == 0, mod.__name__
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for name in ("keyness", "collocations", "dispersion", "trend"):
        for t in finder.find(getattr(nc.Corpus, name), name,
                             globs={"Corpus": nc.Corpus, "np": np, "pd": pd}):
            runner.run(t)
    assert runner.summarize(verbose=False).failed == 0
