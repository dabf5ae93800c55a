"""Benchmark natocyber's tokenizer and 1-3-gram counting against the baselines.

Every measurement runs in its own child process (this script re-invoked with
``--child TOOL``), started with ``os.posix_spawn`` and reaped with
``os.wait4``, whose resource usage is that one child's: its ``ru_maxrss`` is
the peak resident set of that tool alone. (``getrusage(RUSAGE_CHILDREN)``
would give the maximum over all children waited for so far, so a light tool
measured after a heavy one would inherit the heavy one's peak.)

A child imports its libraries and loads the cached corpus first (not timed),
notes its resident set at that point, then times only the tool call with
``time.perf_counter`` and writes its result as JSON to a file named by the
parent.

Measured, on the same corpus and in the same run:

* ``natocyber.tokenize`` over every text;
* ``re.findall(r"\\w+", text.lower())`` over every text (the tokenizer of
  the regex baseline, for comparison with the row above);
* ``nc.Corpus(texts, meta=meta, workers=W).ngrams(n=(1, 3), by="year")``
  end to end, for W = 1 and W = 2;
* scikit-learn ``CountVectorizer(ngram_range=(1, 3))`` fitted on all texts
  and summed per year (see baselines.py);
* ``re.findall`` + ``collections.Counter`` of 1-3-grams per year.

MB/s is UTF-8 megabytes (10**6 bytes) of text per second; tokens/s uses each
tool's own token count (number of unigrams it counted).

Usage::

    python bench/bench_ngrams.py              # 50 MB corpus
    python bench/bench_ngrams.py --quick      # 5 MB smoke run
    python bench/bench_ngrams.py --markdown   # README-ready table
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402  (local module next to this file)

BASELINE_CV = "CountVectorizer"
BASELINE_RE = "regex+Counter"


@dataclass(frozen=True)
class Tool:
    """One measured configuration."""

    key: str          # name used on the command line (--child, --tools)
    label: str        # name shown in the table
    needs_nc: bool    # skipped when natocyber cannot be imported
    what: str         # what the row measures, for the notes under the table


TOOLS: tuple[Tool, ...] = (
    Tool("nc-tokenize", "natocyber.tokenize", True, "nc.tokenize(text) for every text"),
    Tool("re-tokenize", "re.findall tokenize", False, 're.findall(r"\\w+", text.lower()) for every text'),
    Tool("nc-w1", "natocyber ngrams, workers=1", True,
         'nc.Corpus(texts, meta=meta, workers=1).ngrams(n=(1, 3), by="year")'),
    Tool("nc-w2", "natocyber ngrams, workers=2", True,
         'nc.Corpus(texts, meta=meta, workers=2).ngrams(n=(1, 3), by="year")'),
    Tool("cv", BASELINE_CV, False, "CountVectorizer(ngram_range=(1, 3)) on all texts, summed per year"),
    Tool("regex", BASELINE_RE, False, "re.findall + collections.Counter of 1-3-grams per year"),
)
TOOL_BY_KEY = {t.key: t for t in TOOLS}


# ---------------------------------------------------------------------------
# Child side: one measurement
# ---------------------------------------------------------------------------

def _maxrss_mb(usage_maxrss: int) -> float:
    """ru_maxrss in MB (kilobytes on Linux, bytes on macOS)."""
    return usage_maxrss / (1e6 if sys.platform == "darwin" else 1e3)


def _self_maxrss_mb() -> float:
    import resource

    return _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _frame_summary(df: Any) -> dict[str, Any]:
    """Rows, total count and unigram count of an n-gram table with columns n, count."""
    by_n = df.groupby("n")["count"].agg(["size", "sum"])
    return {
        "rows": int(len(df)),
        "total": int(df["count"].sum()),
        "tokens": int(by_n.loc[1, "sum"]) if 1 in by_n.index else 0,
        "by_n": {int(n): [int(r["size"]), int(r["sum"])] for n, r in by_n.iterrows()},
    }


def _measure(tool: str, texts: list[str], meta: Any) -> dict[str, Any]:
    """Run one tool on the loaded corpus and return its timings and counts."""
    if tool == "nc-tokenize":
        import natocyber as nc

        tokenize = nc.tokenize
        t0 = time.perf_counter()
        n_tokens = 0
        for text in texts:
            n_tokens += len(tokenize(text))
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "tokens": n_tokens}

    if tool == "re-tokenize":
        from baselines import regex_tokenize

        t0 = time.perf_counter()
        n_tokens = 0
        for text in texts:
            n_tokens += len(regex_tokenize(text))
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "tokens": n_tokens}

    if tool in ("nc-w1", "nc-w2"):
        import natocyber as nc

        workers = 1 if tool == "nc-w1" else 2
        t0 = time.perf_counter()
        corpus = nc.Corpus(texts, meta=meta, workers=workers)
        t1 = time.perf_counter()
        df = corpus.ngrams(n=(1, 3), by="year")
        t2 = time.perf_counter()
        out = {"seconds": t2 - t0, "phases": {"Corpus()": t1 - t0, "ngrams()": t2 - t1}}
        out.update(_frame_summary(df))
        out["columns"] = [str(c) for c in df.columns]
        return out

    if tool in ("cv", "regex"):
        from baselines import countvectorizer_ngrams, regex_counter_ngrams

        fn = countvectorizer_ngrams if tool == "cv" else regex_counter_ngrams
        years = meta["year"].tolist()
        result = fn(texts, years, group_name="year")
        phases = {k: v for k, v in result.seconds.items() if k != "total"}
        return {
            "seconds": result.seconds["total"], "phases": phases, "rows": result.rows,
            "total": result.total, "tokens": result.tokens,
            "by_n": {n: list(v) for n, v in result.by_n.items()},
        }

    raise ValueError(f"unknown tool {tool!r}")


def child_main(tool: str, corpus_path: str, result_path: str) -> int:
    """Entry point of a measurement child: load, measure, write JSON."""
    # Import the tool's libraries before loading, so neither is timed.
    if tool.startswith("nc-"):
        import natocyber  # noqa: F401
    elif tool == "cv":
        import sklearn.feature_extraction.text  # noqa: F401
    texts, meta = gen_corpus.load_corpus(corpus_path)
    rss_loaded = _self_maxrss_mb()
    result = _measure(tool, texts, meta)
    result["rss_loaded_mb"] = rss_loaded
    result["rss_self_mb"] = _self_maxrss_mb()
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    return 0


# ---------------------------------------------------------------------------
# Parent side: spawn, collect, report
# ---------------------------------------------------------------------------

@dataclass
class Measurement:
    """Aggregated result of one tool over --repeat runs."""

    tool: Tool
    seconds: float | None = None
    runs: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    rss_loaded_mb: float | None = None
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def spawn_child(tool: str, corpus_path: str) -> tuple[dict[str, Any] | None, float, str | None]:
    """Run one measurement in a fresh process.

    Returns (result dict or None, the child's peak RSS in MB from wait4,
    error text or None).
    """
    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        result_path = os.path.join(tmp, "result.json")
        log_path = os.path.join(tmp, "child.log")
        argv = [sys.executable, os.path.abspath(__file__), "--child", tool,
                "--corpus", corpus_path, "--result", result_path]
        actions = [
            (os.POSIX_SPAWN_OPEN, 1, log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ]
        pid = os.posix_spawn(sys.executable, argv, dict(os.environ), file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        peak = _maxrss_mb(usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or not os.path.exists(result_path):
            with open(log_path, encoding="utf-8", errors="replace") as fh:
                tail = fh.read().strip().splitlines()[-3:]
            why = f"signal {-code}" if code < 0 else f"exit code {code}"
            return None, peak, f"{why}: " + " | ".join(tail)
        with open(result_path, encoding="utf-8") as fh:
            return json.load(fh), peak, None


def probe_natocyber() -> dict[str, Any]:
    """Import natocyber in a subprocess; return version info or the import error."""
    code = (
        "import json, natocyber as nc\n"
        "icu = getattr(nc, 'icu_version', None)\n"
        "icu = icu() if callable(icu) else icu\n"
        "print(json.dumps({'version': str(getattr(nc, '__version__', '?')),"
        " 'icu': None if icu is None else str(icu), 'file': getattr(nc, '__file__', None)}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1e6
    except OSError:
        pass
    return None


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_info(nc_info: dict[str, Any]) -> dict[str, str]:
    """What the numbers were measured on."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = _mem_total_gb()
    info = {
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} logical, {usable} usable",
        "memory": f"{mem:.1f} GB" if mem else "unknown",
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy / pandas / scikit-learn": " / ".join(_version(d) for d in ("numpy", "pandas", "scikit-learn")),
    }
    if "error" in nc_info:
        info["natocyber"] = f"not importable ({nc_info['error']})"
    else:
        info["natocyber"] = nc_info.get("version", "?")
        info["ICU"] = nc_info.get("icu") or "unknown (natocyber.icu_version missing)"
    return info


def corpus_stats(path: str) -> dict[str, float]:
    """Documents, UTF-8 MB, characters and non-ASCII share of a cached corpus."""
    docs = n_bytes = chars = non_ascii = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            docs += 1
            n_bytes += len(text.encode("utf-8"))
            chars += len(text)
            non_ascii += len(text) - len(text.encode("ascii", "ignore"))
    return {"docs": docs, "mb": n_bytes / 1e6, "chars": chars, "non_ascii": non_ascii / max(chars, 1)}


def run_all(tools: Sequence[Tool], corpus_path: str, repeat: int, nc_ok: bool,
            log: Callable[[str], None]) -> list[Measurement]:
    """Measure every tool ``repeat`` times, one process per run."""
    results: list[Measurement] = []
    for tool in tools:
        m = Measurement(tool)
        results.append(m)
        if tool.needs_nc and not nc_ok:
            m.error = "skipped: natocyber not importable"
            log(f"  {tool.label:<30} {m.error}")
            continue
        peaks: list[float] = []
        for i in range(repeat):
            data, peak, error = spawn_child(tool.key, corpus_path)
            if error:
                m.error = f"failed ({error})"
                break
            assert data is not None
            m.runs.append(float(data["seconds"]))
            peaks.append(peak)
            m.data = data
            log(f"  {tool.label:<30} run {i + 1}/{repeat}: {data['seconds']:.2f} s, peak RSS {peak:,.0f} MB")
        if m.error:
            log(f"  {tool.label:<30} {m.error}")
            continue
        m.seconds = statistics.median(m.runs)
        m.peak_rss_mb = max(peaks)
        m.rss_loaded_mb = float(m.data.get("rss_loaded_mb", 0.0))
    return results


def _fmt_rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.0f} k"
    return f"{x:.0f}"


def build_table(results: Sequence[Measurement], mb: float) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the main table."""
    speed = {m.tool.label: mb / m.seconds for m in results if m.seconds}
    header = ["tool", "seconds", "MB/s", "tokens/s", "peak RSS MB", "RSS over loaded corpus MB",
              f"vs {BASELINE_CV}", f"vs {BASELINE_RE}"]
    rows: list[list[str]] = []
    for m in results:
        if m.seconds is None:
            status = "skipped" if (m.error or "").startswith("skipped") else "failed"
            rows.append([m.tool.label, status] + ["—"] * (len(header) - 2))
            continue
        mbps = mb / m.seconds
        tokens = m.data.get("tokens", 0)
        peak = m.peak_rss_mb or 0.0
        ratios = []
        for base in (BASELINE_CV, BASELINE_RE):
            ratios.append(f"{mbps / speed[base]:.2f}×" if base in speed else "—")
        rows.append([
            m.tool.label, f"{m.seconds:.2f}", f"{mbps:.2f}", _fmt_rate(tokens / m.seconds),
            f"{peak:,.0f}", f"{peak - (m.rss_loaded_mb or 0.0):,.0f}", *ratios,
        ])
    return header, rows


def render(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> str:
    """Render a table as GitHub markdown or aligned plain text."""
    if markdown:
        align = ["---"] + ["---:"] * (len(header) - 1)
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(  # noqa: E731
        (str(c).ljust(w) if i == 0 else str(c).rjust(w)) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def report(results: Sequence[Measurement], stats: dict[str, float], info: dict[str, str],
           args: argparse.Namespace) -> str:
    """The full printed report: machine, corpus, table, speedup, sanity counts."""
    md = args.markdown
    out: list[str] = []
    bullet = "- " if md else "  "
    out.append("**Machine**" if md else "Machine")
    out += [f"{bullet}{k}: {v}" for k, v in info.items()]
    out.append("")
    out.append("**Corpus**" if md else "Corpus")
    out.append(f"{bullet}generated by bench/gen_corpus.py (seed {args.seed}, version {gen_corpus.GEN_VERSION}): "
               f"{stats['docs']:,} statements, {stats['mb']:.1f} MB UTF-8, "
               f"{stats['chars']:,} characters, {100 * stats['non_ascii']:.1f} % non-ASCII")
    out.append(f"{bullet}median of {args.repeat} run(s) per tool, each in its own process")
    out.append("")
    header, rows = build_table(results, stats["mb"])
    out.append(render(header, rows, md))
    out.append("")
    problems = [m for m in results if m.error]
    for m in problems:
        out.append(f"{bullet}{m.tool.label}: {m.error}")
    if problems:
        out.append("")

    by_key = {m.tool.key: m for m in results}
    w1, w2 = by_key.get("nc-w1"), by_key.get("nc-w2")
    if w1 and w2 and w1.seconds and w2.seconds:
        out.append(f"natocyber ngrams speedup, workers=2 vs workers=1: {w1.seconds / w2.seconds:.2f}× "
                   f"({w1.seconds:.2f} s → {w2.seconds:.2f} s)")
        out.append("")

    out.append("**Sanity check** (each tool tokenizes differently)" if md else
               "Sanity check (each tool tokenizes differently)")
    s_header = ["tool", "(ngram, year) rows", "total count", "1-gram count", "2-gram count",
                "3-gram count", "phases (s)"]
    s_rows: list[list[str]] = []
    for m in results:
        if m.seconds is None:
            continue
        by_n = {int(k): v for k, v in m.data.get("by_n", {}).items()}
        phases = ", ".join(f"{k} {v:.2f}" for k, v in m.data.get("phases", {}).items())
        s_rows.append([
            m.tool.label,
            f"{m.data['rows']:,}" if "rows" in m.data else "",
            f"{m.data['total']:,}" if "total" in m.data else "",
            f"{m.data.get('tokens', 0):,}",
            f"{by_n[2][1]:,}" if 2 in by_n else "",
            f"{by_n[3][1]:,}" if 3 in by_n else "",
            phases,
        ])
    out.append(render(s_header, s_rows, md))
    out.append("")
    out.append("**What each row runs**" if md else "What each row runs")
    out += [f"{bullet}{m.tool.label}: {m.tool.what}" for m in results]
    return "\n".join(out)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description="Benchmark natocyber n-gram counting against baselines.")
    p.add_argument("--mb", type=float, default=None, help="corpus size in 10**6 UTF-8 bytes (default 50)")
    p.add_argument("--quick", action="store_true", help="smoke run on a 5 MB corpus (unless --mb is given)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--repeat", type=int, default=1, help="runs per tool; the median time is reported (default 1)")
    p.add_argument("--tools", default=",".join(t.key for t in TOOLS),
                   help="comma-separated subset of: " + ", ".join(t.key for t in TOOLS))
    p.add_argument("--markdown", action="store_true", help="print README-ready markdown")
    p.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--corpus", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.mb is None:
        args.mb = 5.0 if args.quick else 50.0
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    unknown = [k for k in args.tools.split(",") if k not in TOOL_BY_KEY]
    if unknown:
        p.error(f"unknown tool(s): {', '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: either a measurement child or the orchestrating parent."""
    args = parse_args(argv)
    if args.child:
        return child_main(args.child, args.corpus, args.result)

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    corpus_path = gen_corpus.cache_path(args.mb, args.seed)
    if not os.path.exists(corpus_path):
        log(f"generating {args.mb:g} MB corpus (seed {args.seed}) into {corpus_path} ...")
        gen_corpus.ensure_cached(args.mb, args.seed)
        log(f"  done in {time.perf_counter() - t0:.1f} s")
    stats = corpus_stats(corpus_path)

    nc_info = probe_natocyber()
    if "error" in nc_info:
        log(f"natocyber measurements skipped: `import natocyber` failed: {nc_info['error']}")
    info = machine_info(nc_info)
    tools = [TOOL_BY_KEY[k] for k in args.tools.split(",")]
    log(f"measuring {len(tools)} tool(s) on {stats['mb']:.1f} MB, one process per run ...")
    results = run_all(tools, corpus_path, args.repeat, "error" not in nc_info, log)
    print(report(results, stats, info, args))
    if args.json:
        raw = {
            "machine": info, "corpus": stats, "mb_arg": args.mb, "seed": args.seed,
            "results": [
                {"tool": m.tool.key, "label": m.tool.label, "seconds": m.seconds, "runs": m.runs,
                 "peak_rss_mb": m.peak_rss_mb, "rss_loaded_mb": m.rss_loaded_mb,
                 "error": m.error, "data": m.data}
                for m in results
            ],
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(raw, fh, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
