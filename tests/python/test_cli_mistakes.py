"""Every mistake a user can make on the command line ends as one line on stderr and exit
status 2: bad paths, options, numbers, columns, files, encodings and lexicons.

Most cases run ``natocyber.cli.main`` in this process (a subprocess each would take a
minute); the ones that could hang (named pipes) or that depend on the interpreter's own
handling (deep recursion) also run as ``python -m natocyber`` with a timeout.
"""
import os
import subprocess
import warnings

import pandas as pd
import pytest

from natocyber import cli

# ---- inputs --------------------------------------------------------------------------------


def _csv(t, name="s.csv", text="text"):
    p = t / name
    pd.DataFrame({text: ["We strongly condemn it.", "We note with concern the attack.",
                         "Allies condemn the campaign."], "year": [2020, 2024, 2024]}
                 ).to_csv(p, index=False)
    return p


def _folder(t, name="d"):
    d = t / name
    d.mkdir(exist_ok=True)
    (d / "2020-NATO-a.txt").write_text("We strongly condemn it.\n", encoding="utf-8")
    (d / "2024-EU-b.txt").write_text("Allies condemn the campaign.\n", encoding="utf-8")
    return d


def _fifo_folder(t):
    d = _folder(t)
    os.mkfifo(d / "2024-UK-feed.txt")
    return d


def _dir_named_txt(t):
    d = _folder(t)
    (d / "2024-UK-x.txt").mkdir()
    return d


def _dangling(t, name="gone.txt"):
    p = t / name
    os.symlink(t / "nowhere", p)
    return p


def _only_fifo(t):
    d = t / "pipes"
    d.mkdir()
    os.mkfifo(d / "a.txt")
    return d


def _sparse(t):
    p = t / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(2**31)        # 2 GiB that take no disk
    return p


def _bytes(t, name, data):
    p = t / name
    p.write_bytes(data)
    return p


def _deep_json_lexicon(t, depth=5000):
    p = t / "deep.json"
    p.write_text('{"categories": {"x": ' + "[" * depth + "]" * depth + "}}", encoding="utf-8")
    return p


def _deep_yaml_lexicon(t, depth=5000):
    p = t / "deep.yaml"
    p.write_text("categories:\n  x: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return p


def _lexicon(t, body="categories:\n  deterrence:\n    - all capabilities\n", name="lex.yaml"):
    p = t / name
    p.write_text(body, encoding="utf-8")
    return p


def _hardlink(src, dst):
    os.link(src, dst)
    return dst


def _sidecar(t):
    d = _folder(t)
    p = t / "meta.csv"
    p.write_text("file,kind\n2020-NATO-a.txt,x\n2024-EU-b.txt,y\n", encoding="utf-8")
    return d, p


def _stop(t, name="stop.csv"):
    p = t / name
    p.write_text("the\nof\n", encoding="utf-8")
    return p


def _glob_with_old_output(t):
    d = _folder(t)
    (d / "old.csv").write_text("ngram,count\nx,1\n", encoding="utf-8")
    return d


def _huge_year(t):
    p = t / "years.csv"
    p.write_text("text,year\nWe condemn it.,1000000000000000000\nAllies agree.,2023\n",
                 encoding="utf-8")
    return p


def _front_matter_twice(t):
    d = t / "fm"
    d.mkdir()
    (d / "a.txt").write_text("---\nyear: 2024\nyear: 2025\n---\nText.\n", encoding="utf-8")
    return d


# (arguments built from the temporary folder, words the one line must hold)
MISTAKES = [
    # paths
    (lambda t: ["ngrams", t / "missing.csv"], "no such file or folder"),
    (lambda t: ["ngrams", _bytes(t, "s.xlsx", b"PK")], "expected a folder of .txt files"),
    (lambda t: ["ngrams", _dangling(t, "gone.csv")], "broken symbolic link"),
    (lambda t: ["ngrams", _dangling(t)], "broken symbolic link"),
    (lambda t: ["ngrams", t], "holds no .txt files"),
    (lambda t: ["ngrams", t / "nothing" / "*.txt"], "no files match"),
    (lambda t: ["ngrams", _dir_named_txt(t), "--meta", "{year}-{source}-*.txt"],
     "a folder (directory), not a file; use --skip-bad-files"),
    (lambda t: ["ngrams", str(_dir_named_txt(t)) + "/*.txt"], "2024-UK-x.txt: a folder"),
    (lambda t: ["ngrams", _sparse(t)], "2,147,483,648 bytes, more than"),
    (lambda t: ["ngrams", _bytes(t, "s.parquet", b"not parquet")], "cannot read it as Parquet"),
    (lambda t: ["ngrams", _bytes(t, "s.csv.gz", b"not gzip")], "not a valid gzip file"),
    # options
    (lambda t: ["ngrams", "--bogus"], "unrecognized arguments: --bogus"),
    (lambda t: ["frobnicate"], "invalid choice"),
    (lambda t: ["ngrams", "-n", "3", "1"], "1 <= min <= max"),
    (lambda t: ["ngrams", "-n", "two", "3"], "expected a whole number"),
    (lambda t: ["ngrams", "-n", "0", "1"], "expected a number from 1 to"),
    (lambda t: ["ngrams", "-n", "1", "99999999999999999999999"], "expected a number from 1"),
    (lambda t: ["ngrams", "--min-count", "0"], "expected a number from 1 to"),
    (lambda t: ["ngrams", "--min-count", "-5"], "expected a number from 1 to"),
    (lambda t: ["ngrams", "--min-count", "18446744073709551618"],
     "from 1 to 9223372036854775807, not 18446744073709551618"),
    (lambda t: ["ngrams", "--min-count", "1e3"], "expected a whole number, not '1e3'"),
    (lambda t: ["ngrams", "--top", "99999999999999999999"], "expected a number from 1"),
    (lambda t: ["keyness", "--min-count", "9223372036854775808"], "expected a number from 1"),
    (lambda t: ["ngrams", "--workers", "0"], "expected a number from 1"),
    (lambda t: ["ngrams", "--workers", "9" * 5000], "(5000 digits)"),
    (lambda t: ["ngrams", "--workers", "many"], "expected a whole number"),
    (lambda t: ["ngrams", "--replace-bad-bytes", "--skip-bad-files"], "not allowed with"),
    (lambda t: ["markers", "--table", "bogus"], "invalid choice"),
    (lambda t: ["keyness", "--measure", "bogus"], "invalid choice"),
    (lambda t: ["ngrams", "-o", t / "nowhere" / "x.csv"], "does not exist"),
    (lambda t: ["ngrams", "-o", t / "x.xlsx"], "expected a .csv"),
    (lambda t: ["ngrams", "-o", t], "that is a folder"),
    (lambda t: ["report", "-o", t / "x.pdf"], "name it .html"),
    (lambda t: ["ngrams", "--meta", "{year}.txt"], "--meta and --boilerplate apply to an input"),
    (lambda t: ["ngrams", "--encoding", "latin-1"], "--encoding and --skip-bad-files apply"),
    (lambda t: ["ngrams", _folder(t), "--encoding", "bogus"], "not an encoding Python knows"),
    (lambda t: ["ngrams", _folder(t), "--encoding", "base64"], "not a text encoding"),
    (lambda t: ["ngrams", _csv(t), "--skip-bad-files"], "applies to folders and globs"),
    (lambda t: ["ngrams", _csv(t), "--meta", "{year}.txt"], "--meta applies to folders"),
    # columns
    (lambda t: ["ngrams", "--by", "region"], "--by region: no such metadata column"),
    (lambda t: ["ngrams", _csv(t, text="body")], "no text column 'text'"),
    (lambda t: ["ngrams", _bytes(t, "s.jsonl", b'{"body": "x"}\n')], "no 'text' field"),
    (lambda t: ["keyness", "--by", ""], "keyness compares groups: give --by"),
    (lambda t: ["keyness", "--target", "last"], "--target: year holds numbers"),
    (lambda t: ["keyness", "--target", "1e18"], "--target: year holds numbers"),
    (lambda t: ["keyness", "--target", "1999"], "no document has year == 1999"),
    (lambda t: ["keyness", "--each", "--target", "2024"], "--each"),
    (lambda t: ["keyness", "--categories", "nonsense"], "nonsense"),
    # files and encodings
    (lambda t: ["ngrams", _bytes(t, "bad.txt", b"We condemn \xff it.")],
     "not valid UTF-8 at byte 11"),
    (lambda t: ["ngrams", _bytes(t, "w.txt", "We condemn it.".encode("utf-16-le"))],
     "UTF-16-LE text without a byte-order mark"),
    (lambda t: ["ngrams", _bytes(t, "odd.txt", b"\xff\xfeW\x00e\x00 ")],
     "not valid UTF-16-LE at byte 6"),
    (lambda t: ["ngrams", _bytes(t, "dup.csv", b"text,year,text\na,1,b\n")],
     "names the column 'text' twice"),
    (lambda t: ["ngrams", _bytes(t, "dup.jsonl", b'{"text": "a", "text": "b"}\n')],
     "the key 'text' appears twice"),
    (lambda t: ["ngrams", _bytes(t, "bad.jsonl", b'{"text": "a"\n')], "not valid JSON"),
    (lambda t: ["ngrams", _bytes(t, "deep.jsonl", b"[" * 100000 + b"]" * 100000 + b"\n")],
     "nested too deeply"),
    (lambda t: ["ngrams", _folder(t), "--meta", "{year}{source}-*.txt"],
     "separate it with literal text"),
    (lambda t: ["ngrams", _folder(t), "--meta", "{year}-{source}*.txt"],
     "e.g. '{year}-{source}.txt'"),
    (lambda t: ["ngrams", _folder(t), "--meta", t / "nope.csv"], "no such file; meta takes"),
    (lambda t: ["ngrams", _front_matter_twice(t), "--meta", "front-matter", "--by", "year"],
     "front-matter key 'year' appears twice"),
    # outputs that are inputs
    (lambda t: ["ngrams", _csv(t), "-o", t / "s.csv"], "that is the input"),
    (lambda t: ["ngrams", _csv(t), "-o", _hardlink(t / "s.csv", t / "y.csv")],
     "that is the input"),
    (lambda t: ["ngrams", _sidecar(t)[0], "--meta", t / "meta.csv", "-o", t / "meta.csv"],
     "that is the sidecar given to --meta"),
    (lambda t: ["markers", "--lexicon", _lexicon(t), "-o",
                _hardlink(t / "lex.yaml", t / "hits.csv")], "that is the lexicon"),
    (lambda t: ["ngrams", "--stopwords", f"@{_stop(t)}", "-o", t / "stop.csv"],
     "that is the word list given to --stopwords"),
    (lambda t: ["ngrams", str(_glob_with_old_output(t)) + "/*", "--by", "", "-o",
                t / "d" / "old.csv"], "that is the input file"),
    (lambda t: ["report", _bytes(t, "page.html", b"x"), "-o", t / "page.html"],
     "that is the input"),
    # lexicons and word lists
    (lambda t: ["markers", "--lexicon", t / "none.yaml"], "none.yaml: no such file"),
    (lambda t: ["markers", "--lexicon", _dangling(t, "lex.yaml")], "broken symbolic link"),
    (lambda t: ["markers", "--lexicon", t], "a folder (directory), not a file"),
    (lambda t: ["markers", "--lexicon", _deep_json_lexicon(t)], "deep.json"),
    (lambda t: ["markers", "--lexicon", _deep_yaml_lexicon(t)], "deep.yaml"),
    (lambda t: ["markers", "--lexicon",
                _lexicon(t, "categories:\n  deterrence:\n    - strongly ~12 condemn\n")],
     "gap larger than"),
    (lambda t: ["markers", "--categories", "nonsense"], "unknown category 'nonsense'"),
    (lambda t: ["markers", "--categories", f"@{t / 'cats.txt'}"], "cats.txt: no such file"),
    (lambda t: ["ngrams", "--stopwords", f"@{t}"], "a folder (directory), not a file"),
    (lambda t: ["ngrams", "--stopwords", "@" + str(_bytes(t, "w.txt", b"the \xff"))],
     "not valid UTF-8"),
    # numbers in the data
    (lambda t: ["report", _huge_year(t), "-o", t / "r.html"], "groups of 'year'"),
    (lambda t: ["markers", _huge_year(t), "--table", "rates"], "groups of 'year'"),
    # options that would be ignored
    (lambda t: ["keyness", "--lexicon", t / "missing.yaml"], "add --categories"),
    (lambda t: ["ngrams", _folder(t), "--meta", str(t)], "a folder, not a file"),
    (lambda t: ["markers", _mixed_jsonl(t), "--table", "hits", "-o", t / "h.parquet"],
     "cannot write the table as Parquet"),
    (lambda t: ["summary", _mixed_jsonl(t)], "mixes value types"),
]


def _mixed_jsonl(t):
    p = t / "mixed.jsonl"
    p.write_text('{"text": "We condemn it.", "year": 2020}\n'
                 '{"text": "We strongly condemn it.", "year": "unknown"}\n', encoding="utf-8")
    return p


def _ids():
    return [f"{i:02d}-{words[:40]}" for i, (_, words) in enumerate(MISTAKES)]


def run_main(args, capsys):
    """main() as the console script runs it: the exit status, the lines on stderr (a
    warning would be one more line on a real terminal, so warnings count as lines) and
    what went to stdout."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rc = cli.main([str(a) for a in args])
        except SystemExit as e:      # argparse stops the process for its own errors
            rc = e.code
    out, err = capsys.readouterr()
    return rc, err.splitlines() + [str(w.message) for w in caught], out


@pytest.mark.parametrize("make_args, words", MISTAKES, ids=_ids())
def test_each_mistake_is_one_line_and_status_2(tmp_path, monkeypatch, capsys, make_args,
                                               words):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NATOCYBER_DEBUG", raising=False)
    args = make_args(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*")
              if p.is_file() and not p.is_symlink() and p.stat().st_size < 1 << 20}
    rc, lines, out = run_main(args, capsys)
    assert rc == 2, lines
    assert out == "", out                     # nothing half-printed before the error
    assert len(lines) == 1, lines
    assert lines[0].startswith("natocyber"), lines
    assert words in lines[0], lines
    assert "Traceback" not in lines[0]
    for p, data in before.items():            # nothing that was there is changed
        assert p.read_bytes() == data, p
    leftovers = [p.name for p in tmp_path.rglob("*.part")]
    assert not leftovers


def test_there_are_sixty_mistakes_or_more():
    assert len(MISTAKES) >= 60


# named pipes are never opened, so none of these waits for a writer
PIPES = [
    (lambda t: ["ngrams", _fifo_folder(t), "--meta", "{year}-{source}-*.txt"],
     "2024-UK-feed.txt: a named pipe (FIFO), not a regular file; use --skip-bad-files"),
    (lambda t: ["ngrams", _only_fifo(t), "--skip-bad-files"], "no file could be read"),
    (lambda t: ["ngrams", _fifo(t, "feed.csv")], "a named pipe (FIFO)"),
    (lambda t: ["ngrams", "--stopwords", f"@{_fifo(t, 'stop.txt')}"], "a named pipe (FIFO)"),
    (lambda t: ["markers", "--lexicon", _fifo(t, "lex.yaml")], "a named pipe (FIFO)"),
]


def _fifo(t, name):
    os.mkfifo(t / name)
    return t / name


@pytest.mark.parametrize("make_args, words", PIPES, ids=[w[:30] for _, w in PIPES])
def test_named_pipes_are_refused_without_waiting(tmp_path, make_args, words, run_cli):
    res = run_cli(*make_args(tmp_path), cwd=tmp_path, timeout=60)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and words in lines[0], res.stderr
    assert "Traceback" not in res.stderr


def test_deep_lexicon_in_a_real_process(tmp_path, run_cli):
    # the interpreter's recursion limit, not pytest's, decides here
    res = run_cli("markers", "--lexicon", _deep_json_lexicon(tmp_path, 100000), cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.stderr
    assert "deep.json" in res.stderr or "nested too deeply" in res.stderr


def test_huge_numbers_on_the_command_line_in_a_real_process(tmp_path, run_cli):
    res = run_cli("ngrams", "--workers", "99999999999", "--min-count", "18446744073709551618")
    assert res.returncode == 2 and len(res.stderr.splitlines()) == 1
    assert "--min-count" in res.stderr and "Traceback" not in res.stderr
    # a huge thread count alone is capped, not an error
    res = run_cli("ngrams", "--workers", "99999999999", "-n", "1", "1", "--by", "", "--top", "1")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "ngram,n,count,docfreq,per_10k"
