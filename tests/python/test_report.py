"""nc.report: the HTML page, its tables and figures, and the page as a browser shows it.

The browser test runs Debian's headless Chromium; it fails (it does not skip) when Chromium
is missing, since CI installs it. Its screenshot goes to artifacts/report.png at the root of
the repository.
"""
import base64
import html.parser
import pathlib
import re
import shutil
import struct
import subprocess

import matplotlib

matplotlib.use("Agg")

import matplotlib.image  # noqa: E402
import pytest  # noqa: E402

import natocyber as nc  # noqa: E402
from natocyber.report import STOPWORDS  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
TABLES = ["table-data", "table-top-phrases", "table-stance-rates", "table-phrase-trend",
          "table-keyness", "table-escalation", "table-escalation-documents"]
FIGURES = ["fig-stance-heatmap", "fig-stance-trend", "fig-phrase-trend", "fig-keyness",
           "fig-escalation"]


class Page(html.parser.HTMLParser):
    """The parts of the report the tests look at: ids, images, table rows and captions."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.images, self.tables = [], [], {}
        self.captions, self.body = {}, {}
        self._table = None
        self._in_caption = False
        self._row = None
        self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "body":
            self.body = a
        elif tag == "img":
            self.images.append(a)
        elif tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
            self.captions[self._table] = ""
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.captions[self._table] += data
        elif self._cell is not None:
            self._cell += data


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def sample_report(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    out = nc.report(sample, path, note="Illustrative sample.")
    assert out == path
    return path, Page(path.read_text(encoding="utf-8"))


# ---- the page ---------------------------------------------------------------------------------

def test_report_holds_every_table_and_figure(sample_report):
    _, page = sample_report
    assert set(TABLES) <= set(page.tables)
    assert set(FIGURES) <= set(page.ids)
    for t in TABLES:
        assert page.captions[t].strip(), f"{t} has no caption"


def test_figures_are_embedded_pngs(sample_report):
    _, page = sample_report
    assert len(page.images) == len(FIGURES)
    for img in page.images:
        src = img["src"]
        assert src.startswith("data:image/png;base64,")
        w, h = png_size(base64.b64decode(src.split(",", 1)[1]))
        assert w >= 600 and h >= 250
        assert img["alt"]


def test_self_contained(sample_report):
    path, _ = sample_report
    text = path.read_text(encoding="utf-8")
    # nothing to fetch: no external scripts, styles or images
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)
    assert "data-images-loaded" in text


def test_default_title(sample_report):
    path, _ = sample_report
    assert "<title>Rhetoric on cyber operations by year, 2014–2025</title>" in \
        path.read_text(encoding="utf-8")


def test_text_is_escaped(tmp_path):
    c = nc.Corpus(["We condemn <b>this</b> & that.", "We note with concern."],
                  meta={"year": [2020, 2021], "title": ["<script>x()</script>", "B & C"]})
    text = nc.report(c, tmp_path / "e.html", title="Sample <report> & co",
                     note="<i>note</i>").read_text(encoding="utf-8")
    assert "<title>Sample &lt;report&gt; &amp; co</title>" in text
    assert "<report>" not in text and "<i>note" not in text
    assert "<script>x()" not in text and "&lt;script&gt;x()&lt;/script&gt;" in text


def test_data_note_states_the_facts(sample, sample_report):
    path, page = sample_report
    text = path.read_text(encoding="utf-8")
    lex = nc.Lexicon.default()
    assert f"{len(sample):,}" in text
    assert f"{int(sample.n_tokens.sum()):,} in " in text
    assert f"{lex.name} {lex.version}" in text
    assert "2014–2025: 11 with documents; none in 2015" in text
    assert "Illustrative sample." in text
    rows = page.tables["table-data"]
    assert rows[0] == ["year", "documents", "tokens", "sentences"]
    assert [r[0] for r in rows[1:]] == [str(y) for y in sorted(set(sample.meta.year))]
    assert sum(int(r[2].replace(",", "")) for r in rows[1:]) == int(sample.n_tokens.sum())


def test_top_phrases_by_year(sample, sample_report):
    _, page = sample_report
    rows = page.tables["table-top-phrases"][1:]
    assert len(rows) == sample.meta.year.nunique()
    # the 2018 row lists the year's most frequent phrase with its count
    top = sample.ngrams(n=(2, 3), by="year", top=5, stopwords=list(STOPWORDS))
    best = top[top.year == 2018].sort_values(["count", "ngram"], ascending=[False, True]).iloc[0]
    row = next(r for r in rows if r[0] == "2018")
    assert row[1].startswith(f"{best.ngram} ({best['count']})")


def test_stance_table_matches_marker_rates(sample, sample_report):
    _, page = sample_report
    rows = page.tables["table-stance-rates"]
    header, body = rows[0], rows[1:]
    lex = nc.Lexicon.default()
    assert [r[0] for r in body] == list(lex.categories)
    rates = sample.marker_rates(by="year").set_index(["category", "year"]).per_10k
    col = header.index("2024")
    for r in body:
        assert float(r[col].replace(",", "")) == pytest.approx(rates[(r[0], 2024)], abs=0.05)
    assert set(r[header.index("2015")] for r in body) == {"–"}      # no text: no rate
    assert "p (trend)" in header


def test_keyness_of_the_latest_year(sample, sample_report):
    path, page = sample_report
    assert "Keyness of 2025 against the rest" in path.read_text(encoding="utf-8")
    rows = page.tables["table-keyness"]
    header, body = rows[0], rows[1:]
    assert header[:3] == ["use", "ngram", "count 2025"]
    uses = [r[0] for r in body]
    assert uses == sorted(uses)                                   # over first, then under
    assert {"over", "under"} == set(uses)
    k = sample.keyness(sample.meta.year == 2025, n=(1, 2), min_count=3, stopwords=list(STOPWORDS))
    assert body[0][1] == k.ngram[0]


def test_escalation_tables(sample, sample_report):
    _, page = sample_report
    rows = page.tables["table-escalation"]
    assert rows[0][:4] == ["year", "documents", "with a level", "highest"]
    esc = sample.escalation(by="year")
    assert [int(r[1]) for r in rows[1:]] == esc.docs.tolist()
    docs = page.tables["table-escalation-documents"]
    assert len(docs) == 11
    levels = [int(r[docs[0].index("level")]) for r in docs[1:]]
    assert levels == sorted(levels, reverse=True)
    assert levels[0] == int(sample.escalation().level.max())


# ---- other corpora ---------------------------------------------------------------------------

def test_one_year_says_what_is_missing(tmp_path):
    c = nc.Corpus(["We strongly condemn the attack.", "We note with concern the attack."],
                  meta={"year": [2024, 2024], "source": ["NATO", "EU"]})
    page = Page(nc.report(c, tmp_path / "one.html").read_text(encoding="utf-8"))
    assert {"fig-stance-heatmap", "fig-escalation"} <= set(page.ids)
    assert "fig-keyness" not in page.ids and "fig-stance-trend" not in page.ids
    text = (tmp_path / "one.html").read_text(encoding="utf-8")
    assert "Keyness not shown: it needs two year groups with text." in text


def test_other_grouping_column(sample, tmp_path):
    text = nc.report(sample, tmp_path / "src.html", by="source", phrases=["condemn"],
                     categories=["condemnation"]).read_text(encoding="utf-8")
    page = Page(text)
    assert page.tables["table-data"][0][0] == "source"
    # sources have no order: no trend figures, and the page says why
    assert len(page.images) == 3
    assert text.count("not shown: source has no order") == 2


def test_report_errors(sample, tmp_path):
    with pytest.raises(ValueError, match="'{year}-{source}-\\*.txt'"):
        nc.report(nc.Corpus(["We condemn it."], meta={"file": ["a.txt"]}), tmp_path / "x.html")
    with pytest.raises(ValueError, match="no tokens"):
        nc.report(nc.Corpus(["", "..."], meta={"year": [1, 2]}), tmp_path / "x.html")
    with pytest.raises(ValueError, match="unknown categories"):
        nc.report(sample, tmp_path / "x.html", categories=["nonsense"])
    assert not (tmp_path / "x.html").exists()


# ---- in a browser -----------------------------------------------------------------------------

def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("headless Chromium is needed to check the HTML report: install the Debian "
                    "package 'chromium' (apt-get install chromium; .ci/setup.sh does)")
    return exe


def run_chromium(args, tmp_path):
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
           "--virtual-time-budget=5000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_report_in_headless_chromium(sample_report, tmp_path):
    path, _ = sample_report
    url = path.resolve().as_uri()
    res = run_chromium(["--dump-dom", url], tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    m = re.search(r'<body[^>]*\sdata-images-loaded="(\d+)/(\d+)"', dom)
    assert m, "the page's load script did not run (no data-images-loaded on <body>)"
    loaded, total = int(m.group(1)), int(m.group(2))
    assert total >= 4
    assert loaded == total, f"only {loaded} of {total} figures loaded"
    page = Page(dom)
    assert set(TABLES) <= set(page.tables)
    assert "Top phrases by year" in dom and "Escalation ladder" in dom

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    res = run_chromium([f"--screenshot={shot}", "--window-size=1280,2000", url], tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.exists()
    data = shot.read_bytes()
    assert png_size(data) == (1280, 2000)
    assert len(data) > 50_000                      # text and figures, not a blank page
    img = matplotlib.image.imread(str(shot))
    assert img[..., :3].std() > 0.05
    (ARTIFACTS / "report.html").write_bytes(path.read_bytes())
