"""Lexicons: the built-in stance lexicon, building from dicts and files (YAML, JSON,
quanteda dictionaries), validation with clear errors naming file and line, pattern errors
with a caret, category filters, pickling, stemming and custom context cues."""
import json
import pickle
import re
import threading

import pytest
import yaml

import natocyber as nc
from natocyber import _core
from natocyber.lexicon import (DEFAULT_CANCELLERS, DEFAULT_HYPOTHETICALS, DEFAULT_NEGATORS,
                               DEFAULT_SCOPE_BREAKS, LexiconError, PatternError, check_pattern)

CATEGORIES = ["attribution", "solidarity", "concern", "disapproval", "condemnation", "demand",
              "norms", "response", "deterrence", "estimative", "hedge", "booster"]
LADDER_CATEGORIES = {"concern", "disapproval", "condemnation", "response", "deterrence"}


# ---- the built-in lexicon ---------------------------------------------------------------

def test_default_lexicon_shape():
    lex = nc.Lexicon.default()
    assert lex.categories == CATEGORIES
    assert lex.name == "natocyber-stance" and lex.version == "1.1.0"
    assert len(lex) == 214
    ids = [m.id for m in lex]
    assert len(set(ids)) == len(ids), "marker ids are unique across the whole lexicon"
    for m in lex:
        assert re.fullmatch(r"[a-z0-9_]+", m.id), m.id
        if m.level is not None:
            assert 0 <= m.level <= 8
            assert m.category in LADDER_CATEGORIES, m.id
        if m.probability is not None:
            assert m.category == "estimative" and m.scale in ("ICD-203", "PHIA")
    levels = {m.level for m in lex if m.level is not None}
    assert levels == set(range(9)), "every step of the ladder has markers"
    assert nc.Lexicon.default() is lex  # loaded once


def test_default_lexicon_words_normalize_to_themselves():
    """Each pattern word is written the way the tokenizer produces it (one token, same
    form), so that the file can be read as the tokens it matches. "Art." keeps its period."""
    from natocyber.lexicon import _word_normalizer
    norm = _word_normalizer(nc.Tokenizer())
    for m in nc.Lexicon.default():
        for w in re.findall(r"[^\s()|~?]+", m.pattern):
            if re.fullmatch(r"\d+", w) and ("~" + w) in m.pattern:
                continue
            core = w.strip("*")
            assert norm(core, 1 if w != core else 0) == [core], (m.id, w)


def test_default_lexicon_compiles_for_other_tokenizers():
    lex = nc.Lexicon.default()
    for opts in ({"hyphens": "split"}, {"drop_numbers": True}, {"stem": "english"},
                 {"keep_punct": True}):
        info = lex.info(nc.Tokenizer(**opts))
        assert info["patterns"] == len(lex) + sum(len(v) for v in lex.context.values())
    # hyphenated words become adjacent tokens under hyphens="split"
    c = nc.Corpus(["A co-ordinated response and state-sponsored actors."], hyphens="split")
    hits = c.markers()
    assert set(hits.marker) == {"coordinated_response", "state_sponsored"}


def test_table_and_repr():
    lex = nc.Lexicon.default()
    t = lex.table()
    assert t.columns.tolist() == ["category", "marker", "pattern", "level", "probability_low",
                                  "probability_high", "scale", "note"]
    assert len(t) == 214 and str(t.level.dtype) == "Int64"
    row = t[t.marker == "highly_likely"].iloc[0]
    assert (row.probability_low, row.probability_high, row.scale) == (0.8, 0.9, "PHIA")
    assert repr(lex).startswith("<natocyber.Lexicon natocyber-stance 1.1.0: 214 markers in 12 "
                                "categories")
    assert lex.describe_category("condemnation").startswith("Formal condemnation")


# ---- building from Python data ------------------------------------------------------------

def test_from_simple_dict_and_marker_ids():
    lex = nc.Lexicon({"deterrence": ["time and ~3 manner of our choosing", "all capabilities"]})
    assert lex.categories == ["deterrence"]
    assert [m.id for m in lex] == ["time and ~3 manner of our choosing", "all capabilities"]
    assert all(m.level is None for m in lex)


def test_from_dicts_with_fields_and_full_format():
    spec = {"name": "mine", "version": "0.1", "categories": {
        "condemnation": {"description": "formal", "markers": [
            {"id": "cond", "pattern": "condemn*", "level": 3},
            {"id": "strong", "pattern": "strongly ~3 condemn*", "level": 4, "note": "gap"}]},
        "estimative": {"markers": [{"id": "hl", "pattern": "highly likely",
                                    "probability": [0.8, 0.9], "scale": "PHIA"}]}}}
    lex = nc.Lexicon(spec)
    assert (lex.name, lex.version) == ("mine", "0.1")
    assert [m.level for m in lex] == [3, 4, None]
    assert lex.entries[2].probability == (0.8, 0.9)
    again = nc.Lexicon(lex.to_dict())
    assert again == lex
    assert nc.Lexicon(lex) == lex
    assert nc.Lexicon(list(lex)).categories == ["condemnation", "estimative"]


@pytest.mark.parametrize("spec, message", [
    ({}, "no categories"),
    ({"x": []}, "category 'x' has no markers"),
    ({"x": "condemn"}, "must hold a list of markers"),
    ({"": ["a"]}, "category name must be a non-empty string"),
    ({"x": [42]}, "must be a pattern string or a mapping"),
    ({"x": [{"pattern": "a", "lvl": 3}]}, "unknown key\\(s\\) 'lvl'"),
    ({"x": [{"id": "a"}]}, "needs a 'pattern' string"),
    ({"x": [{"pattern": "a", "level": 9}]}, "level must be an integer from 0 to 8"),
    ({"x": [{"pattern": "a", "level": True}]}, "level must be an integer"),
    ({"x": [{"pattern": "a", "level": "3"}]}, "level must be an integer"),
    ({"x": [{"pattern": "a", "probability": [0.9, 0.1]}]}, "probability must be"),
    ({"x": [{"pattern": "a", "probability": 0.5}]}, "probability must be"),
    ({"x": ["a", "a"]}, "marker id 'a' appears twice"),
    ({"x": {"markers": ["a"], "colour": "red"}}, "unknown key\\(s\\) 'colour'"),
    ({"x": {"description": "no markers"}}, "no 'markers' list"),
    ({"categories": {"x": ["a"]}, "extra": 1}, "unknown top-level key"),
    ({"categories": {"x": ["a"]}, "context": {"negaters": ["not"]}}, "unknown context key"),
    ("condemn", "must be a mapping"),
])
def test_bad_structures(spec, message):
    with pytest.raises(LexiconError, match=message):
        nc.Lexicon(spec)


def test_empty_pattern_and_gap_over_limit():
    with pytest.raises(PatternError, match="empty pattern") as e:
        nc.Lexicon({"x": ["fine", ""]})
    assert e.value.marker == "" and e.value.category == "x"
    with pytest.raises(PatternError) as e:
        nc.Lexicon({"deterrence": ["all capabilities", "strongly ~12 condemn"]})
    err = e.value
    assert (err.pattern, err.position, err.marker, err.category) == (
        "strongly ~12 condemn", 9, "strongly ~12 condemn", "deterrence")
    assert "limit of ~8" in err.reason
    lines = str(err).splitlines()
    assert lines[1] == "  strongly ~12 condemn" and lines[2] == "           ^"
    assert isinstance(err, ValueError)
    # pickles (for multiprocessing) with its fields
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.position == 9


@pytest.mark.parametrize("pattern, pos, reason", [
    ("(coordinated|collective response", 0, "never closed"),
    ("strongly ~3", 9, "cannot end with a gap"),
    ("~2 condemn", 0, "cannot start with a gap"),
    ("in? a?", 0, "every element is optional"),
    ("co*ndemn", 2, "may only start or end"),
    ("Russia’s (gru|svr||fsb)", 18, "empty alternative"),
    ("a ~0 b", 2, "at least ~1"),
    ("(a ~2 b)", 3, "inside parentheses"),
])
def test_pattern_errors_point_at_the_position(pattern, pos, reason):
    with pytest.raises(PatternError, match=reason) as e:
        check_pattern(pattern)
    assert e.value.position == pos
    with pytest.raises(PatternError) as e2:
        nc.Lexicon({"c": [pattern]})
    assert e2.value.position == pos


def test_word_without_tokens_is_an_error():
    with pytest.raises(PatternError, match="no tokens under the tokenizer") as e:
        nc.Lexicon({"x": ["we !!! condemn"]})
    assert e.value.position == 3


def test_too_many_expansions():
    pat = " ".join(["(a|b c)?"] * 7) + " z"
    with pytest.raises(PatternError, match="more than 1024") as e:
        nc.Lexicon({"x": [pat]})
    assert e.value.position == 54
    cues = nc.Lexicon({"x": ["z"]}).info()["paths"] - 1
    assert nc.Lexicon({"x": [" ".join(["(a|b c)?"] * 6) + " z"]}).info()["paths"] == 729 + cues


def test_unknown_stem_language_and_bad_cues():
    with pytest.raises(LexiconError, match="unknown stemming language 'klingon'"):
        nc.Lexicon({"x": ["a"]}, stem="klingon")
    with pytest.raises(LexiconError, match="negators must be a list"):
        nc.Lexicon({"x": ["a"]}, negators="not")
    with pytest.raises(PatternError, match="negator cue 1") as e:
        nc.Lexicon({"x": ["a"]}, negators=["not", "(never"])
    assert e.value.position == 0


# ---- category filters ----------------------------------------------------------------------

def test_select_and_drop():
    lex = nc.Lexicon.default()
    sub = lex.select(["deterrence", "condemnation"])
    assert sub.categories == ["condemnation", "deterrence"]
    assert len(sub) == sum(1 for m in lex if m.category in ("deterrence", "condemnation"))
    assert sub.context == lex.context and sub.version == lex.version
    assert lex.select("hedge").categories == ["hedge"]
    assert "hedge" not in lex.drop(["hedge", "booster"]).categories
    with pytest.raises(LexiconError, match=r"unknown categories 'deterence', 'x'; this lexicon "
                                           r"has: attribution, solidarity"):
        lex.select(["deterence", "x", "hedge"])
    with pytest.raises(LexiconError, match="at least one category"):
        lex.select([])
    with pytest.raises(LexiconError, match="no categories"):
        lex.select("hedge").drop("hedge")


# ---- files ----------------------------------------------------------------------------------

def test_yaml_file_round_trip(tmp_path, write_file):
    lex = nc.Lexicon.default()
    p = write_file(tmp_path / "copy.yaml", yaml.safe_dump(lex.to_dict(), allow_unicode=True))
    again = nc.Lexicon.from_file(p)
    assert again == lex and len(again) == 214
    pj = write_file(tmp_path / "copy.json", json.dumps(lex.to_dict()))
    assert nc.Lexicon.from_file(pj) == lex


def test_invalid_yaml_names_file_and_line(tmp_path, write_file):
    p = write_file(tmp_path / "bad.yaml", "condemnation:\n  - condemn*\n  - [unclosed\n")
    with pytest.raises(LexiconError, match=r"bad\.yaml, line 4: not valid YAML"):
        nc.Lexicon.from_file(p)


def test_invalid_json_names_file_and_line(tmp_path, write_file):
    p = write_file(tmp_path / "bad.json", '{\n  "x": ["a",\n  ]\n}\n')
    with pytest.raises(LexiconError, match=r"bad\.json, line 3: not valid JSON"):
        nc.Lexicon.from_file(p)


def test_duplicate_yaml_key_names_line(tmp_path, write_file):
    p = write_file(tmp_path / "dup.yaml", "x:\n  - a\ny:\n  - b\nx:\n  - c\n")
    with pytest.raises(LexiconError, match=r"dup\.yaml, line 5: .*duplicate key 'x'"):
        nc.Lexicon.from_file(p)


def test_pattern_error_in_file_names_file_line_and_marker(tmp_path, write_file):
    text = ("name: mine\ncategories:\n  condemnation:\n    markers:\n"
            "      - id: ok\n        pattern: condemn*\n"
            "      - id: bad\n        pattern: \"strongly ~9 condemn\"\n        level: 4\n")
    p = write_file(tmp_path / "mine.yaml", text)
    with pytest.raises(PatternError) as e:
        nc.Lexicon.from_file(p)
    err = e.value
    assert (err.marker, err.category, err.line, err.position) == ("bad", "condemnation", 7, 9)
    assert str(err).startswith("pattern of marker 'bad' in category 'condemnation' (")
    assert "mine.yaml, line 7)" in str(err)


def test_structure_error_in_file_names_line(tmp_path, write_file):
    p = write_file(tmp_path / "lvl.yaml", "x:\n  - pattern: a\n  - pattern: b\n    level: eleven\n")
    with pytest.raises(LexiconError, match=r"lvl\.yaml, line 3: marker 'b': level must be"):
        nc.Lexicon.from_file(p)
    p = write_file(tmp_path / "empty.yaml", "# nothing\n")
    with pytest.raises(LexiconError, match="the file is empty"):
        nc.Lexicon.from_file(p)
    p = tmp_path / "latin1.yaml"
    p.write_bytes("x: [caf\xe9]".encode("latin-1"))
    with pytest.raises(LexiconError, match="not UTF-8"):
        nc.Lexicon.from_file(p)
    with pytest.raises(FileNotFoundError):
        nc.Lexicon.from_file(tmp_path / "missing.yaml")


def test_context_cues_from_file(tmp_path, write_file):
    p = write_file(tmp_path / "ctx.yaml",
                   "context:\n  negators: [never]\ncategories:\n  c: [condemn*]\n")
    lex = nc.Lexicon.from_file(p)
    assert lex.context["negators"] == ("never",)
    assert lex.context["cancellers"] == DEFAULT_CANCELLERS
    c = nc.Corpus(["We did not condemn it. We never condemned it."])
    assert c.markers(lex).negated.tolist() == [False, True]


# ---- quanteda dictionaries ------------------------------------------------------------------------

def test_quanteda_dictionary(tmp_path, write_file):
    text = ("threat:\n"
            "  retaliation:\n"
            "    - retaliat*\n"
            "    - all options\n"
            "  deterrence: [deter, deterrence]\n"
            "attribution:\n"
            "  - '*sponsored'\n"
            "  - responsible (party)\n")
    lex = nc.Lexicon.from_quanteda(write_file(tmp_path / "dict.yml", text))
    assert lex.categories == ["threat.retaliation", "threat.deterrence", "attribution"]
    assert [m.pattern for m in lex if m.category == "attribution"] == [
        "*sponsored", "responsible \\(party\\)"]
    c = nc.Corpus(["They will retaliate with all options. It was state-sponsored."])
    assert c.markers(lex).text.tolist() == ["retaliate", "all options", "state-sponsored"]


@pytest.mark.parametrize("value", ["col?r", "*cyber*", "cy*ber"])
def test_quanteda_unsupported_wildcards(tmp_path, value, write_file):
    p = write_file(tmp_path / "q.yml", f"a:\n  - fine\n  - '{value}'\n")
    with pytest.raises(LexiconError, match=r"q\.yml, line 3: value .* no equivalent"):
        nc.Lexicon.from_quanteda(p)


# ---- pickling, threads, stems --------------------------------------------------------------------

def test_pickle_rebuilds_from_spec():
    lex = nc.Lexicon.default().select(["condemnation", "deterrence"])
    again = pickle.loads(pickle.dumps(lex))
    assert again == lex and again is not lex
    c = nc.Corpus(["We strongly condemn it and will respond at a time of our choosing."])
    assert c.markers(again).equals(c.markers(lex))
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(lex._compile(c.tokenizer))


def test_compiled_once_per_tokenizer_and_shared_by_threads():
    lex = nc.Lexicon.default()
    c1 = nc.Corpus(["We strongly condemn the cyber-attack."])
    c2 = nc.Corpus(["We strongly condemn the cyber-attack."], hyphens="split")
    assert lex._compile(c1.tokenizer) is lex._compile(nc.Tokenizer())
    assert lex._compile(c2.tokenizer) is not lex._compile(c1.tokenizer)
    texts = nc.sample_statements().text.tolist() * 3
    corpus = nc.Corpus(texts)
    want = corpus.markers(lex)
    got = [None] * 6

    def run(k):
        got[k] = corpus.markers(lex)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(g.equals(want) for g in got)


def test_stemmed_lexicon():
    lex = nc.Lexicon({"condemnation": ["condemn", "strong* condemn"]}, stem="english")
    c = nc.Corpus(["NATO condemned it; the EU is condemning it. Strongest condemnation."])
    hits = c.markers(lex, overlap="all")
    assert hits.text.tolist() == ["condemned", "condemning", "Strongest condemnation",
                                  "condemnation"]
    assert pickle.loads(pickle.dumps(lex)).stem == "english"


def test_default_cue_lists_compile():
    for cues in (DEFAULT_NEGATORS, DEFAULT_CANCELLERS, DEFAULT_HYPOTHETICALS,
                 DEFAULT_SCOPE_BREAKS):
        for p in cues:
            check_pattern(p)
    lex = nc.Lexicon({"x": ["condemn*"]}, negators=[], hypotheticals=[])
    c = nc.Corpus(["We could not condemn it."])
    assert c.markers(lex)[["negated", "hypothetical"]].values.tolist() == [[False, False]]


def test_core_lexicon_rejects_bad_arguments():
    with pytest.raises(TypeError, match="pattern 1 is int"):
        _core._Lexicon(["a", 3], [0, 0], [0, 0])
    with pytest.raises(ValueError, match="roles: expected 1 values"):
        _core._Lexicon(["a"], [0], [0, 0])
    with pytest.raises(ValueError, match="role 7"):
        _core._Lexicon(["a"], [0], [7])
    with pytest.raises(ValueError, match="no patterns"):
        _core._Lexicon([], [], [])
    lx = _core._Lexicon(["a"], [0], [0])
    with pytest.raises(TypeError, match="_TokenStore"):
        lx.match("not a store")
    with pytest.raises(ValueError, match="overlap"):
        lx.match(nc.Corpus(["a"]).store.core, overlap=5)
    with pytest.raises(ZeroDivisionError):
        _core._Lexicon(["a b"], [0], [0], normalize=lambda w, g: 1 / 0)
    with pytest.raises(TypeError, match="list of str"):
        _core._Lexicon(["a b"], [0], [0], normalize=lambda w, g: [1])


def test_abbreviation_words_match_like_the_text():
    # the abbreviation table is case-sensitive ("Gen." but not "gen."); pattern words in
    # lower case still match the text's abbreviations
    lex = nc.Lexicon({"x": ["gen. smith", "amb. jones", "(article|art.) 5", "u.s. envoy"]})
    c = nc.Corpus(["Gen. Smith and Amb. Jones discussed Art. 5 with the U.S. envoy."])
    assert c.markers(lex).text.tolist() == ["Gen. Smith", "Amb. Jones", "Art. 5", "U.S. envoy"]
