"""The text columns of result tables: built from the core's UTF-8 buffers, with the dtype
pandas itself gives a column of str, and checked input at the C boundary."""
import numpy as np
import pandas as pd
import pytest

import natocyber as nc
from natocyber import _core, _strings


def buffers(words):
    data = "".join(words).encode()
    off = np.zeros(len(words) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(w.encode()) for w in words])
    return data, off


def test_column_has_pandas_own_string_dtype():
    col = _strings.column(buffers(["at a time", "Straße", "😀 x", ""]))
    assert pd.Series(col).tolist() == ["at a time", "Straße", "😀 x", ""]
    assert pd.Series(col).dtype == pd.Series(["a"]).dtype


def test_take_gathers_rows_in_any_order_and_repeats():
    strings = buffers(["nato", "strongly condemn", "ü"])
    col = _strings.take_column(strings, np.array([2, 0, 2, 1], dtype=np.uint32), workers=2)
    assert pd.Series(col).tolist() == ["ü", "nato", "ü", "strongly condemn"]
    assert pd.Series(_strings.take_column(strings, np.array([], dtype=np.uint32))).tolist() == []


def test_bad_buffers_are_rejected():
    data, off = buffers(["ab", "c"])
    with pytest.raises(ValueError, match="index must be aligned uint32 values below 2"):
        _core.gather_strings(data, off, np.array([0, 2], dtype=np.uint32))
    with pytest.raises(ValueError, match="offsets must be aligned int64"):
        _core.gather_strings(data, np.array([0, 2, 1], dtype=np.int64),
                             np.array([0], dtype=np.uint32))
    with pytest.raises(ValueError, match="offsets must be aligned int64"):
        _core.decode_strings(data, np.array([0, 2, 4], dtype=np.int64))   # past the end
    with pytest.raises(ValueError, match="offsets must be aligned int64"):
        _core.decode_strings(data, np.array([1, 3], dtype=np.int64))      # not from 0
    # buffers that do not start on their items' alignment are refused, not misread
    raw = bytearray(1 + off.nbytes)
    raw[1:] = off.tobytes()
    with pytest.raises(ValueError, match="offsets must be aligned int64"):
        _core.decode_strings(data, memoryview(raw)[1:])
    idx = bytearray(1 + 4)
    with pytest.raises(ValueError, match="index must be aligned uint32"):
        _core.gather_strings(data, off, memoryview(idx)[1:])
    with pytest.raises(UnicodeDecodeError):
        _core.decode_strings(b"\xff", np.array([0, 1], dtype=np.int64))


def test_result_columns_are_the_users_to_change():
    c = nc.Corpus(["Allies strongly condemn the attack.", "We condemn it."],
                  meta={"year": [2020, 2024], "source": ["NATO", "UK"]})
    df = c.ngrams(n=(1, 2), by=["year", "source"])
    assert df["ngram"].dtype == pd.Series(["a"]).dtype
    assert df["source"].dtype == c.meta["source"].dtype
    df.loc[0, "count"] = 99
    df["docfreq"] += 1
    df.loc[1, "ngram"] = "changed"
    assert df.loc[0, "count"] == 99 and df.loc[1, "ngram"] == "changed"
    again = c.ngrams(n=(1, 2), by=["year", "source"])
    assert again.loc[0, "count"] != 99 and again.loc[1, "ngram"] != "changed"
