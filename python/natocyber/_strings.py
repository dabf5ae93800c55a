"""Text columns of result tables from the C core's string buffers.

The core writes n-gram strings back to back as UTF-8 with int64 offsets, the layout of an
Arrow ``large_string`` array. Where pandas keeps strings in Arrow (pandas 3 with pyarrow,
its default), a column wraps that memory without a copy; otherwise the strings are decoded
into Python ``str`` objects, which is what pandas would hold anyway. Either way the column
has the dtype pandas itself gives a column of strings.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core

Strings = Tuple[Any, Any]   # (UTF-8 bytes, int64 offsets), buffers from the core


def _default_dtype() -> Any:
    """The dtype pandas gives a column of str now (options such as
    ``future.infer_string`` may change it at any time)."""
    return pd.Series(["a"]).dtype


def column(strings: Strings) -> Any:
    """The strings as an array for a DataFrame column (see the module docstring)."""
    data, off = strings
    n = len(memoryview(off).cast("B")) // 8 - 1
    dtype = _default_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa
        arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(off), pa.py_buffer(data))
        return pd.array(arr, dtype=dtype)
    values = np.empty(n, dtype=object)
    values[:] = _core.decode_strings(data, off)
    if isinstance(dtype, pd.StringDtype):
        return pd.array(values, dtype=dtype)
    return values


def take(strings: Strings, index: Any, workers: Optional[int] = 1) -> Strings:
    """Strings ``index[i]`` (uint32 positions), copied in C with the GIL released."""
    index = np.ascontiguousarray(index, dtype=np.uint32)
    return _core.gather_strings(strings[0], strings[1], index, int(workers or 1))


def take_column(strings: Strings, index: Any, workers: Optional[int] = 1) -> Any:
    """``column(take(strings, index))``: one column entry per index."""
    return column(take(strings, index, workers))


def substrings(texts: list, docs: Any, starts: Any, ends: Any) -> list:
    """``texts[docs[i]][starts[i]:ends[i]]`` for every i (code-point offsets), sliced in C."""
    return _core.substrings(texts, docs, starts, ends)
