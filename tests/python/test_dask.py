"""Scale-out on Dask distributed: a LocalCluster of two worker processes counts n-grams and
stance markers per partition, merges the tables, and the result equals the single-process
run exactly."""
import random
import sys

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import natocyber as nc

distributed = pytest.importorskip("dask.distributed")
ncd = pytest.importorskip("natocyber.distributed")

PHRASES = ["Allies strongly condemn the malicious cyber activity.",
           "We note with concern the attack on critical infrastructure.",
           "We will respond at a time and in a manner of our choosing.",
           "NATO did not condemn it.", "We call on Russia to cease its activities.",
           "The EU imposes restrictive measures and sanctions.",
           "Russia’s GRU was almost certainly responsible.", "An armed attack could, in certain "
           "circumstances, lead to the invocation of Article 5.",
           "We stand in solidarity with Germany.", "Responsible state behaviour in cyberspace."]


def records(n=240, seed=11):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(PHRASES) for _ in range(rng.randrange(0, 6)))
        out.append((text, {"year": rng.choice([2014, 2018, 2021, 2024]),
                           "source": rng.choice(["NATO", "EU", "UK", "US"])}))
    return out


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def whole(recs):
    return nc.Corpus([t for t, _ in recs], [m for _, m in recs])


def test_partitions_counted_on_workers_equal_the_single_process_run(client):
    recs = records()
    parts = [recs[i::3] for i in range(3)]                  # disjoint, interleaved partitions
    counts = ncd.count_ngrams(parts, n=(1, 3), by=["year", "source"])
    assert isinstance(counts, nc.NgramCounts) and counts.n_docs == len(recs)
    single = whole(recs)
    for opts in (dict(), dict(min_count=3, top=10), dict(fill=True)):
        assert_frame_equal(counts.to_frame(**opts),
                           single.ngrams((1, 3), by=["year", "source"], **opts))
    # both worker processes took part
    assert len(client.scheduler_info()["workers"]) == 2


def test_markers_per_partition_merge_to_marker_rates(client):
    recs = records(seed=12)
    bag = ncd.to_bag(recs, npartitions=4)
    m = ncd.count_markers(bag, by="year")
    assert_frame_equal(m.to_frame(), whole(recs).marker_rates("year"))
    m = ncd.count_markers(bag, by="year", categories=["condemnation", "deterrence"],
                          include_negated=True)
    assert_frame_equal(m.to_frame(fill=True),
                       whole(recs).marker_rates("year", categories=["condemnation",
                                                                    "deterrence"],
                                                include_negated=True, fill=True))


def test_a_corpus_or_dataframe_becomes_a_bag(client):
    recs = records(60, seed=13)
    c = whole(recs)
    counts = ncd.count_ngrams(ncd.to_bag(c, npartitions=3), n=2, by="source",
                              stopwords=["the"])
    assert_frame_equal(counts.to_frame(), c.ngrams(2, by="source", stopwords=["the"]))
    df = pd.DataFrame({"body": c.texts, "year": c.meta.year})
    counts = ncd.count_ngrams(ncd.to_bag(df, npartitions=2, text="body"), n=1, by="year")
    assert_frame_equal(counts.to_frame(), c.ngrams(1, by="year"))


def test_workers_read_files_themselves(client, tmp_path):
    recs = records(30, seed=14)
    for i, (text, m) in enumerate(recs):
        d = tmp_path / str(m["year"])
        d.mkdir(exist_ok=True)
        (d / f"{m['year']}-{m['source']}-{i:03d}.txt").write_text(text + "\nShare this Post\n",
                                                                   encoding="utf-8")
    pattern = str(tmp_path / "**" / "*.txt")
    bag = ncd.files_bag(pattern, meta="{year}-{source}-*.txt", files_per_partition=7,
                        boilerplate=True)
    assert bag.npartitions == 5
    counts = ncd.count_ngrams(bag, n=(1, 2), by=["year", "source"])
    single = nc.Corpus.from_files(pattern, meta="{year}-{source}-*.txt", boilerplate=True)
    assert_frame_equal(counts.to_frame(), single.ngrams((1, 2), by=["year", "source"]))


class DocCount:
    """A user's own mergeable table: documents and characters per partition."""

    def __init__(self, docs, chars):
        self.docs, self.chars = docs, chars

    def __add__(self, other):
        return DocCount(self.docs + other.docs, self.chars + other.chars)


def count_docs(part):
    return DocCount(len(part), sum(len(t) for t, _ in part))


def test_own_per_partition_functions(client):
    cloudpickle = pytest.importorskip("cloudpickle")
    # the workers cannot import this test module: ship its functions by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        recs = records(50, seed=15)
        total = ncd.reduce_partitions([recs[:20], recs[20:]], count_docs)
        assert (total.docs, total.chars) == (50, sum(len(t) for t, _ in recs))
        lazy = ncd.reduce_partitions(ncd.to_bag(recs, npartitions=5), count_docs, compute=False,
                                     split_every=2)
        assert lazy.compute().docs == 50
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def test_module_doctests():
    import doctest
    assert doctest.testmod(ncd).failed == 0


def test_partition_helper_and_record_errors():
    parts = ncd.partition(["a b c", "d", "e f", "g h i j"], 2)
    assert sum(len(p) for p in parts) == 4 and all(parts)
    assert [t for p in parts for t, _ in p] == ["a b c", "d", "e f", "g h i j"]
    with pytest.raises(ValueError, match="npartitions must be an integer >= 1"):
        ncd.partition(["x"], 0)
    with pytest.raises(TypeError, match="record 1: expected a str"):
        ncd.partition(["x", 5], 1)
    with pytest.raises(ValueError, match="record 0: a dict record needs a 'text' key"):
        ncd.partition([{"body": "x"}], 1)


def test_typed_metadata_groups_as_in_the_single_process_run(client):
    """Records carry plain values; the dtypes of a Corpus or DataFrame reach the partitions,
    so an ordered Categorical keeps its order and unused categories, and a nullable integer
    stays one."""
    order = ["b", "a", "z"]
    recs = records(60)
    c = nc.Corpus([t for t, _ in recs],
                  meta={"p": pd.Categorical([["b", "a"][i % 2] for i in range(60)],
                                            categories=order, ordered=True),
                        "y": pd.array([None if i % 7 == 0 else 2000 + i % 3 for i in range(60)],
                                      dtype="Int64")})
    for by in ("p", "y"):
        for data in (c, ncd.to_bag(c, npartitions=3)):
            got = ncd.count_ngrams(data, n=(1, 2), by=by).to_frame(fill=True)
            assert_frame_equal(got, c.ngrams(n=(1, 2), by=by, fill=True))
        m = ncd.count_markers(ncd.to_bag(c, npartitions=3), by=by).to_frame(fill=True)
        assert_frame_equal(m, c.marker_rates(by=by, fill=True))
    assert c.ngrams(1, by="p", fill=True).p.cat.categories.tolist() == order


def test_one_text_or_nothing_is_refused(client):
    for call in (lambda: ncd.count_ngrams("abc"), lambda: ncd.to_bag("abc"),
                 lambda: ncd.count_markers(b"abc")):
        with pytest.raises(TypeError, match="not one (str|bytes); for one text pass"):
            call()
    with pytest.raises(ValueError, match="no records to count"):
        ncd.count_ngrams([], by="year")
    with pytest.raises(TypeError, match=r"record 1: .*a record pair is a tuple \(text, dict\), "
                       "not a list"):
        ncd.partition(["a", ["a b", {"year": 1}]], 1)


def test_files_bag_skips_what_the_client_sees(client, tmp_path):
    import os
    (tmp_path / "2020-a.txt").write_text("We condemn it.", encoding="utf-8")
    (tmp_path / "2021-b.txt").write_text("We condemn it again.", encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", tmp_path / "2022-c.txt")
    os.link(tmp_path / "2020-a.txt", tmp_path / "2023-d.txt")
    with pytest.raises(nc.LoadError, match="2022-c.txt: a broken symbolic link"):
        ncd.files_bag(tmp_path, meta="{year}-*.txt")
    with pytest.warns(UserWarning, match=r"2 file\(s\) skipped: 2022-c.txt \(a broken symbolic "
                      r"link.*2023-d.txt \(same file as 2020-a.txt\)"):
        bag = ncd.files_bag(tmp_path, meta="{year}-*.txt", errors="skip")
    counts = ncd.count_ngrams(bag, n=1, by="year")
    assert counts.n_docs == 2 and sorted(counts.groups.year) == [2020, 2021]
    # bytes that do not decode are seen on a worker: named there, never dropped unseen
    (tmp_path / "2024-e.txt").write_bytes(b"caf\xe9")
    with pytest.warns(UserWarning):
        bag = ncd.files_bag(tmp_path, meta="{year}-*.txt", errors="skip")
    with pytest.raises(nc.LoadError, match="2024-e.txt: not valid UTF-8"):
        ncd.count_ngrams(bag, n=1)
