"""One Tokenizer and one Corpus used from several Python threads at once."""
import concurrent.futures as cf

import pandas as pd

import natocyber as nc

TEXTS = [f"Statement {i}: Allies strongly condemn the attack on Ｅstonia’s networks. "
         f"We will respond at a time and in a manner of our choosing. " * (1 + i % 40)
         for i in range(200)]


def test_shared_tokenizer_across_threads():
    tok = nc.Tokenizer()
    expected = [tok.tokenize(t) for t in TEXTS]
    with cf.ThreadPoolExecutor(8) as ex:
        got = list(ex.map(tok.tokenize, TEXTS))
    assert got == expected


def test_shared_corpus_across_threads():
    c = nc.Corpus(TEXTS, {"group": [i % 3 for i in range(200)]})
    expected = c.ngrams(n=(1, 3), by="group")
    with cf.ThreadPoolExecutor(4) as ex:
        results = list(ex.map(lambda _: c.ngrams(n=(1, 3), by="group", workers=2), range(8)))
    for r in results:
        pd.testing.assert_frame_equal(r, expected)
