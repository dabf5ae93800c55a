"""Reading corpora from where researchers keep them: folders of text files (with metadata
from a sidecar CSV, the file names or a front-matter block), CSV, JSON Lines and Parquet.

Every reader returns a pandas DataFrame with a ``text`` column and the metadata columns;
:class:`~natocyber.Corpus` has a class method for each (``Corpus.from_files`` and so on)
that builds the corpus from it.

Files are decoded as UTF-8 (a byte-order mark is dropped). A file that is not valid UTF-8
raises :class:`LoadError` naming the file, the byte offset, line and column; pass
``errors="replace"`` to read such bytes as U+FFFD instead.

Web copies of statements carry boilerplate lines (reading-time bylines, "Share this Post",
comment forms, photo credits). ``boilerplate=True`` removes the lines that match
:data:`BOILERPLATE_PATTERNS`; pass your own list to extend or replace it.
"""
from __future__ import annotations

import glob
import gzip
import io
import json
import os
import re
from pathlib import Path, PurePath
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple, Union

import pandas as pd

__all__ = ["BOILERPLATE_PATTERNS", "LoadError", "strip_boilerplate", "read_files", "read_csv",
           "read_jsonl", "read_parquet", "parse_front_matter"]

PathArg = Union[str, "os.PathLike[str]"]
Boilerplate = Union[None, bool, str, Pattern, Iterable[Union[str, Pattern]]]

#: Lines of web boilerplate that ``boilerplate=True`` removes. Each is a regular expression
#: matched, case-insensitively, against a whole line with its surrounding white space
#: stripped (``re.fullmatch``), never against part of a line, so a sentence that merely
#: mentions "share" or "comment" is kept. Extend the list rather than edit it::
#:
#:     nc.Corpus.from_files("news/*.txt",
#:                          boilerplate=[*nc.BOILERPLATE_PATTERNS, r"aletho news"])
BOILERPLATE_PATTERNS: Tuple[str, ...] = (
    # reading-time bylines: "3 Min Read", "RksNews 3 Min Read", "5 minute read"
    r"(?:\S+(?:\s+\S+){0,3}\s+)?\d{1,3}\s*(?:mins?|minutes?)\.?\s+read",
    # author bylines, capitalized names only: "By Jane Smith", "By J. Smith and A. Doe, Reuters"
    r"(?:written\s+)?by\s+(?-i:[A-Z])[\w.'’-]*"
    r"(?:(?:\s+|\s*,\s*|\s+and\s+)(?-i:[A-Z])[\w.'’-]*){0,5}",
    # dated publication lines: "Published 3 May 2024", "Last updated: 12:30 GMT, 4 May 2024"
    r"(?:last\s+)?(?:published|updated|posted)(?:\s+on)?\s*:?\s*(?=.*\d)[\w ,:./-]{1,40}",
    # blog footers: "October 4, 2018 - Posted by | Mainstream Media, ... | ,", "Posted in News"
    r"[\w ,.]{0,40}\d{4}\s*[-–—|]\s*posted\s+(?:by|in)\b.{0,200}",
    r"posted\s+(?:by|in)\s+\S+(?:\s+\S+){0,3}",
    # share widgets: "Share this Post", "Share this:", "Share on Facebook", "Tweet", "Print"
    r"share(?:\s+(?:this|the))?(?:\s+(?:post|article|story|page))?\s*:?",
    r"(?:click\s+to\s+)?share\s+(?:on|via)\s+[\w .+()-]{1,40}",
    r"(?:tweet|print|e-?mail|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|copy\s+link)"
    r"(?:\s*[|/·•,]\s*(?:tweet|print|e-?mail|whatsapp|telegram|facebook|twitter|x|linkedin"
    r"|reddit|copy\s+link))*",
    # comment forms and their remains
    r"leave\s+a\s+(?:reply|comment)(?:\s+cancel\s+reply)?",
    r"(?:(?:no|\d+)\s+)?(?:comments?|responses?|replies)(?:\s+yet)?\s*[.:]?",
    r"comments?\s+are\s+closed\.?",
    r"(?:post|add|write)\s+a\s+comment\s*:?",
    r"fill\s+in\s+your\s+details\s+below\s+or\s+click\s+an\s+icon\s+to\s+log\s+in\b.{0,40}",
    r"you\s+are\s+commenting\s+using\s+your\b.{0,80}",
    r"(?:google|twitter|facebook|wordpress\.com)\s+(?:photo|picture|account)",
    r"log\s*out\s*/?\s*change\s*\)?",
    r"connecting\s+to\s+%s",
    r"notify\s+me\s+of\s+(?:new\s+|follow-up\s+)*(?:comments|posts)\b.{0,80}",
    r"your\s+email\s+address\s+will\s+not\s+be\s+published\b.{0,80}",
    r"required\s+fields\s+are\s+marked.{0,10}",
    r"this\s+site\s+uses\s+akismet\b.{0,120}",
    # photo credits, alone or closing a caption: "Photo: Jacques Witt/Pool ABACAPRESS.COM"
    r"(?:.{0,300}[.!?)]\s+)?\(?(?:photo|photograph|image|picture)s?(?:\s+credits?)?\s*[:©]"
    r"\s*[^\s!?][^!?]{0,79}",
    r"\(?(?:photo|image|picture)\s+(?:by|courtesy\s+of)\s+[^.!?]{1,60}\)?",
    r"(?:copyright\s*)?©.{0,100}",
    r".{0,100}\ball\s+rights\s+reserved\.?",
    # navigation and teasers: "Home / World / ...", "Read more: ...", "You might be interested also"
    r"home\s*[/›»>|].{0,200}",
    r"(?:read|see)\s+(?:more|also)\b.{0,200}",
    r"you\s+(?:might|may)\s+(?:also\s+)?(?:be\s+interested(?:\s+in)?|like)(?:\s+also)?\s*:?",
    r"(?:related|recommended|most\s+read|trending)(?:\s+(?:articles?|posts?|stories|news))?\s*:?",
    r"advertisement|sponsored(?:\s+content)?",
    r"(?:sign\s+up|subscribe)\b.{0,100}\b(?:newsletter|updates|inbox)\b.{0,60}",
    r"follow\s+us\s+on\b.{0,80}",
    r"we\s+use\s+cookies\b.{0,200}",
)

_ERRORS = ("strict", "replace")
_MISSING = ("error", "na", "drop")
_FRONT_MATTER = ("front-matter", "frontmatter", "front_matter")


class LoadError(ValueError):
    """A file could not be read as asked. ``path`` names the file; for a decoding error
    ``offset`` is the byte offset of the first bad byte and ``line`` its line (from 1)."""

    def __init__(self, message: str, path: Optional[str] = None, offset: Optional[int] = None,
                 line: Optional[int] = None) -> None:
        super().__init__(message)
        self.path = path
        self.offset = offset
        self.line = line

    def __reduce__(self):
        return (type(self), (str(self), self.path, self.offset, self.line))


# ---- boilerplate ------------------------------------------------------------------------

def _boilerplate_regex(boilerplate: Boilerplate) -> Optional[Pattern]:
    """One compiled alternation of the patterns, or None for "keep every line"."""
    if boilerplate is None or boilerplate is False:
        return None
    if boilerplate is True:
        patterns: List[Union[str, Pattern]] = list(BOILERPLATE_PATTERNS)
    elif isinstance(boilerplate, (str, re.Pattern)):
        patterns = [boilerplate]
    else:
        try:
            patterns = list(boilerplate)
        except TypeError:
            raise TypeError("boilerplate must be True, a regular expression or a list of them, "
                            f"not {type(boilerplate).__name__}") from None
    parts = []
    for i, p in enumerate(patterns):
        if isinstance(p, re.Pattern):
            # a compiled pattern keeps its own flags: wrap it as a scoped group
            flags = "i" if p.flags & re.IGNORECASE else ""
            src = p.pattern
        elif isinstance(p, str):
            flags, src = "i", p
        else:
            raise TypeError(f"boilerplate pattern {i} is {type(p).__name__}, not str")
        try:
            re.compile(src)
        except re.error as e:
            raise ValueError(f"boilerplate pattern {i} ({src!r}) is not a valid regular "
                             f"expression: {e}") from None
        parts.append(f"(?{flags}:{src})" if flags else f"(?:{src})")
    if not parts:
        return None
    return re.compile("|".join(parts))


def strip_boilerplate(text: str, patterns: Boilerplate = True) -> str:
    """``text`` without its boilerplate lines.

    A line is removed when one of ``patterns`` (default :data:`BOILERPLATE_PATTERNS`;
    strings are matched case-insensitively) matches the whole line, white space around it
    ignored. The line's text goes but its line break stays, so the paragraphs around it
    never merge into one sentence, and line numbers stay as in the source.

    Example
    -------
    >>> strip_boilerplate("NATO condemns it.\\n3 Min Read\\nShare this Post\\nAllies agree.")
    'NATO condemns it.\\n\\n\\nAllies agree.'
    >>> strip_boilerplate("Aletho News\\nText.", [*BOILERPLATE_PATTERNS, r"aletho news"])
    '\\nText.'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    rx = _boilerplate_regex(patterns)
    return text if rx is None else _strip(text, rx)


def _strip(text: str, rx: Pattern) -> str:
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        s = line.strip()
        # a line of only white space is kept as it is (it separates paragraphs)
        if s and rx.fullmatch(s):
            lines[i] = ""
            changed = True
    return "\n".join(lines) if changed else text


# ---- decoding ----------------------------------------------------------------------------

def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file", path) from None
    except IsADirectoryError:
        raise LoadError(f"{path}: is a directory, not a file", path) from None
    except PermissionError:
        raise LoadError(f"{path}: permission denied", path) from None
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise LoadError(f"{path}: not a valid gzip file ({e})", path) from None
    return data


def _decode(data: bytes, path: str, errors: str) -> str:
    """UTF-8 text of a file; the error names the file, byte offset, line and column."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        shift = 3
    else:
        shift = 0
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        off = e.start
        line = data.count(b"\n", 0, off) + 1
        col = off - (data.rfind(b"\n", 0, off) + 1) + 1
        bad = data[off:min(e.end, off + 4)]
        hint = ""
        if any(0x80 <= b <= 0x9F for b in bad):
            hint = " (it looks like Windows-1252 text)"
        elif any(b >= 0xA0 for b in bad):
            hint = " (it may be Latin-1 or another 8-bit encoding)"
        where = " after decompression" if path.endswith(".gz") else ""
        raise LoadError(
            f"{path}: not valid UTF-8 at byte {off + shift}{where} (line {line}, column {col}): "
            f"{bad!r}{hint}; convert the file to UTF-8, or pass errors='replace' to read bad "
            f"bytes as U+FFFD", path, off + shift, line) from None


def _check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


# ---- typed metadata values ---------------------------------------------------------------

_INT = re.compile(r"0|[1-9][0-9]*")


def _typed(values: Sequence[Optional[str]], name: str) -> pd.Series:
    """A column of strings from file names or front matter: integers when every value is
    one (without a leading zero, which marks an identifier such as "007"), else str."""
    present = [v for v in values if v is not None]
    if present and all(_INT.fullmatch(v) for v in present):
        if len(present) == len(values):
            return pd.Series([int(v) for v in values], name=name, dtype="int64")
        return pd.Series([None if v is None else int(v) for v in values], name=name,
                         dtype="Int64")
    return pd.Series(list(values), name=name, dtype=object)


# ---- front matter -------------------------------------------------------------------------

_FM_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


FrontMatter = Dict[str, Optional[str]]


def parse_front_matter(text: str, path: str = "<text>") -> Tuple[Optional[FrontMatter], str]:
    """Splits a front-matter block off ``text``: ``(fields, body)``, or ``(None, text)`` when
    the text has none.

    The format (a strict subset of the YAML front matter of Jekyll and Hugo, read as plain
    strings, never as YAML types):

    - the first line is exactly ``---``; the block ends at the next line that is exactly
      ``---``;
    - in between, each line is ``key: value``: the key is letters, digits and ``_`` (not
      starting with a digit), the value is the rest of the line with surrounding white space
      removed and one pair of matching surrounding quotes (``"..."`` or ``'...'``) dropped;
      an empty value is missing (NA);
    - blank lines and lines starting with ``#`` are ignored; a key may appear only once.

    The body is the text after the closing line. Values are strings; the loaders make a
    column of integers when every value in it is an integer.

    Example
    -------
    >>> parse_front_matter("---\\nyear: 2024\\nsource: 'NATO'\\n---\\nWe condemn it.")
    ({'year': '2024', 'source': 'NATO'}, 'We condemn it.')
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return None, text
    fields: Dict[str, Optional[str]] = {}
    for i in range(1, len(lines)):
        raw = lines[i].rstrip("\r")
        if raw == "---":
            return fields, "\n".join(lines[i + 1:])
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        key, sep, value = s.partition(":")
        key = key.strip()
        if not sep or not _FM_KEY.fullmatch(key):
            raise LoadError(f"{path}, line {i + 1}: front matter expects 'key: value' lines "
                            f"(key of letters, digits and _), got {raw!r}", path, None, i + 1)
        if key in fields:
            raise LoadError(f"{path}, line {i + 1}: front-matter key {key!r} appears twice",
                            path, None, i + 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[key] = value if value else None
    raise LoadError(f"{path}: front matter opened with '---' on line 1 is never closed by a "
                    "'---' line", path, None, 1)


# ---- file name patterns --------------------------------------------------------------------

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _name_regex(pattern: str) -> Tuple[Pattern, List[str]]:
    """``"{year}-{source}-*.txt"`` as a regular expression with a group per field: a field
    matches one or more characters other than '/', as few as possible; ``*`` any run and
    ``?`` one character other than '/'; everything else literally."""
    out, names, pos = [], [], 0
    for m in _FIELD.finditer(pattern):
        out.append(_glob_literal(pattern[pos:m.start()]))
        name = m.group(1)
        if name in names:
            raise ValueError(f"file name pattern {pattern!r} names the field {name!r} twice")
        names.append(name)
        out.append(f"(?P<{name}>[^/]+?)")
        pos = m.end()
    out.append(_glob_literal(pattern[pos:]))
    if not names:
        raise ValueError(f"file name pattern {pattern!r} has no {{field}}")
    rest = _FIELD.sub("", pattern)
    if "{" in rest or "}" in rest:
        raise ValueError(f"file name pattern {pattern!r}: fields are written {{name}} with a "
                         "name of letters, digits and _")
    return re.compile("".join(out)), names


def _glob_literal(s: str) -> str:
    return "".join("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in s)


# ---- finding files ------------------------------------------------------------------------

def _has_magic(s: str) -> bool:
    return any(ch in s for ch in "*?[")


def _find_files(paths: Union[PathArg, Sequence[PathArg]], root: Optional[PathArg] = None
                ) -> Tuple[List[Tuple[str, str]], str]:
    """The files to read as (path to open, name relative to the search root with '/'
    separators), sorted by name, and the search root.

    A glob pattern (``**`` descends into folders) is relative to its leading folders
    without wildcards; a folder means every ``*.txt`` under it; a list of files is relative
    to their common folder; ``root`` overrides the search root."""
    if isinstance(paths, (str, os.PathLike)):
        p = os.fspath(paths)
        if _has_magic(p):
            fixed = []
            for part in PurePath(p).parts:
                if _has_magic(part):
                    break
                fixed.append(part)
            base = str(PurePath(*fixed)) if fixed else "."
            found = [f for f in glob.glob(p, recursive=True) if os.path.isfile(f)]
            if not found:
                raise LoadError(f"no files match {p!r}", p)
        elif os.path.isdir(p):
            base = p
            found = [str(f) for f in Path(p).rglob("*.txt") if f.is_file()]
            if not found:
                raise LoadError(f"{p}: the folder holds no .txt files", p)
        elif os.path.isfile(p):
            base = os.path.dirname(p) or "."
            found = [p]
        else:
            raise LoadError(f"{p}: no such file or folder", p)
    else:
        found = [os.fspath(f) for f in paths]
        if not found:
            raise LoadError("no files given")
        for f in found:
            if not os.path.isfile(f):
                raise LoadError(f"{f}: no such file", f)
        base = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in found])
    if root is not None:
        base = os.fspath(root)
    out = []
    for f in found:
        rel = os.path.relpath(os.path.abspath(f), os.path.abspath(base))
        out.append((f, PurePath(rel).as_posix()))
    out.sort(key=lambda t: t[1])
    return out, base


# ---- metadata sources -----------------------------------------------------------------------

class _Source:
    """Metadata of one kind for every file: columns, and which files it has nothing for."""

    def __init__(self, label: str, columns: Dict[str, pd.Series], missing: List[int]) -> None:
        self.label = label
        self.columns = columns
        self.missing = missing


def _pattern_source(pattern: str, names: List[str]) -> _Source:
    rx, fields = _name_regex(pattern)
    on_path = "/" in pattern
    values: Dict[str, List[Optional[str]]] = {f: [] for f in fields}
    missing = []
    for i, name in enumerate(names):
        m = rx.fullmatch(name if on_path else name.rsplit("/", 1)[-1])
        if not m:
            missing.append(i)
        for f in fields:
            values[f].append(m.group(f) if m else None)
    return _Source(f"file name pattern {pattern!r}", {f: _typed(v, f) for f, v in values.items()},
                   missing)


def _front_matter_source(parsed: List[Optional[Dict[str, Optional[str]]]]) -> _Source:
    keys: List[str] = []
    for fm in parsed:
        for k in fm or {}:
            if k not in keys:
                keys.append(k)
    missing = [i for i, fm in enumerate(parsed) if fm is None]
    cols = {k: _typed([(fm or {}).get(k) for fm in parsed], k) for k in keys}
    return _Source("front matter", cols, missing)


def _sidecar_source(table: Union[PathArg, pd.DataFrame], names: List[str], key: str,
                    errors: str) -> _Source:
    if isinstance(table, pd.DataFrame):
        df, label = table.reset_index(drop=True), "the metadata table"
    else:
        path = os.fspath(table)
        label = f"sidecar {path}"
        text = _decode(_read_bytes(path), path, errors)
        try:
            df = pd.read_csv(io.StringIO(text))
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
            raise LoadError(f"{path}: cannot read it as CSV ({e})", path) from None
    if key not in df.columns:
        raise LoadError(f"{label}: no key column {key!r} naming the files; columns: "
                        f"{', '.join(map(str, df.columns))} (pass key=...)")
    keys = df[key].astype(str).str.strip().tolist()
    seen: Dict[str, int] = {}
    for row, k in enumerate(keys):
        if k in seen:
            raise LoadError(f"{label}: file {k!r} appears on two rows ({seen[k] + 1} and "
                            f"{row + 1} of the data)")
        seen[k] = row
    by_base: Dict[str, List[int]] = {}
    for i, name in enumerate(names):
        by_base.setdefault(name.rsplit("/", 1)[-1], []).append(i)
    pos = [-1] * len(names)
    for k, row in seen.items():
        k = k.replace("\\", "/")
        if k.startswith("./"):
            k = k[2:]
        if "/" in k:
            targets = [i for i, n in enumerate(names) if n == k]
        else:
            targets = by_base.get(k, [])
            if len(targets) > 1:
                raise LoadError(f"{label}: key {k!r} matches {len(targets)} files ("
                                f"{', '.join(names[i] for i in targets[:3])}); write the path "
                                "relative to the search folder instead")
        for i in targets:
            pos[i] = row
    missing = [i for i, p in enumerate(pos) if p < 0]
    cols = {}
    for c in df.columns:
        if c == key:
            continue
        s = df[c]
        if missing and pd.api.types.is_integer_dtype(s.dtype) and not isinstance(
                s.dtype, pd.api.extensions.ExtensionDtype):
            s = s.astype("Int64")  # files without a row get <NA>, not a float NaN
        taken = s.array.take(pos, allow_fill=True)
        cols[str(c)] = pd.Series(taken, name=str(c))
    return _Source(label, cols, missing)


def _meta_sources(meta: Any) -> List[Any]:
    if meta is None:
        return []
    if isinstance(meta, (list, tuple)):
        return list(meta)
    return [meta]


def _describe_missing(src: _Source, names: List[str]) -> str:
    shown = ", ".join(names[i] for i in src.missing[:5])
    more = f" and {len(src.missing) - 5} more" if len(src.missing) > 5 else ""
    what = {"front matter": "no front matter"}.get(src.label, f"nothing in {src.label}")
    return (f"{len(src.missing)} file(s) have {what}: {shown}{more}; pass missing='na' to "
            "keep them with empty metadata or missing='drop' to leave them out")


def read_files(paths: Union[PathArg, Sequence[PathArg]], meta: Any = None, *,
               key: str = "file", missing: str = "error", errors: str = "strict",
               boilerplate: Boilerplate = None, root: Optional[PathArg] = None) -> pd.DataFrame:
    """Text files as a DataFrame: ``file``, the metadata columns, ``text``.

    Parameters
    ----------
    paths:
        A glob pattern (``"statements/**/*.txt"``; ``**`` descends into folders), a folder
        (every ``*.txt`` under it) or a list of files. Files are read in the order of their
        ``file`` name.
    meta:
        Where the metadata comes from (besides ``file``, the path relative to the pattern's
        leading folder, with ``/`` separators), one of these or a list of them:

        - a file name pattern with ``{fields}``: ``"{year}-{source}-*.txt"`` gives ``year``
          and ``source`` from ``2024-NATO-statement.txt``. A field matches as few characters
          as possible (never ``/``), ``*`` and ``?`` are wildcards; a pattern with ``/`` is
          matched against the relative path, otherwise against the file's name.
        - ``"front-matter"``: a block of ``key: value`` lines between ``---`` lines at the
          top of each file (format: :func:`parse_front_matter`), removed from the text.
        - a sidecar CSV file (path) or a DataFrame with one row per file, keyed by the
          column ``key`` (default ``"file"``): a key is a file's relative path or, when it
          has no ``/`` and is unambiguous, its name. Rows naming no file are ignored.

        Values from names and front matter are strings, or integers when every value of the
        column is an integer ("2024" but not "007"); a sidecar's columns keep the types
        pandas reads. A column may come from only one source.
    missing:
        For a file the metadata has nothing for (no match, no row, no front matter):
        ``"error"`` (default) lists such files; ``"na"`` keeps them with missing values;
        ``"drop"`` leaves them out.
    errors:
        ``"strict"``: a file that is not valid UTF-8 raises :class:`LoadError` with the file,
        byte offset, line and column; ``"replace"``: bad bytes become U+FFFD.
    boilerplate:
        True to remove boilerplate lines (:data:`BOILERPLATE_PATTERNS`), or your own list of
        regular expressions (see :func:`strip_boilerplate`). Default: keep every line.
    root:
        The folder ``file`` names are relative to (default: the pattern's leading folder, the
        folder given, or the common folder of a list of files).

    Example
    -------
    >>> df = read_files("statements/**/*.txt", meta="{year}-{source}-*.txt",
    ...                 boilerplate=True)                               # doctest: +SKIP
    >>> df.columns.tolist()                                             # doctest: +SKIP
    ['file', 'year', 'source', 'text']
    """
    _check_choice("missing", missing, _MISSING)
    _check_choice("errors", errors, _ERRORS)
    rx = _boilerplate_regex(boilerplate)
    files, _ = _find_files(paths, root)
    names = [rel for _, rel in files]
    sources_spec = _meta_sources(meta)
    want_fm = False
    for spec in sources_spec:
        if isinstance(spec, str) and spec in _FRONT_MATTER:
            want_fm = True
    texts: List[str] = []
    parsed: List[Optional[Dict[str, Optional[str]]]] = []
    for path, rel in files:
        text = _decode(_read_bytes(path), path, errors)
        if want_fm:
            fm, text = parse_front_matter(text, path)
            parsed.append(fm)
        if rx is not None:
            text = _strip(text, rx)
        texts.append(text)
    sources: List[_Source] = []
    for spec in sources_spec:
        if isinstance(spec, str) and spec in _FRONT_MATTER:
            sources.append(_front_matter_source(parsed))
        elif isinstance(spec, str) and "{" in spec:
            sources.append(_pattern_source(spec, names))
        elif isinstance(spec, (str, os.PathLike)):
            p = os.fspath(spec)
            if not os.path.isfile(p):
                raise LoadError(f"meta={p!r}: no such file; meta takes a sidecar CSV file, a "
                                "file name pattern with {fields} or 'front-matter'", p)
            sources.append(_sidecar_source(p, names, key, errors))
        elif isinstance(spec, pd.DataFrame):
            sources.append(_sidecar_source(spec, names, key, errors))
        else:
            raise TypeError("meta must be a sidecar CSV path, a DataFrame, a file name pattern "
                            f"with {{fields}}, 'front-matter' or a list of these, not "
                            f"{type(spec).__name__}")
    drop: set = set()
    for src in sources:
        if src.missing and missing == "error":
            raise LoadError(_describe_missing(src, names))
        if missing == "drop":
            drop.update(src.missing)
    out = pd.DataFrame({"file": pd.Series(names, dtype=object)})
    origin: Dict[str, str] = {"file": "the file name"}
    for src in sources:
        for col, values in src.columns.items():
            if col in ("text",) or col in origin:
                first = origin.get(col, "the text")
                raise LoadError(f"metadata column {col!r} comes from both {first} and "
                                f"{src.label}; rename it in one of them")
            origin[col] = src.label
            out[col] = values.reset_index(drop=True)
    out["text"] = pd.Series(texts, dtype=object)
    if drop:
        out = out.drop(index=sorted(drop)).reset_index(drop=True)
    return out


# ---- tables -----------------------------------------------------------------------------------

def _table_texts(df: pd.DataFrame, text: str, label: str, rx: Optional[Pattern],
                 row_name: str = "row") -> pd.DataFrame:
    if text not in df.columns:
        raise LoadError(f"{label}: no text column {text!r}; columns: "
                        f"{', '.join(map(str, df.columns))} (pass text=...)", label)
    values = df[text].tolist()
    for i, v in enumerate(values):
        if not isinstance(v, str):
            what = "no text" if v is None or (isinstance(v, float) and v != v) else \
                f"a {type(v).__name__}, not text"
            raise LoadError(f"{label}, {row_name} {i + 1}: column {text!r} holds {what}", label)
    if rx is not None:
        values = [_strip(v, rx) for v in values]
    df = df.copy()
    df[text] = pd.Series(values, index=df.index, dtype=object)
    return df


def read_csv(path: PathArg, text: str = "text", *, errors: str = "strict",
             boilerplate: Boilerplate = None,
             read_options: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
    """A CSV file (``.csv`` or ``.csv.gz``) as a DataFrame, with the same UTF-8 checks as
    :func:`read_files`. An empty cell in the text column is an empty text (CSV cannot tell
    an empty string from a missing one). ``read_options`` go to ``pandas.read_csv``.

    >>> import io, tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("text,year\\nWe condemn it.,2024\\n")
    >>> read_csv(p).to_dict("records")
    [{'text': 'We condemn it.', 'year': 2024}]
    """
    _check_choice("errors", errors, _ERRORS)
    rx = _boilerplate_regex(boilerplate)
    p = os.fspath(path)
    content = _decode(_read_bytes(p), p, errors)
    opts = dict(read_options or {})
    opts.setdefault("dtype", {text: object})  # texts stay str even when they look like numbers
    try:
        df = pd.read_csv(io.StringIO(content), **opts)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise LoadError(f"{p}: cannot read it as CSV ({e})", p) from None
    if text in df.columns:
        df[text] = df[text].astype(object).where(df[text].notna(), "")
    # data rows start on line 2 of the file (after the header)
    return _table_texts(df, text, p, rx, "data row")


def read_jsonl(path: PathArg, text: str = "text", *, errors: str = "strict",
               boilerplate: Boilerplate = None) -> pd.DataFrame:
    """A JSON Lines file (``.jsonl``, ``.ndjson``, or either ``.gz``): one JSON object per
    line, blank lines skipped. Errors name the file and line.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.jsonl")
    >>> _ = open(p, "w").write('{"text": "We condemn it.", "year": 2024}\\n')
    >>> read_jsonl(p).to_dict("records")
    [{'text': 'We condemn it.', 'year': 2024}]
    """
    _check_choice("errors", errors, _ERRORS)
    rx = _boilerplate_regex(boilerplate)
    p = os.fspath(path)
    content = _decode(_read_bytes(p), p, errors)
    records = []
    for i, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise LoadError(f"{p}, line {i}: not valid JSON ({e.msg} at column {e.colno})", p,
                            None, i) from None
        if not isinstance(obj, dict):
            raise LoadError(f"{p}, line {i}: expected a JSON object, got "
                            f"{type(obj).__name__}", p, None, i)
        if text not in obj:
            raise LoadError(f"{p}, line {i}: no {text!r} field (pass text=...)", p, None, i)
        if not isinstance(obj[text], str):
            raise LoadError(f"{p}, line {i}: {text!r} is {type(obj[text]).__name__}, not a "
                            "string", p, None, i)
        records.append(obj)
    df = pd.DataFrame.from_records(records) if records else pd.DataFrame({text: []})
    return _table_texts(df, text, p, rx)


def read_parquet(path: PathArg, text: str = "text", *, columns: Optional[Sequence[str]] = None,
                 boilerplate: Boilerplate = None) -> pd.DataFrame:
    """A Parquet file (or a folder of them) as a DataFrame, read with pyarrow. ``columns``
    limits the metadata columns read (the text column is always read)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("reading Parquet needs pyarrow: pip install pyarrow "
                          "(or pip install 'natocyber[parquet]')") from None
    rx = _boilerplate_regex(boilerplate)
    p = os.fspath(path)
    if not os.path.exists(p):
        raise LoadError(f"{p}: no such file", p)
    cols = None if columns is None else list(dict.fromkeys([text, *columns]))
    try:
        table = pq.read_table(p, columns=cols)
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, KeyError, ...
        raise LoadError(f"{p}: cannot read it as Parquet ({e})", p) from None
    return _table_texts(table.to_pandas(), text, p, rx)
