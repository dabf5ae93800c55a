"""Count tables restored from pickles are checked before use; by columns never overwrite
result columns."""
import copy
import pickle
import random

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import natocyber as nc
from natocyber import MarkerCounts, NgramCounts

TEXTS = ["We strongly condemn the attack.", "Allies condemn it and stand united.",
         "We note with concern the report.", "We condemn it."]
META = {"year": [2020, 2021, 2021, 2024], "source": ["NATO", "EU", "NATO", "UK"]}


@pytest.fixture(scope="module")
def ngram_table():
    return nc.Corpus(TEXTS, META).count_ngrams((1, 2), by=["year", "source"])


@pytest.fixture(scope="module")
def marker_table():
    return nc.Corpus(TEXTS, META).count_markers(by="year")


def restore(cls, state):
    obj = cls.__new__(cls)
    obj.__setstate__(state)
    return obj


def ngram_state(t):
    return copy.deepcopy(t.__getstate__())


def test_valid_states_round_trip(ngram_table, marker_table):
    assert_frame_equal(restore(NgramCounts, ngram_state(ngram_table)).to_frame(),
                       ngram_table.to_frame())
    assert_frame_equal(restore(MarkerCounts, copy.deepcopy(marker_table.__getstate__()))
                       .to_frame(), marker_table.to_frame())


def set_counts(col, value):
    def edit(s):
        s["counts"].loc[0, col] = value
    return edit


NGRAM_DAMAGE = {
    "group -1": (set_counts("g", -1), r"column 'g' holds -1\.\..*outside 0\.\."),
    "group past the end": (set_counts("g", 99), r"column 'g' holds .*99, outside 0\.\."),
    "zero count": (set_counts("count", 0), "column 'count' holds 0"),
    "docfreq above count": (set_counts("docfreq", 10**6), "docfreq exceeds its count"),
    "n out of range": (set_counts("n", 5), r"column 'n' holds .*outside 1\.\.2"),
    "ngram of the wrong length": (set_counts("ngram", "a b c"), "does not hold n tokens"),
    "float counts": (lambda s: s.__setitem__("counts", s["counts"].astype({"count": float})),
                     "column 'count' must be int64"),
    "missing column": (lambda s: s.__setitem__("counts", s["counts"].drop(columns="docfreq")),
                       r"lacks the column\(s\) \['docfreq'\]"),
    "counts not a frame": (lambda s: s.__setitem__("counts", [1, 2]),
                           "counts must be a DataFrame, not list"),
    "negative tokens": (lambda s: s["groups"].__setitem__("tokens", -s["groups"]["tokens"]),
                        "column 'tokens' holds -"),
    "by names a result column": (lambda s: s.__setitem__("by", ["count", "source"]),
                                 r"by column\(s\) \['count'\] have the name of a result"),
    "by not the groups' columns": (lambda s: s.__setitem__("by", ["year"]),
                                   "do not match by="),
    "bad orders": (lambda s: s.__setitem__("n", (2, 1)), "n must be"),
    "state not a dict": (None, "expected a dict, not list"),
    "count above the group's tokens": (set_counts("count", 10**15),
                                       "a count exceeds the tokens of its group"),
    "empty ngram": (set_counts("ngram", ""), "does not hold n tokens"),
    "unknown tokenizer option": (lambda s: s["tokenizer"].__setitem__("shout", True),
                                 r"unknown option\(s\) \['shout'\]"),
    "duplicate row": (lambda s: s.__setitem__("counts", pd.concat([s["counts"],
                                                                   s["counts"].iloc[:1]],
                                                                  ignore_index=True)),
                      r"an \(ngram, group\) pair appears twice"),
}


@pytest.mark.parametrize("name", list(NGRAM_DAMAGE))
def test_damaged_ngram_states_are_refused(ngram_table, name):
    edit, message = NGRAM_DAMAGE[name]
    state = ngram_state(ngram_table)
    if edit is None:
        state = [state]
    else:
        edit(state)
    with pytest.raises(ValueError, match="not a valid NgramCounts state: .*" + message):
        restore(NgramCounts, state)


def test_damaged_marker_states_are_refused(marker_table):
    good = marker_table.__getstate__()
    cases = {
        "a (1, 1) hits array": ("hits", np.ones((1, 1), dtype=np.int64), r"shape \(3, 12\)"),
        "float hits": ("hits", good["hits"].astype(float), "int64 array"),
        "negative hits": ("hits", -good["hits"] - 1, "negative"),
        "docs with hits above the hits": ("docs_with", good["docs_with"] + 5,
                                          "docs_with exceeds"),
        "repeated categories": ("categories", ["a"] * 12, "distinct"),
        "by names a result column": ("by", ["hits"], "name of a result column"),
    }
    for name, (key, value, message) in cases.items():
        state = copy.deepcopy(good)
        state[key] = value
        with pytest.raises(ValueError, match="not a valid MarkerCounts state: .*" + message):
            restore(MarkerCounts, state)


def test_random_mutations_fail_cleanly_or_round_trip(ngram_table, marker_table):
    """Seeded mutations of both kinds of state: each restores to a table that renders, or
    raises ValueError/TypeError on loading; never another error, never later."""
    rng = random.Random(12)
    values = [-1, 0, 1, 2, 10**9, 2**63, -2**63, 1.5, float("nan"), None, "x", "", [], {},
              (1,), np.int64(3), np.array([1, 2]), pd.DataFrame()]
    outcomes = {"restored": 0, "refused": 0}
    for _ in range(400):
        kind = rng.choice([NgramCounts, MarkerCounts])
        state = copy.deepcopy((ngram_table if kind is NgramCounts else marker_table)
                              .__getstate__())
        key = rng.choice(sorted(state))
        value = state[key]
        if isinstance(value, pd.DataFrame) and len(value) and rng.random() < 0.7:
            col = rng.choice(list(value.columns))
            row = rng.randrange(len(value))
            try:
                value.loc[row, col] = rng.choice(values)
            except Exception:  # pandas itself cannot store that value there
                continue
        elif isinstance(value, np.ndarray) and value.size and rng.random() < 0.7:
            value.flat[rng.randrange(value.size)] = rng.choice([-1, 0, 7, 10**12])
        else:
            state[key] = rng.choice(values)
        try:
            t = restore(kind, state)
        except (ValueError, TypeError):
            outcomes["refused"] += 1
            continue
        t.to_frame()
        t.to_frame(fill=True) if t.by else None
        pickle.loads(pickle.dumps(t))
        outcomes["restored"] += 1
    assert outcomes["refused"] > 100 and outcomes["restored"] > 10, outcomes


@pytest.mark.parametrize("name", ["ngram", "n", "count", "docfreq", "per_10k", "tokens", "docs"])
def test_ngram_tables_refuse_a_by_column_named_like_a_result_column(name):
    c = nc.Corpus(["we condemn it", "we note it"], meta={name: [1, 2]})
    with pytest.raises(ValueError, match=rf"by= column\(s\) \['{name}'\] have the name of a "
                       "result column"):
        c.count_ngrams(1, by=name)
    with pytest.raises(ValueError, match="have the name of a result column"):
        c.ngrams(1, by=name) if name not in ("tokens", "docs") else c.count_ngrams(1, by=name)


@pytest.mark.parametrize("name", ["category", "hits", "tokens", "per_10k", "docs_with_hits",
                                  "docs"])
def test_marker_tables_refuse_a_by_column_named_like_a_result_column(name):
    c = nc.Corpus(["we condemn it", "we note it"], meta={name: [1, 2]})
    for call in (lambda: c.count_markers(by=name), lambda: c.marker_rates(by=name)):
        with pytest.raises(ValueError, match="have the name of a result column"):
            call()
