"""Pickling corpora and count tables; exact merging of count tables (a + b, sum, merge)
into what the single corpus gives; the streaming count_ngrams built on them."""
import doctest
import pickle
import random

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import natocyber as nc
import natocyber.counts as counts_mod
from natocyber import MarkerCounts, NgramCounts

WORDS = ["allies", "strongly", "condemn", "condemns", "the", "attack", "cyber", "malicious",
         "activity", "we", "will", "respond", "at", "a", "time", "and", "in", "manner", "of",
         "our", "choosing", "responsible", "state", "behaviour", "NATO", "Russia’s", "U.S.",
         "note", "with", "concern", "did", "not", "sanctions", "Art. 5"]


def make_texts(n, seed=3):
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        k = rng.randrange(0, 40)
        texts.append(" ".join(rng.choice(WORDS) + rng.choice([" "] * 6 + [". ", ", "])
                              for _ in range(k)))
    return texts


def make_meta(n, seed=4):
    rng = random.Random(seed)
    return pd.DataFrame({"year": [rng.choice([2014, 2016, 2019, 2024]) for _ in range(n)],
                         "source": [rng.choice(["NATO", "EU", "UK"]) for _ in range(n)]})


TEXTS = make_texts(90)
META = make_meta(90)


def split(texts, meta, parts, seed=5):
    """Disjoint random parts of a corpus (documents shuffled across parts)."""
    idx = list(range(len(texts)))
    random.Random(seed).shuffle(idx)
    out = []
    for k in range(parts):
        sel = sorted(idx[k::parts])
        out.append(nc.Corpus([texts[i] for i in sel], meta.iloc[sel].reset_index(drop=True)))
    return out


# ---- pickling --------------------------------------------------------------------------------

def test_corpus_pickles_by_rebuilding_from_texts_meta_and_options():
    c = nc.Corpus(TEXTS, META, keep_case=True, abbreviations={"Cdr.": "always"})
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        d = pickle.loads(pickle.dumps(c, protocol=protocol))
        assert d.texts == c.texts
        assert_frame_equal(d.meta, c.meta)
        assert d.tokenizer == c.tokenizer and d.tokenizer.options["keep_case"]
        assert d.vocabulary == c.vocabulary
        assert_frame_equal(d.ngrams(n=(1, 3), by="year"), c.ngrams(n=(1, 3), by="year"))


def test_ngram_counts_pickle():
    t = nc.Corpus(TEXTS, META).count_ngrams((1, 2), by=["year", "source"], stopwords=["the"])
    u = pickle.loads(pickle.dumps(t))
    assert (u.n, u.by, u.stopwords) == ((1, 2), ["year", "source"], ("the",))
    assert_frame_equal(u.to_frame(min_count=2), t.to_frame(min_count=2))
    state = t.__getstate__()
    state["version"] = 99
    with pytest.raises(ValueError, match="table format 99"):
        NgramCounts.__new__(NgramCounts).__setstate__(state)


# ---- rendering equals Corpus.ngrams ----------------------------------------------------------

OPTIONS = [dict(), dict(min_count=3), dict(top=4), dict(min_count=2, top=3), dict(fill=True),
           dict(min_count=2, fill={"year": range(2012, 2026)})]
# fill needs a by column
CASES = [(by, opts) for by in (None, "year", ["year", "source"]) for opts in OPTIONS
         if by is not None or "fill" not in opts]


@pytest.mark.parametrize("by,opts", CASES)
def test_to_frame_equals_ngrams(by, opts):
    c = nc.Corpus(TEXTS, META)
    table = c.count_ngrams((1, 3), by=by)
    assert_frame_equal(table.to_frame(**opts), c.ngrams((1, 3), by=by, **opts))


def test_missing_group_keys_and_string_groups():
    meta = META.assign(kind=[None if i % 7 == 0 else ("a" if i % 2 else "b") for i in range(90)])
    c = nc.Corpus(TEXTS, meta)
    whole = c.ngrams(2, by=["kind", "year"], min_count=2)
    parts = split(TEXTS, meta, 3)
    merged = sum(p.count_ngrams(2, by=["kind", "year"]) for p in parts)
    assert_frame_equal(merged.to_frame(min_count=2), whole)


# ---- merging ---------------------------------------------------------------------------------

@pytest.mark.parametrize("by,opts", CASES)
def test_merged_parts_equal_the_whole(by, opts):
    whole = nc.Corpus(TEXTS, META).ngrams((1, 3), by=by, **opts)
    parts = [p.count_ngrams((1, 3), by=by) for p in split(TEXTS, META, 4)]
    a = parts[0] + parts[1] + parts[2] + parts[3]
    s = sum(parts)
    m = NgramCounts.merge(parts)
    for t in (a, s, m, sum(reversed(parts))):
        assert_frame_equal(t.to_frame(**opts), whole)
    assert m.n_docs == 90 and m.n_tokens == nc.Corpus(TEXTS, META).n_tokens.sum()


def test_merge_with_stop_words_and_tokenizer_options():
    whole = nc.Corpus(TEXTS, META, stem="english").ngrams(2, by="year", stopwords=["the", "a"])
    parts = [nc.Corpus(p.texts, p.meta, stem="english").count_ngrams(2, by="year",
                                                                    stopwords=["a", "the"])
             for p in split(TEXTS, META, 3)]
    assert_frame_equal(sum(parts).to_frame(), whole)


def test_pickled_parts_merge_like_fresh_ones():
    parts = [pickle.loads(pickle.dumps(p.count_ngrams((1, 2), by="source")))
             for p in split(TEXTS, META, 3)]
    assert_frame_equal(sum(parts).to_frame(top=5),
                       nc.Corpus(TEXTS, META).ngrams((1, 2), by="source", top=5))


def test_empty_parts_merge_away():
    full = nc.Corpus(TEXTS, META).count_ngrams(2, by="year")
    empty = nc.Corpus([], {"year": []}).count_ngrams(2, by="year")
    no_tokens = nc.Corpus(["", "!!!"], {"year": [2030, 2030]}).count_ngrams(2, by="year")
    assert_frame_equal((empty + full).to_frame(), full.to_frame())
    merged = NgramCounts.merge([empty, full, no_tokens])
    assert merged.n_docs == 92
    assert 2030 in merged.groups.year.tolist()
    assert_frame_equal(merged.to_frame(fill=True),
                       nc.Corpus(TEXTS + ["", "!!!"],
                                 {"year": META.year.tolist() + [2030, 2030]})
                       .ngrams(2, by="year", fill=True))


def test_incompatible_tables_do_not_merge():
    c = nc.Corpus(TEXTS, META)
    base = c.count_ngrams(2, by="year")
    for other, what in ((c.count_ngrams(3, by="year"), "n-gram orders"),
                        (c.count_ngrams(2, by="source"), "by columns"),
                        (nc.Corpus(TEXTS, META, keep_case=True).count_ngrams(2, by="year"),
                         "tokenizer options"),
                        (c.count_ngrams(2, by="year", stopwords=["the"]), "stop words")):
        with pytest.raises(ValueError, match=f"different {what}"):
            base + other
    with pytest.raises(TypeError):
        base + 1
    with pytest.raises(TypeError, match="only merge NgramCounts"):
        NgramCounts.merge([base, "x"])
    with pytest.raises(ValueError, match="at least one"):
        NgramCounts.merge([])
    with pytest.raises(TypeError, match="made by Corpus.count_ngrams"):
        NgramCounts()


def test_table_view():
    c = nc.Corpus(["We condemn it. We condemn."], {"year": [2024]})
    t = c.count_ngrams(1, by="year")
    assert t.table.sort_values("ngram").to_dict("list") == {
        "ngram": ["condemn", "it", "we"], "n": [1, 1, 1], "year": [2024] * 3,
        "count": [2, 1, 2], "docfreq": [1, 1, 1]}
    assert t.groups.to_dict("list") == {"year": [2024], "tokens": [5], "docs": [1]}
    assert "NgramCounts" in repr(t) and len(t) == 3


# ---- the streaming counter uses the same merge -----------------------------------------------

@pytest.mark.parametrize("batch_size", [1, 7, 1000])
def test_streaming_count_ngrams_equals_ngrams(batch_size):
    docs = [(t, {"year": y, "source": s}) for t, y, s in zip(TEXTS, META.year, META.source)]
    got = nc.count_ngrams(docs, n=(1, 3), by=["year", "source"], batch_size=batch_size,
                          min_count=2, top=6)
    want = nc.Corpus(TEXTS, META).ngrams((1, 3), by=["year", "source"], min_count=2, top=6)
    assert_frame_equal(got, want)
    assert_frame_equal(nc.count_ngrams(TEXTS, n=2, batch_size=batch_size),
                       nc.Corpus(TEXTS).ngrams(2))


# ---- stance markers --------------------------------------------------------------------------

MARKER_TEXTS = ["We strongly condemn the attack. We did not condemn that.",
                "Allies note with concern the malicious cyber activity.",
                "We will respond at a time and in a manner of our choosing.",
                "We call on Russia to cease its activities and impose sanctions.", "",
                "The EU condemns it in the strongest terms and stands in solidarity."] * 4
MARKER_META = pd.DataFrame({"year": [2014 + (i * 3) % 10 for i in range(24)],
                            "source": ["NATO", "EU", "UK"] * 8})


@pytest.mark.parametrize("by", [None, "year", ["year", "source"]])
def test_marker_counts_merge_to_marker_rates(by):
    c = nc.Corpus(MARKER_TEXTS, MARKER_META)
    parts = split(MARKER_TEXTS, MARKER_META, 3)
    merged = sum(p.count_markers(by) for p in parts)
    assert_frame_equal(merged.to_frame(), c.marker_rates(by))
    if by:
        assert_frame_equal(merged.to_frame(fill=True), c.marker_rates(by, fill=True))
    opts = dict(categories=["condemnation", "concern"], include_negated=True)
    merged = MarkerCounts.merge([pickle.loads(pickle.dumps(p.count_markers(by, **opts)))
                                 for p in parts])
    assert_frame_equal(merged.to_frame(), c.marker_rates(by, **opts))


def test_marker_counts_must_match_to_merge():
    a = nc.Corpus(MARKER_TEXTS[:3]).count_markers()
    with pytest.raises(ValueError, match="different categories"):
        a + nc.Corpus(MARKER_TEXTS[3:]).count_markers(categories="concern")
    with pytest.raises(ValueError, match="different lexicon, tokenizer or matching options"):
        a + nc.Corpus(MARKER_TEXTS[3:]).count_markers(include_negated=True)


def test_module_doctests():
    assert doctest.testmod(counts_mod, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_a_corpus_pickle_keeps_the_skipped_files(tmp_path):
    (tmp_path / "a.txt").write_text("We condemn it.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"caf\xe9 \xff")          # not UTF-8
    with pytest.warns(UserWarning):
        c = nc.Corpus.from_files(tmp_path, errors="skip")
    assert c.skipped.file.tolist() == ["b.txt"]
    d = pickle.loads(pickle.dumps(c))
    assert_frame_equal(d.skipped, c.skipped)
    assert len(d) == 1 and d.texts == c.texts
