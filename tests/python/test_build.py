"""The build reports missing system libraries instead of failing in the compiler."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_missing_icu_names_the_package_to_install(tmp_path):
    env = dict(os.environ, PKG_CONFIG_LIBDIR=str(tmp_path), PKG_CONFIG_PATH=str(tmp_path))
    proc = subprocess.run([sys.executable, "setup.py", "build_ext"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "ICU development files were not found" in proc.stderr
    assert "apt-get install pkg-config libicu-dev libstemmer-dev" in proc.stderr
    assert "error:" not in proc.stderr.replace("natocyber build error:", "")
