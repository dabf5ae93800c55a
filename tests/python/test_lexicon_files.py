"""Lexicon files that YAML or JSON accept but a lexicon must not: keys written twice, marker
ids repeated across categories, nesting deep enough to exhaust Python's recursion, lone
surrogates and numbers Python will not convert. Each is a LexiconError naming the file and
the line, never RecursionError, UnicodeEncodeError or a bare ValueError."""
import doctest
import json

import pytest
import yaml

import natocyber as nc
import natocyber.lexicon as lexicon_mod
import natocyber.tokenizer as tokenizer_mod
from natocyber.lexicon import MAX_NESTING, LexiconError, Marker, PatternError


def load(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return nc.Lexicon.from_file(p)


# ---- keys written twice -----------------------------------------------------------------------

@pytest.mark.parametrize("name, text, line, key, first", [
    ("top.json", '{\n "a": ["x"],\n "a": ["y"]\n}\n', 3, "a", 2),
    ("nested.json", '{"categories": {"a": {"markers": [\n  {"id": "m", "pattern": "x",\n'
                    '   "pattern": "y"}]}}}\n', 3, "pattern", 2),
    ("nested.yaml", "categories:\n  a:\n    markers:\n      - id: m\n        pattern: x\n"
                    "        pattern: y\n", 6, "pattern", 5),
    ("flow.yaml", "a: [{pattern: x, level: 1,\n     level: 2}]\n", 2, "level", 1),
])
def test_duplicate_keys_name_both_lines(tmp_path, name, text, line, key, first):
    with pytest.raises(LexiconError) as e:
        load(tmp_path, name, text)
    assert str(e.value) == (f"{tmp_path / name}, line {line}: duplicate key {key!r} "
                            f"(first on line {first})")


def test_yaml_merge_keys_may_be_overridden(tmp_path):
    text = ("categories:\n  a:\n    markers:\n"
            "      - &m {id: m1, pattern: condemn*, level: 3}\n"
            "      - <<: *m\n        id: m2\n        pattern: strongly condemn*\n")
    lex = load(tmp_path, "merge.yaml", text)
    assert [(m.id, m.pattern, m.level) for m in lex] == [
        ("m1", "condemn*", 3), ("m2", "strongly condemn*", 3)]
    twice = text + "        id: m3\n"
    with pytest.raises(LexiconError, match=r"line 8: duplicate key 'id' \(first on line 6\)"):
        load(tmp_path, "merge2.yaml", twice)


# ---- marker ids are unique across the lexicon ---------------------------------------------------

def test_docs_state_ids_are_unique_across_the_lexicon():
    from pathlib import Path
    docs = Path(__file__).resolve().parents[2] / "docs" / "lexicon.md"
    assert "| `id` | every marker | unique across the whole lexicon" in docs.read_text("utf-8")


def test_repeated_id_across_categories_in_yaml_names_second_line(tmp_path):
    text = ("categories:\n  a:\n    markers:\n      - id: m\n        pattern: x\n"
            "  b:\n    markers:\n      - id: m\n        pattern: y\n")
    with pytest.raises(LexiconError) as e:
        load(tmp_path, "ids.yaml", text)
    assert str(e.value) == (f"{tmp_path / 'ids.yaml'}, line 8: marker id 'm' of category 'b' is "
                            "already the id of a marker in category 'a' (first on line 4); "
                            "marker ids must be unique across the lexicon")


def test_repeated_id_across_categories_in_json_names_second_line(tmp_path):
    text = ('{"categories": {\n'
            '  "a": {"markers": [{"id": "m", "pattern": "x"}]},\n'
            '  "b": {"markers": [{"id": "n", "pattern": "y"},\n'
            '                    {"id": "m", "pattern": "z"}]}}}\n')
    with pytest.raises(LexiconError, match=r"ids\.json, line 4: marker id 'm' of category 'b' "
                                           r"is already the id of a marker in category 'a' "
                                           r"\(first on line 2\)"):
        load(tmp_path, "ids.json", text)


@pytest.mark.parametrize("spec", [
    {"a": ["sanctions"], "b": ["sanctions"]},
    {"a": [{"id": "m", "pattern": "x"}], "b": [{"id": "m", "pattern": "y"}]},
    {"categories": {"a": {"markers": [{"id": "m", "pattern": "x"}]}, "b": ["m"]}},
    [Marker("a", "m", "x"), Marker("b", "m", "y")],
])
def test_repeated_id_across_categories_in_python_data(spec):
    with pytest.raises(LexiconError, match="of category 'b' is already the id of a marker in "
                                           "category 'a'; marker ids must be unique"):
        nc.Lexicon(spec)


def test_repeated_id_within_a_category_names_first_line(tmp_path):
    with pytest.raises(LexiconError, match=r"line 3: marker id 'x' appears twice in category "
                                           r"'a' \(first on line 2\)"):
        load(tmp_path, "twice.yaml", "a:\n  - x\n  - pattern: y\n    id: x\n")


def test_distinct_ids_for_one_pattern_in_two_categories_are_fine():
    lex = nc.Lexicon({"a": ["sanctions"], "b": [{"id": "b_sanctions", "pattern": "sanctions"}]})
    hits = nc.Corpus(["We impose sanctions."]).markers(lex)
    assert sorted(zip(hits.category, hits.marker)) == [("a", "sanctions"), ("b", "b_sanctions")]


def test_quanteda_value_under_two_keys_is_told_apart_by_its_key(tmp_path, write_file):
    """quanteda counts a value under every key that lists it; the ids say which key."""
    p = write_file(tmp_path / "q.yml", "threat:\n  - retaliat*\nresponse:\n  - sanction*\n"
                                       "  - retaliat*\n")
    lex = nc.Lexicon.from_quanteda(p)
    assert [(m.category, m.id) for m in lex] == [("threat", "threat/retaliat*"),
                                                  ("response", "sanction*"),
                                                  ("response", "response/retaliat*")]
    hits = nc.Corpus(["They retaliated."]).markers(lex)
    assert sorted(hits.category) == ["response", "threat"]
    p = write_file(tmp_path / "q2.yml", "threat: [deter, deter]\n")
    with pytest.raises(LexiconError, match=r"line 1: value 'deter' appears twice under "
                                           r"'threat' \(line 1\)"):
        nc.Lexicon.from_quanteda(p)


def test_quanteda_shared_mappings_stop_at_the_limit(tmp_path, write_file):
    """Aliased mappings that would be walked 2**n times: 4,095 values load (n = 12), and
    n = 40 stops at MAX_QUANTEDA_VALUES instead of never finishing; an empty mapping, which
    would hold nothing, is refused."""
    def laughs(n):
        return "l0: &l0 {k: [v]}\n" + "".join(
            f"l{i}: &l{i} {{a: *l{i - 1}, b: *l{i - 1}}}\n" for i in range(1, n))
    lex = nc.Lexicon.from_quanteda(write_file(tmp_path / "laughs12.yml", laughs(12)))
    assert len(lex) == sum(2 ** i for i in range(12))        # key l{i} holds 2**i copies
    with pytest.raises(LexiconError, match=r"more than 200,000 values \(through YAML aliases"):
        nc.Lexicon.from_quanteda(write_file(tmp_path / "laughs40.yml", laughs(40)))
    with pytest.raises(LexiconError, match=r"line 2: key 'b' holds an empty mapping"):
        nc.Lexicon.from_quanteda(write_file(tmp_path / "empty.yml", "a: [x]\nb: {}\n"))


def test_builtin_lexicon_ids_unique_and_loads():
    lex = nc.Lexicon.default()
    ids = [m.id for m in lex]
    assert len(ids) == len(set(ids)) == 214
    assert nc.Lexicon(lex.to_dict()) == lex


# ---- nesting ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_nesting_5000_deep_is_a_lexicon_error_not_recursion(tmp_path, name):
    text = '{"a":\n' + "[" * 5000 + "]" * 5000 + "}\n"
    with pytest.raises(LexiconError) as e:
        load(tmp_path, name, text)
    assert str(e.value) == (f"{tmp_path / name}, line 2: nesting deeper than {MAX_NESTING} "
                            "levels of mappings and lists (the limit for lexicon files)")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_limit_is_exact_and_names_the_line(tmp_path, fmt):
    # one container per line: the mapping, then lists; the error is at the 101st
    def nested(levels):
        return '{"a":\n' + "[\n" * (levels - 1) + '"x"' + "]" * (levels - 1) + "}\n"
    assert MAX_NESTING == 100
    with pytest.raises(LexiconError, match="must be a pattern string or a mapping"):
        load(tmp_path, f"ok.{fmt}", nested(MAX_NESTING))  # read, then refused as a structure
    with pytest.raises(LexiconError, match=rf"line {MAX_NESTING + 1}: nesting deeper than 100"):
        load(tmp_path, f"deep.{fmt}", nested(MAX_NESTING + 1))


def test_nesting_through_yaml_aliases(tmp_path):
    """A chain of aliases is shallow in the text but deep once built (a merge makes the last
    link be built first)."""
    n = 3000
    text = "{" + ", ".join(["k0: &a0 [x]"] + [f"k{i}: &a{i} [*a{i - 1}]" for i in range(1, n)])
    text += f", <<: {{m: [*a{n - 1}]}}}}\n"
    with pytest.raises(LexiconError, match=r"line 1: nesting deeper than 100 levels"):
        load(tmp_path, "chain.yaml", text)


# ---- lone surrogates and unreadable values ------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("value.json", '{"a": [\n"x \\ud800"]}\n'),
    ("key.json", '{\n"\\udfff": ["x"]}\n'),
    ("value.yaml", 'a:\n  - "x \\uD800"\n'),
    ("key.yaml", 'a: [x]\n"\\uDC00b": [y]\n'),
])
def test_lone_surrogate_escapes_name_file_and_line(tmp_path, name, text):
    with pytest.raises(LexiconError) as e:
        load(tmp_path, name, text)
    msg = str(e.value)
    assert msg.startswith(f"{tmp_path / name}, line 2: lone surrogate U+D")
    assert msg.endswith("is not a character (a string here has an escape such as \\ud800 "
                        "without its other half)")
    assert not isinstance(e.value, PatternError)


def test_surrogate_pairs_in_files_are_characters(tmp_path):
    # U+1D400 MATHEMATICAL BOLD CAPITAL A, written as a pair; NFKC makes it "a"
    lex = load(tmp_path, "pair.json", '{"bold": ["\\ud835\\udc00ttack"]}')
    assert lex.entries[0].pattern == "\U0001D400ttack"
    assert len(nc.Corpus(["an attack"]).markers(lex)) == 1
    lex = load(tmp_path, "pair.yaml", 'bold: ["\\U0001D400ttack"]\n')
    assert lex.entries[0].pattern == "\U0001D400ttack"


@pytest.mark.parametrize("name, text", [
    ("level.json", '{"a": [\n  {"pattern": "x", "level": ' + "1" * 5001 + "}]}"),
    ("level.yaml", "a:\n  - level: " + "1" * 5001 + "\n    pattern: x\n"),
])
def test_huge_integers_name_file_and_line(tmp_path, name, text):
    with pytest.raises(LexiconError) as e:
        load(tmp_path, name, text)
    assert str(e.value) == (f"{tmp_path / name}, line 2: cannot read '11111111111111111111'... "
                            "(5,001 characters): too many digits for an integer")


def test_impossible_yaml_date_names_line(tmp_path):
    with pytest.raises(LexiconError, match=r"line 3: cannot read '2020-02-30': day is out of "
                                           "range for month"):
        load(tmp_path, "date.yaml", "a:\n  - pattern: x\n    note: 2020-02-30\n")


# ---- JSON read with lines -----------------------------------------------------------------------

def test_json_structure_errors_name_the_line(tmp_path):
    text = '{\n  "a": [\n    "x",\n    {"pattern": "y", "level": 11}\n  ]\n}\n'
    with pytest.raises(LexiconError, match=r"bad\.json, line 4: marker 'y': level must be"):
        load(tmp_path, "bad.json", text)


@pytest.mark.parametrize("text, line, message", [
    ('{\n  "x": ["a",\n  ]\n}\n', 3, "expecting a value (column 3)"),
    ('{"a" 1}', 1, "expecting ':' after a key (column 6)"),
    ('{"a": 1,}', 1, "expecting a key in double quotes (column 9)"),
    ('[1\n 2]', 2, "expecting ',' or ']' (column 2)"),
    ('{"a": 1\n "b": 2}', 2, "expecting ',' or '}' (column 2)"),
    ('"a\\qb"', 1, "Invalid \\escape (column 3)"),
    ('[1] x', 1, "extra data after the value (column 5)"),
    ('{"a": "\x01"}', 1, "Invalid control character at (column 8)"),
])
def test_invalid_json_messages(tmp_path, text, line, message):
    with pytest.raises(LexiconError) as e:
        load(tmp_path, "bad.json", text)
    assert str(e.value) == f"{tmp_path / 'bad.json'}, line {line}: not valid JSON: {message}"


@pytest.mark.parametrize("text", [
    '{"a": [1, -2.5e3, 0, true, false, null, "\\ud83d\\ude00 \\u00e9 \\n \\"q\\" \\/"], '
    '"b": {}, "c": [], "d": 1E5, "e": -0, "f": NaN, "g": -Infinity}',
    ' [ ] ', '"x"', '12345678901234567890', '\n{"a":\n{"b":\n[]}}\n',
])
def test_json_reader_agrees_with_json_module(text):
    ours = lexicon_mod._JsonReader(text).read()
    assert json.dumps(ours) == json.dumps(json.loads(text))


def test_json_round_trip_of_builtin_keeps_lines(tmp_path, write_file):
    lex = nc.Lexicon.default()
    text = json.dumps(lex.to_dict(), indent=2, ensure_ascii=False)
    data = lexicon_mod._JsonReader(text).read()
    assert data == json.loads(text)
    first = data["categories"]["attribution"]["markers"][0]
    assert text.splitlines()[first.line - 1].strip() == "{"
    assert text.splitlines()[first["id"].line - 1].strip().startswith('"id"')
    assert nc.Lexicon.from_file(write_file(tmp_path / "copy.json", text)) == lex


def test_yaml_of_builtin_still_loads_identically(tmp_path):
    lex = nc.Lexicon.default()
    again = load(tmp_path, "copy.yaml", yaml.safe_dump(lex.to_dict(), allow_unicode=True))
    assert again == lex


# ---- the examples in the docstrings -------------------------------------------------------------

@pytest.mark.parametrize("module", [lexicon_mod, tokenizer_mod])
def test_module_doctests(module):
    res = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


def test_a_huge_lexicon_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.yaml"
    with open(p, "wb") as f:
        f.truncate(2**31)          # sparse: no disk used
    with pytest.raises(LexiconError, match=r"big.yaml: 2,147,483,648 bytes; a lexicon file may "
                                           r"hold at most 67,108,864"):
        nc.Lexicon.from_file(p)
    with pytest.raises(LexiconError, match="at most"):
        nc.Lexicon.from_quanteda(p)


def test_messages_name_file_format_types_not_internal_classes(tmp_path, write_file):
    p = write_file(tmp_path / "list.yaml", "- condemn\n- deter\n")
    with pytest.raises(LexiconError, match="needs Marker objects, not a string$"):
        nc.Lexicon.from_file(p)
    p = write_file(tmp_path / "t.yaml", "just text\n")
    with pytest.raises(LexiconError, match="must be a mapping, not a string$"):
        nc.Lexicon.from_file(p)
