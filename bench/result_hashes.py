"""Fingerprints of natocyber's results on the benchmark corpus, for showing that a change
of code left every result as it was.

Each table is hashed row by row with pandas (values and dtypes, in order) and the row
hashes are folded into one 64-bit number, printed as 16 hex digits:

    python bench/result_hashes.py --mb 50

prints the fingerprints of ``Corpus(texts, meta).ngrams(n=(1, 3), by="year")``, of
``markers()`` (every hit with its offsets and flags), of ``marker_rates(by="year")``, of
``collocations(size=(2, 3), min_count=5)`` and of the keyness of 2024-25 against the rest.
The corpus is the deterministic one of ``gen_corpus.py``; run the script before and after a
change, on the same machine or another: the numbers depend only on the results.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402  (local module next to this file)


def fingerprint(df: pd.DataFrame) -> str:
    """16 hex digits from every value, column name and dtype of ``df``, in order."""
    h = hashlib.blake2b(digest_size=8)
    h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
    rows = pd.util.hash_pandas_object(df, index=False).to_numpy(dtype=np.uint64)
    h.update(rows.tobytes())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in 10**6 UTF-8 bytes")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    args = ap.parse_args()
    import natocyber as nc

    texts, meta = gen_corpus.load_corpus(gen_corpus.ensure_cached(args.mb, args.seed))
    c = nc.Corpus(texts, meta[["year"]])
    tables = {
        "ngrams(n=(1, 3), by='year')": lambda: c.ngrams(n=(1, 3), by="year"),
        "markers()": lambda: c.markers(),
        "marker_rates(by='year')": lambda: c.marker_rates(by="year"),
        "collocations(size=(2, 3), min_count=5)":
            lambda: c.collocations(size=(2, 3), min_count=5),
        "keyness(year >= 2024, n=(1, 2), min_count=3)":
            lambda: c.keyness(c.meta.year >= 2024, n=(1, 2), min_count=3),
    }
    print(f"natocyber {nc.__version__}, corpus {args.mb:g} MB seed {args.seed}: "
          f"{len(texts):,} documents")
    for name, make in tables.items():
        df = make()
        print(f"{fingerprint(df)}  {len(df):>10,} rows  {name}")


if __name__ == "__main__":
    main()
