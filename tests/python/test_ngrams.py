"""Phrase frequencies: faithful n-grams, groups, frequency(), workers, memory, streaming."""
import collections
import random

import numpy as np
import pandas as pd
import pytest

import natocyber as nc

STATEMENTS = [
    "We will respond at a time and in a manner of our choosing. Allies strongly condemn it.",
    "NATO strongly condemns the attack; at a time like this, Allies stand united.",
    "The Council, in the strongest terms, condemns it. I agree.",
    "",
]
META = {"year": [2020, 2024, 2024, 2022], "source": ["NATO", "NATO", "EU", "EU"]}


def corpus(**kw):
    return nc.Corpus(STATEMENTS, META, **kw)


def counts(df, **where):
    sel = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        sel &= (df[k] == v).to_numpy()
    return dict(zip(df[sel].ngram, df[sel]["count"]))


def test_columns_and_order():
    df = corpus().ngrams(n=(1, 3), by="year")
    assert list(df.columns) == ["ngram", "n", "year", "count", "docfreq", "per_10k"]
    key = list(zip(-df["count"], df.ngram, df.year))
    assert key == sorted(key)
    assert df.n.tolist() == [len(g.split()) for g in df.ngram]


def test_ngrams_never_cross_sentences_or_punctuation():
    df = corpus().ngrams(n=2)
    grams = set(df.ngram)
    assert "choosing allies" not in grams          # sentence boundary
    assert "attack at" not in grams                # semicolon
    assert "council in" not in grams and "terms condemns" not in grams  # commas
    assert "it i" not in grams
    assert {"a time", "at a", "i agree", "strongly condemn"} <= grams  # one-letter words kept


def test_stop_words_are_barriers_not_bridges():
    df = corpus().ngrams(n=2, stopwords=["a", "the"])
    grams = set(df.ngram)
    assert "at time" not in grams and "in manner" not in grams
    assert "a time" not in grams
    assert "of our" in grams


def test_counts_docfreq_and_rates_by_group():
    c = corpus()
    df = c.ngrams(n=1, by="year")
    y2024 = counts(df, year=2024)
    assert y2024["condemns"] == 2 and y2024["it"] == 1 and y2024["strongly"] == 1
    row = df[(df.ngram == "condemns") & (df.year == 2024)].iloc[0]
    assert row.docfreq == 2
    tokens_2024 = int(c.summary().query("year == 2024").tokens.sum())
    assert row.per_10k == pytest.approx(2 * 10000 / tokens_2024)


def test_two_by_columns_and_meta_forms():
    frames = [nc.Corpus(STATEMENTS, META).ngrams(n=2, by=["year", "source"]),
              nc.Corpus(STATEMENTS, pd.DataFrame(META)).ngrams(n=2, by=["year", "source"]),
              nc.Corpus(STATEMENTS, [dict(year=y, source=s) for y, s in zip(*META.values())])
              .ngrams(n=2, by=["year", "source"])]
    for f in frames[1:]:
        pd.testing.assert_frame_equal(f, frames[0])
    assert set(map(tuple, frames[0][["year", "source"]].values)) == {(2020, "NATO"), (2024, "NATO"),
                                                                     (2024, "EU")}


def test_min_count_is_on_corpus_totals_and_top_is_per_group():
    c = corpus()
    df = c.ngrams(n=2, by="year", min_count=2)
    assert set(df.ngram) == {"a time", "at a"}
    assert set(df.year) == {2020, 2024}      # both years of a kept n-gram are reported
    top = c.ngrams(n=1, by="year", top=2)
    assert top.groupby("year").size().max() == 2
    assert counts(top, year=2024) == {"the": 3, "condemns": 2}


def test_fill_year_grid():
    c = corpus()
    f = c.frequency(["strongly condemn"], by="year", fill=True)
    assert f.year.tolist() == [2020, 2021, 2022, 2023, 2024]
    assert f["count"].tolist() == [1, 0, 0, 0, 0]
    assert np.isnan(f.loc[f.year == 2021, "per_10k"].item())   # no text: no rate
    g = c.ngrams(n=2, by="year", min_count=2, fill={"year": range(2019, 2026)})
    assert set(g.year) == set(range(2019, 2026))
    assert len(g) == 2 * 7


def test_frequency_normalizes_phrases_like_the_text():
    c = nc.Corpus(["NATO’s response: Allies STRONGLY CONDEMN it.", "Ｓｔｒｏｎｇｌｙ condemn!"])
    f = c.frequency(["strongly condemn", "NATO's response", "nato’s   response"])
    assert f["count"].tolist() == [2, 1, 1]
    assert f.ngram.tolist() == ["strongly condemn", "nato's response", "nato's response"]
    assert c.frequency("response allies")["count"].item() == 0   # across the colon


def test_phrase_frequency_equals_ngram_count():
    c = corpus()
    ng = c.ngrams(n=(1, 4), by="year")
    phrases = ["strongly condemn", "at a time", "a manner of our", "condemns it", "in the"]
    fr = c.frequency(phrases, by="year")
    for p in phrases:
        for year in (2020, 2022, 2024):
            expect = ng[(ng.ngram == p) & (ng.year == year)]["count"].sum()
            got = fr[(fr.phrase == p) & (fr.year == year)]["count"].item()
            assert got == expect, (p, year)


WORDS = ["the", "a", "i", "condemn", "strongly", "response", "coordinated", "cyber", "nato", "allies",
         "we", "will", "at", "time", "manner", "of", "our", "choosing", "Russia’s", "ＧＲＵ", "2024"]
SEPS = [" ", " ", " ", " ", ", ", "; ", " — ", " 😀 ", ". ", "! ", "\n\n", " (", ") "]


def random_text(rng):
    parts = []
    for _ in range(rng.randint(0, 60)):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice(SEPS))
    return "".join(parts)


def reference_ngrams(texts, nmax):
    """Independent count from the token records: two tokens are adjacent when only white
    space separates them in the source and they share a sentence."""
    total, df = collections.Counter(), collections.Counter()
    for text in texts:
        toks = nc.tokens(text)
        runs, run = [], []
        for prev, t in zip([None] + toks[:-1], toks):
            if prev is not None and (prev.sentence != t.sentence or text[prev.end:t.start].strip()):
                runs.append(run)
                run = []
            run.append(t.norm)
        runs.append(run)
        seen = set()
        for run in runs:
            for n in range(1, nmax + 1):
                for i in range(len(run) - n + 1):
                    g = " ".join(run[i:i + n])
                    total[g] += 1
                    seen.add(g)
        df.update(seen)
    return total, df


@pytest.mark.parametrize("seed", range(5))
def test_against_reference_implementation(seed):
    rng = random.Random(seed)
    texts = [random_text(rng) for _ in range(40)]
    total, df = reference_ngrams(texts, 4)
    got = nc.Corpus(texts, workers=2).ngrams(n=(1, 4))
    assert dict(zip(got.ngram, got["count"])) == dict(total)
    assert dict(zip(got.ngram, got.docfreq)) == dict(df)


def test_results_do_not_depend_on_workers():
    rng = random.Random(7)
    texts = [random_text(rng) for _ in range(200)]
    meta = {"year": [2014 + i % 5 for i in range(200)]}
    ref = nc.Corpus(texts, meta, workers=1)
    base = ref.ngrams(n=(1, 3), by="year", workers=1)
    for w in (2, 3, 8):
        c = nc.Corpus(texts, meta, workers=w)
        assert c.vocabulary == ref.vocabulary
        pd.testing.assert_frame_equal(c.ngrams(n=(1, 3), by="year", workers=w), base)
    pd.testing.assert_frame_equal(ref.frequency(["we will", "at a time"], by="year", workers=3),
                                  ref.frequency(["we will", "at a time"], by="year", workers=1))


@pytest.mark.parametrize("column", ["year", "weight", "source", "day"])
def test_by_column_written_by_the_core_equals_the_gathered_one(column, monkeypatch):
    # a lone by column of an 8-byte number type is written per row by the core;
    # every other type is gathered in Python: both give the same column and dtype
    rng = random.Random(3)
    texts = [random_text(rng) for _ in range(120)]
    meta = pd.DataFrame({"year": np.arange(120, dtype=np.int64) % 7 + 2015,
                         "weight": (np.arange(120) % 5) * 0.5 - 1.0,
                         "source": [f"s{i % 4}" for i in range(120)],
                         "day": (np.arange(120) % 3).astype(np.int16)})
    c = nc.Corpus(texts, meta, workers=2)
    fast = c.ngrams(n=(1, 3), by=column, top=30)
    written = nc._groups.Groups.fixed_key
    monkeypatch.setattr(nc._groups.Groups, "fixed_key", lambda self: None)
    slow = c.ngrams(n=(1, 3), by=column, top=30)
    monkeypatch.setattr(nc._groups.Groups, "fixed_key", written)
    assert fast[column].dtype == meta[column].dtype
    assert len(fast) >= 30 * fast[column].nunique() > 60
    pd.testing.assert_frame_equal(fast, slow)
    # which path each type takes
    from natocyber._groups import Groups
    key = Groups(meta, column, None).fixed_key()
    assert (key is not None) == (column in ("year", "weight"))
    assert Groups(meta, ["year", "source"], None).fixed_key() is None


def test_orders_up_to_eight():
    text = "one two three four five six seven eight nine"
    df = nc.Corpus([text]).ngrams(n=8)
    assert df.ngram.tolist() == ["one two three four five six seven eight",
                                 "two three four five six seven eight nine"]


def test_token_store_is_compact():
    rng = random.Random(3)
    text = " ".join(rng.choice(WORDS) for _ in range(20000)) + "."
    c = nc.Corpus([text] * 20)
    utf8 = 20 * len(text.encode("utf-8"))
    mem = c.memory_usage()
    assert mem["token_bytes"] <= 2 * utf8
    assert mem["tokens"] == int(c.n_tokens.sum())


def test_streaming_counts_equal_corpus_counts():
    rng = random.Random(11)
    texts = [random_text(rng) for _ in range(60)]
    years = [2018 + i % 4 for i in range(60)]
    full = nc.Corpus(texts, {"year": years}).ngrams(n=(1, 3), by="year", min_count=2, top=20)
    streamed = nc.count_ngrams(zip(texts, ({"year": y} for y in years)), n=(1, 3), by="year",
                               batch_size=7, min_count=2, top=20)
    pd.testing.assert_frame_equal(streamed, full, check_dtype=False)


def test_from_dataframe_and_summary():
    df = pd.DataFrame({"text": ["We condemn it.", "Allies agree. They act."], "year": [2020, 2021]})
    c = nc.Corpus.from_dataframe(df)
    s = c.summary()
    assert s.columns.tolist() == ["doc", "year", "tokens", "sentences"]
    assert s.tokens.tolist() == [3, 4] and s.sentences.tolist() == [1, 2]
    assert len(c) == 2 and "2 documents" in repr(c)


def test_sample_corpus_loads():
    c = nc.sample_corpus()
    assert len(c) >= 36 and c.meta.year.min() == 2014
    f = c.frequency(["strongly condemn"], by="year", fill=True)
    assert 2015 in set(f.year) and f.loc[f.year == 2015, "count"].item() == 0


def test_fill_after_top_keeps_true_counts():
    c = nc.Corpus(["x x x x x y", "y y y y y x x x", "z"], meta={"year": [2020, 2021, 2023]})
    df = c.ngrams(1, by="year", top=1, fill=True)
    got = {(g, y): n for g, y, n in zip(df.ngram, df.year, df["count"])}
    assert got[("x", 2021)] == 3 and got[("y", 2020)] == 1      # not in the top, not zero
    assert got[("x", 2022)] == 0 and got[("z", 2020)] == 0
    assert len(df) == 3 * 4
    from_counts = c.count_ngrams(1, by="year").to_frame(top=1, fill=True)
    pd.testing.assert_frame_equal(from_counts, df)


def test_dtm_rows_are_documents_unless_grouped():
    c = nc.Corpus(["a b", "b c", "c d"], {"year": [1, 2, 2]})
    assert c.dtm()[0].shape == (3, 4)
    assert c.dtm(by="year")[0].shape == (2, 4)
    with pytest.raises(ValueError, match="needs by="):
        c.dtm(fill=True)
