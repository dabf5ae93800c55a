"""Bad input: clear exceptions naming what and where; odd but valid input works."""
import numpy as np
import pytest

import natocyber as nc
from natocyber import _core


@pytest.mark.parametrize("bad, name", [(None, "NoneType"), (b"bytes", "bytes"), (42, "int")])
def test_non_str_document_names_its_index(bad, name):
    with pytest.raises(TypeError, match=rf"document 2 is {name}, not str"):
        nc.Corpus(["fine", "also fine", bad])


def test_tokenize_non_str():
    with pytest.raises(TypeError, match="text must be str, not bytes"):
        nc.tokenize(b"abc")


def test_one_str_instead_of_a_list():
    with pytest.raises(TypeError, match="not one str"):
        nc.Corpus("just one text")


def test_empty_texts_count_zero():
    c = nc.Corpus(["", "", "words here"])
    assert c.n_tokens.tolist() == [0, 0, 2]
    assert nc.Corpus([]).ngrams().empty
    assert nc.tokenize("") == [] and nc.sentences("") == []


def test_nul_lone_surrogates_and_huge_texts():
    text = "attack\x00condemn \ud800 strongly condemn"
    toks = nc.tokens(text)
    assert [t.text for t in toks] == ["attack", "condemn", "strongly", "condemn"]
    big = "Allies strongly condemn the attack. " * 100_000   # 3.6 million characters
    c = nc.Corpus([big, text])
    assert c.n_tokens[0] == 500_000
    assert c.frequency("strongly condemn")["count"].item() == 100_001


def test_unknown_options_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown tokenizer option.*'lowercase'.*valid options: locale"):
        nc.tokenize("x", lowercase=True)
    with pytest.raises(ValueError, match="valid options"):
        nc.Corpus(["x"], keepcase=True)
    with pytest.raises(ValueError, match="hyphens must be one of"):
        nc.Tokenizer(hyphens="join")
    with pytest.raises(ValueError, match="unknown stemming language 'klingon'"):
        nc.Tokenizer(stem="klingon")


def test_bad_counting_arguments():
    c = nc.Corpus(["a b c"], {"year": [2020]})
    for n in (0, 9, (3, 2), "2", (1, 2, 3)):
        with pytest.raises(ValueError, match="n"):
            c.ngrams(n=n)
    with pytest.raises(ValueError, match="min_count must be an integer from 1 to"):
        c.ngrams(min_count=0)
    with pytest.raises(ValueError, match="unknown metadata column.*'yaer'.*available: 'year'"):
        c.ngrams(by="yaer")
    with pytest.raises(ValueError, match="workers must be"):
        nc.Corpus(["x"], workers=0)
    with pytest.raises(ValueError, match="no tokens"):
        c.frequency(["!!!"])
    with pytest.raises(ValueError, match="meta has 2 rows but there are 1 texts"):
        nc.Corpus(["x"], {"year": [1, 2]})
    named = nc.Corpus(["we condemn it"], {"count": [1], "phrase": ["p"]})
    assert named.ngrams(1).shape[0] == 3          # metadata may have any name ...
    with pytest.raises(ValueError, match=r"by= column\(s\) \['count'\] have the name of a result column"):
        named.ngrams(1, by="count")               # ... but not be grouped by over a result column
    with pytest.raises(ValueError, match="result column"):
        named.frequency("condemn", by="phrase")
    with pytest.raises(ValueError, match="fill= .* needs by="):
        named.ngrams(1, fill=True)
    mixed = nc.Corpus(["a", "b"], {"year": [2020, "2021"]})
    with pytest.raises(ValueError, match="'year' mixes value types \\(int, str\\)"):
        mixed.ngrams(1, by="year")
    with pytest.raises(ValueError, match="workers must be"):
        c.ngrams(workers=0)


def test_allocation_failures_raise_memoryerror_and_recover():
    texts = ["Allies strongly condemn the attack. We respond."] * 50
    failures = 0
    for n in range(0, 400, 7):
        _core._fail_allocations_after(n)
        try:
            c = nc.Corpus(texts, workers=2)
            c.ngrams(n=(1, 3))
        except MemoryError:
            failures += 1
        finally:
            _core._fail_allocations_after(-1)
    assert failures > 0
    df = nc.Corpus(texts, workers=2).ngrams(n=2)
    assert df.loc[df.ngram == "strongly condemn", "count"].item() == 50
