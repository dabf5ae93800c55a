"""Command line interface: ``natocyber`` / ``python -m natocyber``.

Subcommands read a corpus (a folder of .txt files, a .csv, .jsonl or .parquet file, or the
built-in sample when no input is given) and write a table (CSV to stdout, or CSV/Parquet
with ``-o``) or an HTML report. Without a subcommand: a summary of the built-in sample on
stdout and its report in ``natocyber-report.html``.

Mistakes in what the user asked for (a bad path, column, option, number or file) are
reported as one line on stderr with exit status 2, never a traceback; Ctrl-C exits with
status 130. Outputs are written to a temporary file in the same folder and renamed into
place at the end, so a failed or interrupted run leaves no half-written file, and an
output that is one of the inputs (the table, a text file read, a sidecar, a lexicon, an
@FILE list) is refused before any work.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import stat
import sys
import tempfile
import time
import warnings
from typing import Any, Iterator, List, NoReturn, Optional, Sequence, Tuple

import pandas as pd

from ._version import __version__
from .corpus import Corpus
from .datasets import sample_corpus
from ._checks import MAX_COUNT, MAX_WORKERS
from .lexicon import Lexicon, LexiconError, PatternError
from .loaders import (BOILERPLATE_PATTERNS, LoadError, SkippedFilesWarning, file_problem,
                      find_entries, read_text)
from .report import KEY_PHRASES, STOPWORDS, report

DEFAULT_REPORT = "natocyber-report.html"
_TABLE_SUFFIXES = (".csv", ".csv.gz", ".tsv")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_TEXT_SUFFIXES = (".txt",)


class UserError(Exception):
    """A mistake in the command line or its input files."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (its default prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


# ---- input -------------------------------------------------------------------------------------

def _progress_wanted(args: argparse.Namespace) -> bool:
    # a bar only where someone watches: on a terminal, unless asked otherwise
    return args.progress if args.progress is not None else sys.stderr.isatty()


def _boilerplate(args: argparse.Namespace) -> Any:
    extra = args.boilerplate_pattern or []
    if not args.boilerplate and not extra:
        return None
    return [*BOILERPLATE_PATTERNS, *extra] if args.boilerplate else extra


def _tokenizer_options(args: argparse.Namespace) -> dict:
    opts = {"progress": _progress_wanted(args)}
    if args.workers is not None:
        opts["workers"] = args.workers
    return opts


def _as_options(message: str) -> str:
    """A loader's message with its keyword arguments named as the options that set them."""
    message = message.replace("pass errors='replace'", "use --replace-bad-bytes")
    message = message.replace("pass errors='skip'", "use --skip-bad-files")
    message = re.sub(r"pass encoding='([^']*)'", r"use --encoding \1", message)
    message = message.replace("(listed in corpus.skipped)", "(they are listed on stderr)")
    return message.replace("(pass text=...)", "(use --text COLUMN)")


def load(args: argparse.Namespace) -> Corpus:
    """The corpus named on the command line (the built-in sample when none is)."""
    try:
        with warnings.catch_warnings():
            # the skipped files are listed below, one a line, rather than in a warning
            warnings.simplefilter("ignore", SkippedFilesWarning)
            corpus = _load(args)
    except LoadError as e:
        raise UserError(_as_options(str(e))) from None
    skipped = corpus.skipped
    if len(skipped):
        print(f"natocyber: skipped {len(skipped)} file(s):", file=sys.stderr)
        for name, why in zip(skipped["file"], skipped["reason"]):
            print(f"  {name}: {why}", file=sys.stderr)
    return corpus


def _is_files(path: str) -> bool:
    """Whether the input is a folder, glob or .txt file (read_files) rather than a table."""
    return (any(ch in path for ch in "*?[") or os.path.isdir(path)
            or path.lower().endswith(_TEXT_SUFFIXES))


def _load(args: argparse.Namespace) -> Corpus:
    path = args.input
    opts = _tokenizer_options(args)
    if path is None:
        if args.meta or args.boilerplate or args.boilerplate_pattern:
            raise UserError("--meta and --boilerplate apply to an input; none was given "
                            "(the built-in sample needs neither)")
        if args.encoding or args.skip_bad_files:
            raise UserError("--encoding and --skip-bad-files apply to an input; none was given")
        return sample_corpus(**opts)
    bp = _boilerplate(args)
    errors = "replace" if args.replace_bad_bytes else "strict"
    encoding = args.encoding or "utf-8"
    low = path.lower()
    is_glob = any(ch in path for ch in "*?[")
    if not is_glob and not os.path.lexists(path):
        raise UserError(f"{path}: no such file or folder")
    if _is_files(path):
        meta = args.meta or None
        if meta is not None and len(meta) == 1:
            meta = meta[0]
        return Corpus.from_files(path, meta=meta, errors="skip" if args.skip_bad_files
                                 else errors, encoding=encoding, boilerplate=bp, **opts)
    if args.meta:
        raise UserError("--meta applies to folders of .txt files; a table's metadata is its "
                        "other columns")
    if args.skip_bad_files:
        raise UserError("--skip-bad-files applies to folders and globs of .txt files; a table "
                        "is one file")
    if low.endswith(_TABLE_SUFFIXES):
        read = {"sep": "\t"} if low.endswith(".tsv") else None
        return Corpus.from_csv(path, text=args.text, errors=errors, encoding=encoding,
                               boilerplate=bp, read_options=read, **opts)
    if low.endswith(_JSONL_SUFFIXES):
        return Corpus.from_jsonl(path, text=args.text, errors=errors, encoding=encoding,
                                 boilerplate=bp, **opts)
    if low.endswith(".parquet"):
        if args.encoding:
            raise UserError("--encoding does not apply to Parquet (its texts are UTF-8)")
        return Corpus.from_parquet(path, text=args.text, boilerplate=bp, **opts)
    raise UserError(f"{path}: expected a folder of .txt files, a .txt, .csv, .tsv, .jsonl or "
                    ".parquet file")


def _by(args: argparse.Namespace, corpus: Corpus) -> Optional[str]:
    by = args.by or None
    if by and by not in corpus.meta.columns:
        cols = ", ".join(map(str, corpus.meta.columns)) or "none"
        hint = ""
        if "file" in corpus.meta.columns and by == "year":
            hint = ("; for a folder, take it from the file names (--meta '{year}-*.txt') or a "
                    "sidecar CSV (--meta meta.csv)")
        raise UserError(f"--by {by}: no such metadata column (columns: {cols}){hint}")
    return by


def _words(value: Optional[str]) -> Optional[List[str]]:
    """A comma-separated list, or the lines of a file given as @path (lines starting with #
    are comments)."""
    if value is None:
        return None
    if value.startswith("@"):
        try:
            text = read_text(value[1:])
        except LoadError as e:
            raise UserError(str(e)) from None
        return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return [w.strip() for w in value.split(",") if w.strip()]


def _stopwords(args: argparse.Namespace) -> Optional[List[str]]:
    if args.stopwords == "default":
        return list(STOPWORDS)
    return _words(args.stopwords)


def _lexicon(args: argparse.Namespace) -> Optional[Lexicon]:
    if not getattr(args, "lexicon", None):
        return None
    why = file_problem(args.lexicon)
    if why:
        raise UserError(f"--lexicon {args.lexicon}: {why}")
    try:
        return Lexicon.from_file(args.lexicon)
    except RecursionError:
        raise UserError(f"--lexicon {args.lexicon}: nested too deeply to be a lexicon") from None


def _values_like(values: List[str], column: pd.Series, option: str) -> list:
    """Command-line strings as values of ``column``'s type (years are integers)."""
    if pd.api.types.is_integer_dtype(column) or pd.api.types.is_float_dtype(column):
        try:
            return [int(v) if pd.api.types.is_integer_dtype(column) else float(v) for v in values]
        except ValueError:
            raise UserError(f"{option}: {column.name} holds numbers; got "
                            f"{', '.join(values)}") from None
    return values


# ---- output ------------------------------------------------------------------------------------

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _atomic(output: str) -> Iterator[str]:
    """A temporary path in ``output``'s folder, renamed to ``output`` when the block ends
    without an error (and removed when it fails), so ``output`` is either the old file or
    the complete new one. A symbolic link is written through, as the shell does."""
    target = os.path.realpath(output)
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        special = False  # not there yet
    if special:  # a named pipe or a device is written as it is: it cannot be replaced
        yield output
        return
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                                   suffix=".part")
    except OSError as e:
        raise UserError(f"-o {output}: cannot create a file in {folder} "
                        f"({e.strerror or e})") from None
    os.close(fd)
    try:
        yield tmp
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # as a plain open() would create it
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_table(df: pd.DataFrame, output: Optional[str]) -> None:
    """CSV to stdout, or a .csv/.csv.gz/.tsv/.parquet file (written whole or not at all)."""
    if not output or output == "-":
        df.to_csv(sys.stdout, index=False)
        return
    low = output.lower()
    if low.endswith(".parquet"):
        if importlib.util.find_spec("pyarrow") is None:  # pandas would say it less plainly
            raise UserError("writing Parquet needs pyarrow: pip install pyarrow")
        with _atomic(output) as tmp:
            try:
                df.to_parquet(tmp, index=False)
            except (ValueError, TypeError) as e:  # pyarrow's ArrowInvalid, ArrowTypeError
                why = "; ".join(str(a) for a in e.args) or type(e).__name__
                raise UserError(f"-o {output}: cannot write the table as Parquet: {why}") \
                    from None
    elif low.endswith((".tsv", ".csv", ".csv.gz")):
        with _atomic(output) as tmp:
            df.to_csv(tmp, index=False, sep="\t" if low.endswith(".tsv") else ",",
                      compression="gzip" if low.endswith(".gz") else None)
    else:
        raise UserError(f"-o {output}: expected a .csv, .csv.gz, .tsv or .parquet file name")
    print(f"wrote {len(df):,} rows to {output}", file=sys.stderr)


def _inputs(args: argparse.Namespace) -> List[Tuple[str, str]]:
    """Every file the command reads, as (what it is, path)."""
    out: List[Tuple[str, str]] = []
    path = args.input
    if path is not None:
        if _is_files(path) and not os.path.isfile(path):
            try:
                files = find_entries(path)[0]
            except (LoadError, ValueError, OSError):
                files = []  # the load says what is wrong with the input
            out += [("the input file", f) for f, _ in files]
        else:
            out.append(("the input", path))
    for spec in args.meta or []:
        if "{" not in spec and spec.replace("_", "-") not in ("front-matter", "frontmatter"):
            out.append(("the sidecar given to --meta", spec))
    if getattr(args, "lexicon", None):
        out.append(("the lexicon", args.lexicon))
    for option in ("stopwords", "phrases", "categories", "target", "reference"):
        value = getattr(args, option, None)
        if isinstance(value, str) and value.startswith("@"):
            out.append((f"the word list given to --{option}", value[1:]))
    return out


def _check_output(output: Optional[str], args: argparse.Namespace) -> None:
    """Refuses, before the work, an output that cannot be written or is one of the inputs."""
    if not output or output == "-":
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise UserError(f"-o {output}: the folder {folder} does not exist")
    if os.path.isdir(output):
        raise UserError(f"-o {output}: that is a folder; give a file name")
    try:
        out = os.stat(output)
    except OSError:
        return  # not there yet: it cannot be an input
    for what, path in _inputs(args):
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            raise UserError(f"-o {output}: that is {what} ({path}); writing it would destroy "
                            "the input, choose another file name")


# ---- commands ----------------------------------------------------------------------------------

def cmd_summary(args: argparse.Namespace) -> int:
    corpus = load(args)
    by = _by(args, corpus)
    # everything is computed before anything is printed, so a mistake found half way
    # leaves no half-printed summary
    out = [str(corpus)]
    with pd.option_context("display.width", 120, "display.max_rows", 200):
        if by:
            out.append(f"\nDocuments and tokens by {by}:")
            out.append(str(corpus.summary().groupby(by)[["doc", "tokens"]]
                           .agg({"doc": "count", "tokens": "sum"})
                           .rename(columns={"doc": "documents"})))
        out.append(f"\nMost frequent 2-3-word phrases{' by ' + by if by else ''} (top 5 per "
                   "group, function words left out):")
        out.append(corpus.ngrams(n=(2, 3), by=by, top=5, stopwords=list(STOPWORDS))
                   .to_string(index=False))
        out.append(f"\nKey phrases per 10,000 tokens{' by ' + by if by else ''} (-: no text):")
        freq = corpus.frequency(list(KEY_PHRASES), by=by, fill=True if by else None)
        if by:
            table = freq.pivot_table(index="phrase", columns=by, values="per_10k", sort=False,
                                     dropna=False)
        else:
            table = freq.set_index("phrase")[["count", "per_10k"]]
        out.append(table.round(1).to_string(na_rep="–"))
        if by:
            out.append(f"\nHighest level on the escalation ladder by {by} (0 note ... 8 "
                       "Article 5):")
            esc = corpus.escalation(by=by)
            out.append(esc[[by, "docs", "max_level", "mean_level"]].round(2)
                       .to_string(index=False))
    print("\n".join(out))
    return 0


def cmd_ngrams(args: argparse.Namespace) -> int:
    _check_output(args.output, args)
    corpus = load(args)
    by = _by(args, corpus)
    df = corpus.ngrams(n=tuple(args.n), by=by, min_count=args.min_count, top=args.top,
                       stopwords=_stopwords(args), progress=_progress_wanted(args))
    write_table(df, args.output)
    return 0


def cmd_markers(args: argparse.Namespace) -> int:
    _check_output(args.output, args)
    corpus = load(args)
    by = _by(args, corpus)
    lex = _lexicon(args)
    cats = _words(args.categories)
    if args.table == "hits":
        df = corpus.markers(lex, categories=cats)
        if not args.include_negated:
            df = df[~df["negated"]].reset_index(drop=True)
    elif args.table == "rates":
        df = corpus.marker_rates(by=by, lexicon=lex, categories=cats,
                                 include_negated=args.include_negated,
                                 fill=True if by else None)
    else:
        if cats:
            raise UserError("--categories does not apply to --table escalation (the ladder uses "
                            "every marker with a level)")
        df = corpus.escalation(by=by if args.table == "escalation-by" else None, lexicon=lex,
                               include_negated=args.include_negated)
    write_table(df, args.output)
    return 0


def cmd_keyness(args: argparse.Namespace) -> int:
    if args.lexicon and args.categories is None:
        raise UserError("--lexicon applies to stance categories: add --categories all (or a "
                        "list); without it keyness compares n-grams")
    _check_output(args.output, args)
    corpus = load(args)
    by = _by(args, corpus)
    if not by:
        raise UserError("keyness compares groups: give --by COLUMN")
    col = corpus.meta[by]
    options = dict(n=tuple(args.n), measure=args.measure, correction=args.correction,
                   min_count=args.min_count, stopwords=_stopwords(args))
    if args.categories is not None:
        options.update(categories=True if args.categories == "all" else _words(args.categories),
                       lexicon=_lexicon(args))
    if args.each:
        if args.target or args.reference:
            raise UserError("--each compares every group with the rest; leave out --target "
                            "and --reference")
        df = corpus.keyness(by=by, **options)
    else:
        if args.target:
            target = _values_like(_words(args.target) or [], col, "--target")
        else:  # the latest group that has text
            tokens = corpus.summary().groupby(by)["tokens"].sum()
            if (tokens > 0).sum() < 2:
                raise UserError(f"keyness needs two {by} groups with text")
            target = [tokens[tokens > 0].index[-1]]
        reference = _values_like(_words(args.reference), col, "--reference") \
            if args.reference else None
        df = corpus.keyness(target=target, reference=reference, by=by, **options)
        print(f"keyness: {by} {', '.join(map(str, target))} against "
              f"{', '.join(map(str, reference)) if reference else 'all other documents'}",
              file=sys.stderr)
    if args.top:
        # the strongest terms each way, per comparison
        keys = [by] if args.each else []
        parts = []
        for _, part in (df.groupby(keys, sort=False) if keys else [(None, df)]):
            parts += [part[part.statistic > 0].head(args.top),
                      part[part.statistic < 0].iloc[::-1].head(args.top).iloc[::-1]]
        df = pd.concat(parts, ignore_index=True)
    write_table(df, args.output)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    output = args.output or DEFAULT_REPORT
    if not output.lower().endswith((".html", ".htm")):
        raise UserError(f"-o {output}: the report is an HTML page; name it .html")
    _check_output(output, args)
    t0 = time.perf_counter()
    corpus = load(args)
    by = _by(args, corpus)
    if not by:
        raise UserError("the report groups documents: give --by COLUMN (default: year)")
    note = args.note
    if args.input is None and note is None:
        note = ("The built-in sample corpus: illustrative statements written for natocyber in "
                "the style of alliance and government statements; they are not real statements.")
    phrases = _words(args.phrases) if args.phrases else KEY_PHRASES
    options = dict(by=by, title=args.title, phrases=phrases, categories=_words(args.categories),
                   lexicon=_lexicon(args), stopwords=_stopwords(args), note=note,
                   progress=_progress_wanted(args))
    with _atomic(output) as tmp:
        report(corpus, tmp, **options)
    took = time.perf_counter() - t0
    print(f"wrote the report on {len(corpus):,} documents to {os.path.abspath(output)} "
          f"({took:.1f} s); open it in a browser")
    return 0


def cmd_default(args: argparse.Namespace) -> int:
    """No subcommand: the summary of the built-in sample, then its report."""
    cmd_summary(args)
    print()
    return cmd_report(args)


# ---- parser ------------------------------------------------------------------------------------

_EPILOG = """\
input: a folder of .txt files (one document each; metadata from --meta), a glob such as
'statements/**/*.txt', a .csv/.tsv/.jsonl/.parquet file with one document per row (texts in
--text, metadata in the other columns), or nothing for the built-in illustrative sample.
Files must be UTF-8, or UTF-16/UTF-32 with a byte-order mark (--encoding for others;
--replace-bad-bytes reads bytes that do not decode as U+FFFD; --skip-bad-files leaves out
files that cannot be read and lists them). -o never overwrites an input.
"""


def _input_options(sp: argparse.ArgumentParser, by_default: Optional[str] = "year") -> None:
    g = sp.add_argument_group("input")
    g.add_argument("input", nargs="?", help="folder, glob, .txt, .csv, .tsv, .jsonl or .parquet "
                   "(default: the built-in sample corpus)")
    g.add_argument("--text", default="text", metavar="COLUMN",
                   help="column (field) of a table holding the texts (default: text)")
    g.add_argument("--meta", action="append", metavar="SPEC",
                   help="metadata of a folder of files: a file name pattern such as "
                   "'{year}-{source}-*.txt', 'front-matter', or a sidecar CSV keyed by a 'file' "
                   "column; repeat to combine")
    g.add_argument("--boilerplate", action="store_true",
                   help="drop web boilerplate lines (bylines, 'Share this Post', comment forms; "
                   "see natocyber.BOILERPLATE_PATTERNS)")
    g.add_argument("--boilerplate-pattern", action="append", metavar="REGEX",
                   help="also drop lines that this regular expression matches in full "
                   "(case-insensitive); repeatable")
    g.add_argument("--encoding", metavar="NAME",
                   help="the encoding of the input files (default: UTF-8, or UTF-16/UTF-32 for "
                   "files that start with a byte-order mark); e.g. utf-16-le, cp1252")
    bad = g.add_mutually_exclusive_group()
    bad.add_argument("--replace-bad-bytes", action="store_true",
                     help="read bytes that do not decode as U+FFFD instead of stopping")
    bad.add_argument("--skip-bad-files", action="store_true",
                     help="leave out files that cannot be read as text (bad bytes, broken "
                     "links, named pipes, folders named *.txt, files over 2 GiB) and list "
                     "them on stderr, instead of stopping at the first")
    g.add_argument("--by", default=by_default, metavar="COLUMN",
                   help=f"metadata column to group documents by (default: {by_default}; '' for "
                   "no grouping)")
    r = sp.add_argument_group("running")
    r.add_argument("--workers", type=_positive, metavar="N",
                   help=f"threads (default: the cores available; at most {MAX_WORKERS} are "
                   "used)")
    pg = r.add_mutually_exclusive_group()
    pg.add_argument("--progress", dest="progress", action="store_true", default=None,
                    help="show a progress bar (default: when stderr is a terminal; needs tqdm)")
    pg.add_argument("--no-progress", dest="progress", action="store_false",
                    help="never show a progress bar")


_WHOLE = re.compile(r"[+-]?[0-9]+")


def _positive(value: str) -> int:
    """A whole number from 1 to MAX_COUNT (what the library accepts for counts)."""
    s = value.strip()
    if not _WHOLE.fullmatch(s):
        shown = value if len(value) <= 40 else f"{value[:20]}..."
        raise argparse.ArgumentTypeError(f"expected a whole number, not {shown!r}")
    digits = s.lstrip("+-").lstrip("0")
    # compare lengths first: int() of thousands of digits is slow and then refused
    if s.startswith("-") and digits or len(digits) > len(str(MAX_COUNT)) \
            or not 1 <= int(s) <= MAX_COUNT:
        shown = s if len(s) <= 40 else f"{s[:20]}... ({len(digits)} digits)"
        raise argparse.ArgumentTypeError(f"expected a number from 1 to {MAX_COUNT}, not {shown}")
    return int(s)


def _orders(p: argparse.ArgumentParser, default: tuple) -> None:
    p.add_argument("-n", nargs=2, type=_positive, default=default, metavar=("MIN", "MAX"),
                   help=f"n-gram orders, from MIN to MAX words (default: {default[0]} "
                   f"{default[1]})")


def _stopword_option(p: argparse.ArgumentParser, default: Optional[str]) -> None:
    p.add_argument("--stopwords", default=default, metavar="WORDS",
                   help="words removed before counting (they also break n-grams): a comma-"
                   "separated list, @FILE with one word a line, or 'default' for natocyber's "
                   f"function-word list (default: {default or 'none'})")


def _output_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to a .csv, .csv.gz, .tsv or .parquet file (default: CSV on stdout)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the command line: the default command's options, then one subparser
    per subcommand."""
    p = _Parser(prog="natocyber", formatter_class=argparse.RawDescriptionHelpFormatter,
                description=(
                    "Phrase statistics and stance markers for official statements about cyber "
                    "operations.\n\nWithout a subcommand: a summary of the built-in "
                    "(illustrative) sample corpus and its HTML report in "
                    f"./{DEFAULT_REPORT}.\nEach subcommand has its own --help."),
                epilog=_EPILOG)
    p.add_argument("--version", action="version", version=f"natocyber {__version__}")
    # what the default command (summary and report of the sample) reads
    p.set_defaults(func=cmd_default, input=None, text="text", meta=None, boilerplate=False,
                   boilerplate_pattern=None, replace_bad_bytes=False, skip_bad_files=False,
                   encoding=None, progress=None,
                   workers=None, by="year", title=None, output=None, phrases=None,
                   categories=None, lexicon=None, note=None, stopwords="default")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_summary_parser, _ngrams_parser, _markers_parser, _keyness_parser,
                _report_parser):
        add(sub)
    return p


def _command(sub: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=f"{summary}.\n\n{description}",
                          epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)


def _summary_parser(sub: Any) -> None:
    s = _command(sub, "summary", "documents, frequent phrases, key phrases and the escalation "
                 "ladder by group, printed", "Prints an overview of a corpus for a first look.")
    _input_options(s)
    s.set_defaults(func=cmd_summary)


def _ngrams_parser(sub: Any) -> None:
    g = _command(sub, "ngrams", "n-gram counts per group as CSV or Parquet",
                 "One row per n-gram and group: ngram, n, the group column, count, docfreq "
                 "(documents containing it) and per_10k (count per 10,000 tokens of the "
                 "group).\n"
                 "N-grams never cross a sentence, punctuation or a stop word.\n\n"
                 "example: natocyber ngrams statements/ --meta '{year}-*.txt' -n 2 3 "
                 "--min-count 5 -o ngrams.parquet")
    _input_options(g)
    _orders(g, (1, 3))
    g.add_argument("--min-count", type=_positive, default=1, metavar="N",
                   help="keep n-grams counted at least N times in the whole corpus (default: 1)")
    g.add_argument("--top", type=_positive, metavar="N",
                   help="keep the N most frequent n-grams of each group")
    _stopword_option(g, None)
    _output_option(g)
    g.set_defaults(func=cmd_ngrams)


def _markers_parser(sub: Any) -> None:
    m = _command(sub, "markers",
                 "stance markers: every hit, rates per group, or the escalation ladder",
                 "--table hits: one row per marker hit with its document's metadata, sentence, "
                 "category, marker, ladder level and the words as written (negated hits left "
                 "out unless --include-negated).\n"
                 "--table rates: hits per group and category with per_10k (per 10,000 tokens).\n"
                 "--table escalation: one row per document with its highest level on the ladder "
                 "(0 note ... 8 Article 5 / armed attack) and the wording that set it;\n"
                 "--table escalation-by: the distribution of those levels per group.\n\n"
                 "example: natocyber markers data.csv --table rates --by year -o rates.csv")
    _input_options(m)
    m.add_argument("--table", choices=("hits", "rates", "escalation", "escalation-by"),
                   default="hits", help="what to write (default: hits)")
    m.add_argument("--categories", metavar="LIST",
                   help="only these categories of the lexicon, comma-separated (e.g. "
                   "condemnation,deterrence)")
    m.add_argument("--lexicon", metavar="FILE",
                   help="a lexicon file (.yaml, .json) instead of the built-in stance lexicon")
    m.add_argument("--include-negated", action="store_true",
                   help="count negated hits too ('did not condemn')")
    _output_option(m)
    m.set_defaults(func=cmd_markers)


def _keyness_parser(sub: Any) -> None:
    k = _command(sub, "keyness", "terms over- or under-used in one group against the others",
                 "Compares the --target group(s) of the --by column (default: the latest group "
                 "with text) with the --reference group(s) (default: all other documents), or "
                 "with --each every group with the rest. Terms are n-grams, or stance "
                 "categories with --categories. One row per term: counts and rates on each "
                 "side, the signed statistic (positive: more frequent in the target), p, p_bh "
                 "(Benjamini-Hochberg) and log_ratio.\n\n"
                 "example: natocyber keyness --target 2024,2025 --reference 2018,2019,2020 "
                 "--top 20")
    _input_options(k)
    k.add_argument("--target", metavar="VALUES", help="comma-separated values of the --by column")
    k.add_argument("--reference", metavar="VALUES",
                   help="comma-separated values of the --by column (default: all others)")
    k.add_argument("--each", action="store_true", help="every group against all the others")
    _orders(k, (1, 3))
    k.add_argument("--measure", default="g2",
                   choices=("g2", "chi2", "fisher", "log_ratio", "pct_diff", "pmi"),
                   help="the statistic (default: g2, Dunning's log-likelihood)")
    k.add_argument("--correction", default="none", choices=("none", "yates", "williams"),
                   help="continuity correction for g2 and chi2 (default: none)")
    k.add_argument("--min-count", type=_positive, default=3, metavar="N",
                   help="leave out terms counted fewer than N times on both sides together "
                   "(default: 3)")
    k.add_argument("--top", type=_positive, metavar="N",
                   help="keep the N strongest terms each way (per comparison)")
    k.add_argument("--categories", metavar="LIST",
                   help="compare stance categories instead of n-grams: 'all', or a "
                   "comma-separated list")
    k.add_argument("--lexicon", metavar="FILE", help="a lexicon file for --categories")
    _stopword_option(k, None)
    _output_option(k)
    k.set_defaults(func=cmd_keyness)


def _report_parser(sub: Any) -> None:
    r = _command(sub, "report", "an HTML report with figures and tables, by year",
                 "Writes one self-contained HTML page (figures embedded): a note on the data, "
                 "top phrases by year, stance-marker rates by category and year, key phrases "
                 "over time, keyness of the latest year against the rest, and the escalation "
                 "ladder.\n\n"
                 "example: natocyber report statements/ --meta '{year}-{source}-*.txt' "
                 "--boilerplate -o statements.html")
    _input_options(r)
    r.add_argument("-o", "--output", metavar="FILE.html",
                   help=f"where to write the page (default: ./{DEFAULT_REPORT})")
    r.add_argument("--title", help="the page's title")
    r.add_argument("--note", help="a sentence about the data for the page's data note")
    r.add_argument("--phrases", metavar="LIST",
                   help="key phrases to follow over time, comma-separated or @FILE "
                   f"(default: {', '.join(KEY_PHRASES)})")
    r.add_argument("--categories", metavar="LIST",
                   help="stance categories drawn over time (default: attribution, "
                   "condemnation, response, deterrence, norms)")
    r.add_argument("--lexicon", metavar="FILE",
                   help="a lexicon file (.yaml, .json) instead of the built-in stance lexicon")
    _stopword_option(r, "default")
    r.set_defaults(func=cmd_report)


def _one_line(e: BaseException) -> str:
    if isinstance(e, PatternError):
        return f"{str(e).splitlines()[0]} (pattern: {e.pattern!r}, at character {e.position + 1})"
    if isinstance(e, OSError) and e.strerror:
        name = e.filename if e.filename is not None else ""
        return f"{name}: {e.strerror}" if name else e.strerror
    text = " ".join(line.strip() for line in str(e).splitlines() if line.strip())
    if isinstance(e, MemoryError):
        return ("out of memory" + (f" ({text})" if text else "") + ": the input or an option "
                "asks for more memory than is available")
    if isinstance(e, RecursionError):
        return f"the input is nested too deeply ({text})"
    if isinstance(e, OverflowError):
        return f"a number is too large ({text})"
    if isinstance(e, (LoadError, UserError)):
        text = _as_options(text)
    return _without_python_hints(text) or type(e).__name__


# The library's hints name Python calls; on the command line the data is what to change.
_PYTHON_HINTS = (
    (re.compile(r", name the grid \(fill=\{.*?\}\), or leave fill out"),
     " in the input"),
    (re.compile(r"; rename them first, e\.g\. corpus\.meta = .*$"),
     "; rename the column in the input"),
    (re.compile(r"; convert it to one type, e\.g\. corpus\.meta\[.*$"),
     "; give the column one type in the input"),
)


def _without_python_hints(text: str) -> str:
    for rx, replacement in _PYTHON_HINTS:
        text = rx.sub(replacement, text)
    return text


# what a mistake in the command line or its files raises, here or in the library
_MISTAKES = (UserError, LoadError, LexiconError, ValueError, OSError, ImportError,
             OverflowError, RecursionError, MemoryError)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status (0 ok, 2 user error, 1 an unexpected
    error, 130 Ctrl-C). Errors are one line on stderr; NATOCYBER_DEBUG=1 shows the
    traceback instead."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("natocyber: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of stdout went away (| head): not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except _MISTAKES as e:
        if os.environ.get("NATOCYBER_DEBUG"):
            raise
        print(f"natocyber: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug: still one line, with the way to see more
        if os.environ.get("NATOCYBER_DEBUG"):
            raise
        print(f"natocyber: unexpected error: {type(e).__name__}: {_one_line(e)} (run with "
              "NATOCYBER_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return 1
