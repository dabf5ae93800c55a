"""The command line's outputs: never an input, written whole or not at all; and the input
options for files that cannot be read (--skip-bad-files) or are not UTF-8 (--encoding)."""
import io
import os
import stat

import pandas as pd
import pytest

from natocyber import cli


@pytest.fixture
def data(tmp_path):
    p = tmp_path / "data.csv"
    pd.DataFrame({"text": ["We strongly condemn it.", "Allies condemn the campaign.",
                           "We note with concern the attack."],
                  "year": [2020, 2024, 2024]}).to_csv(p, index=False)
    return p


# ---- an output that is an input -------------------------------------------------------------

COMMANDS = {
    "ngrams": ["ngrams"],
    "markers": ["markers"],
    "keyness": ["keyness"],
    "report": ["report"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("form", ["same", "dot", "symlink", "absolute", "parquet"])
def test_the_input_is_never_overwritten(tmp_path, monkeypatch, capsys, data, command, form):
    if form == "parquet":
        pytest.importorskip("pyarrow")
        src = tmp_path / "data.parquet"
        pd.read_csv(data).to_parquet(src)
    else:
        src = data
    name = src.name
    if command == "report":     # the report must be .html: an input named so
        html = tmp_path / "page.html"
        html.write_bytes(src.read_bytes())
        src, name = html, html.name
    out = {"same": name, "dot": f"./{name}", "symlink": "link" + os.path.splitext(name)[1],
           "absolute": str(tmp_path / name), "parquet": name}[form]
    if form == "symlink":
        os.symlink(name, tmp_path / out)
    before = src.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert cli.main([*COMMANDS[command], name, "-o", out]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "writing it would destroy the input" in err[0], err
    assert src.read_bytes() == before


def test_a_folder_input_file_and_a_sidecar_are_protected(tmp_path, run_cli):
    d = tmp_path / "d"
    d.mkdir()
    (d / "2020-a.txt").write_text("We condemn it.\n", encoding="utf-8")
    (d / "2024-b.txt").write_text("Allies agree.\n", encoding="utf-8")
    side = tmp_path / "side.csv"
    side.write_text("file,kind\n2020-a.txt,x\n2024-b.txt,y\n", encoding="utf-8")
    before = side.read_bytes()
    res = run_cli("ngrams", d, "--meta", side, "--by", "kind", "-o", side)
    assert res.returncode == 2 and "that is the sidecar given to --meta" in res.stderr
    assert side.read_bytes() == before
    # a glob that takes in everything: an earlier output in the folder is an input too
    old = d / "old.csv"
    old.write_text("a,b\n", encoding="utf-8")
    res = run_cli("ngrams", str(d / "*"), "--by", "", "-o", old)
    assert res.returncode == 2 and "that is the input file" in res.stderr
    assert old.read_text(encoding="utf-8") == "a,b\n"


# ---- written whole or not at all --------------------------------------------------------------

class Unprintable:
    """A cell whose text cannot be made: to_csv fails on it, part way through the file."""

    def __str__(self):
        raise RuntimeError("no text for this cell")


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".tsv"])
def test_a_failed_write_leaves_the_old_file_and_no_other(tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"the old results\n")
    cells = ["fine"] * 200_000 + [Unprintable()]       # the first chunks get written
    with pytest.raises(RuntimeError, match="no text for this cell"):
        cli.write_table(pd.DataFrame({"x": cells}), str(out))
    assert out.read_bytes() == b"the old results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    class Interrupting:
        def __str__(self):
            raise KeyboardInterrupt

    out = tmp_path / "out.csv"
    out.write_bytes(b"old\n")
    with pytest.raises(KeyboardInterrupt):
        cli.write_table(pd.DataFrame({"x": ["a"] * 100_000 + [Interrupting()]}), str(out))
    assert out.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_write_replaces_the_file_keeps_its_mode_and_follows_a_link(tmp_path, capsys):
    target = tmp_path / "real.csv"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    os.symlink("real.csv", link)
    cli.write_table(pd.DataFrame({"x": [1, 2]}), str(link))
    assert os.path.islink(link)                          # the link stays a link
    assert target.read_text() == "x\n1\n2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    new = tmp_path / "new.csv"
    cli.write_table(pd.DataFrame({"x": [1]}), str(new))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert "wrote 1 rows to" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "new.csv", "real.csv"]


def test_a_named_pipe_as_output_is_written_not_replaced(tmp_path):
    import threading
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    cli.write_table(pd.DataFrame({"x": [1, 2]}), str(fifo))
    reader.join(timeout=30)
    assert got == [b"x\n1\n2\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_the_report_is_renamed_into_place(tmp_path, data, run_cli):
    out = tmp_path / "r.html"
    out.write_text("old page", encoding="utf-8")
    res = run_cli("report", data, "-o", out)
    assert res.returncode == 0, res.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "r.html"]


# ---- files that cannot be read, encodings ----------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "statements"
    d.mkdir()
    (d / "2020-NATO-a.txt").write_text("Allies strongly condemn the attack.\n", encoding="utf-8")
    (d / "2024-EU-b.txt").write_bytes(b"\xff\xfe" + "We condemn it.\n".encode("utf-16-le"))
    (d / "2024-UK-c.txt").write_bytes("Caf\xe9 \x92quoted\x92\n".encode("latin-1"))
    os.mkfifo(d / "2024-UK-feed.txt")
    os.symlink("missing.txt", d / "2025-UK-gone.txt")
    return d


def test_skip_bad_files_lists_them_and_counts_the_rest(folder, run_cli):
    res = run_cli("ngrams", folder, "--meta", "{year}-{source}-*.txt", "-n", 1, 1,
                  "--skip-bad-files")
    assert res.returncode == 0, res.stderr
    err = res.stderr.splitlines()
    assert err[0] == "natocyber: skipped 3 file(s):"
    assert err[1].startswith("  2024-UK-c.txt: not valid UTF-8 at byte 3")
    assert err[2] == "  2024-UK-feed.txt: a named pipe (FIFO), not a regular file"
    assert err[3].startswith("  2025-UK-gone.txt: a broken symbolic link")
    assert len(err) == 4 and "Warning" not in res.stderr
    got = pd.read_csv(io.StringIO(res.stdout))
    assert set(got.year) == {2020, 2024}                 # the UTF-16 file (BOM) was read
    assert got[got.ngram == "condemn"]["count"].sum() == 2


def test_without_the_option_the_first_bad_file_stops_the_run(folder, run_cli):
    res = run_cli("ngrams", folder, "--meta", "{year}-{source}-*.txt")
    assert res.returncode == 2
    assert "2024-UK-feed.txt: a named pipe (FIFO), not a regular file (and 1 more such " \
           "entries); use --skip-bad-files" in res.stderr


def test_encoding_option(tmp_path, run_cli):
    p = tmp_path / "a.txt"
    p.write_bytes("We condemn it. Café.".encode("utf-16-be"))
    res = run_cli("ngrams", p, "--by", "", "-n", 1, 1)
    assert res.returncode == 2 and "use --encoding utf-16-be" in res.stderr
    res = run_cli("ngrams", p, "--by", "", "-n", 1, 1, "--encoding", "utf-16-be")
    assert res.returncode == 0, res.stderr
    assert "café" in set(pd.read_csv(io.StringIO(res.stdout)).ngram)
    csv = tmp_path / "s.csv"
    csv.write_bytes("text,year\nCafé ’x’,2020\n".encode("cp1252"))
    res = run_cli("ngrams", csv, "-n", 1, 1, "--encoding", "cp1252")
    assert res.returncode == 0, res.stderr
    assert {"café", "x"} <= set(pd.read_csv(io.StringIO(res.stdout)).ngram)
