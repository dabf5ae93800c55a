"""Command line interface: ``natocyber`` / ``python -m natocyber``.

Without arguments it summarizes the built-in sample corpus. Errors in what the
user asked for are reported as one line on stderr with exit status 2, never a
traceback.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

import pandas as pd

from . import __version__
from .corpus import Corpus
from .datasets import sample_corpus

KEY_PHRASES = ["condemn", "strongly condemn", "coordinated response", "responsible state behaviour",
               "time and manner of our choosing", "article 5"]


class UserError(Exception):
    """A mistake in the command line or its input files."""


def _load(path: Optional[str], text_col: str) -> Corpus:
    if path is None:
        return sample_corpus()
    try:
        if path.endswith(".csv"):
            df = pd.read_csv(path)
        elif path.endswith((".jsonl", ".json")):
            df = pd.read_json(path, lines=path.endswith(".jsonl"))
        else:
            raise UserError(f"{path}: expected a .csv or .jsonl file")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (ValueError, pd.errors.ParserError) as e:
        raise UserError(f"{path}: cannot read it ({e})") from None
    if text_col not in df.columns:
        raise UserError(f"{path}: no column {text_col!r}; columns are {', '.join(map(str, df.columns))}")
    return Corpus.from_dataframe(df, text=text_col)


def cmd_summary(args: argparse.Namespace) -> int:
    corpus = _load(args.input, args.text)
    print(corpus)
    by = args.by
    with pd.option_context("display.width", 120, "display.max_rows", 200):
        if by and by not in corpus.meta.columns:
            raise UserError(f"--by {by!r}: no such metadata column")
        if by:
            print(f"\nDocuments and tokens by {by}:")
            print(corpus.summary().groupby(by)[["doc", "tokens"]]
                  .agg({"doc": "count", "tokens": "sum"}).rename(columns={"doc": "documents"}))
        print(f"\nMost frequent 2-3-word phrases{' by ' + by if by else ''} (top 5 per group):")
        print(corpus.ngrams(n=(2, 3), by=by, top=5, stopwords=["the", "of", "and", "to", "a", "in"])
              .to_string(index=False))
        print(f"\nKey phrases per 10,000 tokens{' by ' + by if by else ''}:")
        freq = corpus.frequency(KEY_PHRASES, by=by, fill=True if by else None)
        table = freq.pivot_table(index="phrase", columns=by, values="per_10k", sort=False) if by \
            else freq.set_index("phrase")[["count", "per_10k"]]
        print(table.round(1).to_string())
    return 0


def cmd_ngrams(args: argparse.Namespace) -> int:
    corpus = _load(args.input, args.text)
    lo, hi = args.n
    df = corpus.ngrams(n=(lo, hi), by=args.by or None, min_count=args.min_count, top=args.top)
    if args.output:
        if args.output.endswith(".parquet"):
            df.to_parquet(args.output, index=False)
        else:
            df.to_csv(args.output, index=False)
        print(f"wrote {len(df)} rows to {args.output}", file=sys.stderr)
    else:
        print(df.to_csv(index=False), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="natocyber", description=(
        "Phrase statistics for official statements about cyber operations. "
        "Without a subcommand: a summary of the built-in (illustrative) sample corpus."))
    p.add_argument("--version", action="version", version=f"natocyber {__version__}")
    sub = p.add_subparsers(dest="command")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("input", nargs="?", help="a .csv or .jsonl file with one document per row "
                        "(default: the built-in sample corpus)")
        sp.add_argument("--text", default="text", help="column holding the texts (default: text)")
        sp.add_argument("--by", default="year", help="metadata column to group by (default: year; "
                        "'' for none)")

    s = sub.add_parser("summary", help="documents, frequent phrases and key phrases by group")
    common(s)
    s.set_defaults(func=cmd_summary)
    g = sub.add_parser("ngrams", help="n-gram counts per group as CSV or Parquet")
    common(g)
    g.add_argument("-n", nargs=2, type=int, default=(1, 3), metavar=("MIN", "MAX"),
                   help="n-gram orders (default: 1 3)")
    g.add_argument("--min-count", type=int, default=1, help="minimum count over the corpus")
    g.add_argument("--top", type=int, default=None, help="keep the N most frequent per group")
    g.add_argument("-o", "--output", help="write to this .csv or .parquet file instead of stdout")
    g.set_defaults(func=cmd_ngrams)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["summary", *(argv or [])])
    try:
        return args.func(args)
    except UserError as e:
        print(f"natocyber: error: {e}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as e:
        print(f"natocyber: error: {e}", file=sys.stderr)
        return 2
