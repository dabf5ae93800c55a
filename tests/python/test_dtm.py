"""Document-term matrices: scikit-learn's counts, faithful n-grams, groups, min_count, stop
words, zero-copy CSR arrays, and scikit-learn estimators that accept them."""
import random

import numpy as np
import pytest

import natocyber as nc

sp = pytest.importorskip("scipy.sparse")

TEXTS = [
    "Allies strongly condemn the attack. We will respond at a time and in a manner of our "
    "choosing.",
    "NATO strongly condemns Russia’s malicious cyber activity; the Council stands united.",
    "",
    "The EU condemns it, strongly. Strongly condemn! Ｃyber-attacks on 3 May 2024 😀 were "
    "reckless.",
    "at a time and in a manner of our choosing, at a time and place of our own choosing",
]
META = {"year": [2018, 2024, 2020, 2024, 2018], "source": ["NATO", "NATO", "EU", "EU", "UK"]}


def corpus(**kw):
    return nc.Corpus(TEXTS, META, **kw)


def faithful_ngrams(c, d, nmin, nmax, stop=()):
    """Reference n-grams of document d: runs of tokens without a barrier or stop word."""
    ids, _, _, _, barrier = c.store.core.doc_tokens(d)
    ids = np.frombuffer(ids, dtype=np.uint32)
    barrier = np.frombuffer(barrier, dtype=np.uint8)
    vocab = c.vocabulary
    words = [vocab[i] for i in ids]
    out = []
    for start in range(len(words)):
        for n in range(nmin, nmax + 1):
            run = words[start:start + n]
            if len(run) < n or any(barrier[start + 1:start + n]) or set(run) & set(stop):
                continue
            out.append(" ".join(run))
    return out


def test_unigrams_equal_countvectorizer_with_natocyber_tokens():
    from sklearn.feature_extraction.text import CountVectorizer

    c = corpus()
    X, vocab = c.dtm()
    cv = CountVectorizer(tokenizer=nc.tokenize, lowercase=False, token_pattern=None)
    Y = cv.fit_transform(TEXTS)
    assert vocab == cv.get_feature_names_out().tolist()   # same code-point order
    assert X.shape == Y.shape == (5, len(vocab))
    assert (X != Y).nnz == 0
    assert X.dtype == Y.dtype == np.int64


@pytest.mark.parametrize("n", [(1, 3), (2, 2), (1, 8), (4, 5)])
def test_ngrams_equal_a_countvectorizer_with_a_faithful_analyzer(n):
    from sklearn.feature_extraction.text import CountVectorizer

    c = corpus()
    X, vocab = c.dtm(n=n)
    docs = list(range(len(c)))
    cv = CountVectorizer(analyzer=lambda d: faithful_ngrams(c, d, *n))
    Y = cv.fit_transform(docs)
    assert vocab == cv.get_feature_names_out().tolist()
    assert (X != Y).nnz == 0
    assert "at time" not in vocab                           # no phantom n-grams


def test_cells_equal_corpus_ngrams_per_document():
    c = nc.Corpus(TEXTS, {"doc_id": list(range(len(TEXTS)))})
    X, vocab = c.dtm(n=(1, 3))
    df = c.ngrams(n=(1, 3), by="doc_id")
    col = {g: i for i, g in enumerate(vocab)}
    dense = X.toarray()
    assert len(df) == X.nnz
    for g, d, k in zip(df.ngram, df.doc_id, df["count"]):
        assert dense[d, col[g]] == k


def test_rows_by_group_and_fill():
    c = corpus()
    X, vocab = c.dtm(n=(1, 2), by="year")
    keys = c.groups("year").keys
    assert keys.year.tolist() == [2018, 2020, 2024] and X.shape[0] == 3
    Xd, vocab_d = c.dtm(n=(1, 2))
    assert vocab == vocab_d
    codes = c.groups("year").codes
    for g in range(3):
        assert (X[g] != Xd[codes == g].sum(axis=0)).sum() == 0
    Xf, _ = c.dtm(n=1, by="year", fill=True)
    assert Xf.shape[0] == len(c.groups("year", fill=True).keys) == 7
    assert Xf[1:2].nnz == 0                                 # 2019: no documents
    X2, _ = c.dtm(n=1, by=["year", "source"])
    assert X2.shape[0] == len(c.groups(["year", "source"]).keys)


def test_min_count_keeps_columns_by_corpus_total():
    c = corpus()
    X, vocab = c.dtm(n=(1, 2))
    totals = np.asarray(X.sum(axis=0)).ravel()
    X3, vocab3 = c.dtm(n=(1, 2), min_count=3)
    keep = [v for v, t in zip(vocab, totals) if t >= 3]
    assert vocab3 == keep
    idx = [vocab.index(v) for v in keep]
    assert (X3 != X[:, idx]).nnz == 0
    # grouped rows use the same corpus totals
    Xg, vocab_g = c.dtm(n=(1, 2), by="source", min_count=3)
    assert vocab_g == keep


def test_stop_words_are_removed_and_never_bridged():
    from sklearn.feature_extraction.text import CountVectorizer

    c = corpus()
    X, vocab = c.dtm(n=(1, 3), stopwords=["a", "the", "The"])
    assert not any(w in ("a", "the") for g in vocab for w in g.split())
    assert "at time" not in vocab and "time and in" in vocab
    cv = CountVectorizer(analyzer=lambda d: faithful_ngrams(c, d, 1, 3, stop=("a", "the")))
    Y = cv.fit_transform(range(len(c)))
    assert vocab == cv.get_feature_names_out().tolist() and (X != Y).nnz == 0


def test_random_corpora_and_any_number_of_workers():
    words = ["nato", "allies", "condemn", "strongly", "the", "a", "cyber", "attack", "ＮＡＴＯ",
             "Russia’s", "U.S.", "Art. 5", "2024", "é", "😀"]
    seps = [" "] * 8 + [". ", ", ", "; ", "\n\n"]
    rng = random.Random(7)
    texts = [" ".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randrange(0, 60)))
             for _ in range(120)]
    c = nc.Corpus(texts, {"k": [i % 5 for i in range(120)]})
    ref, ref_vocab = c.dtm(n=(1, 4), by="k", min_count=2, workers=1)
    for w in (2, 3, 7):
        X, vocab = c.dtm(n=(1, 4), by="k", min_count=2, workers=w)
        assert vocab == ref_vocab and (X != ref).nnz == 0
    df = c.ngrams(n=(1, 4), by="k", min_count=2)
    col = {g: i for i, g in enumerate(ref_vocab)}
    assert sorted(col) == sorted(set(df.ngram))
    dense = ref.toarray()
    assert all(dense[k, col[g]] == n for g, k, n in zip(df.ngram, df.k, df["count"]))


def test_arrays_come_from_the_core_without_a_copy():
    c = corpus()
    X, _ = c.dtm(n=(1, 2))
    assert X.indices.dtype == X.indptr.dtype == np.int32
    for arr in (X.data, X.indices, X.indptr):
        base = arr
        while isinstance(base, np.ndarray) and base.base is not None:
            base = base.base
        if isinstance(base, memoryview):
            base = base.obj
        assert type(base).__name__ == "_Buffer"            # the C core's memory, not a copy
    assert X.has_canonical_format and X.has_sorted_indices
    check = X.copy()
    check.has_sorted_indices = False
    check.sort_indices()
    assert np.array_equal(check.indices, X.indices)        # really sorted
    before = X.sum()
    X.data *= 2                                            # the matrix owns writable arrays
    assert X.sum() == 2 * before
    X.eliminate_zeros()


def test_estimators_accept_the_matrix(sample):
    from sklearn.decomposition import LatentDirichletAllocation, TruncatedSVD
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    c = sample
    X, vocab = c.dtm(n=(1, 2), min_count=2)
    y = (c.meta["year"] >= 2021).to_numpy() if "year" in c.meta else np.arange(len(c)) % 2
    assert X.shape == (len(c), len(vocab))
    model = make_pipeline(TfidfTransformer(), LogisticRegression(max_iter=500)).fit(X, y)
    assert model.predict(X).shape == (len(c),)
    assert MultinomialNB().fit(X, y).score(X, y) > 0.5
    assert TruncatedSVD(n_components=2, random_state=0).fit_transform(X).shape == (len(c), 2)
    LatentDirichletAllocation(n_components=2, max_iter=2, random_state=0).fit(X)


def test_empty_corpus_and_empty_documents():
    X, vocab = nc.Corpus([]).dtm(n=(1, 3))
    assert X.shape == (0, 0) and vocab == []
    X, vocab = nc.Corpus(["", "!!!"]).dtm()
    assert X.shape == (2, 0) and X.nnz == 0


def test_bad_arguments():
    c = corpus()
    with pytest.raises(ValueError, match="n-gram orders"):
        c.dtm(n=(0, 2))
    with pytest.raises(ValueError, match="min_count must be an integer from 1 to"):
        c.dtm(min_count=0)
    with pytest.raises(ValueError, match="unknown metadata column"):
        c.dtm(by="decade")
    with pytest.raises(TypeError, match="stopwords"):
        c.dtm(stopwords="the")


def test_progress_counts_documents():
    # every worker reads every document; worker 0 reports, left-out documents count at once
    texts = [" ".join(f"w{(i * d) % 97}" for i in range(2000)) + "." for d in range(300)]
    c = nc.Corpus(texts)
    rows = np.array([-1 if d % 7 == 3 else d for d in range(len(texts))], dtype=np.int32)
    for workers in (1, 2, 20_000):
        seen = []
        ip, ix, data, _, _, _ = c.store.core.dtm(rows, len(texts), 1, 2, workers=workers,
                                             progress=seen.append)
        assert seen and seen[-1] == len(texts)
        assert seen == sorted(set(seen))  # called when the count moved, never backwards
