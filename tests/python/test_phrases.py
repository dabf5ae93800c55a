"""Phrases given to frequency(), trend() and dispersion(): the round trip from ngrams(), and
globs."""
import random

import numpy as np
import pandas as pd
import pytest

import natocyber as nc

# pieces that tokenize differently alone than in running text, or normalize oddly
PIECES = ["Gen.", "Smith", "gen.", "U.S.", "No.", "3", "Art.", "5", "Russia’s", "NATO's",
          "cyber-attack", "co‑ordinated", "1,000", "2.5", "ＮＡＴＯ", "ﬁnal", "soft\u00adware",
          "e.g.", "i.e.", "a.b", "St.", "Dr.", "condemn", "strongly", "we", "the", "attack",
          "Mr.", "Jan.", "vs.", "«quoted»", "“curly”", "don't", "can’t", "naïve", "ǅ", "İstanbul",
          "x²", "½", "😀", "—", "...", ",", ";", ":", "(", ")", "!", "?", "\n", "\n\n", "'s",
          "cyber–attack", "e-mail", "30%", "$5", "#tag", "@user", "ﷺ", "a´b", "10\u202f000"]
OPTIONS = [{}, {"hyphens": "split"}, {"keep_punct": True}, {"stem": "english"},
           {"keep_case": True}, {"drop_numbers": True}, {"keep_symbols": True}]


def random_corpus(rng):
    docs = []
    for _ in range(rng.randint(1, 4)):
        words = [rng.choice(PIECES) for _ in range(rng.randint(1, 25))]
        docs.append(" ".join(words) if rng.random() < 0.8 else "".join(words))
    return docs


def test_every_ngram_counts_the_same_when_given_back():
    """ngrams() rows fed back into frequency() (the issue: wrong in 37 of 200 corpora)."""
    rng = random.Random(20261208)
    checked = 0
    for k in range(240):
        opts = OPTIONS[k % len(OPTIONS)]
        c = nc.Corpus(random_corpus(rng), **opts)
        ng = c.ngrams(n=(1, 3))
        if not len(ng):
            continue
        f = c.frequency(ng.ngram.tolist())
        bad = ng[f["count"].to_numpy() != ng["count"].to_numpy()]
        assert bad.empty, (opts, c.texts, bad.ngram.tolist())
        assert (f["docfreq"].to_numpy() == ng["docfreq"].to_numpy()).all(), (opts, c.texts)
        assert (f["ngram"].to_numpy() == ng["ngram"].to_numpy()).all()
        checked += len(ng)
    assert checked > 5000


def test_abbreviation_phrase_round_trip():
    c = nc.Corpus(["Gen. Smith met them. We condemn it.", "Gen. Smith said no."],
                  meta={"year": [2020, 2021]})
    ng = c.ngrams(2, by="year")
    assert ng[ng.ngram == "gen. smith"]["count"].tolist() == [1, 1]
    assert c.frequency("gen. smith", by="year")["count"].tolist() == [1, 1]
    assert c.frequency("Gen. Smith")["count"].item() == 2     # as written in the text


def test_globs_count_every_form():
    c = nc.Corpus(["Terrorism and terrorists spread terror.", "Counter-terror work. Terror!"],
                  meta={"year": [2001, 2002]})
    f = c.frequency(["terror*", "terror"], by="year")
    assert f.ngram.tolist() == ["terror*", "terror*", "terror", "terror"]
    assert f["count"].tolist() == [3, 1, 1, 1]
    assert f["docfreq"].tolist() == [1, 1, 1, 1]
    # the same as kwic finds, and never across punctuation or sentences
    assert len(c.kwic("terror*")) == 4
    assert c.frequency("*ism and terror*")["count"].item() == 1
    assert c.frequency("*terror work")["count"].item() == 1   # counter-terror is one token
    t = c.trend(["terror*"], fill=False)
    assert t["count"].tolist() == [3, 1]
    d = c.dispersion(["terror*"])
    assert d["count"].item() == 4 and d["range"].item() == 2


def test_glob_special_characters_and_mistakes():
    c = nc.Corpus(["It was (a) test; tests and tested."], keep_punct=True)
    assert c.frequency("test*")["count"].item() == 3
    with pytest.raises(ValueError, match=r"phrase 0 \('ter\*ror'\): 'ter\*ror' is not a glob"):
        c.frequency("ter*ror")
    with pytest.raises(ValueError, match=r"phrase 1 .*'\*' is not a glob"):
        c.frequency(["test", "*"])
    with pytest.raises(ValueError, match=r"the glob 'cyber,war\*' must hold one word, but "
                       r"'cyber,war' is 3 tokens"):
        c.frequency("cyber,war*")
    with pytest.raises(TypeError, match="phrase 1 is int, not str"):
        c.frequency(["test", 5])


def test_phrases_order_and_duplicates_are_kept():
    c = nc.Corpus(["we condemn it", "we condemn"])
    f = c.frequency(["condemn", "we*", "condemn"])
    assert f.phrase.tolist() == ["condemn", "we*", "condemn"]
    assert f["count"].tolist() == [2, 2, 2]
    assert isinstance(f, pd.DataFrame) and f["count"].dtype == np.int64
