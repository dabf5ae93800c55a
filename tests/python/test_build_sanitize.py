"""NATOCYBER_SANITIZE selects the sanitizer build (docs/testing.md); a value it does not know
stops the build with a message instead of building something else."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_unknown_sanitize_value_is_refused():
    env = dict(os.environ, NATOCYBER_SANITIZE="yes")
    proc = subprocess.run([sys.executable, "setup.py", "build_ext"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "NATOCYBER_SANITIZE must be 1 (a sanitizer build) or 0/unset, not 'yes'" in proc.stderr
