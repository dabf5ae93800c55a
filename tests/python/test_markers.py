"""Stance markers over a Corpus: hand-written sentences for every hazard of the guide
(inflection, words in between, variant wording, negation and its traps, hypotheticals,
typography, sentence boundaries), the overlap policy, offsets, rates, the escalation ladder,
keyword in context, threads and bad input."""
import threading
import time

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
from natocyber import _core
from natocyber.lexicon import LexiconError
from natocyber.markers import KWIC_COLUMNS, MARKER_COLUMNS


def hits_of(text, categories=None, **options):
    """(marker, text, flags) of each hit of the built-in lexicon in one text."""
    c = nc.Corpus([text])
    h = c.markers(categories=categories, **options)
    return [(r.marker, r.text, ("!" if r.negated else "") + ("?" if r.hypothetical else ""))
            for r in h.itertuples()]


def markers_of(text, categories=None, **options):
    return [m for m, _, _ in hits_of(text, categories, **options)]


# ---- the hazards of real text ------------------------------------------------------------------

@pytest.mark.parametrize("word", ["condemn", "condemns", "condemned", "condemning",
                                  "condemnation", "Condemns"])
def test_inflection(word):
    assert hits_of(f"The Council {word} the attack.", "condemnation") == [("condemn", word, "")]


@pytest.mark.parametrize("text, marker, matched", [
    ("Allies strongly and unequivocally condemn the attack.", "strongly_condemn",
     "strongly and unequivocally condemn"),
    ("We firmly condemn it.", "strongly_condemn", "firmly condemn"),
    ("We condemn it strongly.", "condemn_strongly", "condemn it strongly"),
    ("We issue a strong condemnation.", "strong_condemnation", "strong condemnation"),
])
def test_words_in_between(text, marker, matched):
    assert hits_of(text, "condemnation") == [(marker, matched, "")]


def test_condemn_in_the_strongest_terms():
    # the parenthetical's commas are no obstacle: they are inside a separate marker
    got = hits_of("We condemn, in the strongest terms, this attack.", "condemnation")
    assert got == [("condemn", "condemn", ""), ("strongest_terms", "in the strongest terms", "")]
    c = nc.Corpus(["We condemn, in the strongest terms, this attack."])
    assert c.escalation()["level"].item() == 4


@pytest.mark.parametrize("text", [
    "We will respond at a time and in a manner of our choosing.",
    "We will respond at a time and in a\nmanner of our choosing.",
    "We reserve the right to respond in a time and manner of our choosing.",
    "They will pay at a time and place of our own choosing.",
    "We will act at a time of our choosing.",
    "We will respond at the time, place and manner of our choosing.",
])
def test_variant_wording_of_our_choosing(text):
    assert markers_of(text, "deterrence") == ["of_our_choosing"]
    assert nc.Corpus([text]).escalation()["level"].item() == 7


def test_not_the_deterrence_formula():
    assert markers_of("At a time when threats grow, Allies meet.", "deterrence") == []


@pytest.mark.parametrize("text, marker", [
    ("a coordinated response", "coordinated_response"),
    ("a co-ordinated response", "coordinated_response"),
    ("a co‑ordinated response", "coordinated_response"),        # non-breaking hyphen
    ("collective responses", "coordinated_response"),
    ("responsible state behaviour", "responsible_state_behaviour"),
    ("responsible state behavior", "responsible_state_behaviour"),
    ("collective defence", "collective_defence"),
    ("collective defense", "collective_defence"),
    ("It must cease these cyber attacks.", "stop_activity"),
    ("It must cease these cyber-attacks.", "stop_activity"),
    ("It must cease these cyberattacks.", "stop_activity"),
    ("It must stop this cyber–attack.", "stop_activity"),          # en dash
])
def test_spelling_variants(text, marker):
    assert marker in markers_of(text)


# ---- negation and its traps ----------------------------------------------------------------------

@pytest.mark.parametrize("text, flagged", [
    ("The Union did not condemn any particular state.", "!"),
    ("The Union didn’t condemn any state.", "!"),
    ("The Union did not, however, condemn the attack.", "!"),
    ("Estonia stopped short of condemning Russia.", "!"),
    ("The ministers refrained from condemning it.", "!"),
    ("The summit failed to condemn it.", "!"),
    ("No condemnation followed.", "!"),
    ("They neither condemned nor praised it.", "!"),
    ("They have never condemned it.", "!"),
    ("We not only condemn the attack, we respond.", ""),
    ("There is no doubt that we condemn it.", ""),
    ("We condemn it in no uncertain terms.", ""),
    ("It is not clear who did it, but we condemn it.", ""),
    ("We did not expect this and we condemn it.", ""),  # 4 tokens away: out of the window
])
def test_negation(text, flagged):
    got = hits_of(text, "condemnation")
    assert len(got) == 1 and got[0][2] == flagged, got


def test_negation_traps_that_strengthen():
    got = hits_of("Allies will not hesitate to use the full range of capabilities.")
    assert got == [("will_not_hesitate", "will not hesitate", ""),
                   ("full_range_of_capabilities", "full range of capabilities", "")]
    got = hits_of("We won’t hesitate to impose costs.")
    assert ("impose_costs", "impose costs", "") in got
    assert hits_of("Such acts will not go unanswered.") == [
        ("not_go_unanswered", "not go unanswered", "")]
    assert hits_of("We do not accept this behaviour.", "disapproval") == [
        ("not_tolerate", "do not accept", "")]
    assert hits_of("We cannot rule out sanctions.", ["hedge", "response"]) == [
        ("cannot_rule_out", "cannot rule out", ""), ("sanctions", "sanctions", "")]


def test_negation_window_is_configurable():
    text = "We did not at any point in time condemn it."
    assert hits_of(text, "condemnation") == [("condemn", "condemn", "")]
    assert hits_of(text, "condemnation", negation_window=5) == [("condemn", "condemn", "!")]
    assert hits_of("We did not publicly condemn it.", "condemnation", negation_window=0) == [
        ("condemn", "condemn", "")]


def test_negated_attribution():
    got = hits_of("We have not established who is responsible for the scanning.", "attribution")
    assert got == [("be_responsible_for", "is responsible for", "!")]


# ---- hypotheticals -------------------------------------------------------------------------------

def test_hypotheticals():
    text = ("Allies agreed that a serious cyber attack could, in certain circumstances, lead to "
            "the invocation of Article 5.")
    assert ("article_5", "Article 5", "?") in hits_of(text)
    assert ("article_5", "Article 5", "?") in hits_of(
        "If an Ally is attacked, Allies would invoke Article 5.")
    assert ("article_5", "Art. 5", "?") in hits_of(
        "Whether an attack would trigger Art. 5 is decided case by case.")
    assert hits_of("The commitment in Article 5 remains unshakeable.", "deterrence") == [
        ("article_5", "Article 5", "")]
    assert hits_of("Article 5 could apply.", "deterrence") == [("article_5", "Article 5", "")]
    both = hits_of("We could not condemn it.", "condemnation")
    assert both == [("condemn", "condemn", "!?")]


def test_escalation_leaves_hypotheticals_out_by_default():
    c = nc.Corpus(["A cyber attack could, in certain circumstances, lead to the invocation of "
                   "Article 5. We note with concern the attack."])
    assert c.escalation()["level"].item() == 1
    assert c.escalation(include_hypothetical=True)["level"].item() == 8


# ---- typography ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Russia’s GRU was behind it.",
    "Russia's GRU was behind it.",
    "RUSSIA’S ＧＲＵ was behind it.",                 # capitals, full-width letters
    "Russia’s\u00a0GRU was behind it.",               # non-breaking space
    "Russia’s\nGRU was behind it.",                   # line break inside the phrase
])
def test_typography(text):
    lex = nc.Lexicon({"attribution": ["russia's gru"]})
    hits = nc.Corpus([text]).markers(lex)
    assert hits.marker.tolist() == ["russia's gru"]
    assert hits.text.item() == text[:12]


def test_soft_hyphen_and_nbsp_inside_markers():
    text = "We con\u00addemn it, in\u00a0the\u00a0strongest terms, and invoke Article\u00a05."
    got = hits_of(text)
    assert ("condemn", "con\u00addemn", "") in got
    assert ("strongest_terms", "in\u00a0the\u00a0strongest terms", "") in got
    assert ("article_5", "Article\u00a05", "") in got


# ---- sentence boundaries and punctuation -------------------------------------------------------------

def test_sentence_boundaries():
    assert markers_of("We condemn. Strongly worded texts follow.", "condemnation") == ["condemn"]
    assert markers_of("Allies discussed Art. 5 today.", "deterrence") == ["article_5"]
    assert markers_of("Allies discussed Art 5 and Article V.", "deterrence") == [
        "article_5", "article_5"]
    c = nc.Corpus(["Gen. Smith met Amb. Jones in the U.S. capital and they strongly condemn it."])
    assert c.summary()["sentences"].item() == 1
    assert c.markers(categories="condemnation").marker.tolist() == ["strongly_condemn"]


def test_punctuation_between_adjacent_words():
    lex = nc.Lexicon({"norms": ["international law"]})
    c = nc.Corpus(["Under international, law. Under international law."])
    assert c.markers(lex).start.tolist() == [32]
    assert c.markers(lex, cross_punctuation=True).start.tolist() == [6, 32]


# ---- overlap policy ------------------------------------------------------------------------------------

def test_overlap_policy():
    c = nc.Corpus(["We strongly condemn the attack and consider coordinated responses."])
    cat = c.markers()
    assert cat.marker.tolist() == ["strongly_condemn", "consider_response"]
    every = c.markers(overlap="all")
    assert set(every.marker) == {"strongly_condemn", "condemn", "consider_response",
                                 "coordinated_response"}
    # across the lexicon: "highly likely" (estimative) beats nested "likely"
    c2 = nc.Corpus(["It is highly likely that the GRU was behind this."])
    assert c2.markers(overlap="lexicon").marker.tolist() == ["highly_likely", "named_intelligence_service", "be_behind"]
    with pytest.raises(ValueError, match="overlap must be one of"):
        c.markers(overlap="longest")


# ---- result frames ---------------------------------------------------------------------------------------

def test_marker_columns_and_offsets(sample):
    df = nc.sample_statements()
    c = sample
    h = c.markers()
    meta = ["id", "date", "year", "source", "kind", "title"]
    assert h.columns.tolist() == ["doc", *meta, *MARKER_COLUMNS[1:]]
    assert str(h.level.dtype) == "Int64" and h.negated.dtype == bool
    for r in h.itertuples():
        assert df.text[r.doc][r.start:r.end] == r.text
    assert (h.doc.diff().fillna(0) >= 0).all()
    assert h.year.tolist() == df.year[h.doc].tolist()
    # the built-in lexicon finds every category in the sample
    assert set(h.category) == set(nc.Lexicon.default().categories)


def test_offsets_after_astral_characters():
    text = "😀📢 𝔘 We strongly condemn it. 🇪🇺 Art. 5 applies."
    h = nc.Corpus([text]).markers()
    assert [text[s:e] for s, e in zip(h.start, h.end)] == h.text.tolist()
    assert h.text.tolist() == ["strongly condemn", "Art. 5"]


def test_empty_results_keep_columns_and_types():
    c = nc.Corpus(["Nothing to see here.", ""], meta={"year": [2020, 2021]})
    h = c.markers()
    assert h.empty and h.columns.tolist() == ["doc", "year", *MARKER_COLUMNS[1:]]
    k = c.kwic("strongly condemn")
    assert k.empty and k.columns.tolist() == ["doc", "year", *KWIC_COLUMNS[1:]]
    r = c.marker_rates(by="year")
    assert len(r) == 2 * 12 and r.hits.sum() == 0
    e = c.escalation()
    assert e.level.isna().all() and e.ladder_hits.tolist() == [0, 0]
    assert nc.Corpus([]).markers().empty


def test_marker_rates():
    c = nc.Corpus(["We condemn it. We did not condemn that. We deplore it.",
                   "We strongly condemn it.", "Nothing."],
                  meta={"year": [2020, 2021, 2021]})
    r = c.marker_rates(by="year", categories=["condemnation", "disapproval"])
    assert r.columns.tolist() == ["year", "category", "hits", "tokens", "per_10k",
                                  "docs_with_hits", "docs"]
    # categories in the lexicon's order (disapproval comes before condemnation)
    assert r[["year", "category", "hits", "docs_with_hits", "docs"]].values.tolist() == [
        [2020, "disapproval", 1, 1, 1], [2020, "condemnation", 1, 1, 1],
        [2021, "disapproval", 0, 0, 2], [2021, "condemnation", 1, 1, 2]]
    assert r.tokens.tolist() == [11, 11, 5, 5]
    assert r.per_10k.tolist()[0] == pytest.approx(10000 / 11)
    neg = c.marker_rates(by="year", categories="condemnation", include_negated=True)
    assert neg.hits.tolist() == [2, 1]
    total = c.marker_rates()
    assert total.category.tolist() == nc.Lexicon.default().categories
    filled = c.marker_rates(by="year", categories="condemnation", fill={"year": [2019]})
    assert filled.year.tolist() == [2019, 2020, 2021] and filled.hits.tolist() == [0, 1, 1]


def test_escalation_per_document_and_group():
    texts = ["We note with concern the intrusion.",
             "We strongly condemn the attack and will impose sanctions.",
             "The EU did not condemn anyone.",
             "An attack could, in certain circumstances, lead to Article 5.",
             "Allies will respond at a time and in a manner of our choosing."]
    c = nc.Corpus(texts, meta={"year": [2014, 2020, 2020, 2024, 2024]})
    e = c.escalation()
    assert e.level.tolist() == [1, 6, pd.NA, pd.NA, 7]
    assert e.marker.tolist()[:2] == ["note_with_concern", "sanctions"]
    assert e.step[4] == "open-ended threat"
    assert e.text[1] == "sanctions" and texts[1][e.start[1]:e.end[1]] == "sanctions"
    assert e.mean_level[1] == pytest.approx(5.0) and e.ladder_hits.tolist() == [1, 2, 0, 0, 1]
    g = c.escalation(by="year")
    assert g[["year", "docs", "docs_with_level", "max_level"]].values.tolist() == [
        [2014, 1, 1, 1], [2020, 2, 1, 6], [2024, 2, 1, 7]]
    assert g.filter(like="level_").sum(axis=1).tolist() == [1, 1, 1]
    assert g.loc[g.year == 2020, "level_6"].item() == 1
    e2 = c.escalation(include_negated=True, include_hypothetical=True)
    assert e2.level.tolist() == [1, 6, 3, 8, 7]


def test_kwic():
    text = ("NATO met today. Allies strongly and unequivocally condemn Russia’s\nattack on "
            "Estonia, and they condemn it again.")
    c = nc.Corpus([text], meta={"source": ["NATO"]})
    k = c.kwic("strongly ~3 condemn*", window=3)
    assert k.columns.tolist() == ["doc", "source", *KWIC_COLUMNS[1:]]
    row = k.iloc[0]
    assert (row.left, row.match, row.right) == ("met today. Allies",
                                                "strongly and unequivocally condemn",
                                                "Russia’s attack on")
    assert text[row.start:row.end] == row.match and row.sentence == 1
    k2 = c.kwic(["condemn*", "strongly ~3 condemn*"], window=0)
    assert k2.match.tolist() == ["strongly and unequivocally condemn", "condemn"]
    assert (k2.left == "").all()
    raw = c.kwic("condemn*", window=1, collapse_whitespace=False)
    assert raw.right.tolist() == [" Russia’s", " it"]
    lex = nc.Lexicon.default().select("condemnation")
    assert c.kwic(lex, window=2).match.tolist() == ["strongly and unequivocally condemn",
                                                    "condemn"]
    with pytest.raises(ValueError, match="window must be an integer from 0 to 1,000,000 tokens"):
        c.kwic("condemn", window=-1)
    with pytest.raises(nc.PatternError, match="never closed"):
        c.kwic("(condemn")
    with pytest.raises(LexiconError, match="at least one pattern"):
        c.kwic([])


# ---- engine: workers, threads, reuse, failures ----------------------------------------------------------

def test_workers_do_not_change_results(sample):
    texts = nc.sample_statements().text.tolist() * 12     # above the threading threshold
    c1 = nc.Corpus(texts, workers=1)
    c2 = nc.Corpus(texts, workers=2)
    assert int(c1.n_tokens.sum()) > 50_000
    a = c1.markers(workers=1)
    b = c2.markers(workers=2)
    assert a.equals(b)
    assert len(a) == 12 * len(sample.markers())


def test_python_threads_share_a_corpus():
    c = nc.Corpus(nc.sample_statements().text.tolist() * 4)
    want = c.markers()
    out = [None] * 4

    def run(i):
        out[i] = c.markers()

    ts = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert all(o.equals(want) for o in out)


def best_time(f, repeat=3):
    """The fastest of a few runs: the least disturbed by other load on the machine."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def test_one_long_sentence_scans_in_linear_time():
    # Lines without full stops joined by single line breaks are one sentence: here 320,000
    # tokens with a hit, a negator and a scope break on every line. Matching every hit
    # against every cue took 2,000 times as long as counting bigrams; compared with
    # ngrams() on the same text, not with a wall-clock limit, so a slow machine does not
    # fail it.
    c = nc.Corpus(["we condemn it but not\n" * 64000])
    assert c.summary()["sentences"].item() == 1
    hits = c.markers()  # compiles the lexicon once
    assert len(hits) == 64000
    assert not hits.negated[0] and hits.negated[1:].all()  # "not \n we condemn"
    ngrams = best_time(lambda: c.ngrams(2))
    markers = best_time(lambda: c.markers())
    assert markers < 50 * max(ngrams, 1e-3), (markers, ngrams)


def test_more_workers_than_documents_or_the_limit():
    texts = nc.sample_statements().text.tolist() * 12     # above the threading threshold
    c = nc.Corpus(texts)
    assert c.markers(workers=20_000).equals(c.markers(workers=1))
    one = nc.Corpus(texts[:1])
    assert one.markers(workers=20_000).equals(one.markers(workers=1))


@pytest.mark.parametrize("copies", [1, 200])  # below and above the threading threshold
def test_progress_counts_documents_scanned(copies):
    texts = ["Allies strongly condemn the attack. We did not hesitate to respond. " * 40] * copies
    c = nc.Corpus(texts)
    compiled = nc.Lexicon.default()._compile(c.tokenizer)
    want = np.frombuffer(compiled.match(c.store.core)[0], dtype=np.uint32)
    for workers in (1, 2):
        seen = []
        raw = compiled.match(c.store.core, workers=workers, progress=seen.append)
        assert seen and seen[-1] == len(texts)
        assert seen == sorted(set(seen))  # called when the count moved, never backwards
        assert np.array_equal(np.frombuffer(raw[0], dtype=np.uint32), want)


def test_window_and_context_sizes_are_checked_not_wrapped():
    c = nc.Corpus(["We did not, at any point in time, condemn it."])
    compiled = nc.Lexicon.default()._compile(c.tokenizer)
    for name in ("negation_window", "hypothetical_window", "context"):
        for bad in (-1, 2**32, 2**32 + 1, 2**64):
            with pytest.raises(ValueError, match=rf"{name} must be between 0 and 4294967295 "
                                                 rf"tokens, not {bad}"):
                compiled.match(c.store.core, **{name: bad})
        with pytest.raises(TypeError, match=f"{name} must be an integer, not str"):
            compiled.match(c.store.core, **{name: "3"})
    # the largest window is the whole sentence; the largest context the whole document
    flags = np.frombuffer(compiled.match(c.store.core, negation_window=2**32 - 1)[7],
                          dtype=np.uint8)
    assert list(flags) == [1]
    assert list(np.frombuffer(compiled.match(c.store.core)[7], dtype=np.uint8)) == [0]
    raw = compiled.match(c.store.core, context=2**32 - 1)
    assert list(np.frombuffer(raw[8], dtype=np.uint32)) == [0]
    assert list(np.frombuffer(raw[9], dtype=np.uint32)) == [len(c.texts[0]) - 1]
    with pytest.raises(ValueError, match="window must be an integer from 0 to 1,000,000 tokens"):
        c.kwic("condemn*", window=2**32)


def test_allocation_failures_raise_memory_error():
    c = nc.Corpus(["We strongly and unequivocally condemn it; we did not hesitate.",
                   "At a time and in a manner of our choosing."] * 20)
    lex = nc.Lexicon.default()
    want = c.markers(lex)
    failures = 0
    for n in range(0, 300, 3):
        _core._fail_allocations_after(n)
        try:
            got = c.markers(lex)
        except MemoryError:
            failures += 1
        else:
            assert got.equals(want)
        finally:
            _core._fail_allocations_after(-1)
    assert failures > 0
    assert c.markers(lex).equals(want)


def test_bad_input():
    c = nc.Corpus(["We condemn it."], meta={"year": [2020]})
    with pytest.raises(LexiconError, match="unknown category 'condemnaton'"):
        c.markers(categories="condemnaton")
    with pytest.raises(TypeError, match="lexicon must be a natocyber.Lexicon"):
        c.markers("condemn*")
    with pytest.raises(ValueError, match="negation_window must be an integer from 0 to 1,000,000 tokens"):
        c.markers(negation_window=-1)
    with pytest.raises(ValueError, match="unknown metadata column"):
        c.marker_rates(by="yaer")
    clash = nc.Corpus(["We condemn it."], meta={"category": ["x"]})
    with pytest.raises(ValueError, match=r"metadata column\(s\) \['category'\] clash"):
        clash.markers()
    # a dict is taken as a lexicon specification
    assert c.markers({"mine": ["condemn"]}).marker.tolist() == ["condemn"]
