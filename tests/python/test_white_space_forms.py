"""No token form holds white space, so n-gram strings split back into their tokens.

NFKC spells some single characters with a space: U+FDFA as four Arabic words, U+00B4 ACUTE
ACCENT as a space and a combining accent. The word rules also keep U+202F NARROW NO-BREAK
SPACE inside "10 000" and after "Paris" in French "Paris :". None of it may reach a form.
"""
import unicodedata

import pytest

import natocyber as nc

# The White_Space property (Unicode PropList.txt); str.isspace() differs (it takes U+001C..U+001F).
WHITE = set(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                      0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))


def has_white(s):
    return any(c in WHITE for c in s)


def nfkc_brings_white_space():
    """Every code point, not white space itself, whose NFKC (Python's tables) holds some."""
    out = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        if ch not in WHITE and has_white(unicodedata.normalize("NFKC", ch)):
            out.append(ch)
    return out


SPACED = nfkc_brings_white_space()

TOKENIZERS = [
    nc.Tokenizer(keep_symbols=True, keep_punct=True),
    nc.Tokenizer(keep_symbols=True, keep_punct=True, keep_case=True),
    nc.Tokenizer(keep_symbols=True, keep_punct=True, stem="english", hyphens="split"),
]


def test_the_characters_nfkc_spells_with_a_space():
    # 52 in Unicode 14.0 and 15.0 (Python's and ICU 72's tables): spacing accents, Greek
    # tonos and psili forms, Arabic isolated vowel marks and ligatures, Japanese sound marks
    assert len(SPACED) >= 52
    if unicodedata.unidata_version in ("14.0.0", "15.0.0"):
        assert len(SPACED) == 52
    for ch in "\u00A8\u00B4\u203E\u309B\uFDFA\uFDFB\uFE70\u1FED":
        assert ch in SPACED
    assert unicodedata.normalize("NFKC", "\uFDFA").count(" ") == 3


@pytest.mark.parametrize("tok", TOKENIZERS, ids=["fold", "keep_case", "stem_split"])
def test_no_form_holds_white_space(tok):
    extra = ["\u202F", "\u00A0\u0301", "\t\u0301", "\u3000\u0301", "\U00016FE4"]
    contexts = ["{}", "a{}b", "word {} word", "Cyber{}Attack", "10{}000", "x{}-y"]
    for ch in SPACED + extra:
        for ctx in contexts:
            text = ctx.format(ch)
            toks = tok.tokens(text)
            assert toks or set(text) <= WHITE, text
            for t in toks:
                assert t.norm, (text, t)
                assert not has_white(t.norm), (text, t)
                assert not has_white(t.text[:1] + t.text[-1:]), (text, t)
                assert text[t.start:t.end] == t.text


def test_such_characters_stay_one_token():
    assert nc.tokenize("Muhammad \uFDFA said") == ["muhammad", "\uFDFA", "said"]
    assert nc.tokenize("caf\u00E9\u00B4", keep_symbols=True) == ["caf\u00E9", "\u00B4"]
    assert nc.tokenize("CAFE\u0301\u00B4", keep_symbols=True, keep_case=True) == \
        ["CAF\u00C9", "\u00B4"]
    # a narrow no-break space inside a number or before French punctuation is dropped
    assert nc.tokenize("10\u202F000 euros") == ["10000", "euros"]
    assert nc.tokenize("\uFF11\uFF10\u202F\uFF10\uFF10\uFF10") == ["10000"]
    toks = nc.tokens("Paris\u202F: oui", keep_punct=True)
    assert [(t.text, t.norm, t.start, t.end) for t in toks] == \
        [("Paris", "paris", 0, 5), (":", ":", 6, 7), ("oui", "oui", 8, 11)]


def test_ngram_strings_split_into_n_tokens():
    texts = [f"before {ch} after and {ch}{ch} again" for ch in SPACED]
    texts += ["The fine was 10\u202F000 euros.", "Paris\u202F: la France condamne\u202F!",
              "x \u00A0\u0301 y \u3000\u0301 z"]
    corpus = nc.Corpus(texts, keep_symbols=True)
    table = corpus.ngrams(n=(1, 4))
    assert len(table) > 200
    for gram, n in zip(table["ngram"], table["n"]):
        parts = gram.split(" ")
        assert len(parts) == n, gram
        assert all(parts), gram
    assert "10000 euros" in set(table["ngram"])
    assert "before \uFDFA after" in set(table["ngram"])


def test_lexicon_patterns_with_such_characters_match():
    corpus = nc.Corpus(["Muhammad \uFDFA said it.", "The fine was 10\u202F000 euros.",
                        "La France condamne\u202F! Oui."], keep_symbols=True)
    lex = nc.Lexicon({"test": ["muhammad \uFDFA", "10\u202F000 euros", "condamne",
                               "\uFDFA said"]})
    hits = corpus.markers(lexicon=lex, overlap="all")
    found = sorted(zip(hits["doc"], hits["marker"], hits["text"]))
    assert found == [
        (0, "muhammad \uFDFA", "Muhammad \uFDFA"),
        (0, "\uFDFA said", "\uFDFA said"),
        (1, "10\u202F000 euros", "10\u202F000 euros"),
        (2, "condamne", "condamne"),
    ]
