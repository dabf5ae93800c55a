"""The floor under natocyber's tokenization: ICU's own word and sentence breaking.

Writes the benchmark corpus as UTF-16 (the form natocyber hands to ICU), compiles
``icu_floor.c`` against the system ICU (pkg-config) and runs it: a C loop over ``ubrk_next``
for every document, nothing else. Prints seconds and MB/s (MB of the corpus's UTF-8 text)
for word breaking, word breaking with the rule status of each segment (natocyber reads it),
sentence breaking, and the sum of the last two, which is what any tokenizer built on ICU
pays before it does anything of its own.

Usage::

    python bench/icu_floor.py              # the 50 MB corpus, best of 3
    python bench/icu_floor.py --mb 5 --repeat 5

Needs gcc, pkg-config and ICU's development files (the project's set-up installs them).
"""
from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="corpus size in MB (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    args = parser.parse_args(argv)
    texts, _ = gen_corpus.load_corpus(gen_corpus.ensure_cached(args.mb, args.seed))
    mb = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "icu-uc"], check=True,
                           capture_output=True, text=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        exe, data = os.path.join(tmp, "icu_floor"), os.path.join(tmp, "docs.u16")
        subprocess.run(["gcc", "-O2", "-std=c11", "-D_GNU_SOURCE", os.path.join(HERE, "icu_floor.c"),
                        "-o", exe, *flags], check=True)
        with open(data, "wb") as fh:
            for t in texts:
                u = t.encode("utf-16-le", "surrogatepass")
                fh.write(struct.pack("<I", len(u) // 2))
                fh.write(u)
        out = subprocess.run([exe, data, str(args.repeat)], check=True, capture_output=True,
                             text=True).stdout.split()
    word, word_status, sent = (float(x) for x in out[:3])
    version = subprocess.run(["pkg-config", "--modversion", "icu-uc"], capture_output=True,
                             text=True).stdout.strip()
    print(f"ICU {version}, {len(texts):,} documents, {mb:.1f} MB, best of {args.repeat}")
    for name, s in (("word breaking", word), ("word breaking + rule status", word_status),
                    ("sentence breaking", sent), ("word (with status) + sentence", word_status + sent)):
        print(f"  {name:32s} {s:6.3f} s  {mb / s:6.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
