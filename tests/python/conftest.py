"""Fixtures that several test files share: the sample corpus, the command line run as a
user runs it, and writing input files."""
import os
import subprocess
import sys

import pytest

import natocyber as nc


@pytest.fixture(scope="session")
def sample():
    """The built-in sample corpus, built once for the session: tests read it, never change it."""
    return nc.sample_corpus()


@pytest.fixture(scope="session")
def run_cli():
    """``run_cli(*args, cwd=None, env=None, check_rc=None, timeout=300)``: ``python -m
    natocyber ARGS`` in a subprocess, as a user runs it (without NATOCYBER_DEBUG), returning
    the CompletedProcess; ``check_rc`` asserts the exit status."""
    def run(*args, cwd=None, env=None, check_rc=None, timeout=300):
        e = dict(os.environ, **(env or {}))
        e.pop("NATOCYBER_DEBUG", None)
        res = subprocess.run([sys.executable, "-m", "natocyber", *map(str, args)], cwd=cwd,
                             capture_output=True, text=True, timeout=timeout, env=e)
        if check_rc is not None:
            assert res.returncode == check_rc, res.stderr
        return res

    return run


@pytest.fixture(scope="session")
def write_file():
    """``write_file(path, data, encoding="utf-8")``: writes ``data`` (str in ``encoding``, or
    bytes) to ``path``, making its folders, and returns the path."""
    def write(path, data, encoding="utf-8"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        return path

    return write
