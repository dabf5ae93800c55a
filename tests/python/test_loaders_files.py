"""Which files a folder, glob or list reads, on real file systems: symbolic-link loops, a
file reached twice, broken links, named pipes, sockets, folders named like files, files
too large for one document; errors="skip" and Corpus.skipped."""
import os
import socket
import warnings

import pandas as pd
import pytest

import natocyber as nc
import natocyber.loaders as loaders
from natocyber.loaders import LoadError, SkippedFilesWarning


# ---- symbolic links and files reached twice ------------------------------------------------

@pytest.fixture
def loop(tmp_path, write_file):
    """A folder holding a.txt, b/c.txt and a link back to itself."""
    d = tmp_path / "loop"
    write_file(d / "a.txt", "We condemn it.")
    write_file(d / "b" / "c.txt", "Allies agree.")
    os.symlink(".", d / "sub")
    os.symlink("..", d / "b" / "up")
    return d


def test_a_link_to_the_folder_is_not_followed_by_globstar(loop):
    with warnings.catch_warnings():
        warnings.simplefilter("error")         # nothing skipped, nothing to warn about
        for paths in (str(loop / "**" / "*.txt"), loop):
            df = nc.read_files(paths)
            assert df.file.tolist() == ["a.txt", "b/c.txt"], paths
            assert df.attrs["skipped"] == []
    c = nc.Corpus.from_files(str(loop / "**" / "*.txt"))
    assert c.frequency("condemn")["count"].tolist() == [1]
    assert c.skipped.empty and c.skipped.columns.tolist() == ["file", "reason"]


def test_a_named_level_may_be_a_link_but_each_file_is_read_once(loop):
    # a wildcard level ("*/") enters links to folders (no loop is possible at a fixed
    # depth); a file reached again through them is read once, under its first name
    with pytest.warns(SkippedFilesWarning, match=r"1 file\(s\) skipped: sub/sub/a\.txt \(same "
                                                 r"file as b/up/a\.txt\)"):
        df = nc.read_files(str(loop / "*" / "*" / "*.txt"))
    assert df.file.tolist() == ["b/up/a.txt", "sub/b/c.txt"]
    assert df.attrs["skipped"] == [{"file": "sub/sub/a.txt", "reason": "same file as b/up/a.txt"}]
    with pytest.warns(SkippedFilesWarning, match=r"sub/a\.txt \(same file as a\.txt\)"):
        df = nc.read_files([loop / "sub" / "a.txt", loop / "a.txt"])
    assert df.file.tolist() == ["a.txt"]


def test_hard_links_symlinked_files_and_a_file_listed_twice(tmp_path, write_file):
    a = write_file(tmp_path / "a.txt", "We condemn it.")
    os.link(a, tmp_path / "b.txt")
    os.symlink("a.txt", tmp_path / "c.txt")
    write_file(tmp_path / "d.txt", "Allies agree.")
    with pytest.warns(SkippedFilesWarning, match=r"2 file\(s\) skipped"):
        c = nc.Corpus.from_files(tmp_path)
    assert c.meta.file.tolist() == ["a.txt", "d.txt"]
    assert c.skipped.to_dict("records") == [{"file": "b.txt", "reason": "same file as a.txt"},
                                            {"file": "c.txt", "reason": "same file as a.txt"}]
    assert c.frequency("condemn")["count"].tolist() == [1]
    with pytest.warns(SkippedFilesWarning):
        df = nc.read_files([a, tmp_path / "d.txt", a])
    assert df.file.tolist() == ["a.txt", "d.txt"]
    assert df.attrs["skipped"] == [{"file": "a.txt", "reason": "listed twice"}]


def test_hidden_names_are_skipped_as_in_the_shell(tmp_path, write_file):
    write_file(tmp_path / "a.txt", "We condemn it.")
    write_file(tmp_path / ".ipynb_checkpoints" / "a-checkpoint.txt", "We condemn it.")
    write_file(tmp_path / ".draft.txt", "Draft.")
    assert nc.read_files(tmp_path).file.tolist() == ["a.txt"]
    assert nc.read_files(str(tmp_path / "**" / "*.txt")).file.tolist() == ["a.txt"]
    assert nc.read_files(str(tmp_path / ".*.txt")).file.tolist() == [".draft.txt"]
    assert nc.read_files(str(tmp_path / ".ipynb_checkpoints" / "*.txt")).file.tolist() == \
        ["a-checkpoint.txt"]


def test_glob_wildcards(tmp_path, write_file):
    for name in ("2019-a.txt", "2020-b.txt", "2021-c.txt", "x[1].txt", "notes.md"):
        write_file(tmp_path / name, "Text.")
    write_file(tmp_path / "deep" / "er" / "2022-d.txt", "Text.")
    names = lambda p: nc.read_files(str(tmp_path / p)).file.tolist()  # noqa: E731
    assert names("20[12]?-*.txt") == ["2019-a.txt", "2020-b.txt", "2021-c.txt"]
    assert names("20[!2]?-*.txt") == ["2019-a.txt"]
    assert names("x[[]1].txt") == ["x[1].txt"]
    assert names("**/20??-?.txt") == ["2019-a.txt", "2020-b.txt", "2021-c.txt",
                                      "deep/er/2022-d.txt"]
    assert names("**/er/*.txt") == ["deep/er/2022-d.txt"]
    assert names("deep/**") == ["er/2022-d.txt"]           # relative to deep/
    assert names("*") == ["2019-a.txt", "2020-b.txt", "2021-c.txt", "notes.md", "x[1].txt"]


# ---- entries that are not files --------------------------------------------------------------

@pytest.fixture
def odd(tmp_path, write_file):
    d = tmp_path / "odd"
    write_file(d / "a.txt", "We condemn it.")
    os.symlink("nowhere.txt", d / "dangling.txt")
    os.mkfifo(d / "pipe.txt")
    (d / "dir.txt").mkdir()
    write_file(d / "dir.txt" / "inner.md", "not read")
    return d


REASONS = [{"file": "dangling.txt",
            "reason": "a broken symbolic link (its target 'nowhere.txt' does not exist)"},
           {"file": "dir.txt", "reason": "a folder (directory), not a file"},
           {"file": "pipe.txt", "reason": "a named pipe (FIFO), not a regular file"}]


@pytest.mark.parametrize("how", ["folder", "glob", "list"])
def test_entries_that_are_not_files_are_named_and_never_opened(odd, how):
    paths = {"folder": odd, "glob": str(odd / "*.txt"),
             "list": [odd / n for n in ("a.txt", "dangling.txt", "dir.txt", "pipe.txt")]}[how]
    # a FIFO opened for reading would wait here for a writer: the test would hang
    with pytest.raises(LoadError, match=r"dangling\.txt: a broken symbolic link .*\(and 2 more "
                                        r"such entries\); pass errors='skip'"):
        nc.read_files(paths)
    with pytest.warns(SkippedFilesWarning, match=r"3 file\(s\) skipped: dangling\.txt"):
        c = nc.Corpus.from_files(paths, errors="skip")
    assert c.meta.file.tolist() == ["a.txt"]
    assert c.skipped.to_dict("records") == REASONS


def test_read_files_lists_the_skipped_files_in_attrs(odd):
    with pytest.warns(SkippedFilesWarning):
        df = nc.read_files(odd, errors="skip")
    assert df.attrs["skipped"] == REASONS
    assert pd.DataFrame(df.attrs["skipped"]).columns.tolist() == ["file", "reason"]
    # a list, not a DataFrame, so that concatenating two results still works
    with pytest.warns(SkippedFilesWarning):
        both = pd.concat([df, nc.read_files(odd, errors="skip")], ignore_index=True)
    assert len(both) == 2


def test_a_socket_and_a_single_bad_path(tmp_path, write_file):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "s.txt"))
        write_file(tmp_path / "a.txt", "Text.")
        with pytest.raises(LoadError, match=r"s\.txt: a socket, not a regular file"):
            nc.read_files(tmp_path)
        with pytest.warns(SkippedFilesWarning):
            assert nc.read_files(tmp_path, errors="skip").file.tolist() == ["a.txt"]
        with pytest.raises(LoadError, match=r"s\.txt: a socket"):
            nc.read_files(tmp_path / "s.txt")
    finally:
        s.close()
    os.symlink("missing.txt", tmp_path / "gone.txt")
    with pytest.raises(LoadError, match=r"gone\.txt: a broken symbolic link"):
        nc.read_files(tmp_path / "gone.txt")


def test_a_folder_in_a_list_of_files_is_called_a_folder(tmp_path, write_file):
    write_file(tmp_path / "a.txt", "Text.")
    (tmp_path / "sub").mkdir()
    with pytest.raises(LoadError, match=r"sub: a folder \(directory\), not a file") as e:
        nc.read_files([tmp_path / "a.txt", tmp_path / "sub"])
    assert "no such file" not in str(e.value)
    with pytest.raises(LoadError, match=r"missing\.txt: no such file"):
        nc.read_files([tmp_path / "a.txt", tmp_path / "missing.txt"])


def test_skip_also_leaves_out_undecodable_files_and_replace_keeps_its_meaning(odd, write_file):
    write_file(odd / "latin.txt", "Café".encode("cp1252"))
    with pytest.warns(SkippedFilesWarning, match=r"4 file\(s\) skipped"):
        c = nc.Corpus.from_files(odd, errors="skip")
    assert c.meta.file.tolist() == ["a.txt"]
    row = c.skipped[c.skipped.file == "latin.txt"].reason.tolist()
    assert row == ["not valid UTF-8 at byte 3 (line 1, column 4): b'\\xe9' (it may be Latin-1 "
                   "or another 8-bit encoding)"]
    with pytest.raises(LoadError, match="broken symbolic link"):   # replace is about bytes
        nc.read_files(odd, errors="replace")
    os.unlink(odd / "dangling.txt")
    os.unlink(odd / "pipe.txt")
    os.rename(odd / "dir.txt", odd / "dir")
    assert nc.read_files(odd, errors="replace").text.tolist() == ["We condemn it.", "Caf\ufffd"]


def test_nothing_left_to_read(tmp_path):
    os.mkfifo(tmp_path / "a.txt")
    with pytest.raises(LoadError, match=r"no file could be read: 1 skipped: a\.txt \(a named "
                                        r"pipe"):
        nc.read_files(tmp_path, errors="skip")


def test_errors_argument_is_checked(tmp_path, write_file):
    write_file(tmp_path / "a.csv", "text\nx\n")
    with pytest.raises(ValueError, match="errors must be one of 'strict', 'replace', 'skip'"):
        nc.read_files(tmp_path, errors="ignore")
    with pytest.raises(ValueError, match="errors must be one of 'strict', 'replace', not "
                                         "'skip'"):
        loaders.read_csv(tmp_path / "a.csv", errors="skip")


# ---- sizes -----------------------------------------------------------------------------------

def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)             # no disk used, nothing read
    return path


def test_a_file_too_large_for_one_document_is_refused_before_reading(tmp_path, write_file):
    big = sparse(tmp_path / "big.txt", 2**31)
    write_file(tmp_path / "a.txt", "Text.")
    msg = r"big\.txt: 2,147,483,648 bytes, more than the 2,147,483,647 bytes one document"
    with pytest.raises(LoadError, match=msg):
        nc.read_files(tmp_path)
    with pytest.raises(LoadError, match=msg):
        nc.read_files([big])
    with pytest.warns(SkippedFilesWarning):
        c = nc.Corpus.from_files(tmp_path, errors="skip")
    assert c.meta.file.tolist() == ["a.txt"]
    assert c.skipped.reason.str.contains("more than the 2,147,483,647 bytes").tolist() == [True]
    assert loaders.MAX_FILE_BYTES == 2**31 - 1


def test_a_compressed_file_is_measured_after_decompression(tmp_path, monkeypatch, write_file):
    import gzip
    p = write_file(tmp_path / "a.txt.gz", gzip.compress(b"x" * 1000))
    assert nc.read_files(p).text[0] == "x" * 1000
    # 2 GiB of zeros would take seconds to compress: the limit is lowered instead
    monkeypatch.setattr(loaders, "MAX_FILE_BYTES", 999)
    with pytest.raises(LoadError, match=r"a\.txt\.gz: 1,000 bytes after decompression, more "
                                        r"than the 999 bytes"):
        nc.read_files(p)


def test_a_damaged_compressed_file_is_named(tmp_path, write_file):
    import gzip
    data = gzip.compress(bytes(range(256)) * 100)
    write_file(tmp_path / "a.txt.gz", data[:15] + b"\xff" * 40 + data[55:])   # a bad deflate block
    write_file(tmp_path / "b.txt.gz", data[:-12])                             # cut short
    write_file(tmp_path / "c.txt.gz", b"plain text")
    for name in ("a", "b", "c"):
        with pytest.raises(LoadError, match=rf"{name}\.txt\.gz: not a valid gzip file"):
            nc.read_files(tmp_path / f"{name}.txt.gz")


def test_errors_about_a_document_name_its_file():
    # what the C core says about document i of a build is placed: file, row
    def too_large():
        raise OverflowError("document 1: too large")

    def other():
        raise ValueError("something else")

    with pytest.raises(OverflowError, match=r"^document 1 \(file b\.txt\): too large$"):
        loaders.named_build(too_large, lambda i: f"file {['a.txt', 'b.txt'][i]}")
    with pytest.raises(ValueError, match="^something else$"):
        loaders.named_build(other, lambda i: "never asked")


def test_name_fields_past_64_bits_stay_text(tmp_path):
    (tmp_path / "99999999999999999999-a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "2020-b.txt").write_text("y", encoding="utf-8")
    c = nc.Corpus.from_files(tmp_path, meta="{year}-*.txt")
    assert c.meta.year.tolist() == ["2020", "99999999999999999999"]
    (tmp_path / "99999999999999999999-a.txt").unlink()
    assert nc.Corpus.from_files(tmp_path, meta="{year}-*.txt").meta.year.tolist() == [2020]
