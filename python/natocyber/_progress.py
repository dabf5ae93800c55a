"""Progress bars for long runs: tqdm when it is installed, nothing otherwise."""
from __future__ import annotations

import contextlib
from typing import Callable, Iterator, Optional


@contextlib.contextmanager
def bar(total: Optional[int], desc: str, enabled: bool, unit: Optional[str] = None
        ) -> Iterator[Optional[Callable[[int], None]]]:
    """Yields a callback ``cb(done)`` that moves a bar to ``done`` units (``unit``, default
    documents when there is a total), or None."""
    if not enabled:
        yield None
        return
    try:
        from tqdm.auto import tqdm
    except ImportError:
        yield None
        return
    pb = tqdm(total=total, desc=desc, unit=unit or ("doc" if total else "it"))
    state = {"done": 0}

    def update(done: int) -> None:
        pb.update(done - state["done"])
        state["done"] = done

    try:
        yield update
    finally:
        pb.close()
