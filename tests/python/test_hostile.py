"""Hostile inputs, kept as tests: what an attack run of the whole API found must stay fixed.

Every call either works or raises TypeError/ValueError (or a subclass: LoadError,
LexiconError, PatternError) naming the argument; never another exception, a crash, a hang
or a result that depends on the number of threads. Random inputs are seeded, so a failure
reproduces. The C core's sanitizer job (docs/testing.md) runs this module too.
"""
import gc
import re
import math
import random
import resource

import numpy as np
import pandas as pd
import pytest

import natocyber as nc

CLEAN = (TypeError, ValueError)

# characters that stress segmentation and normalization
ALPHABET = (list("abcdefghijklmnopqrstuvwxyz ABCXYZ.,;:!?'\"-()[]{}/\\@#$%&*0123456789\n\t")
            + ["\u00a0", "\u00ad", "\u200b", "\u200d", "\u2019", "\u2018", "\u201c", "\u2014",
               "\u2013", "\u2028", "\u3000", "\ufeff", "\u0301", "\u0308", "ﬁ", "Ｎ", "ǅ", "İ",
               "ß", "ς", "ẞ", "ﷺ", "´", "½", "²", "😀", "👍🏽", "🇪🇪", "\U0001f9d1\u200d\U0001f4bb",
               "\ud800", "\udfff", "\x00", "\x01", "\x7f", "\u0600", "ل", "א", "ש", "ä", "ö",
               "й", "Ж", "中", "文", "の", "ก", "ກ", "\u0e31", "\u0915\u094d", "\ufffd",
               "Gen. ", "U.S. ", "No. 5", "Art. 5", "e.g. ", "St. ", "…", "‼", "⁉"])


def random_text(rng, n=None):
    n = rng.randint(0, 120) if n is None else n
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def test_random_unicode_texts_keep_every_invariant():
    rng = random.Random(4711)
    texts = [random_text(rng) for _ in range(600)] + ["", " ", "\n" * 50, "a" * 100_000]
    opts = [{}, {"keep_punct": True, "keep_symbols": True}, {"hyphens": "split"},
            {"stem": "english", "drop_numbers": True}, {"keep_case": True, "paragraph_lines": True}]
    for o in opts:
        one = nc.Corpus(texts, workers=1, **o)
        two = nc.Corpus(texts, workers=2, **o)
        assert one.vocabulary == two.vocabulary
        pd.testing.assert_frame_equal(one.ngrams((1, 3)), two.ngrams((1, 3)))
        ng = one.ngrams((1, 3))
        # an n-gram of n tokens is n forms joined by single spaces: no form holds a space
        assert (ng.ngram.str.split(" ").str.len() == ng.n).all(), o
        assert not any(any(ch.isspace() for ch in f) for f in one.vocabulary), o
        tok = nc.Tokenizer(**o)
        for t in texts[:200]:
            toks = tok.tokens(t)
            ends = [0] + [x.end for x in toks]
            assert all(a <= x.start < x.end <= len(t) for a, x in zip(ends, toks)), (o, t)
            assert all(t[x.start:x.end] == x.text and x.norm for x in toks)
            spans = tok.sentences(t, spans=True)
            assert all(0 <= a <= b <= len(t) for a, b in spans)


def test_random_texts_count_like_a_naive_counter():
    rng = random.Random(99)
    for _ in range(60):
        texts = [random_text(rng, rng.randint(0, 60)) for _ in range(rng.randint(1, 6))]
        c = nc.Corpus(texts)
        expect = {}
        for t in texts:
            runs, last = [], None
            for tok in nc.tokens(t):
                # n-grams run over adjacent kept tokens of one sentence
                adjacent = (last is not None and tok.sentence == last.sentence
                            and not nc.tokens(t[last.end:tok.start]))
                if not adjacent:
                    runs.append([])
                runs[-1].append(tok.norm)
                last = tok
            for run in runs:
                for n in (1, 2):
                    for i in range(len(run) - n + 1):
                        key = " ".join(run[i:i + n])
                        expect[key] = expect.get(key, 0) + 1
        got = dict(zip(c.ngrams((1, 2)).ngram, c.ngrams((1, 2))["count"]))
        # punctuation between two words is dropped, so the naive runs above may join words
        # that the corpus keeps apart; the corpus may only ever count fewer bigrams
        for key, count in got.items():
            assert expect.get(key, 0) >= count, (texts, key)
        unigrams = {k: v for k, v in expect.items() if " " not in k}
        assert {k: v for k, v in got.items() if " " not in k} == unigrams, texts


BAD = [None, True, -1, 0, 2**64, -2**63 - 1, 1.5, math.nan, math.inf, "x", b"x", "\ud800", [],
       {}, (), object(), np.int64(-5), np.float64("nan"), pd.NA, [None], ["\ud800"], {"a": 1},
       range(3)]


@pytest.fixture(scope="module")
def corpus():
    return nc.Corpus(["We strongly condemn the attack. Russia’s GRU is responsible.",
                      "Allies note with concern the U.S. report.", "We will respond."],
                     meta={"year": [2020, 2021, 2024], "source": ["NATO", "EU", "UK"]})



def _calls():
    """One entry per argument of the public API: (name, call(corpus, bad value))."""
    year = lambda c: c.meta.year > 2020  # noqa: E731
    return [
        ("ngrams n", lambda c, v: c.ngrams(n=v)),
        ("ngrams by", lambda c, v: c.ngrams(by=v)),
        ("ngrams min_count", lambda c, v: c.ngrams(min_count=v)),
        ("ngrams top", lambda c, v: c.ngrams(top=v)),
        ("ngrams stopwords", lambda c, v: c.ngrams(stopwords=v)),
        ("ngrams workers", lambda c, v: c.ngrams(workers=v)),
        ("ngrams fill", lambda c, v: c.ngrams(by="year", fill=v)),
        ("frequency phrases", lambda c, v: c.frequency(v)),
        ("frequency by", lambda c, v: c.frequency("condemn", by=v)),
        ("markers lexicon", lambda c, v: c.markers(v)),
        ("markers categories", lambda c, v: c.markers(categories=v)),
        ("markers overlap", lambda c, v: c.markers(overlap=v)),
        ("markers negation_window", lambda c, v: c.markers(negation_window=v)),
        ("markers hypothetical_window", lambda c, v: c.markers(hypothetical_window=v)),
        ("marker_rates by", lambda c, v: c.marker_rates(by=v)),
        ("marker_rates fill", lambda c, v: c.marker_rates(by="year", fill=v)),
        ("escalation by", lambda c, v: c.escalation(by=v)),
        ("kwic pattern", lambda c, v: c.kwic(v)),
        ("kwic window", lambda c, v: c.kwic("condemn", window=v)),
        ("keyness target", lambda c, v: c.keyness(target=v)),
        ("keyness by target", lambda c, v: c.keyness(by="year", target=v)),
        ("keyness by", lambda c, v: c.keyness(by=v)),
        ("keyness measure", lambda c, v: c.keyness(year(c), measure=v)),
        ("keyness correction", lambda c, v: c.keyness(year(c), correction=v)),
        ("keyness min_count", lambda c, v: c.keyness(year(c), min_count=v)),
        ("keyness n", lambda c, v: c.keyness(year(c), n=v)),
        ("collocations size", lambda c, v: c.collocations(v)),
        ("collocations min_count", lambda c, v: c.collocations(min_count=v)),
        ("collocations smoothing", lambda c, v: c.collocations(smoothing=v)),
        ("dispersion phrases", lambda c, v: c.dispersion(v)),
        ("dispersion by", lambda c, v: c.dispersion(["condemn"], by=v)),
        ("trend phrases", lambda c, v: c.trend(v)),
        ("trend by", lambda c, v: c.trend(["condemn"], by=v)),
        ("trend conf", lambda c, v: c.trend(["condemn"], conf=v)),
        ("trend fill", lambda c, v: c.trend(["condemn"], fill=v)),
        ("dtm n", lambda c, v: c.dtm(v)),
        ("dtm by", lambda c, v: c.dtm(by=v)),
        ("dtm min_count", lambda c, v: c.dtm(min_count=v)),
        ("count_ngrams n", lambda c, v: c.count_ngrams(v)),
        ("count_ngrams by", lambda c, v: c.count_ngrams(by=v)),
        ("to_frame min_count", lambda c, v: c.count_ngrams(1).to_frame(min_count=v)),
        ("to_frame top", lambda c, v: c.count_ngrams(1).to_frame(top=v)),
        ("Corpus texts", lambda c, v: nc.Corpus(v)),
        ("Corpus meta", lambda c, v: nc.Corpus(["a"], meta=v)),
        ("Corpus workers", lambda c, v: nc.Corpus(["a"], workers=v)),
        ("Corpus locale", lambda c, v: nc.Corpus(["a"], locale=v)),
        ("Corpus hyphens", lambda c, v: nc.Corpus(["a"], hyphens=v)),
        ("Corpus stem", lambda c, v: nc.Corpus(["a"], stem=v)),
        ("Corpus abbreviations", lambda c, v: nc.Corpus(["a"], abbreviations=v)),
        ("tokenize", lambda c, v: nc.tokenize(v)),
        ("tokens", lambda c, v: nc.tokens(v)),
        ("sentences", lambda c, v: nc.sentences(v)),
        ("Tokenizer keep_case", lambda c, v: nc.Tokenizer(keep_case=v)),
        ("count_ngrams documents", lambda c, v: nc.count_ngrams(v)),
        ("count_ngrams n", lambda c, v: nc.count_ngrams(["a"], n=v)),
        ("count_ngrams batch_size", lambda c, v: nc.count_ngrams(["a"], batch_size=v)),
        ("Lexicon spec", lambda c, v: nc.Lexicon(v)),
        ("Lexicon category", lambda c, v: nc.Lexicon({"x": v})),
        ("Lexicon pattern", lambda c, v: nc.Lexicon({"x": [v]})),
    ]


@pytest.mark.parametrize("name, call", _calls(), ids=[n for n, _ in _calls()])
def test_bad_arguments_raise_clean_errors(corpus, name, call):
    refused = 0
    for value in BAD:
        try:
            call(corpus, value)
        except CLEAN:
            refused += 1
        except Exception as e:  # anything else is a bug: say which value caused it
            pytest.fail(f"{name}={value!r}: {type(e).__name__}: {e}")
    assert refused > 0, name


def test_a_huge_iterable_in_place_of_a_name_is_refused_at_once(corpus):
    huge = range(10**12)
    with pytest.raises(TypeError, match="by must be a metadata column name or a list"):
        corpus.ngrams(by=huge)
    with pytest.raises(TypeError, match="meta as a list must hold dicts; item 0 is int"):
        nc.Corpus(["a"], meta=huge)


def test_error_paths_do_not_leak():
    """Failing calls over large inputs, many times: a buffer lost on an error path would
    show as growth of the resident set."""
    big = "We strongly condemn the attack. " * 3000          # about 100 KB a text
    c = nc.Corpus([big, big])

    def failing_calls():
        for call in (lambda: nc.Corpus([big, big, 5]),
                     lambda: c.ngrams(min_count=2**64),
                     lambda: c.frequency([big, 7]),
                     lambda: c.kwic("strongly ~99 condemn"),
                     lambda: c.ngrams(by="nope"),
                     lambda: nc.Lexicon({"x": [big + " ~"]})):
            with pytest.raises(CLEAN):
                call()

    for _ in range(30):  # warm up caches and the allocator
        failing_calls()
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(300):
        failing_calls()
    gc.collect()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    # 300 rounds of a lost 100 KB buffer would be 30 MB at least
    assert grown_mb < 20, f"resident set grew by {grown_mb:.1f} MB"


def test_lone_surrogates_in_names_are_refused_naming_them(corpus):
    with pytest.raises(ValueError, match=r"phrase 1 'con\\udc80demn': lone surrogate U\+DC80"):
        corpus.frequency(["condemn", "con\udc80demn"])
    with pytest.raises(ValueError, match=r"phrase 0 .*lone surrogate U\+D800"):
        corpus.trend(["a\ud800"])
    with pytest.raises(ValueError, match=r"stop word 'a\\ud800': lone surrogate"):
        corpus.ngrams(stopwords=["a\ud800"])
    with pytest.raises(ValueError, match=r"metadata column name 'y\\ud800'"):
        nc.Corpus(["a"], meta={"y\ud800": [1]})


def test_a_lexicon_file_that_is_not_a_regular_file_is_never_opened(tmp_path):
    import os
    fifo = tmp_path / "lexicon.yaml"
    os.mkfifo(fifo)
    with pytest.raises(nc.LexiconError, match=r"lexicon.yaml: a named pipe \(FIFO\), not a "
                                              "regular file"):
        nc.Lexicon.from_file(fifo)
    os.mkdir(tmp_path / "sub")
    with pytest.raises(nc.LexiconError, match=r"sub: a folder \(directory\), not a file"):
        nc.Lexicon.from_quanteda(tmp_path / "sub")


def test_metadata_series_are_taken_by_position():
    df = pd.DataFrame({"text": ["Allies condemn it.", "We note.", "Allies strongly condemn."],
                       "year": [2020, 2021, 2022]}, index=[10, 11, 12])
    c = nc.Corpus(df.text, meta={"year": df.year})
    assert c.meta.year.tolist() == [2020, 2021, 2022]
    assert c.summary()["year"].tolist() == [2020, 2021, 2022]
    with pytest.raises(TypeError, match="not a dict .*its keys would be the texts.*"
                                        "from_dataframe"):
        nc.Corpus({"text": ["a b", "c d"]})


def test_a_keyness_mask_lines_up_by_index(sample):
    c = sample
    mask = c.meta.year >= 2024
    base = c.keyness(mask, n=1)
    pd.testing.assert_frame_equal(c.keyness(mask[::-1], n=1), base)
    with pytest.raises(ValueError, match=r"index is not the corpus's documents 0\.\.40"):
        c.keyness(mask.iloc[:-1].set_axis(range(1, 41)), n=1)
    pd.testing.assert_frame_equal(c.keyness(mask.to_numpy(), n=1), base)


def test_phrases_that_cannot_occur_as_written_are_refused():
    c = nc.Corpus(["We need a coordinated response. A collective response follows.",
                   "Note * here and a (b) c."])
    for phrase, between in [("(coordinated|collective) response", "'|'"),
                            ("strongly ~3 condemn", "'~'"),
                            ("coordinated? response", "'?'"),
                            ("response. A collective", "'.'")]:
        with pytest.raises(ValueError, match=f"has {re.escape(between)} between"):
            c.frequency(phrase)
    with pytest.raises(ValueError, match="pattern syntax .* is for kwic"):
        c.frequency("(coordinated|collective) response")
    assert c.frequency("collective response")["count"].item() == 1
    assert c.frequency("what next?")["count"].item() == 0     # a closing mark is no gap
    # with punctuation kept, every n-gram round-trips, '*' and '(' included
    p = nc.Corpus(c.texts, keep_punct=True)
    ng = p.ngrams(n=(1, 2))
    assert "*" in set(ng.ngram) and "( b" in set(ng.ngram)
    assert (p.frequency(ng.ngram.tolist())["count"].to_numpy() == ng["count"].to_numpy()).all()


def test_a_metadata_value_with_a_lone_surrogate_names_its_column_and_row():
    with pytest.raises(ValueError, match=r"metadata column 'src', row 1: lone surrogate "
                                         r"U\+D800 is not a character"):
        nc.Corpus(["a", "b"], meta={"src": ["x", "\ud800"]})
    with pytest.raises(ValueError, match=r"metadata column 'src', row 0"):
        nc.Corpus(["a"], meta=[{"src": "y\udcff"}])
