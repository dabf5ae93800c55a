"""Benchmark natocyber's statistics on the benchmark corpus: time and peak memory.

Above all it checks that collocations scale: quanteda's textstat_collocations fills each
sequence's 2**k table by comparing it with every window type (time ~ sequences x types), which
does not finish on tens of megabytes; natocyber counts the tables with one scan of the corpus
per subset of positions (csrc/count/colloc.c). Keyness, trend and dispersion are timed as well.

Every task runs in its own child process (this script re-invoked with ``--child TASK``),
reaped with ``os.wait4``, whose ``ru_maxrss`` is that child's peak resident set. The child
loads the cached corpus and builds the ``Corpus`` first (timed separately as "Corpus()"),
then times the one call.

Usage::

    python bench/bench_stats.py                  # 50 MB corpus, every task
    python bench/bench_stats.py --quick          # 5 MB smoke run
    python bench/bench_stats.py --tasks colloc2-4,colloc4-all --markdown
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402  (local module next to this file)

PHRASES = ["strongly condemn", "condemn", "coordinated response", "collective response",
           "responsible state behaviour", "international law", "malicious cyber activity",
           "at a time and in a manner of our choosing", "stand in solidarity with",
           "hold accountable", "impose costs", "almost certainly", "highly likely",
           "article 5", "restrictive measures", "deeply concerned", "call on", "sanctions",
           "cyber attack", "ransomware"]


def _tasks() -> dict[str, tuple[str, Callable[[Any], Any]]]:
    """name -> (the call as shown in the table, function of the corpus)."""
    return {
        "colloc2": ("collocations(size=2, min_count=2)",
                    lambda c: c.collocations(size=2, min_count=2)),
        "colloc2-4": ("collocations(size=(2, 4), min_count=2)",
                      lambda c: c.collocations(size=(2, 4), min_count=2)),
        "colloc4-all": ("collocations(size=4, min_count=1)  [every 4-gram scored]",
                        lambda c: c.collocations(size=4, min_count=1)),
        "colloc5": ("collocations(size=5, min_count=2)",
                    lambda c: c.collocations(size=5, min_count=2)),
        "keyness-2024": ("keyness(corpus.meta.year >= 2024, n=(1, 3))",
                         lambda c: c.keyness(c.meta.year >= 2024, n=(1, 3))),
        "keyness-years": ('keyness(by="year", n=(1, 3), min_count=5)',
                          lambda c: c.keyness(by="year", n=(1, 3), min_count=5)),
        "trend": ('trend(20 phrases, by="year")', lambda c: c.trend(PHRASES, by="year")),
        "dispersion": ("dispersion(20 phrases)  [over documents]",
                       lambda c: c.dispersion(PHRASES)),
    }


def _maxrss_mb(kb: int) -> float:
    return kb / (1e6 if sys.platform == "darwin" else 1e3)


def child_main(task: str, corpus_path: str, result_path: str, workers: int) -> int:
    import resource

    import natocyber as nc

    texts, meta = gen_corpus.load_corpus(corpus_path)
    t0 = time.perf_counter()
    corpus = nc.Corpus(texts, meta=meta, workers=workers)
    t1 = time.perf_counter()
    rss_corpus = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    df = _tasks()[task][1](corpus)
    t2 = time.perf_counter()
    out = {"corpus_seconds": t1 - t0, "seconds": t2 - t1, "rows": int(len(df)),
           "rss_corpus_mb": rss_corpus, "tokens": int(corpus.n_tokens.sum())}
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump(out, fh)
    return 0


def run_child(task: str, corpus_path: str, workers: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        path = fh.name
    try:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", task,
                                 "--corpus", corpus_path, "--result", path,
                                 "--workers", str(workers)])
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            return {"error": f"exit status {proc.returncode}"}
        with open(path, encoding="utf-8") as fh:
            res = json.load(fh)
        res["peak_rss_mb"] = _maxrss_mb(usage.ru_maxrss)
        return res
    finally:
        os.unlink(path)


def main(argv: list | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in MB (default 50)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="5 MB corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tasks", default=",".join(_tasks()),
                    help=f"comma-separated subset of {','.join(_tasks())}")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child, args.corpus, args.result, args.workers)

    mb = 5 if args.quick else args.mb
    tasks = [t for t in args.tasks.split(",") if t]
    unknown = [t for t in tasks if t not in _tasks()]
    if unknown:
        ap.error(f"unknown task(s) {unknown}; choose from {list(_tasks())}")
    path = gen_corpus.ensure_cached(mb, args.seed)
    results = {}
    for t in tasks:
        results[t] = run_child(t, path, args.workers)
        r = results[t]
        print(f"{t}: " + (r["error"] if "error" in r else
                          f"{r['seconds']:.2f} s, {r['rows']:,} rows, peak RSS "
                          f"{r['peak_rss_mb']:.0f} MB"), file=sys.stderr)
    tok = next((r["tokens"] for r in results.values() if "tokens" in r), 0)
    print(f"\nCorpus: {mb:g} MB, {tok:,} tokens; workers={args.workers}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}\n")
    head = ("task", "call", "seconds", "rows", "peak RSS MB", "RSS after Corpus() MB")
    rows = []
    for t in tasks:
        r = results[t]
        if "error" in r:
            rows.append((t, _tasks()[t][0], r["error"], "", "", ""))
        else:
            rows.append((t, _tasks()[t][0], f"{r['seconds']:.2f}", f"{r['rows']:,}",
                         f"{r['peak_rss_mb']:.0f}", f"{r['rss_corpus_mb']:.0f}"))
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r[:1] + (f"`{r[1]}`",) + r[2:]) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
        for r in (head, *rows):
            print("  ".join(str(x).ljust(w) for x, w in zip(r, widths)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"mb": mb, "workers": args.workers, "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
