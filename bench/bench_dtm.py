"""Times the data-out and merge paths on the benchmark corpus: document-term matrices
(natocyber against scikit-learn's CountVectorizer), count tables counted per part and merged,
boilerplate stripping, and the loaders.

    python bench/bench_dtm.py                 # 50 MB
    python bench/bench_dtm.py --mb 5 --sklearn

Everything runs in this one process, one step after the other (wall-clock seconds).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen_corpus import ensure_cached, load_corpus  # noqa: E402


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t = time.perf_counter()
    out = fn()
    print(f"{label:<48} {time.perf_counter() - t:7.2f} s", flush=True)
    return out


def main(argv: Any = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=50, help="corpus size in 10**6 UTF-8 bytes")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--parts", type=int, default=4, help="parts for the merge timing")
    p.add_argument("--sklearn", action="store_true", help="also time CountVectorizer (slow)")
    args = p.parse_args(argv)

    import natocyber as nc

    texts, meta = load_corpus(ensure_cached(args.mb, args.seed))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts):,} documents, {mb:.1f} MB; natocyber {nc.__version__}, "
          f"{len(os.sched_getaffinity(0))} cores")
    c = timed("Corpus(texts, meta)", lambda: nc.Corpus(texts, meta))
    for n, mc in ((1, 1), ((1, 2), 1), ((1, 3), 1), ((1, 3), 5)):
        X, vocab = timed(f"dtm(n={n}, min_count={mc})", lambda: c.dtm(n=n, min_count=mc))
        print(f"{'':<4}{X.shape[0]:,} x {X.shape[1]:,}, {X.nnz:,} stored counts")
    timed("dtm(n=(1, 3), by='year')", lambda: c.dtm(n=(1, 3), by="year"))
    if args.sklearn:
        from sklearn.feature_extraction.text import CountVectorizer
        for rng in ((1, 1), (1, 3)):
            timed(f"sklearn CountVectorizer(ngram_range={rng})",
                  lambda: CountVectorizer(ngram_range=rng).fit_transform(texts))

    table = timed("count_ngrams((1, 3), by='year')", lambda: c.count_ngrams((1, 3), by="year"))
    timed("  .to_frame(min_count=5)", lambda: table.to_frame(min_count=5))
    timed("ngrams((1, 3), by='year', min_count=5)", lambda: c.ngrams((1, 3), by="year",
                                                                      min_count=5))
    k = args.parts
    parts = timed(f"count_ngrams on {k} parts", lambda: [
        nc.Corpus(texts[i::k], meta.iloc[i::k].reset_index(drop=True))
        .count_ngrams((1, 3), by="year") for i in range(k)])
    timed(f"NgramCounts.merge({k} parts)", lambda: nc.NgramCounts.merge(parts))

    timed("strip_boilerplate on every text", lambda: [nc.strip_boilerplate(t) for t in texts])
    with tempfile.TemporaryDirectory() as d:
        for i, (t, y, s) in enumerate(zip(texts, meta.year, meta.source)):
            with open(os.path.join(d, f"{y}-{s}-{i:05d}.txt"), "w", encoding="utf-8") as f:
                f.write(t)
        timed("Corpus.from_files(..., meta='{year}-{source}-*')",
              lambda: nc.Corpus.from_files(os.path.join(d, "*.txt"),
                                           meta="{year}-{source}-*.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
