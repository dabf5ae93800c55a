"""Benchmark natocyber's stance-marker matching.

Three questions, all on the benchmark corpus of ``gen_corpus.py``:

1. **The built-in lexicon, tokenization included, on one core.** Time
   ``nc.Corpus(texts, meta=meta, workers=1)`` (tokenization) plus the scan of the built-in
   lexicon (``automaton(lexicon, tokenizer).match(corpus.store.core, workers=1)``: binding the lexicon to
   the corpus vocabulary and scanning every token in C), and separately the full
   ``corpus.markers(workers=1)``, which also builds the DataFrame (hit texts, metadata).
2. **10 against 10,000 patterns.** Generated patterns (2-3-grams drawn uniformly from the
   corpus's distinct n-grams, a fifth with a prefix glob, a tenth with a gap ~2, a tenth with
   alternatives); the scan of the first 10 against the scan of all 10,000 on the same
   corpus. The scan should cost about the same.
3. **spaCy's PhraseMatcher** (``attr="LOWER"``, ``spacy.blank("en")``, so no model is
   needed) against natocyber on the same literal phrases (10,000 generated 2-3-grams) and the
   same texts, tokenization included on both sides: ``nlp.pipe`` + ``matcher(doc)`` against
   ``nc.Corpus(..., workers=1)`` + ``markers(lexicon, overlap="all")`` (every match, as the
   PhraseMatcher reports them); and matching alone on both sides (``matcher(doc)`` over
   docs tokenized beforehand, ``corpus.markers(...)`` over a built corpus).

Every timing is the best of ``--repeat`` runs in this process (the corpus is loaded once);
MB means 10**6 bytes of UTF-8 text.

Usage::

    python bench/bench_markers.py                 # 50 MB corpus, spaCy on the first 10 MB
    python bench/bench_markers.py --quick         # 5 MB smoke run
    python bench/bench_markers.py --markdown      # tables for bench/README.md
    python bench/bench_markers.py --no-spacy      # without the spaCy comparison

spaCy is needed only for part 3 (``pip install spacy``); without it that part is skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402  (the generator next to this file)

SPECIAL = set("()|~?*\\")


def best_of(repeat: int, fn: Callable[[], Any]) -> Tuple[float, Any]:
    """The shortest wall time of `repeat` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def mb_of(texts: List[str]) -> float:
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6


def generate_phrases(corpus: Any, n: int, seed: int) -> List[str]:
    """n distinct 2-3-grams of the corpus, drawn uniformly among the distinct n-grams whose
    words are plain (letters, hyphens, apostrophes), so each occurs at least once."""
    ng = corpus.ngrams(n=(2, 3), workers=corpus.workers)
    grams = [g for g in ng["ngram"].tolist()
             if all(ch.isalpha() or ch in " -'" for ch in g)]
    rnd = random.Random(seed)
    rnd.shuffle(grams)
    return grams[:n]


def generate_patterns(phrases: List[str], seed: int) -> List[str]:
    """Patterns from phrases: a fifth get a prefix glob on the last word, a tenth a gap
    ~2 in the middle, a tenth alternatives for the first word."""
    rnd = random.Random(seed)
    out = []
    for i, p in enumerate(phrases):
        words = p.split()
        kind = i % 10
        if kind in (1, 2) and len(words[-1]) > 4:
            words[-1] = words[-1][:max(3, len(words[-1]) - 2)] + "*"
        elif kind == 3 and len(words) >= 2:
            words.insert(1, "~2")
        elif kind == 4:
            other = phrases[rnd.randrange(len(phrases))].split()[0]
            if other != words[0]:
                words[0] = f"({words[0]}|{other})"
        out.append(" ".join(words))
    return list(dict.fromkeys(out))


def part1(nc: Any, texts: List[str], meta: Any, repeat: int) -> Dict[str, Any]:
    mb = mb_of(texts)
    lex = nc.Lexicon.default()
    t_tok, corpus = best_of(repeat, lambda: nc.Corpus(texts, meta=meta, workers=1))
    compiled = nc.lexicon.automaton(lex, corpus.tokenizer)
    t_scan, raw = best_of(repeat, lambda: compiled.match(corpus.store.core, workers=1))
    t_markers, hits = best_of(repeat, lambda: corpus.markers(lex, workers=1))
    t_tok2, corpus2 = best_of(repeat, lambda: nc.Corpus(texts, meta=meta, workers=2))
    t_markers2, _ = best_of(repeat, lambda: corpus2.markers(lex, workers=2))
    ntok = int(corpus.n_tokens.sum())
    return {
        "mb": mb, "docs": len(texts), "tokens": ntok, "hits": len(hits),
        "negated": int(hits.negated.sum()), "hypothetical": int(hits.hypothetical.sum()),
        "tokenize_s": t_tok, "scan_s": t_scan, "markers_s": t_markers,
        "tokenize_w2_s": t_tok2, "markers_w2_s": t_markers2,
        "mbps_tokenize": mb / t_tok, "mbps_scan_only": mb / t_scan,
        "mbps_tokenize_scan": mb / (t_tok + t_scan),
        "mbps_tokenize_markers": mb / (t_tok + t_markers),
        "mbps_tokenize_markers_w2": mb / (t_tok2 + t_markers2),
        "lexicon": dict(compiled.info()),
    }


def part2(nc: Any, texts: List[str], meta: Any, repeat: int, seed: int) -> Dict[str, Any]:
    t_tok, corpus = best_of(repeat, lambda: nc.Corpus(texts, meta=meta, workers=1))
    phrases = generate_phrases(corpus, 12000, seed)
    patterns = generate_patterns(phrases, seed)[:10000]
    rows = {}
    for n in (10, 100, 1000, len(patterns)):
        t0 = time.perf_counter()
        lex = nc.Lexicon({"generated": patterns[:n]})
        compiled = nc.lexicon.automaton(lex, corpus.tokenizer)
        t_compile = time.perf_counter() - t0
        t_scan, raw = best_of(repeat, lambda: compiled.match(corpus.store.core, workers=1))
        t_markers, hits = best_of(repeat, lambda: corpus.markers(lex, workers=1))
        rows[n] = {"patterns": n, "compile_s": t_compile, "scan_s": t_scan,
                   "markers_s": t_markers, "hits": len(hits),
                   "scan_matches": len(raw[0]) // 4, "info": dict(compiled.info())}
    lo, hi = rows[10], rows[len(patterns)]
    ntok = int(corpus.n_tokens.sum())
    for r in rows.values():
        r["ns_per_token"] = r["scan_s"] * 1e9 / ntok
    return {"rows": list(rows.values()), "tokenize_s": t_tok,
            "ratio_scan": hi["scan_s"] / lo["scan_s"],
            "ratio_tokenize_scan": (t_tok + hi["scan_s"]) / (t_tok + lo["scan_s"]),
            "ratio_markers": hi["markers_s"] / lo["markers_s"],
            "ratio_tokenize_markers": (t_tok + hi["markers_s"]) / (t_tok + lo["markers_s"]),
            "examples": patterns[:12], "mb": mb_of(texts)}


def part3(nc: Any, texts: List[str], repeat: int, seed: int) -> Dict[str, Any]:
    import spacy
    from spacy.matcher import PhraseMatcher

    mb = mb_of(texts)
    probe = nc.Corpus(texts, workers=1)
    phrases = generate_phrases(probe, 10000, seed)
    nlp = spacy.blank("en")

    def spacy_build():
        m = PhraseMatcher(nlp.vocab, attr="LOWER")
        m.add("P", [nlp.make_doc(p) for p in phrases])
        return m

    t_sp_build, matcher = best_of(1, spacy_build)

    def spacy_run():
        n = 0
        for doc in nlp.pipe(texts):
            n += len(matcher(doc))
        return n

    def spacy_tokenize():
        n = 0
        for doc in nlp.pipe(texts):
            n += len(doc)
        return n

    t_sp, sp_hits = best_of(repeat, spacy_run)
    t_sp_tok, sp_tokens = best_of(repeat, spacy_tokenize)
    docs = list(nlp.pipe(texts))
    t_sp_match, _ = best_of(repeat, lambda: sum(len(matcher(d)) for d in docs))
    del docs
    escaped = ["".join("\\" + c if c in SPECIAL else c for c in p) for p in phrases]
    t0 = time.perf_counter()
    lex = nc.Lexicon({"phrases": escaped})
    t_nc_build = time.perf_counter() - t0

    def nc_run():
        c = nc.Corpus(texts, workers=1)
        return c, c.markers(lex, overlap="all", workers=1)

    t_nc, (corpus, hits) = best_of(repeat, nc_run)
    t_nc_tok, _ = best_of(repeat, lambda: nc.Corpus(texts, workers=1))
    t_nc_match, _ = best_of(repeat, lambda: corpus.markers(lex, overlap="all", workers=1))
    return {
        "mb": mb, "phrases": len(phrases), "spacy_version": spacy.__version__,
        "spacy_build_s": t_sp_build, "spacy_s": t_sp, "spacy_tokenize_s": t_sp_tok,
        "spacy_match_only_s": t_sp_match, "spacy_hits": sp_hits,
        "spacy_tokens": sp_tokens,
        "nc_build_s": t_nc_build, "nc_s": t_nc, "nc_tokenize_s": t_nc_tok,
        "nc_match_only_s": t_nc_match, "nc_hits": len(hits),
        "nc_tokens": int(corpus.n_tokens.sum()),
        "speedup_total": t_sp / t_nc,
        "speedup_match_only": t_sp_match / t_nc_match,
    }


def machine() -> Dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "os": platform.platform()}


def report(res: Dict[str, Any], markdown: bool) -> str:
    out = []
    m = res["machine"]
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}, "
               f"natocyber {res['natocyber']}.")
    p = res.get("part1")
    if p:
        out.append("")
        out.append(f"Built-in lexicon ({p['lexicon']['patterns']} patterns with the context "
                   f"cues), {p['mb']:.1f} MB, {p['docs']:,} documents, {p['tokens']:,} tokens, "
                   f"{p['hits']:,} hits ({p['negated']:,} negated, {p['hypothetical']:,} "
                   "hypothetical):")
        rows = [("tokenize (Corpus, workers=1)", p["tokenize_s"], p["mbps_tokenize"]),
                ("scan only (bind + match in C, workers=1)", p["scan_s"], p["mbps_scan_only"]),
                ("tokenize + scan, workers=1", p["tokenize_s"] + p["scan_s"],
                 p["mbps_tokenize_scan"]),
                ("tokenize + markers() DataFrame, workers=1", p["tokenize_s"] + p["markers_s"],
                 p["mbps_tokenize_markers"]),
                ("tokenize + markers() DataFrame, workers=2",
                 p["tokenize_w2_s"] + p["markers_w2_s"], p["mbps_tokenize_markers_w2"])]
        out += table(["step", "seconds", "MB/s"],
                     [[a, f"{b:.3f}", f"{c:.1f}"] for a, b, c in rows], markdown)
    q = res.get("part2")
    if q:
        out.append("")
        out.append(f"Generated patterns on {q['mb']:.1f} MB (scan = bind + match in C, one "
                   "core; markers() adds the DataFrame):")
        out += table(["patterns", "states", "compile s", "scan s", "ns/token", "markers() s",
                      "hits"],
                     [[f"{r['patterns']:,}", f"{r['info']['states']:,}", f"{r['compile_s']:.2f}",
                       f"{r['scan_s']:.3f}", f"{r['ns_per_token']:.1f}", f"{r['markers_s']:.3f}",
                       f"{r['hits']:,}"] for r in q["rows"]], markdown)
        out.append(f"10,000 / 10 patterns, tokenization ({q['tokenize_s']:.2f} s) included: "
                   f"{q['ratio_tokenize_scan']:.2f}x with the scan, "
                   f"{q['ratio_tokenize_markers']:.2f}x with markers(); the scan alone: "
                   f"{q['ratio_scan']:.2f}x, markers() alone: {q['ratio_markers']:.2f}x")
    s = res.get("part3")
    if s:
        out.append("")
        out.append(f"spaCy {s['spacy_version']} PhraseMatcher(attr='LOWER') vs natocyber, "
                   f"{s['phrases']:,} phrases, {s['mb']:.1f} MB, one core:")
        out += table(["tool", "total s", "MB/s", "tokenize s", "match s", "hits"], [
            ["spaCy blank('en') + PhraseMatcher", f"{s['spacy_s']:.2f}",
             f"{s['mb'] / s['spacy_s']:.1f}", f"{s['spacy_tokenize_s']:.2f}",
             f"{s['spacy_match_only_s']:.2f}", f"{s['spacy_hits']:,}"],
            ["natocyber Corpus + markers(overlap='all')", f"{s['nc_s']:.2f}",
             f"{s['mb'] / s['nc_s']:.1f}", f"{s['nc_tokenize_s']:.2f}",
             f"{s['nc_match_only_s']:.2f}", f"{s['nc_hits']:,}"]], markdown)
        out.append(f"natocyber is {s['speedup_total']:.1f}x faster in total and "
                   f"{s['speedup_match_only']:.1f}x faster at matching alone (building the "
                   f"matchers: spaCy {s['spacy_build_s']:.2f} s, natocyber "
                   f"{s['nc_build_s']:.2f} s).")
    return "\n".join(out)


def table(head: List[str], rows: List[List[str]], markdown: bool) -> List[str]:
    if markdown:
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
        return lines + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    fmt = lambda r: "  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w)  # noqa: E731
                              for i, (x, w) in enumerate(zip(r, widths)))
    return [fmt(head)] + [fmt(r) for r in rows]


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in MB (default 50)")
    ap.add_argument("--spacy-mb", type=float, default=10,
                    help="MB of the corpus used for the spaCy comparison (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; the best is kept")
    ap.add_argument("--quick", action="store_true", help="5 MB, spaCy on 2 MB, 2 repeats")
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--parts", default="1,2,3", help="which parts to run (default 1,2,3)")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", help="also write the raw numbers here")
    args = ap.parse_args(argv)
    if args.quick:
        args.mb, args.spacy_mb, args.repeat = 5, 2, 2
    import natocyber as nc

    texts, meta = gen_corpus.load_corpus(gen_corpus.ensure_cached(args.mb, args.seed))
    parts = {int(x) for x in args.parts.split(",") if x}
    res: Dict[str, Any] = {"machine": machine(), "natocyber": nc.__version__,
                           "args": vars(args)}
    if 1 in parts:
        res["part1"] = part1(nc, texts, meta, args.repeat)
    if 2 in parts:
        res["part2"] = part2(nc, texts, meta, args.repeat, args.seed)
    if 3 in parts and not args.no_spacy:
        try:
            import spacy  # noqa: F401
        except ImportError:
            print("spaCy is not installed: part 3 skipped (pip install spacy)", file=sys.stderr)
        else:
            budget = args.spacy_mb * 1e6
            sub, size = [], 0
            for t in texts:
                if size >= budget:
                    break
                sub.append(t)
                size += len(t.encode("utf-8", "surrogatepass"))
            res["part3"] = part3(nc, sub, args.repeat, args.seed)
    print(report(res, args.markdown))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
