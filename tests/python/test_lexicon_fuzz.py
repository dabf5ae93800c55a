"""Random patterns: whatever a user types, a pattern either compiles and matches, or raises
PatternError (a LexiconError) with a position inside the pattern; never another exception.

The patterns are drawn with a fixed seed from pattern syntax, words, globs, gaps, unicode
(combining marks, full-width letters, emoji, NUL, lone surrogates) and very long inputs, half
of them built to be well formed so that the matching side is exercised too."""
import random

import pytest

import natocyber as nc
from natocyber.lexicon import LexiconError, PatternError, check_pattern

WORDS = ["condemn", "strongly", "attack", "nato", "the", "cyber-attack", "art.", "u.s.", "5",
         "we", "not", "russia's", "é", "Ｒｕｓｓｉａ", "we’re", "😀"]
GLOBS = ["condemn*", "*attack", "*n't", "att*", "*"]
PIECES = WORDS + GLOBS + [
    "**", "a*b", "(", ")", "|", "?", "~", "~3", "~0", "~8", "~9", "~-1", "~99999999999999999999",
    "\\", "\\(", "\\ ", "\\\\", " ", "  ", "\t", "\n", "\r", "\u0301", "\ufeff", "\x00", "\u200b",
    "\u3000", "!!!", ".", "-", "'", "\ud800", "\udfff", "\ud83d"]
LONG = ["a" * 5000, "(a|" * 300, "x " * 100, "(" * 200 + "a" + ")" * 200, "|".join(["w"] * 300),
        "a? " * 40, "~8 " * 40 + "x", "é" * 3000, "\ud800" * 100,
        "(" + "|".join(f"w{i} v{i}" for i in range(300)) + ")", "condemn " * 600]

TEXTS = ["We strongly condemn the cyber-attack by Ｒｕｓｓｉａ. Art. 5 applies \ud800 now.",
         "NATO did not condemn it; the U.S. attack, 5 we’re é 😀. "
         "Russia's attack \udc00 was not.",
         ""]


def element(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return rng.choice(WORDS)
    if r < 0.65:
        return rng.choice(GLOBS)
    if r < 0.85:
        alts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 2)))
                for _ in range(rng.randint(1, 4))]
        return "(" + "|".join(alts) + ")" + rng.choice(["", "", "?"])
    return rng.choice(WORDS) + "?"


def well_formed(rng: random.Random) -> str:
    parts = [element(rng)]
    for _ in range(rng.randint(0, 4)):
        if rng.random() < 0.25:
            parts.append(f"~{rng.randint(1, 8)}")
        parts.append(element(rng))
    return " ".join(parts)


def random_pattern(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return well_formed(rng)
    if r < 0.53:
        return rng.choice(LONG)
    if r < 0.56:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 2)))
    if r < 0.7:  # a well-formed pattern with one piece of noise spliced in
        p = well_formed(rng)
        i = rng.randint(0, len(p))
        return p[:i] + rng.choice(PIECES) + p[i:]
    sep = rng.choice([" ", "", " "])
    return sep.join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))


def assert_pattern_error(e: PatternError, pattern: str) -> None:
    assert e.pattern == pattern
    assert 0 <= e.position <= len(pattern), (pattern, e.position)
    assert e.reason and e.reason in str(e)
    str(e).encode("utf-8")  # printable: no lone surrogate in the message


@pytest.fixture(scope="module")
def corpus():
    return nc.Corpus(TEXTS)


def test_random_patterns_compile_or_raise_pattern_error(corpus):
    rng = random.Random(20240611)
    outcomes = {"compiled": 0, "refused": 0, "hits": 0}
    for k in range(2000):
        p = random_pattern(rng)
        try:
            check_pattern(p)
            syntax_ok = True
        except PatternError as e:
            assert_pattern_error(e, p)
            syntax_ok = False
        try:
            lex = nc.Lexicon({"f": [p]})
        except PatternError as e:
            assert_pattern_error(e, p)
            assert (e.marker, e.category) == (p, "f")
            outcomes["refused"] += 1
            continue
        except LexiconError as e:  # pragma: no cover - shown with the pattern on failure
            pytest.fail(f"pattern {p!r} raised LexiconError without a position: {e}")
        assert syntax_ok, f"check_pattern refused {p!r} but Lexicon compiled it"
        hits = corpus.markers(lex, overlap="all")
        outcomes["compiled"] += 1
        outcomes["hits"] += len(hits)
        for doc, start, end, text in zip(hits.doc, hits.start, hits.end, hits.text):
            assert corpus.texts[doc][start:end] == text
        if k % 10 == 0:  # the other ways a pattern enters: kwic() and the cue lists
            assert len(corpus.kwic(p, window=2)) == len(
                corpus.markers(lex, overlap="lexicon"))
            nc.Lexicon({"f": ["attack"]}, negators=[p], hypotheticals=[p])
    # the generator exercises both sides: enough patterns compile, match and are refused
    assert outcomes["compiled"] > 500 and outcomes["refused"] > 500, outcomes
    assert outcomes["hits"] > 100, outcomes


def test_random_bad_cues_name_the_cue_list():
    rng = random.Random(7)
    refused = 0
    for _ in range(300):
        p = random_pattern(rng)
        for key in ("negators", "cancellers", "hypotheticals", "scope_breaks"):
            try:
                nc.Lexicon({"f": ["attack"]}, **{key: [p]})
            except PatternError as e:
                assert_pattern_error(e, p)
                assert str(e).startswith(f"{key[:-1]} cue 0")
                refused += 1
    assert refused > 100
