"""Lone surrogates ("\\ud800": a Python str can hold one, UTF-8 cannot) in patterns and in the
other strings a user hands to the core: each is a ValueError naming what and where (for a
pattern a PatternError with the position), never a UnicodeEncodeError from C. Texts may
hold them and are tokenized as before."""
import re

import pytest

import natocyber as nc
from natocyber.lexicon import LexiconError, PatternError, check_pattern
from natocyber.tokenizer import check_chars, lone_surrogate

REASON = "lone surrogate U+D800 is not a character"


def assert_caret(e: PatternError, pattern: str, position: int) -> None:
    assert (e.pattern, e.position, e.reason) == (pattern, position, REASON)
    lines = str(e).split("\n")
    shown = pattern.replace("\ud800", "\ufffd")
    assert lines[-2:] == ["  " + shown, "  " + " " * position + "^"]
    str(e).encode("utf-8")  # the message prints: the surrogate is shown as U+FFFD


@pytest.mark.parametrize("pattern, shown, position", [
    ("a\r(b", "a (b", 2),
    ("a \x00 ~9 b", "a   ~9 b", 4),
    ("x\u2028~9 \ud800", "x ~9 \ufffd", 5),
])
def test_caret_line_is_one_printable_line(pattern, shown, position):
    """The shown pattern keeps one character per character, so the caret stays under it."""
    with pytest.raises(PatternError) as e:
        check_pattern(pattern)
    assert e.value.position == position
    assert str(e.value).split("\n")[1:] == ["  " + shown, "  " + " " * position + "^"]


def test_check_pattern():
    with pytest.raises(PatternError) as e:
        check_pattern("strongly \ud800 condemn")
    assert_caret(e.value, "strongly \ud800 condemn", 9)
    assert str(e.value).startswith(f"pattern: {REASON}\n")


def test_marker_pattern_in_dict_names_marker_and_category():
    with pytest.raises(PatternError) as e:
        nc.Lexicon({"condemnation": ["condemn*", "strongly ~3 \ud800"]})
    assert_caret(e.value, "strongly ~3 \ud800", 12)
    assert (e.value.marker, e.value.category) == ("strongly ~3 \ud800", "condemnation")
    assert str(e.value).startswith("pattern of marker 'strongly ~3 \\ud800' in category "
                                   "'condemnation': lone surrogate")


def test_marker_pattern_with_its_own_id_and_line(tmp_path):
    # a file cannot hold a lone surrogate; a spec built in Python keeps the line it was given
    lex_spec = {"c": [{"id": "ok", "pattern": "attack (a|\ud800b)"}]}
    with pytest.raises(PatternError) as e:
        nc.Lexicon(lex_spec)
    assert_caret(e.value, "attack (a|\ud800b)", 10)
    assert e.value.marker == "ok"


@pytest.mark.parametrize("key", ["negators", "cancellers", "hypotheticals", "scope_breaks"])
def test_cue_lists(key):
    with pytest.raises(PatternError) as e:
        nc.Lexicon({"c": ["attack"]}, **{key: ["not", "never \ud800"]})
    assert_caret(e.value, "never \ud800", 6)
    assert str(e.value).startswith(f"{key[:-1]} cue 1: {REASON}")


def test_cue_list_in_context_of_a_spec():
    spec = {"context": {"negators": ["\ud800"]}, "categories": {"c": ["attack"]}}
    with pytest.raises(PatternError) as e:
        nc.Lexicon(spec)
    assert_caret(e.value, "\ud800", 0)


def test_kwic(sample):
    c = sample
    with pytest.raises(PatternError) as e:
        c.kwic("strongly \ud800")
    assert_caret(e.value, "strongly \ud800", 9)
    with pytest.raises(PatternError):
        c.kwic(["condemn*", "\ud800"])


def test_markers_with_a_dict_lexicon(sample):
    with pytest.raises(PatternError) as e:
        sample.markers({"c": ["\ud800 attack"]})
    assert_caret(e.value, "\ud800 attack", 0)


def test_quanteda_file_escape_is_a_file_error(tmp_path):
    p = tmp_path / "dict.yml"
    p.write_text('threat:\n  - retaliat*\n  - "\\ud800"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"dict\.yml, line 3: " + re.escape(REASON)):
        nc.Lexicon.from_quanteda(p)


@pytest.mark.parametrize("spec, message", [
    ({"c\ud800": ["x"]}, re.escape(f"category name 'c\\ud800': {REASON} (position 1)")),
    ({"c": [{"id": "i\ud800", "pattern": "x"}]}, "marker 0 of category 'c': id 'i\\\\ud800'"),
    ({"c": [{"pattern": "x", "note": "\ud800"}]}, "marker 'x': note '\\\\ud800'"),
    ({"c": [{"pattern": "x", "scale": "\ud800"}]}, "marker 'x': scale '\\\\ud800'"),
    ({"c": {"description": "d\ud800", "markers": ["x"]}}, "the description of category 'c'"),
    ({"name": "n\ud800", "categories": {"c": ["x"]}}, "name 'n\\\\ud800'"),
])
def test_labels(spec, message):
    with pytest.raises(LexiconError, match=message) as e:
        nc.Lexicon(spec)
    assert not isinstance(e.value, PatternError)


@pytest.mark.parametrize("options, message", [
    ({"name": "x\ud800"}, "name 'x\\\\ud800'"),
    ({"version": "\ud800"}, "version"),
    ({"description": "\ud800"}, "description"),
    ({"stem": "english\ud800"}, "stem 'english\\\\ud800'"),
])
def test_lexicon_options(options, message):
    with pytest.raises(LexiconError, match=message):
        nc.Lexicon({"c": ["x"]}, **options)


def test_marker_list():
    with pytest.raises(LexiconError, match="category name"):
        nc.Lexicon([nc.Marker("c\ud800", "m", "x")])
    with pytest.raises(PatternError):
        nc.Lexicon([nc.Marker("c", "m", "x\ud800")])


@pytest.mark.parametrize("make, message", [
    (lambda: nc.Tokenizer(locale="en\ud800"), r"locale 'en\\ud800': lone surrogate U\+D800 is not "
                                              r"a character \(position 2\)"),
    (lambda: nc.Corpus(["a"], locale="\ud800"), "locale"),
    (lambda: nc.Tokenizer(abbreviations=["Cdr\ud800."]), r"abbreviation 'Cdr\\ud800.'"),
    (lambda: nc.Tokenizer(abbreviations={"\udc00.": "always"}), "abbreviation"),
    (lambda: nc.Tokenizer(stem="english\ud800"), "unknown stemming language"),
    (lambda: nc.tokenize("a", locale="\ud800"), "locale"),
])
def test_tokenizer_options(make, message):
    with pytest.raises(ValueError, match=message) as e:
        make()
    assert not isinstance(e.value, UnicodeError)


def test_texts_with_lone_surrogates_still_tokenize():
    assert nc.tokenize("state\ud800sponsored attack \udc00.") == ["state", "sponsored", "attack"]
    # a lone surrogate in a text is a symbol token (U+FFFD when kept): it separates words
    # like punctuation, so adjacent pattern words do not match across it
    tok = nc.Tokenizer(keep_symbols=True)
    assert [(t.text, t.norm, t.kind) for t in tok.tokens("a\ud800b")][1] == (
        "\ud800", "\ufffd", "symbol")
    lex = nc.Lexicon({"c": ["strongly condemn", "condemn it"]})
    hits = nc.Corpus(["We strongly \ud800 condemn it."]).markers(lex)
    assert hits.marker.tolist() == ["condemn it"]


def test_helpers():
    assert lone_surrogate("fine 😀") is None
    assert lone_surrogate("ab\udfffc") == (2, "lone surrogate U+DFFF is not a character")
    check_chars("fine", "x")
    with pytest.raises(ValueError, match=r"^thing 'a\\udbff': lone surrogate U\+DBFF"):
        check_chars("a\udbff", "thing")
