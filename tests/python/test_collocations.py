"""Collocations through the public API, against quanteda, NLTK and gensim reference values
and against a direct reimplementation of quanteda's algorithm."""
import doctest
import itertools
import math
import os
import re
from collections import Counter

import numpy as np
import pytest

import natocyber as nc
from natocyber import _core
from natocyber import collocations as colloc_mod
from natocyber import stats


def sig6(got, want):
    assert got == pytest.approx(want, rel=5e-7, abs=0), (got, want)


def test_quanteda_lambda_and_z():
    # quanteda.textstats: textstat_collocations(c("I like good ice cream.",
    # "Me too!  I like good ice cream."), min_count = 2)
    c = nc.Corpus(["I like good ice cream.", "Me too!  I like good ice cream."])
    col = c.collocations(size=2, min_count=2)
    assert list(col.columns) == colloc_mod.COLLOCATION_COLUMNS
    assert sorted(col.collocation) == ["good ice", "i like", "ice cream", "like good"]
    assert (col["count"] == 2).all() and (col.length == 2).all()
    for v in col["lambda"]:
        sig6(v, 4.317488)
    for v in col.z:
        sig6(v, 2.027787)
    sig6(col["lambda"][0], math.log(75))  # (2.5 * 7.5) / (0.5 * 0.5)


def test_nltk_bigram_measures():
    # NLTK BigramCollocationFinder.from_words(words) on these 20 words: "cyber attack" has
    # n_ii = 2, n_ix = n_xi = 4, n_xx = 20; likelihood_ratio = 2.4142743368419755,
    # pmi = log2(40 / 16), student_t = (2 - 0.8) / sqrt(2).
    text = ("cyber attack on the cyber attack was a cyber threat and an attack we saw cyber "
            "crime then attack again")
    c = nc.Corpus([text])
    assert c.n_tokens[0] == 20
    col = c.collocations(size=2, min_count=2)
    r = col[col.collocation == "cyber attack"].iloc[0]
    assert r["count"] == 2
    sig6(r.ll, 2.4142743368419755)
    sig6(r.pmi, math.log2(2.5))
    sig6(r.t_score, 1.2 / math.sqrt(2))
    sig6(r.log_dice, 13.0)
    sig6(r.npmi, math.log(2.5) / -math.log(0.1))


GENSIM_SENTENCES = [  # gensim.test.utils.common_texts and test_phrases' extra sentence
    "human interface computer", "survey user computer system response time",
    "eps user interface system", "system human system eps", "user response time", "trees",
    "graph trees", "graph minors trees", "graph minors survey",
    "graph minors survey human interface",
]


def test_gensim_npmi():
    # gensim Phrases(sentences, min_count=1, threshold=1, scoring="npmi"): "graph minors"
    # scores 0.8815 (34 words; graph x 4, minors x 3, graph minors x 3).
    c = nc.Corpus(GENSIM_SENTENCES)
    assert int(c.n_tokens.sum()) == 34
    col = c.collocations(size=2, min_count=1)
    r = col[col.collocation == "graph minors"].iloc[0]
    assert r["count"] == 3
    assert round(r.npmi, 4) == 0.8815
    sig6(r.npmi, math.log(8.5) / math.log(34 / 3))
    # gensim's default scorer needs len(vocab) = 31 unigram and bigram types
    ntypes = len(set(" ".join(GENSIM_SENTENCES).split()))
    nbigrams = len({b for s in GENSIM_SENTENCES for b in zip(s.split(), s.split()[1:])})
    assert ntypes + nbigrams == 31
    score = stats.bigram_assoc([3], [4], [3], 34, "gensim", min_count=1,
                               vocab_size=ntypes + nbigrams)
    assert round(float(score[0]), 4) == 5.1667


def naive_quanteda(texts, k, min_count, smoothing=0.5):
    """quanteda's algorithm on lower-cased words, with every run of words between
    punctuation as a segment: each sequence compared with every window of k words."""
    windows = []
    for t in texts:
        for seg in re.split(r"[.,;:!?]", t.lower()):
            w = seg.split()
            windows += [tuple(w[i:i + k]) for i in range(len(w) - k + 1)]
    counts = Counter(windows)
    out = {}
    for seq, n in counts.items():
        if n < min_count:
            continue
        cells = np.full(1 << k, smoothing)
        for other, m in counts.items():
            cells[sum(1 << j for j in range(k) if other[j] == seq[j])] += m
        lam = sum((-1) ** (k - bin(b).count("1")) * math.log(cells[b]) for b in range(1 << k))
        out[" ".join(seq)] = (n, lam, lam / math.sqrt((1 / cells).sum()))
    return out


def test_against_quanteda_algorithm():
    rng = np.random.default_rng(5)
    words = "we strongly condemn the attack and stand with our allies in response".split()
    texts = []
    for _ in range(30):
        n = rng.integers(0, 40)
        toks = [words[i] for i in rng.integers(0, len(words) // 2 + rng.integers(0, 6), n)]
        text = ""
        for i, w in enumerate(toks):
            text += (" " if i else "") + w + ("." if rng.random() < 0.1 else
                                               "," if rng.random() < 0.05 else "")
        texts.append(text)
    c = nc.Corpus(texts)
    for k, mc in itertools.product((2, 3, 4), (1, 2)):
        want = naive_quanteda(texts, k, mc)
        got = c.collocations(size=k, min_count=mc, workers=2)
        assert sorted(got.collocation) == sorted(want), (k, mc)
        for r in got.itertuples():
            n, lam, z = want[r.collocation]
            assert r.count == n
            assert r._4 == pytest.approx(lam, rel=1e-12, abs=1e-12)   # lambda
            assert r.z == pytest.approx(z, rel=1e-12, abs=1e-12)


def test_sizes_sort_and_sentence_barrier():
    c = nc.Corpus(["At a time and in a manner of our choosing. At a time and in a manner of "
                   "our choosing. Manner of our choosing at a time."])
    col = c.collocations(size=(2, 4), min_count=2)
    assert set(col.length) == {2, 3, 4}
    assert col.z.is_monotonic_decreasing
    assert "choosing at" not in set(col.collocation)   # would span a sentence end
    longer = col[col.length > 2]
    assert longer[["pmi", "npmi", "ll", "t_score", "log_dice"]].isna().all().all()
    bigrams = col[col.length == 2]
    assert np.isfinite(bigrams[["lambda", "z", "pmi", "npmi", "ll", "t_score",
                                "log_dice"]].to_numpy()).all()


def test_stopwords_are_pads():
    # quanteda: tokens_remove(stopwords, padding = TRUE). A sequence holding a pad is not
    # scored, but windows holding one still count in the tables of the others.
    c = nc.Corpus(["the attack was the attack", "attack was bad"])
    plain = c.collocations(size=2, min_count=1)
    pads = c.collocations(size=2, min_count=1, stopwords=["the"])
    assert "the attack" in set(plain.collocation)
    assert set(pads.collocation) == {"attack was", "was bad"}
    # windows: the-attack x2, attack-was x2, was-the, was-bad: "attack was" has cells
    # [neither 4, first word only 0, second only 0, both 2]
    lam, _, z = stats.colloc_lambda([4, 0, 0, 2], 2)
    r = pads[pads.collocation == "attack was"].iloc[0]
    assert r["count"] == 2
    sig6(r["lambda"], lam[0])
    sig6(r.z, z[0])
    # word counts for the bigram measures leave the stop word out: 6 tokens
    sig6(r.pmi, math.log2(2 * 6 / (3 * 2)))


def test_empty_and_bad_input():
    c = nc.Corpus(["one two", ""])
    empty = c.collocations(size=3, min_count=1)
    assert empty.empty and list(empty.columns) == colloc_mod.COLLOCATION_COLUMNS
    for size in (1, 6, (3, 2), "2", (1, 3)):
        with pytest.raises(ValueError, match="size must be"):
            c.collocations(size=size)
    with pytest.raises(ValueError, match="min_count must be an integer from 1 to"):
        c.collocations(min_count=0)
    with pytest.raises(ValueError, match="smoothing"):
        c.collocations(smoothing=-1)


def test_large_corpus_smoke():
    text = " ".join(f"w{i % 97} w{(i * 7) % 89}" for i in range(20000)) + "."
    c = nc.Corpus([text] * 3)
    col = c.collocations(size=(2, 4), min_count=5, workers=2)
    assert len(col) > 100 and np.isfinite(col[["lambda", "z"]].to_numpy()).all()


def test_docstring_examples():
    res = doctest.testmod(colloc_mod)
    assert res.failed == 0


def test_threads_share_a_corpus():
    # counting runs without the GIL over the immutable token store
    from concurrent.futures import ThreadPoolExecutor
    text = " ".join(f"w{i % 41} w{(i * 7) % 37}." if i % 9 == 0 else f"w{i % 41}"
                    for i in range(30000))
    c = nc.Corpus([text, text[::-1]])
    want = c.collocations(size=(2, 3), min_count=3)
    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda _: c.collocations(size=(2, 3), min_count=3), range(8)))
    for g in got:
        assert g.equals(want)


def threads_now():
    return len(os.listdir("/proc/self/task"))


def test_progress_counts_documents_and_threads_are_limited():
    # every scan reads every document: a document is done once all scans have read it
    texts = [" ".join(f"w{(i * d) % 53} w{i % 47}" for i in range(3000)) + "." for d in range(150)]
    c = nc.Corpus(texts)
    want = _core.count_collocations(c.store.core, 3, 2, workers=1)
    on_linux = os.path.isdir("/proc/self/task")
    before = threads_now() if on_linux else 0
    seen, threads = [], []

    def progress(done):
        seen.append(done)
        if on_linux:
            threads.append(threads_now())

    # 20,000 threads requested: at most 64 start (7 for the scans of size 3)
    got = _core.count_collocations(c.store.core, 3, 2, workers=20_000, progress=progress)
    assert seen and seen[-1] == len(texts)
    assert seen == sorted(set(seen))  # called when the count moved, never backwards
    assert not on_linux or max(threads) - before <= 64
    assert got[0] == want[0]
    assert bytes(got[2]) == bytes(want[2])
    # nothing to score: every document is still reported done
    seen.clear()
    _core.count_collocations(nc.Corpus(["a b", "c"]).store.core, 5, 1, progress=seen.append)
    assert seen == [2]
