"""Tokenization: ICU boundaries, code-point offsets, normalization options, sentences."""
import sys

import pytest

import natocyber as nc


def test_issue_example():
    text = "NATO’s Council strongly condemns the attack on ＮＡＴＯ 😀 members."
    assert nc.tokenize(text) == ["nato's", "council", "strongly", "condemns", "the", "attack",
                                 "on", "nato", "members"]


@pytest.mark.parametrize("text", [
    "plain ascii text, with punctuation.",
    "Latin-1: café, naïve, Zürich.",                      # 1-byte str
    "BMP: Київ, 東京, ＮＡＴＯ’s “quotes”.",               # 2-byte str
    "Astral: 😀 emoji 𝐁𝐨𝐥𝐝 then words 🇺🇦 flags, 𐍈 gothic.",  # 4-byte str
    "lone \ud83d surrogate and \udc00 low one in text",    # 2-byte with lone surrogates
    "lone \ud83d with astral 😀 after it",                 # 4-byte with a lone surrogate
    "NUL\x00inside and\x00 again",
    "e\u0301 combining acute, cafe\u0301",
])
def test_offsets_slice_the_source(text):
    toks = nc.tokens(text, keep_punct=True, keep_symbols=True)
    assert toks, text
    for t in toks:
        assert text[t.start:t.end] == t.text
        assert t.kind in {"word", "number", "punct", "symbol"}
    starts = [t.start for t in toks]
    assert starts == sorted(starts)


def test_offsets_after_emoji_point_at_the_word():
    text = "😀😀 condemn 😀 response"
    toks = nc.tokens(text)
    assert [(t.text, t.start, t.end) for t in toks] == [("condemn", 3, 10), ("response", 13, 21)]


def test_token_record_fields():
    toks = nc.tokens("We condemn it. Allies 2024 respond!", keep_punct=True)
    assert toks[1] == nc.Token("condemn", "condemn", 3, 10, "word", 0)
    kinds = {t.text: t.kind for t in toks}
    assert kinds["2024"] == "number" and kinds["."] == "punct" and kinds["!"] == "punct"
    assert {t.sentence for t in toks if t.text == "Allies"} == {1}


def test_no_utf8_copy_is_cached_on_the_str():
    text = "Russia’s GRU: “malicious” cyber activity. " * 50
    before = sys.getsizeof(text)
    nc.tokenize(text)
    nc.tokens(text)
    nc.Corpus([text])
    assert sys.getsizeof(text) == before


def test_normalization_folds_width_ligatures_case_apostrophes_dashes():
    assert nc.tokenize("ＮＡＴＯ ﬁnal STRAẞE") == ["nato", "final", "strasse"]
    assert nc.tokenize("Russia’s Russia‘s Russiaʼs Russia's") == ["russia's"] * 4
    assert nc.tokenize("cyber‐attack cyber–attack cyber−attack cyber‑attack") == ["cyber-attack"] * 4
    # an em dash between words is a parenthetical dash, not a hyphen
    assert nc.tokenize("the attack—which failed") == ["the", "attack", "which", "failed"]
    assert nc.tokenize("G7 and COVID19", drop_numbers=True) == ["g7", "and", "covid19"]
    assert nc.tokenize("cyber\u00adattack") == ["cyberattack"]  # soft hyphen removed


def test_keep_case():
    assert nc.tokenize("NATO’s ＧＲＵ", keep_case=True) == ["NATO's", "GRU"]


def test_punctuation_and_symbols_options():
    text = "Stop! It’s 😀 $5."
    assert nc.tokenize(text) == ["stop", "it's", "5"]
    assert nc.tokenize(text, keep_punct=True) == ["stop", "!", "it's", "5", "."]
    assert "😀" in nc.tokenize(text, keep_symbols=True)
    assert nc.tokenize(text, drop_numbers=True) == ["stop", "it's"]


def test_hyphen_modes():
    text = "A cyber-attack in 2014-2025 by state-of-the-art tools."
    assert nc.tokenize(text) == ["a", "cyber-attack", "in", "2014-2025", "by", "state-of-the-art", "tools"]
    assert nc.tokenize(text, hyphens="split") == ["a", "cyber", "attack", "in", "2014", "2025", "by",
                                                  "state", "of", "the", "art", "tools"]
    kinds = {t.norm: t.kind for t in nc.tokens(text)}
    assert kinds["2014-2025"] == "number" and kinds["cyber-attack"] == "word"


def test_possessive_plural_and_abbreviation_periods_stay_in_the_word():
    assert nc.tokenize("the Allies' response") == ["the", "allies'", "response"]
    assert nc.tokenize("the U.S. Secretary and Gen. Smith") == ["the", "u.s.", "secretary", "and",
                                                               "gen.", "smith"]


def test_stemming():
    assert nc.tokenize("NATO condemns condemned condemning", stem="english") == \
        ["nato", "condemn", "condemn", "condemn"]
    assert "english" in nc.stem_languages()


def test_locale_is_passed_and_checked():
    assert nc.tokenize("Straße", locale="de") == ["strasse"]
    assert nc.tokenize("colour", locale="en-GB") == ["colour"]
    for bad in ["xx", "english", "en_XY", "??", "en-"]:
        with pytest.raises(ValueError, match="locale"):
            nc.Tokenizer(locale=bad)


@pytest.mark.parametrize("abbr, follower", [
    ("Art.", "5 of the Treaty"), ("No.", "3 was adopted"), ("Gen.", "Smith spoke"),
    ("Amb.", "Jones replied"), ("Dr.", "Brown met them"), ("Mr.", "Stoltenberg said"),
    ("e.g.", "The Hague"), ("i.e.", "The Council"), ("St.", "Petersburg hosted it"),
    ("U.S.", "Secretary of State spoke"),
])
def test_domain_abbreviations_do_not_end_sentences(abbr, follower):
    text = f"Allies discussed {abbr} {follower} yesterday. Then they left."
    assert nc.sentences(text) == [f"Allies discussed {abbr} {follower} yesterday.", "Then they left."]


def test_sentence_after_ambiguous_abbreviation_still_splits():
    text = "Ministers met in the U.S. The ministers agreed."
    assert nc.sentences(text) == ["Ministers met in the U.S.", "The ministers agreed."]


def test_user_abbreviations():
    text = "Cdr. Lee arrived. Then work began."
    assert len(nc.sentences(text)) == 3
    tok = nc.Tokenizer(abbreviations={"Cdr.": "always"})
    assert tok.sentences(text) == ["Cdr. Lee arrived.", "Then work began."]
    assert tok.abbreviations["Cdr."] == "always"
    assert tok.abbreviations["Art."] == "before_number"
    with pytest.raises(ValueError, match="must end with"):
        nc.Tokenizer(abbreviations=["Cdr"])
    with pytest.raises(ValueError, match="class"):
        nc.Tokenizer(abbreviations={"Cdr.": "sometimes"})


def test_line_breaks_inside_a_sentence():
    text = "Allies strongly\ncondemn the attack.\n\nA new paragraph."
    assert nc.sentences(text) == ["Allies strongly\ncondemn the attack.", "A new paragraph."]
    assert len(nc.sentences(text, paragraph_lines=True)) == 3


def test_sentence_spans():
    text = "  First one.  Second one!  "
    spans = nc.sentences(text, spans=True)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!"]


def test_tokenizer_pickles_and_compares():
    import pickle
    tok = nc.Tokenizer(keep_case=True, abbreviations=["Cdr."])
    tok2 = pickle.loads(pickle.dumps(tok))
    assert tok2 == tok and tok2.tokenize("Cdr. X") == tok.tokenize("Cdr. X")
    assert "keep_case=True" in repr(tok)


def test_forms_stay_right_past_the_str_cache():
    # tokenize() shares the str of a repeated ASCII form; with more distinct forms than the
    # cache holds it starts over, and every token must still be its own form
    words = [f"w{i}" for i in range(40000)]
    text = " ".join(words + ["Straße", "NATO’s"] + words[::-1])
    tok = nc.Tokenizer()
    for _ in range(2):   # the second call starts from a full, pooled cache
        assert tok.tokenize(text) == words + ["strasse", "nato's"] + words[::-1]
    assert [t.norm for t in tok.tokens("W1 w1 W2")] == ["w1", "w1", "w2"]
