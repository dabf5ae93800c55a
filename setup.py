"""Build of the natocyber C extension against the system ICU and libstemmer.

ICU is located with pkg-config; when it (or libstemmer) is missing the build
stops with the package to install instead of a compiler error.
"""
import os
import shutil
import subprocess
import sys
from glob import glob

from setuptools import Extension, setup

DEBIAN_HINT = "sudo apt-get install pkg-config libicu-dev libstemmer-dev"


def fail(msg: str) -> None:
    sys.stderr.write(f"\nnatocyber build error: {msg}\n\n")
    raise SystemExit(1)


def pkg_config(*args: str) -> list:
    if not shutil.which("pkg-config"):
        fail(f"pkg-config is not installed; it is needed to find ICU. On Debian/Ubuntu: {DEBIAN_HINT}")
    try:
        out = subprocess.run(["pkg-config", *args], check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError:
        fail(
            "ICU development files were not found (pkg-config icu-uc icu-i18n failed). "
            f"On Debian/Ubuntu: {DEBIAN_HINT}  (Fedora: icu libicu-devel libstemmer-devel; "
            "macOS: brew install icu4c and set PKG_CONFIG_PATH)"
        )
    return out.stdout.split()


def find_stemmer(include_dirs: list) -> None:
    candidates = include_dirs + ["/usr/include", "/usr/local/include"]
    if not any(os.path.exists(os.path.join(d, "libstemmer.h")) for d in candidates):
        fail(f"libstemmer.h (Snowball stemmer) was not found. On Debian/Ubuntu: {DEBIAN_HINT}")


def sanitize_value() -> str:
    return os.environ.get("NATOCYBER_SANITIZE", "")


def sanitizer_flags() -> tuple:
    """Compile and link flags for NATOCYBER_SANITIZE=1: AddressSanitizer and
    UndefinedBehaviorSanitizer, for the CI job that runs the Python tests against such a
    build (see docs/testing.md). The interpreter is not instrumented, so that build only
    imports with the sanitizer runtimes in LD_PRELOAD."""
    value = sanitize_value()
    if value in ("", "0"):
        return [], []
    if value != "1":
        fail(f"NATOCYBER_SANITIZE must be 1 (a sanitizer build) or 0/unset, not {value!r}")
    san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"]
    return san + ["-fno-omit-frame-pointer", "-O1", "-g"], san


def extension() -> Extension:
    cflags = pkg_config("--cflags", "icu-uc", "icu-i18n")
    libs = pkg_config("--libs", "icu-uc", "icu-i18n")
    include_dirs = [f[2:] for f in cflags if f.startswith("-I")]
    find_stemmer(include_dirs)
    san_compile, san_link = sanitizer_flags()
    return Extension(
        "natocyber._core",
        sources=sorted(glob("csrc/*/*.c")),
        depends=sorted(glob("csrc/*/*.h")),  # a changed header rebuilds the extension
        include_dirs=["csrc", *include_dirs],
        library_dirs=[f[2:] for f in libs if f.startswith("-L")],
        libraries=[f[2:] for f in libs if f.startswith("-l")] + ["stemmer", "pthread"],
        extra_compile_args=["-std=c11", "-O2", "-D_GNU_SOURCE", "-Wall", "-Wextra",
                            "-Wno-unused-parameter", "-Wno-missing-field-initializers",
                            *san_compile],
        extra_link_args=san_link,
    )


# Commands that do not compile (e.g. `setup.py --version`) need no ICU.
NEEDS_BUILD = not any(a in sys.argv for a in ("--version", "--name", "egg_info", "sdist", "clean"))

# The sanitizer build keeps its objects apart: setuptools reuses an extension it finds
# newer than the sources, whatever flags built it.
BUILD_OPTIONS = {"build": {"build_base": "build/sanitizer"}} if sanitize_value() == "1" else {}

setup(ext_modules=[extension()] if NEEDS_BUILD else [], options=BUILD_OPTIONS)
