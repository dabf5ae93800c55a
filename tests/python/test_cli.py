"""The command line, run as users run it: ``python -m natocyber ...`` in a subprocess."""
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

import natocyber as nc
from natocyber.report import STOPWORDS

COMMANDS = ["summary", "ngrams", "markers", "keyness", "report"]


def csv_out(res) -> pd.DataFrame:
    assert res.returncode == 0, res.stderr
    return pd.read_csv(io.StringIO(res.stdout))


@pytest.fixture
def folder(tmp_path):
    """Statements as .txt files named {year}-{source}-*.txt, with web boilerplate lines."""
    d = tmp_path / "statements"
    d.mkdir()
    files = {
        "2021-NATO-cyber.txt": "Allies strongly condemn the attack.\nShare this Post\n",
        "2023-EU-council.txt": "The EU notes with concern the activity. "
                               "We call on Russia to stop.\n",
        "2024-UK-fco.txt": "3 Min Read\nWe will respond at a time and in a manner of our "
                           "choosing.\nWe strongly condemn it.\n",
        "2024-NATO-summit.txt": "Allies stand in solidarity with Estonia.\nShare this Post\n",
    }
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def table(tmp_path):
    p = tmp_path / "statements.csv"
    pd.DataFrame({"body": ["We condemn it.", "We strongly condemn it. Sanctions follow.",
                           "We note with concern the attack."],
                  "year": [2020, 2024, 2024], "source": ["NATO", "EU", "UK"]}
                 ).to_csv(p, index=False)
    return p


# ---- help -------------------------------------------------------------------------------------

def test_help_lists_the_commands(run_cli):
    res = run_cli("--help", check_rc=0)
    for c in COMMANDS:
        assert c in res.stdout
    assert "natocyber-report.html" in res.stdout
    assert run_cli("--version", check_rc=0).stdout.strip() == f"natocyber {nc.__version__}"


@pytest.mark.parametrize("command, words", [
    ("summary", ["--by"]),
    ("ngrams", ["-n MIN MAX", "--min-count", "--top", "--stopwords", "docfreq", "example:"]),
    ("markers", ["--table", "escalation", "--categories", "--lexicon", "example:"]),
    ("keyness", ["--target", "--reference", "--each", "--measure", "example:"]),
    ("report", ["-o FILE.html", "--title", "--phrases", "example:"]),
])
def test_each_command_explains_itself(command, words, run_cli):
    res = run_cli(command, "--help", check_rc=0)
    text = " ".join(res.stdout.split())
    for w in words + ["--meta", "--boilerplate", "--replace-bad-bytes", "--text", "--progress",
                      "built-in sample"]:
        assert w in text, f"{command} --help does not mention {w}"


# ---- the default: summary and report of the sample -----------------------------------------

def test_default_writes_the_report_of_the_sample(tmp_path, run_cli):
    res = run_cli(cwd=tmp_path, check_rc=0)
    out = tmp_path / "natocyber-report.html"
    assert out.exists()
    assert str(out) in res.stdout
    assert "Most frequent 2-3-word phrases by year" in res.stdout
    assert "Highest level on the escalation ladder" in res.stdout
    text = out.read_text(encoding="utf-8")
    assert text.count('src="data:image/png;base64,') >= 4
    assert "not real statements" in text            # the sample is labelled as illustrative
    assert res.stderr == ""


# ---- subcommands on the sample ---------------------------------------------------------------

def test_ngrams_equal_the_api(sample, run_cli):
    got = csv_out(run_cli("ngrams", "-n", 2, 3, "--min-count", 3))
    want = sample.ngrams(n=(2, 3), by="year", min_count=3)
    assert got.columns.tolist() == want.columns.tolist()
    pd.testing.assert_frame_equal(got, want.astype({"ngram": object}), check_dtype=False)


def test_ngrams_without_grouping_and_with_stopwords(sample, run_cli):
    got = csv_out(run_cli("ngrams", "--by", "", "-n", 2, 2, "--top", 5, "--stopwords", "default"))
    want = sample.ngrams(n=2, top=5, stopwords=list(STOPWORDS))
    assert got.ngram.tolist() == want.ngram.tolist()
    assert "year" not in got.columns


def test_ngrams_to_parquet(tmp_path, sample, run_cli):
    pytest.importorskip("pyarrow")
    out = tmp_path / "ngrams.parquet"
    res = run_cli("ngrams", "-n", 1, 1, "-o", out, check_rc=0)
    assert "wrote" in res.stderr and res.stdout == ""
    got = pd.read_parquet(out)
    assert len(got) == len(sample.ngrams(n=1, by="year"))


def test_markers_tables(sample, tmp_path, run_cli):
    hits = csv_out(run_cli("markers", "--categories", "condemnation,deterrence"))
    want = sample.markers(categories=["condemnation", "deterrence"])
    want = want[~want.negated]
    assert hits.marker.tolist() == want.marker.tolist()
    assert set(hits.category) == {"condemnation", "deterrence"}

    rates = csv_out(run_cli("markers", "--table", "rates"))
    want = sample.marker_rates(by="year", fill=True)
    assert rates[["year", "category", "hits"]].values.tolist() == \
        want[["year", "category", "hits"]].values.tolist()

    out = tmp_path / "esc.csv"
    run_cli("markers", "--table", "escalation", "-o", out, check_rc=0)
    esc = pd.read_csv(out)
    assert len(esc) == len(sample)
    assert esc.level.max() == 8
    by = csv_out(run_cli("markers", "--table", "escalation-by"))
    assert by.year.tolist() == sorted(set(sample.meta.year))


def test_keyness_latest_year_by_default(sample, run_cli):
    res = run_cli("keyness", "--top", 5)
    got = csv_out(res)
    assert "keyness: year 2025 against all other documents" in res.stderr
    k = sample.keyness(by="year", target=2025, min_count=3)
    assert got.ngram.tolist()[:5] == k.ngram.head(5).tolist()
    assert (got.statistic > 0).sum() == 5 and (got.statistic < 0).sum() == 5


def test_keyness_target_reference_and_categories(sample, run_cli):
    got = csv_out(run_cli("keyness", "--target", "2024,2025", "--reference", "2018,2019",
                          "--categories", "all", "--measure", "log_ratio"))
    want = sample.keyness(by="year", target=[2024, 2025], reference=[2018, 2019],
                          categories=True, measure="log_ratio", min_count=3)
    assert got.category.tolist() == want.category.tolist()
    assert got.statistic.tolist() == pytest.approx(want.statistic.tolist())
    each = csv_out(run_cli("keyness", "--each", "-n", 1, 1, "--top", 2))
    assert each.year.nunique() == sample.meta.year.nunique()


# ---- a user's folder and tables --------------------------------------------------------------

def test_folder_with_file_name_metadata_and_boilerplate(folder, run_cli):
    plain = csv_out(run_cli("ngrams", folder, "--meta", "{year}-{source}-*.txt", "-n", 2, 2))
    assert sorted(plain.year.unique()) == [2021, 2023, 2024]
    assert "this post" in set(plain.ngram)                       # boilerplate kept ...
    clean = csv_out(run_cli("ngrams", folder, "--meta", "{year}-{source}-*.txt", "-n", 2, 2,
                            "--boilerplate"))
    assert "this post" not in set(clean.ngram)                    # ... or dropped
    assert "min read" not in set(clean.ngram)
    assert "strongly condemn" in set(clean.ngram)
    extra = csv_out(run_cli("ngrams", folder, "--meta", "{year}-{source}-*.txt", "-n", 1, 1,
                            "--boilerplate-pattern", r"allies stand .*"))
    assert "solidarity" not in set(extra.ngram)


def test_folder_with_sidecar(folder, tmp_path, run_cli):
    side = tmp_path / "meta.csv"
    pd.DataFrame({"file": sorted(p.name for p in folder.iterdir()),
                  "year": [2021, 2023, 2024, 2024]}).to_csv(side, index=False)
    got = csv_out(run_cli("markers", folder, "--meta", side, "--table", "rates",
                          "--categories", "condemnation"))
    assert got.set_index("year").hits.to_dict() == {2021: 1, 2022: 0, 2023: 0, 2024: 1}


def test_report_on_a_folder(folder, tmp_path, run_cli):
    out = tmp_path / "out" / "folder.html"
    out.parent.mkdir()
    res = run_cli("report", folder, "--meta", "{year}-{source}-*.txt", "--boilerplate", "-o", out,
                  "--title", "My statements", check_rc=0)
    assert str(out) in res.stdout
    text = out.read_text(encoding="utf-8")
    assert "<title>My statements</title>" in text
    assert text.count('src="data:image/png;base64,') >= 4
    assert 'id="table-escalation"' in text and 'id="keyness"' in text


def test_csv_and_jsonl_inputs(table, tmp_path, run_cli):
    got = csv_out(run_cli("ngrams", table, "--text", "body", "-n", 2, 2))
    assert set(got.ngram) >= {"strongly condemn", "we condemn", "note with"}
    jl = tmp_path / "s.jsonl"
    jl.write_text("\n".join(json.dumps({"text": t, "year": y}) for t, y in
                            [("We condemn it.", 2020), ("We condemn it again.", 2021)]),
                  encoding="utf-8")
    got = csv_out(run_cli("markers", jl, "--table", "rates", "--categories", "condemnation"))
    assert got.hits.tolist() == [1, 1]


def test_progress_bar_on_request(run_cli):
    pytest.importorskip("tqdm")
    res = run_cli("ngrams", "-n", 1, 1, "--progress", check_rc=0)
    assert "tokenizing" in res.stderr
    res = run_cli("ngrams", "-n", 1, 1, check_rc=0)                # stderr is not a terminal
    assert "tokenizing" not in res.stderr


def test_closed_pipe_is_not_an_error():
    # like `natocyber ngrams | head -1`
    p = subprocess.Popen([sys.executable, "-m", "natocyber", "ngrams"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0
    assert "Traceback" not in err


# ---- mistakes: one line on stderr, exit status 2 ---------------------------------------------

def _touch(path):
    path.write_bytes(b"PK")
    return path


def _bad_utf8(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "2020-X-a.txt").write_bytes(b"We condemn \xff it.\n")
    return d


def _bad_lexicon(tmp_path):
    p = tmp_path / "lex.yaml"
    p.write_text("categories:\n  deterrence:\n    - strongly ~12 condemn\n", encoding="utf-8")
    return p


ERRORS = [
    (lambda t: ["ngrams", t / "missing.csv"], "no such file or folder"),
    (lambda t: ["ngrams", _touch(t / "s.xlsx")], "expected a folder of .txt files"),
    (lambda t: ["ngrams", "--bogus"], "unrecognized arguments: --bogus"),
    (lambda t: ["frobnicate"], "invalid choice"),
    (lambda t: ["ngrams", "-n", "3", "1"], "1 <= min <= max"),
    (lambda t: ["ngrams", "-n", "two", "3"], "whole number"),
    (lambda t: ["ngrams", "--by", "region"], "--by region: no such metadata column"),
    (lambda t: ["ngrams", "-o", t / "nowhere" / "x.csv"], "does not exist"),
    (lambda t: ["ngrams", "-o", t / "x.xlsx"], "expected a .csv"),
    (lambda t: ["markers", "--categories", "nonsense"], "unknown category 'nonsense'"),
    (lambda t: ["markers", "--lexicon", t / "none.yaml"], "none.yaml"),
    (lambda t: ["markers", "--lexicon", _bad_lexicon(t)], "gap larger than"),
    (lambda t: ["keyness", "--target", "1999"], "no document has year == 1999"),
    (lambda t: ["keyness", "--target", "last"], "--target: year holds numbers"),
    (lambda t: ["keyness", "--each", "--target", "2024"], "--each"),
    (lambda t: ["report", "-o", t / "x.pdf"], "name it .html"),
    (lambda t: ["ngrams", "--meta", "{year}.txt"], "--meta and --boilerplate apply to an input"),
    (lambda t: ["ngrams", _bad_utf8(t), "--meta", "{year}-{source}-*.txt"],
     "not valid UTF-8 at byte 11"),
    (lambda t: ["report", t], "holds no .txt files"),
]


@pytest.mark.parametrize("make_args, message", ERRORS, ids=[m for _, m in ERRORS])
def test_mistakes_give_one_line(tmp_path, make_args, message, run_cli):
    res = run_cli(*make_args(tmp_path), cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("natocyber")
    assert message in lines[0]
    assert "Traceback" not in res.stderr


def test_bad_bytes_hint_names_the_option(tmp_path, run_cli):
    d = _bad_utf8(tmp_path)
    res = run_cli("ngrams", d, "--meta", "{year}-{source}-*.txt")
    assert "use --replace-bad-bytes" in res.stderr
    got = csv_out(run_cli("ngrams", d, "--meta", "{year}-{source}-*.txt", "--replace-bad-bytes",
                          "-n", 1, 1))
    assert "\ufffd" not in set(got.ngram) and "condemn" in set(got.ngram)


def test_missing_text_column_names_the_option(table, run_cli):
    res = run_cli("ngrams", table)
    assert res.returncode == 2
    assert "no text column 'text'" in res.stderr and "--text" in res.stderr
    assert len(res.stderr.splitlines()) == 1


def test_folder_without_year_suggests_meta(folder, run_cli):
    res = run_cli("report", folder)
    assert res.returncode == 2
    assert "--meta '{year}-*.txt'" in res.stderr
    assert len(res.stderr.splitlines()) == 1
