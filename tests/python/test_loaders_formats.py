"""What the loaders make of the contents: CSV cells that pandas would call missing, JSON
objects with a key twice, UTF-16 and UTF-32 files with and without a byte-order mark, and
file name patterns whose split would be a guess."""
import codecs
import gzip
import json

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
import natocyber.loaders as loaders
from natocyber.loaders import LoadError


# ---- CSV: the text column as written ---------------------------------------------------------

NA_WORDS = ["NA", "null", "nan", "None", "N/A", "NULL", "n/a", "#N/A", "<NA>", "NaN", "-nan"]


def test_csv_texts_that_look_missing_are_texts(tmp_path, write_file):
    rows = "".join(f"{w},{2000 + i},{w}\n" for i, w in enumerate(NA_WORDS))
    p = write_file(tmp_path / "s.csv", "text,year,note\n" + rows + ",2030,\n")
    c = nc.Corpus.from_csv(p)
    assert c.texts == NA_WORDS + [""]                       # every cell kept as written
    assert c.meta["note"].isna().all()                      # other columns: pandas' NA
    assert c.meta["year"].tolist() == list(range(2000, 2000 + len(NA_WORDS))) + [2030]
    assert c.frequency("null")["count"].tolist() == [2]     # "null" and "NULL"


def test_csv_read_options_decide_missing_values_when_given(tmp_path, write_file):
    p = write_file(tmp_path / "s.csv", "text,source\nNA,NA\nok,EU\n")
    df = loaders.read_csv(p, read_options={"keep_default_na": False})
    assert df["source"].tolist() == ["NA", "EU"]            # the user's choice, every column
    assert loaders.read_csv(p)["source"].isna().tolist() == [True, False]
    df = loaders.read_csv(p, read_options={"na_values": ["ok"]})
    assert df["text"].tolist() == ["", ""]  # the user asked: both cells missing, so empty


def test_a_sidecar_file_named_like_a_missing_value(tmp_path, write_file):
    write_file(tmp_path / "d" / "NA.txt", "Text one.")
    write_file(tmp_path / "d" / "null.txt", "Text two.")
    side = write_file(tmp_path / "meta.csv", "file,year\nNA.txt,2020\nnull.txt,NA\n")
    df = nc.read_files(tmp_path / "d", meta=side)
    assert df.file.tolist() == ["NA.txt", "null.txt"]
    assert df.year.tolist()[0] == 2020 and pd.isna(df.year.tolist()[1])


def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path, write_file):
    p = write_file(tmp_path / "s.csv", "text,year,text\nfirst,2020,second\n")
    with pytest.raises(LoadError, match=r"s\.csv: the header names the column 'text' twice "
                                        r"\(columns 1 and 3\)"):
        nc.Corpus.from_csv(p)
    side = write_file(tmp_path / "meta.csv", "file,year,year\na.txt,1,2\n")
    write_file(tmp_path / "d" / "a.txt", "Text.")
    with pytest.raises(LoadError, match="names the column 'year' twice"):
        nc.read_files(tmp_path / "d", meta=side)
    semi = write_file(tmp_path / "semi.csv", "text;year;year\nx;1;2\n")
    with pytest.raises(LoadError, match="'year' twice"):
        loaders.read_csv(semi, read_options={"sep": ";"})


# ---- JSON Lines: a key twice --------------------------------------------------------------

def test_jsonl_object_with_a_key_twice_is_refused(tmp_path, write_file):
    p = write_file(tmp_path / "s.jsonl", '{"text": "a", "year": 1}\n\n{"text": "b", "year": 1, '
                                         '"year": 2}\n')
    with pytest.raises(LoadError, match=r"s\.jsonl, line 3: the key 'year' appears twice") as e:
        nc.Corpus.from_jsonl(p)
    assert e.value.line == 3
    write_file(p, '{"text": "a", "meta": {"k": 1, "k": 2}}\n')
    with pytest.raises(LoadError, match="line 1: the key 'k' appears twice"):
        nc.Corpus.from_jsonl(p)
    write_file(p, json.dumps({"text": "a", "year": 1}) + "\n")
    assert nc.Corpus.from_jsonl(p).meta.year.tolist() == [1]


def test_jsonl_nested_too_deeply(tmp_path, write_file):
    p = write_file(tmp_path / "s.jsonl", b'{"text": "a", "x": ' + b"[" * 100000 + b"]" * 100000 +
                   b"}\n")
    with pytest.raises(LoadError, match=r"line 1: JSON nested too deeply"):
        nc.Corpus.from_jsonl(p)


# ---- encodings ----------------------------------------------------------------------------------

TEXT = "We condemn it.\nCafé – «naïve» ’quoted’ 𝔘.\n"
BOMS = [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8)]


@pytest.mark.parametrize("encoding, bom", BOMS, ids=[e for e, _ in BOMS])
def test_files_with_a_byte_order_mark_are_decoded(tmp_path, encoding, bom, write_file):
    data = bom + TEXT.encode(encoding)
    p = write_file(tmp_path / "a.txt", data)
    assert nc.read_files(p).text.tolist() == [TEXT]
    gz = write_file(tmp_path / "a.txt.gz", gzip.compress(data))
    assert nc.read_files(gz).text.tolist() == [TEXT]
    csv = write_file(tmp_path / "s.csv", bom + "text,year\nWe condemn it.,2024\n".encode(encoding))
    assert nc.Corpus.from_csv(csv).texts == ["We condemn it."]
    jl = write_file(tmp_path / "s.jsonl", bom + '{"text": "Café"}\n'.encode(encoding))
    assert nc.Corpus.from_jsonl(jl).texts == ["Café"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_files_without_a_mark_are_refused_with_the_encoding_to_pass(tmp_path, encoding,
                                                                         write_file):
    for text in ("We condemn it. Allies agree.\n", TEXT):   # ASCII: also valid UTF-8
        p = write_file(tmp_path / "a.txt", text.encode(encoding))
        with pytest.raises(LoadError, match=rf"a\.txt: looks like {encoding.upper()} text "
                                            rf"without a byte-order mark .* pass "
                                            rf"encoding='{encoding}'"):
            nc.read_files(p)
        with pytest.raises(LoadError, match="without a byte-order mark"):
            nc.read_files(p, errors="replace")        # U+FFFD would not make it readable
        assert nc.read_files(p, encoding=encoding).text.tolist() == [text]


def test_a_utf16_file_with_a_bad_unit_names_byte_line_and_column(tmp_path, write_file):
    data = codecs.BOM_UTF16_LE + "ab\ncd".encode("utf-16-le") + b"\x00\xdc" + "e".encode(
        "utf-16-le")                                  # a lone low surrogate after "cd"
    p = write_file(tmp_path / "a.txt", data)
    with pytest.raises(LoadError, match=r"not valid UTF-16-LE at byte 12 \(line 2, column 3\)"
                       ) as e:
        nc.read_files(p)
    assert e.value.offset == 12 and e.value.line == 2
    assert nc.read_files(p, errors="replace").text[0] == "ab\ncd\ufffde"


def test_an_explicit_encoding_is_used_as_given(tmp_path, write_file):
    p = write_file(tmp_path / "a.txt", "Café ’quoted’".encode("cp1252"))
    assert nc.read_files(p, encoding="cp1252").text[0] == "Café ’quoted’"
    csv = write_file(tmp_path / "s.csv", "text\nCafé\n".encode("latin-1"))
    assert nc.Corpus.from_csv(csv, encoding="latin-1").texts == ["Café"]
    jl = write_file(tmp_path / "s.jsonl", '{"text": "Café"}\n'.encode("cp1252"))
    assert nc.Corpus.from_jsonl(jl, encoding="cp1252").texts == ["Café"]
    side = write_file(tmp_path / "m.csv", "file,source\na.txt,Élysée\n".encode("cp1252"))
    assert nc.read_files(p, meta=side, encoding="cp1252").source.tolist() == ["Élysée"]
    with pytest.raises(ValueError, match="'klingon' is not an encoding Python knows"):
        nc.read_files(p, encoding="klingon")
    with pytest.raises(ValueError, match="not a text encoding"):
        nc.read_files(p, encoding="zlib")


def test_a_column_counts_characters_not_bytes(tmp_path, write_file):
    p = write_file(tmp_path / "a.txt", "Ça va\nÉté à ".encode("utf-8") + b"\xff")
    with pytest.raises(LoadError, match=r"at byte 16 \(line 2, column 7\)"):
        nc.read_files(p)


# ---- file name patterns ------------------------------------------------------------------------

@pytest.fixture
def presidents(tmp_path, write_file):
    d = tmp_path / "p"
    for name in ("1790-George Washington.txt", "1801-Thomas Jefferson.txt"):
        write_file(d / name, "Text.")
    return d


@pytest.mark.parametrize("pattern, fix", [
    ("{year}-{president}*.txt", "'{year}-{president}.txt'"),
    ("{year}-{president}?.txt", "'{year}-{president}.txt'"),
    ("{year}-{president}[a-z].txt", "'{year}-{president}.txt'"),
    ("{year}{president}.txt", "'{year}-{president}.txt'"),
    ("*{year}-{president}.txt", "'{year}-{president}.txt'"),
    ("{year}-*{president}.txt", "'{year}-{president}.txt'"),
])
def test_a_field_next_to_a_wildcard_or_field_is_refused(presidents, pattern, fix):
    with pytest.raises(ValueError, match=r"the field \{\w+\} .* would be a guess .* e\.g\. "
                       + fix.replace("{", r"\{").replace("}", r"\}").replace("[", r"\[")
                       .replace("?", r"\?").replace("*", r"\*").replace(".", r"\.")):
        nc.read_files(presidents, meta=pattern)


def test_the_suggested_pattern_reads_whole_names(presidents):
    df = nc.read_files(presidents, meta="{year}-{president}.txt")
    assert df.president.tolist() == ["George Washington", "Thomas Jefferson"]
    assert df.year.dtype == np.int64
    # a wildcard away from the fields is fine, and so is '?' before a field
    df = nc.read_files(presidents, meta="{year}-{president} *.txt")
    assert df.president.tolist() == ["George", "Thomas"]
    df = nc.read_files(presidents, meta="?{yy}-{president}.txt")
    assert df.yy.tolist() == [790, 801]


def test_a_field_ends_at_the_first_separator(tmp_path, write_file):
    # the documented rule: the field whose values may hold the separator goes last
    write_file(tmp_path / "John-Quincy-Adams-1825.txt", "Text.")
    df = nc.read_files(tmp_path, meta="{president}-{year}.txt")
    assert df.president.tolist() == ["John"] and df.year.tolist() == ["Quincy-Adams-1825"]
    write_file(tmp_path / "John-Quincy-Adams-1825.txt", "Text.")
    df = nc.read_files(tmp_path, meta="{first}-{rest}.txt")
    assert df["rest"].tolist() == ["Quincy-Adams-1825"]


def test_sets_in_name_patterns_work_as_in_globs(tmp_path, write_file):
    write_file(tmp_path / "2024-a.txt", "Text.")
    write_file(tmp_path / "2024-b.txt", "Text.")
    df = nc.read_files(tmp_path, meta="{year}-[a].txt", missing="drop")
    assert df.file.tolist() == ["2024-a.txt"]
    with pytest.raises(ValueError, match="not a valid glob pattern"):
        nc.read_files(tmp_path, meta="{year}-[z-a].txt")


def test_a_bad_pattern_is_reported_before_any_file_is_read(tmp_path, write_file):
    write_file(tmp_path / "bad.txt", b"\xff")                 # would fail to decode
    with pytest.raises(ValueError, match="would be a guess"):
        nc.read_files(tmp_path, meta="{a}{b}.txt")


def test_jsonl_texts_may_hold_lone_surrogates_but_metadata_may_not(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"text": "Allies \\ud800 condemn.", "year": 2020}\n'
                 '{"year": 2021, "text": "We note."}\n', encoding="utf-8")
    c = nc.Corpus.from_jsonl(p)
    assert c.texts == ["Allies \ud800 condemn.", "We note."]
    assert c.meta.year.tolist() == [2020, 2021]
    assert loaders.read_jsonl(p).columns.tolist() == ["text", "year"]
    bad = tmp_path / "m.jsonl"
    bad.write_text('{"text": "a"}\n{"text": "b", "src": "x\\udc80"}\n', encoding="utf-8")
    with pytest.raises(nc.LoadError, match=r"m.jsonl, line 2: field 'src': lone surrogate "
                                           r"U\+DC80 is not a character"):
        nc.Corpus.from_jsonl(bad)


def test_jsonl_numbers_of_thousands_of_digits_name_the_line(tmp_path):
    p = tmp_path / "n.jsonl"
    p.write_text('{"text": "a"}\n{"text": "b", "n": ' + "1" * 5001 + "}\n", encoding="utf-8")
    with pytest.raises(nc.LoadError, match=r"n.jsonl, line 2: cannot read a value"):
        nc.Corpus.from_jsonl(p)


def test_a_text_holding_a_few_nul_characters_is_not_taken_for_utf16(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Allies\x00condemn")
    (tmp_path / "b.txt").write_bytes(b"x\x00" * 3 + b"tail")
    assert nc.Corpus.from_files(tmp_path).texts == ["Allies\x00condemn", "x\x00x\x00x\x00tail"]
    (tmp_path / "c.txt").write_bytes("We condemn it, with allies.".encode("utf-16-le"))
    with pytest.raises(nc.LoadError, match="UTF-16-LE"):
        nc.Corpus.from_files(tmp_path)
