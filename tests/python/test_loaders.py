"""Loaders: folders of text files with metadata from names, front matter or a sidecar CSV;
CSV, JSON Lines and Parquet; UTF-8 errors naming file and byte; boilerplate lines."""
import doctest
import gzip
import json
import pickle
import re

import numpy as np
import pandas as pd
import pytest

import natocyber as nc
import natocyber.loaders as loaders
from natocyber.loaders import LoadError


@pytest.fixture
def folder(tmp_path, write_file):
    root = tmp_path / "statements"
    write_file(root / "2018" / "2018-NATO-salisbury.txt", "Allies express solidarity with the UK.")
    write_file(root / "2024" / "2024-EU-campaign.txt", "The EU strongly condemns the campaign.")
    write_file(root / "2024" / "2024-NATO-council.txt",
               "NATO strongly condemns it. We stand united.")
    write_file(root / "notes.md", "not a statement")
    return root


# ---- finding files and file names ------------------------------------------------------------

def test_glob_reads_files_in_name_order_with_relative_file_names(folder):
    c = nc.Corpus.from_files(str(folder / "**" / "*.txt"))
    assert c.meta["file"].tolist() == ["2018/2018-NATO-salisbury.txt", "2024/2024-EU-campaign.txt",
                                       "2024/2024-NATO-council.txt"]
    assert c.texts[1] == "The EU strongly condemns the campaign."
    assert list(c.meta.columns) == ["file"]


def test_folder_list_and_single_file(folder):
    assert len(nc.Corpus.from_files(folder)) == 3          # a folder: every *.txt under it
    files = sorted(folder.rglob("*.txt"))[:2]
    c = nc.Corpus.from_files(files)
    assert c.meta["file"].tolist() == ["2018/2018-NATO-salisbury.txt", "2024/2024-EU-campaign.txt"]
    one = nc.Corpus.from_files(folder / "2018" / "2018-NATO-salisbury.txt")
    assert one.meta["file"].tolist() == ["2018-NATO-salisbury.txt"]


def test_no_files_is_an_error_naming_the_pattern(tmp_path):
    with pytest.raises(LoadError, match=r"no files match .*\*\.txt"):
        nc.Corpus.from_files(str(tmp_path / "*.txt"))
    with pytest.raises(LoadError, match="holds no .txt files"):
        nc.Corpus.from_files(tmp_path)
    with pytest.raises(LoadError, match="no such file or folder"):
        nc.Corpus.from_files(tmp_path / "missing")


# ---- metadata from file names ----------------------------------------------------------------

def test_file_name_pattern_gives_typed_columns(folder):
    c = nc.Corpus.from_files(str(folder / "**/*.txt"), meta="{year}-{source}-*.txt")
    assert list(c.meta.columns) == ["file", "year", "source"]
    assert c.meta["year"].tolist() == [2018, 2024, 2024]
    assert c.meta["year"].dtype == np.int64                 # digits -> int
    assert c.meta["source"].tolist() == ["NATO", "EU", "NATO"]
    df = c.ngrams(n=2, by="year")
    assert set(df[df.ngram == "strongly condemns"].year) == {2024}


def test_pattern_with_a_folder_and_leading_zeros(tmp_path, write_file):
    write_file(tmp_path / "2021" / "007-g7.txt", "Text one.")
    write_file(tmp_path / "2022" / "010-nato.txt", "Text two.")
    df = nc.read_files(str(tmp_path / "*" / "*.txt"), meta="{year}/{id}-{source}.txt")
    assert df["year"].tolist() == [2021, 2022]
    assert df["id"].tolist() == ["007", "010"]              # an identifier stays a string
    assert df["source"].tolist() == ["g7", "nato"]


def test_files_the_pattern_does_not_match(folder, write_file):
    write_file(folder / "2024" / "summary.txt", "No metadata in this name.")
    pattern = str(folder / "**/*.txt")
    with pytest.raises(LoadError, match=r"1 file\(s\) have nothing in file name pattern.*"
                                        r"2024/summary.txt.*missing='na'"):
        nc.read_files(pattern, meta="{year}-{source}-*.txt")
    df = nc.read_files(pattern, meta="{year}-{source}-*.txt", missing="na")
    assert df["year"].dtype == "Int64" and df["year"].isna().tolist() == [False, False, False, True]
    df = nc.read_files(pattern, meta="{year}-{source}-*.txt", missing="drop")
    assert len(df) == 3 and "2024/summary.txt" not in df.file.tolist()


def test_bad_patterns(folder):
    with pytest.raises(ValueError, match="twice"):
        nc.read_files(folder, meta="{a}-{a}.txt")
    with pytest.raises(ValueError, match=r"fields are written \{name\}"):
        nc.read_files(folder, meta="{year-}{x}.txt")


# ---- front matter ----------------------------------------------------------------------------

FRONT = """---
title: "Statement on malicious cyber activities"
year: 2024
source: 'NATO'
# a comment line

note:
---
NATO strongly condemns the malicious cyber activities.
"""


def test_front_matter_is_parsed_typed_and_removed(tmp_path, write_file):
    write_file(tmp_path / "a.txt", FRONT)
    write_file(tmp_path / "b.txt", "---\nyear: 2018\nsource: EU\n---\nThe EU condemns it.")
    df = nc.read_files(tmp_path, meta="front-matter")
    assert df.columns.tolist() == ["file", "title", "year", "source", "note", "text"]
    assert df.loc[0, "title"] == "Statement on malicious cyber activities"
    assert df["year"].tolist() == [2024, 2018] and df["year"].dtype == np.int64
    assert df["source"].tolist() == ["NATO", "EU"]
    assert df.loc[0, "note"] is None or pd.isna(df.loc[0, "note"])   # empty value: missing
    assert df.loc[0, "text"] == "NATO strongly condemns the malicious cyber activities.\n"
    assert df.loc[1, "text"] == "The EU condemns it."


def test_front_matter_errors_name_file_and_line(tmp_path, write_file):
    p = write_file(tmp_path / "bad.txt", "---\nyear: 2024\nthis line has no colon\n---\ntext")
    with pytest.raises(LoadError, match=r"bad\.txt, line 3: front matter expects 'key: value'"):
        nc.read_files(p, meta="front-matter")
    write_file(p, "---\nyear: 2024\nsource: NATO")
    with pytest.raises(LoadError, match="never closed"):
        nc.read_files(p, meta="front-matter")
    write_file(p, "---\nyear: 2024\nyear: 2025\n---\n")
    with pytest.raises(LoadError, match="line 3: front-matter key 'year' appears twice"):
        nc.read_files(p, meta="front-matter")


def test_files_without_front_matter(tmp_path, write_file):
    write_file(tmp_path / "a.txt", "---\nyear: 2024\n---\nText.")
    write_file(tmp_path / "b.txt", "Plain text; a line of --- later\n---\n")
    with pytest.raises(LoadError, match=r"1 file\(s\) have no front matter: b\.txt"):
        nc.read_files(tmp_path, meta="front-matter")
    df = nc.read_files(tmp_path, meta="front-matter", missing="na")
    assert df["year"].tolist()[0] == 2024 and pd.isna(df["year"].tolist()[1])
    assert df.loc[1, "text"].startswith("Plain text")


def test_parse_front_matter_directly():
    fields, body = loaders.parse_front_matter("---\r\nyear: 2024\r\n---\r\nBody")
    assert fields == {"year": "2024"} and body == "Body"
    assert loaders.parse_front_matter("No block") == (None, "No block")


# ---- sidecar CSV -----------------------------------------------------------------------------

def test_sidecar_csv_keyed_by_file_name(folder, tmp_path, write_file):
    side = write_file(tmp_path / "meta.csv",
                      "file,date,kind,weight\n"
                      "2018-NATO-salisbury.txt,2018-03-14,statement,1.5\n"
                      "2024/2024-EU-campaign.txt,2024-05-03,declaration,2\n"
                      "2024-NATO-council.txt,2024-05-03,statement,3\n"
                      "unrelated.txt,2000-01-01,other,0\n")
    c = nc.Corpus.from_files(str(folder / "**/*.txt"), meta=side)
    assert c.meta.columns.tolist() == ["file", "date", "kind", "weight"]
    assert c.meta["kind"].tolist() == ["statement", "declaration", "statement"]
    assert c.meta["weight"].tolist() == [1.5, 2.0, 3.0]
    # a DataFrame works the same, with another key column
    table = pd.DataFrame({"name": ["2018-NATO-salisbury.txt", "2024-EU-campaign.txt",
                                   "2024-NATO-council.txt"], "rank": [3, 1, 2]})
    df = nc.read_files(str(folder / "**/*.txt"), meta=table, key="name")
    assert df["rank"].tolist() == [3, 1, 2] and df["rank"].dtype == np.int64


def test_sidecar_problems(folder, tmp_path, write_file):
    pattern = str(folder / "**/*.txt")
    side = write_file(tmp_path / "meta.csv", "file,kind\n2018-NATO-salisbury.txt,statement\n")
    with pytest.raises(LoadError, match=r"2 file\(s\) have nothing in sidecar .*meta\.csv: "
                                        r"2024/2024-EU-campaign\.txt, 2024/2024-NATO-council\.txt"):
        nc.read_files(pattern, meta=side)
    df = nc.read_files(pattern, meta=side, missing="na")
    assert df["kind"].tolist()[0] == "statement"
    assert df["kind"].isna().tolist() == [False, True, True]
    counts = write_file(tmp_path / "counts.csv", "file,n_pages\n2018-NATO-salisbury.txt,4\n")
    df = nc.read_files(pattern, meta=counts, missing="na")
    assert str(df["n_pages"].dtype) == "Int64" and df["n_pages"].tolist()[0] == 4
    write_file(side, "name,kind\nx.txt,a\n")
    with pytest.raises(LoadError, match=r"no key column 'file'.*columns: name, kind"):
        nc.read_files(pattern, meta=side)
    write_file(side, "file,kind\na.txt,1\na.txt,2\n")
    with pytest.raises(LoadError, match="appears on two rows"):
        nc.read_files(pattern, meta=side)
    write_file(folder / "2019" / "2024-EU-campaign.txt", "A second file with the same name.")
    write_file(side, "file,kind\n2024-EU-campaign.txt,declaration\n")
    with pytest.raises(LoadError, match="matches 2 files"):
        nc.read_files(pattern, meta=side, missing="na")
    with pytest.raises(LoadError, match="no such file; meta takes a sidecar CSV"):
        nc.read_files(pattern, meta=tmp_path / "nope.csv")


def test_sources_combine_but_a_column_comes_from_one(folder, tmp_path, write_file):
    side = write_file(tmp_path / "meta.csv", "file,kind\n2018-NATO-salisbury.txt,a\n"
                                             "2024-EU-campaign.txt,b\n2024-NATO-council.txt,c\n")
    df = nc.read_files(str(folder / "**/*.txt"), meta=["{year}-{source}-*.txt", side])
    assert df.columns.tolist() == ["file", "year", "source", "kind", "text"]
    write_file(side, "file,year\n2018-NATO-salisbury.txt,1\n2024-EU-campaign.txt,2\n"
                     "2024-NATO-council.txt,3\n")
    with pytest.raises(LoadError, match="'year' comes from both file name pattern"):
        nc.read_files(str(folder / "**/*.txt"), meta=["{year}-{source}-*.txt", side])


# ---- UTF-8 -----------------------------------------------------------------------------------

def test_invalid_utf8_names_file_byte_line_and_column(tmp_path, write_file):
    p = write_file(tmp_path / "latin.txt", "First line.\nCafé ’quoted’ text.".encode("cp1252"))
    with pytest.raises(LoadError) as e:
        nc.Corpus.from_files(p)
    msg = str(e.value)
    assert str(p) in msg
    assert "not valid UTF-8 at byte 15 (line 2, column 4)" in msg
    assert "errors='replace'" in msg
    assert e.value.path == str(p) and e.value.offset == 15 and e.value.line == 2
    assert pickle.loads(pickle.dumps(e.value)).offset == 15
    c = nc.Corpus.from_files(p, errors="replace")
    assert c.texts[0] == "First line.\nCaf\ufffd \ufffdquoted\ufffd text."
    with pytest.raises(ValueError, match="errors must be one of"):
        nc.read_files(p, errors="ignore")


def test_byte_offsets_count_the_bom_and_windows_1252_is_named(tmp_path, write_file):
    p = write_file(tmp_path / "bom.txt", b"\xef\xbb\xbfAllies\x92 text")
    with pytest.raises(LoadError, match=r"at byte 9 \(line 1, column 7\).*Windows-1252"):
        nc.read_files(p)
    write_file(p, b"\xef\xbb\xbfAllies agree.")
    assert nc.read_files(p).text.tolist() == ["Allies agree."]   # the BOM is not text


# ---- boilerplate -----------------------------------------------------------------------------

WEB_COPY = """Allies Condemn Hacking Campaign

Example Wire
Example Wire 4 Min Read
4 Min Read
By Jane Roe and John Doe, Example Wire
Home / World / Allies Condemn Hacking Campaign
Updated: 5 May 2024 10:12 GMT

The Council strongly condemns the campaign. Ministers will share information with partners.
Readers can comment on the statement below.
By 2025, allies will invest more in cyber defence.
The ministers met in Brussels. Photo: Jane Roe/Pool EXAMPLE.COM
(Photo credit: Example Agency)
Share this Post
Share on LinkedIn
Tweet
May 5, 2024 - Posted by | Cyber, Diplomacy | ,
No comments yet.
Leave a Reply
Fill in your details below or click an icon to log in: Logo
You are commenting using your account. Log Out /  Change )
Twitter picture
Connecting to %s
This site uses Akismet to reduce spam. Learn how your comment data is processed.
You might be interested also
Related Articles
"""

KEPT = ["Allies Condemn Hacking Campaign", "Example Wire",
        "The Council strongly condemns the campaign. Ministers will share information with "
        "partners.", "Readers can comment on the statement below.",
        "By 2025, allies will invest more in cyber defence."]


def test_boilerplate_lines_are_dropped_and_sentences_kept(tmp_path, write_file):
    p = write_file(tmp_path / "2024-web.txt", WEB_COPY)
    text = nc.Corpus.from_files(p, boilerplate=True).texts[0]
    assert [line for line in text.split("\n") if line.strip()] == KEPT
    # the line breaks stay: line numbers match the source and paragraphs do not merge
    assert text.count("\n") == WEB_COPY.count("\n")
    assert nc.Corpus.from_files(p).texts[0] == WEB_COPY      # off by default


def test_boilerplate_no_longer_counts(tmp_path, write_file):
    p = write_file(tmp_path / "a.txt", WEB_COPY)
    grams = set(nc.Corpus.from_files(p, boilerplate=True).ngrams(n=(1, 3)).ngram)
    assert not {"min read", "share this post", "leave a reply", "posted by"} & grams
    assert "strongly condemns" in grams


def test_users_extend_the_default_patterns(tmp_path, write_file):
    p = write_file(tmp_path / "a.txt", WEB_COPY)
    mine = [*nc.BOILERPLATE_PATTERNS, r"example wire", re.compile(r"READERS CAN.*")]
    text = nc.read_files(p, boilerplate=mine).text[0]
    kept = [line for line in text.split("\n") if line.strip()]
    assert "Example Wire" not in kept                                   # str: any case
    assert "Readers can comment on the statement below." in kept      # compiled: its own flags
    assert nc.strip_boilerplate("Keep\nREADERS CAN go\n", mine) == "Keep\n\n"
    only = nc.strip_boilerplate("Keep me\nDROP ME", r"drop me")
    assert only == "Keep me\n"


def test_boilerplate_argument_errors():
    with pytest.raises(ValueError, match=r"boilerplate pattern 1 \('\(unclosed'\) is not a valid"):
        nc.strip_boilerplate("x", ["ok", "(unclosed"])
    with pytest.raises(TypeError, match="boilerplate pattern 0 is int"):
        nc.strip_boilerplate("x", [3])
    with pytest.raises(TypeError, match="boilerplate must be True"):
        nc.strip_boilerplate("x", 3)
    assert nc.strip_boilerplate("Share this Post", False) == "Share this Post"


def test_default_patterns_spare_real_sentences():
    real = ["We share the assessment of our Allies.", "By 2025, allies will invest more.",
            "Posted by the ministry on its website, the statement condemns the attack.",
            "Comments by the Secretary General follow.", "Updated guidance was issued.",
            "Home affairs ministers met.", "Related measures are under consideration.",
            "The photo shows the Council."]
    for line in real:
        assert nc.strip_boilerplate(line) == line, line


# ---- CSV, JSON Lines, Parquet ----------------------------------------------------------------

def test_from_csv(tmp_path, write_file):
    p = write_file(tmp_path / "s.csv", 'text,year,source\n"We condemn it.",2024,NATO\n,2020,EU\n'
                                       '"2024",2021,UK\n')
    c = nc.Corpus.from_csv(p)
    assert c.texts == ["We condemn it.", "", "2024"]         # empty cell: empty text; digits: text
    assert c.meta.columns.tolist() == ["year", "source"]
    assert nc.Corpus.from_csv(p, meta=["year"]).meta.columns.tolist() == ["year"]
    gz = write_file(tmp_path / "s.csv.gz", gzip.compress(p.read_bytes()))
    assert nc.Corpus.from_csv(gz).texts == c.texts
    semi = write_file(tmp_path / "semi.csv", "body;year\nWe condemn it.;2024\n")
    c = nc.Corpus.from_csv(semi, text="body", read_options={"sep": ";"})
    assert c.texts == ["We condemn it."] and c.meta.year.tolist() == [2024]


def test_csv_errors(tmp_path, write_file):
    p = write_file(tmp_path / "s.csv", "body,year\nx,1\n")
    with pytest.raises(LoadError, match=r"s\.csv: no text column 'text'; columns: body, year"):
        nc.Corpus.from_csv(p)
    write_file(p, b"text,year\nCaf\xe9,1\n")
    with pytest.raises(LoadError, match=r"s\.csv: not valid UTF-8 at byte 13 \(line 2, column 4\)"):
        nc.Corpus.from_csv(p)
    assert nc.Corpus.from_csv(p, errors="replace").texts == ["Caf\ufffd"]


def test_from_jsonl(tmp_path, write_file):
    rows = [{"text": "We condemn it.", "year": 2024, "source": "NATO"},
            {"text": "Allies agree.", "year": 2020, "source": "EU", "extra": None}]
    p = write_file(tmp_path / "s.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    c = nc.Corpus.from_jsonl(p, meta=["year", "source"])
    assert c.texts == ["We condemn it.", "Allies agree."]
    assert c.meta.to_dict("list") == {"year": [2024, 2020], "source": ["NATO", "EU"]}
    gz = write_file(tmp_path / "s.jsonl.gz", gzip.compress(p.read_bytes()))
    assert nc.Corpus.from_jsonl(gz).texts == c.texts
    assert nc.Corpus.from_jsonl(p, boilerplate=True).texts == c.texts


def test_jsonl_errors_name_the_line(tmp_path, write_file):
    p = write_file(tmp_path / "s.jsonl", '{"text": "ok"}\n{"text": "broken"\n')
    with pytest.raises(LoadError, match=r"s\.jsonl, line 2: not valid JSON"):
        nc.Corpus.from_jsonl(p)
    write_file(p, '{"text": "ok"}\n\n{"body": "x"}\n')
    with pytest.raises(LoadError, match=r"line 3: no 'text' field"):
        nc.Corpus.from_jsonl(p)
    write_file(p, '{"text": 5}\n')
    with pytest.raises(LoadError, match=r"line 1: 'text' is int, not a string"):
        nc.Corpus.from_jsonl(p)
    write_file(p, '["text"]\n')
    with pytest.raises(LoadError, match=r"line 1: expected a JSON object, got list"):
        nc.Corpus.from_jsonl(p)


def test_from_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"text": ["We condemn it.", "Allies agree."], "year": [2024, 2020],
                       "source": ["NATO", "EU"], "big": ["x" * 10, "y" * 10]})
    p = tmp_path / "s.parquet"
    df.to_parquet(p)
    c = nc.Corpus.from_parquet(p, meta=["year"])
    assert c.texts == df.text.tolist() and c.meta.columns.tolist() == ["year"]
    assert nc.Corpus.from_parquet(p).meta.columns.tolist() == ["year", "source", "big"]
    pd.DataFrame({"text": ["ok", None]}).to_parquet(p)
    with pytest.raises(LoadError, match=r"s\.parquet, row 2: column 'text' holds no text"):
        nc.Corpus.from_parquet(p)
    with pytest.raises(LoadError, match="no such file"):
        nc.Corpus.from_parquet(tmp_path / "missing.parquet")


def test_corpus_options_pass_through(folder):
    c = nc.Corpus.from_files(str(folder / "**/*.txt"), keep_case=True, workers=1)
    assert "NATO" in c.vocabulary and c.workers == 1


def test_module_doctests():
    assert doctest.testmod(loaders, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
