"""Reading corpora from where researchers keep them: folders of text files (with metadata
from a sidecar CSV, the file names or a front-matter block), CSV, JSON Lines and Parquet.

Every reader returns a pandas DataFrame with a ``text`` column and the metadata columns;
:class:`~natocyber.Corpus` has a class method for each (``Corpus.from_files`` and so on)
that builds the corpus from it.

Files are decoded as UTF-8, or as UTF-16 or UTF-32 when they start with that encoding's
byte-order mark (any BOM is dropped); ``encoding=`` names another encoding. A file that
cannot be decoded raises :class:`LoadError` naming the file, the byte offset, line and
column; pass ``errors="replace"`` to read such bytes as U+FFFD instead. A UTF-16 or UTF-32
file without a BOM (recognized by its NUL bytes) is refused with the encoding to pass.

Only regular files are read: a broken symbolic link, a named pipe, a socket or a folder
whose name matches the pattern raises :class:`LoadError`, or with ``errors="skip"`` is
left out and listed (with undecodable files) in ``Corpus.skipped``. ``**`` does not enter
symbolic links to folders, and a file reached by two paths is read once.

Web copies of statements carry boilerplate lines (reading-time bylines, "Share this Post",
comment forms, photo credits). ``boilerplate=True`` removes the lines that match
:data:`BOILERPLATE_PATTERNS`; pass your own list to extend or replace it.
"""
from __future__ import annotations

import codecs
import errno
import gzip
import io
import json
import os
import re
import stat
import sys
import warnings
import zlib
from pathlib import PurePath
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple, Union

import pandas as pd

from ._checks import check_choice
from .tokenizer import lone_surrogate

__all__ = ["BOILERPLATE_PATTERNS", "MAX_FILE_BYTES", "LoadError", "SkippedFilesWarning",
           "strip_boilerplate", "read_files", "read_csv", "read_jsonl", "read_parquet",
           "parse_front_matter"]

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

_ERRORS = ("strict", "replace", "skip")
_TABLE_ERRORS = ("strict", "replace")  # one file: nothing to skip
#: Largest file read as one document, in bytes (after decompression): a document holds at
#: most 2**31 - 1 UTF-16 code units, and no byte decodes to more than one.
MAX_FILE_BYTES = 2**31 - 1
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


class SkippedFilesWarning(UserWarning):
    """Files were left out (``errors="skip"``, or a file reached twice); the list, with the
    reason for each, is ``Corpus.skipped`` (``df.attrs["skipped"]`` of :func:`read_files`)."""


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


# ---- reading and decoding -------------------------------------------------------------------

class _Bad(Exception):
    """Why one file cannot be read; the caller raises it as a LoadError or skips the file."""

    def __init__(self, reason: str, hint: str = "", offset: Optional[int] = None,
                 line: Optional[int] = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.offset = offset
        self.line = line

    def error(self, path: str) -> LoadError:
        hint = f"; {self.hint}" if self.hint else ""
        return LoadError(f"{path}: {self.reason}{hint}", path, self.offset, self.line)


_SKIP_HINT = "pass errors='skip' to leave such files out (listed in corpus.skipped)"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISDIR(mode):
        return "a folder (directory), not a file"
    return "not a regular file"


def file_problem(path: str) -> Optional[str]:
    """Why ``path`` is not a regular file to read (never opening it: a named pipe would
    wait for a writer), or None."""
    try:
        mode = _stat(path).st_mode
    except _Bad as b:
        return b.reason
    return None if stat.S_ISREG(mode) else _kind_of(mode)


def _stat(path: str) -> os.stat_result:
    """``os.stat`` of a file to read, or _Bad saying plainly why there is none."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise _Bad(f"a broken symbolic link (its target {os.readlink(path)!r} does not "
                       "exist)") from None
        raise _Bad("no such file") from None
    except PermissionError:
        raise _Bad("permission denied") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise _Bad("a loop of symbolic links") from None
        raise _Bad(e.strerror or str(e)) from None


def _too_large(size: int, after: str = "") -> _Bad:
    return _Bad(f"{size:,} bytes{after}, more than the {MAX_FILE_BYTES:,} bytes one document "
                "can hold; split it into smaller files")


def _read_bytes(path: str) -> bytes:
    """The bytes of a regular file (decompressed when it ends in .gz), or _Bad. A file that
    is not regular is never opened (opening a named pipe waits for a writer), and the size
    is checked before reading."""
    st = _stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _Bad(_kind_of(st.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _Bad("no such file (it disappeared while being read)") from None
    except PermissionError:
        raise _Bad("permission denied") from None
    except OSError as e:
        raise _Bad(e.strerror or str(e)) from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)  # the file opened, should the path have changed since
        if not stat.S_ISREG(st.st_mode):
            raise _Bad(_kind_of(st.st_mode))
        if st.st_size > MAX_FILE_BYTES:
            raise _too_large(st.st_size)
        if not path.endswith(".gz"):
            return f.read()
        try:
            with gzip.GzipFile(fileobj=f) as z:
                data = z.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as e:
            raise _Bad(f"not a valid gzip file ({e})") from None
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(len(data), " after decompression")
        return data


# byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32-LE"),
         (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32-BE"),
         (codecs.BOM_UTF8, "utf-8", "UTF-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16-LE"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16-BE"))


def _check_encoding(encoding: Any) -> str:
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str such as 'utf-8', not {type(encoding).__name__}")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"encoding {encoding!r} is not an encoding Python knows; use a name "
                         "such as 'utf-8', 'utf-16-le' or 'cp1252'") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"encoding {encoding!r} is not a text encoding")
    return encoding


def _is_auto(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _wide_without_bom(data: bytes) -> Optional[str]:
    """'UTF-16-LE' (and so on) when NUL bytes sit where that encoding puts them for Latin
    text: such a file may even be valid UTF-8 (ASCII text), but read so it is garbage."""
    sample = data[:1 << 16]
    if b"\0" not in sample:
        return None
    n4 = len(sample) // 4
    if n4:
        z = [sample[k:4 * n4:4].count(0) for k in range(4)]
        if z[3] == n4 and z[2] >= 0.9 * n4:
            return "UTF-32-LE"
        if z[0] == n4 and z[1] >= 0.9 * n4:
            return "UTF-32-BE"
    n2 = len(sample) // 2
    even, odd = sample[0:2 * n2:2].count(0), sample[1:2 * n2:2].count(0)
    # white space and punctuation alone put a NUL in well over 5% of the units; a text
    # that merely holds a NUL character or two is not taken for UTF-16
    if odd >= max(8, 0.05 * n2) and odd >= 0.95 * (odd + even):
        return "UTF-16-LE"
    if even >= max(8, 0.05 * n2) and even >= 0.95 * (odd + even):
        return "UTF-16-BE"
    return None


def _decode(data: bytes, path: str, errors: str, encoding: str = "utf-8") -> str:
    """The text of a file, or _Bad naming the byte offset, line and column of the first
    byte that does not decode. With the default encoding a byte-order mark picks UTF-8,
    UTF-16 or UTF-32; another encoding is used as given."""
    errors = "replace" if errors == "replace" else "strict"
    shift = 0
    codec, label = encoding, encoding
    if _is_auto(encoding):
        codec, label = "utf-8", "UTF-8"
        for bom, name, title in _BOMS:
            if data.startswith(bom):
                codec, label, shift = name, title, len(bom)
                break
        else:
            wide = _wide_without_bom(data)
            if wide:
                raise _Bad(f"looks like {wide} text without a byte-order mark (NUL bytes at "
                           f"every {'other' if '16' in wide else 'fourth'} position), not "
                           f"UTF-8", f"pass encoding='{wide.lower()}' or convert the file to "
                           "UTF-8")
    body = memoryview(data)[shift:]
    try:
        text = str(body, codec, errors)
    except UnicodeDecodeError as e:
        off = e.start
        before = str(body[:off], codec, "replace")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        bad = bytes(body[off:min(e.end, off + 4)])
        hint = ""
        if codec == "utf-8":
            if any(0x80 <= b <= 0x9F for b in bad):
                hint = " (it looks like Windows-1252 text)"
            elif any(b >= 0xA0 for b in bad):
                hint = " (it may be Latin-1 or another 8-bit encoding)"
        where = " after decompression" if path.endswith(".gz") else ""
        raise _Bad(f"not valid {label} at byte {off + shift}{where} (line {line}, column "
                   f"{col}): {bad!r}{hint}",
                   f"convert the file to UTF-8, or pass errors='replace' to read bad bytes as "
                   f"U+FFFD", off + shift, line) from None
    # a mark the codec kept (an explicit encoding) is not text
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: str) -> str:
    """A small text file (a word list), decoded as :func:`read_files` decodes a file with the
    defaults; failures are a LoadError naming the file and why (without advice on options,
    which a caller of this has none of)."""
    try:
        return _decode(_read_bytes(path), path, "strict")
    except _Bad as b:
        raise LoadError(f"{path}: {b.reason}", path, b.offset, b.line) from None


def _decode_file(path: str, errors: str, encoding: str = "utf-8") -> str:
    """_read_bytes then _decode, with failures as LoadError (for a single file)."""
    try:
        return _decode(_read_bytes(path), path, errors, encoding)
    except _Bad as b:
        raise b.error(path) from None


# ---- typed metadata values ---------------------------------------------------------------

_INT = re.compile(r"0|[1-9][0-9]*")
_INT64_MAX = 2**63 - 1


def _is_int64(v: str) -> bool:
    return len(v) <= 19 and _INT.fullmatch(v) is not None and int(v) <= _INT64_MAX


def _typed(values: Sequence[Optional[str]], name: str) -> pd.Series:
    """A column of strings from file names or front matter: integers when every value is
    one that fits in 64 bits (without a leading zero, which marks an identifier such as
    "007"), else str."""
    present = [v for v in values if v is not None]
    # an integer past 64 bits stays text (a code rather than a number, and pandas has no
    # column type for it)
    if present and all(_is_int64(v) for v in present):
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


# ---- glob patterns ---------------------------------------------------------------------------

def _glob_tokens(s: str) -> List[Tuple[str, str, int, int]]:
    """``s`` as (kind, regular expression, start, end) tokens: ``*`` any run of characters
    other than '/', ``?`` one such character, ``[...]`` one character of the set (``[!...]``
    one not in it), anything else (a ``[`` without its ``]`` too) the character itself."""
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "*":
            out.append(("*", "[^/]*", i, i + 1))
        elif ch == "?":
            out.append(("?", "[^/]", i, i + 1))
        elif ch == "[":
            j = i + 1
            j += j < len(s) and s[j] == "!"
            j += j < len(s) and s[j] == "]"   # a ']' first is a member, not the end
            j = s.find("]", j)
            if j > i:
                body = s[i + 1:j]
                neg = body.startswith("!")
                members = "".join(c if c == "-" else re.escape(c) for c in body[neg:])
                out.append(("[", f"[{'^/' if neg else ''}{members}]", i, j + 1))
                i = j + 1
                continue
            out.append(("lit", re.escape(ch), i, i + 1))
        else:
            out.append(("lit", re.escape(ch), i, i + 1))
        i += 1
    return out


def _compile(regex: str, pattern: str) -> Pattern:
    try:
        return re.compile(regex)
    except re.error as e:
        raise ValueError(f"pattern {pattern!r} is not a valid glob pattern ({e})") from None


# ---- file name patterns --------------------------------------------------------------------

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WILD = {"*": "'*'", "?": "'?'", "[": "a [...] set"}


def _name_regex(pattern: str) -> Tuple[Pattern, List[str]]:
    """``"{year}-{source}-*.txt"`` as a regular expression with a group per field: a field
    matches one or more characters other than '/', as few as possible (so it ends at the
    first occurrence of the text after it); ``*``, ``?`` and ``[...]`` as in a glob;
    everything else literally.

    A field must be followed by literal text (or end the pattern), and not follow ``*``:
    next to a wildcard or another field, where it ends would be a guess
    (``{president}*.txt`` would read "G" from "George Washington.txt")."""
    parts: List[Tuple[str, str, int, int]] = []
    names: List[str] = []
    pos = 0
    for m in _FIELD.finditer(pattern):
        parts += [(k, rx, a + pos, b + pos) for k, rx, a, b in
                  _glob_tokens(pattern[pos:m.start()])]
        name = m.group(1)
        if name in names:
            raise ValueError(f"file name pattern {pattern!r} names the field {name!r} twice")
        names.append(name)
        parts.append(("field", name, m.start(), m.end()))
        pos = m.end()
    parts += [(k, rx, a + pos, b + pos) for k, rx, a, b in _glob_tokens(pattern[pos:])]
    if not names:
        raise ValueError(f"file name pattern {pattern!r} has no {{field}}")
    rest = _FIELD.sub("", pattern)
    if "{" in rest or "}" in rest:
        raise ValueError(f"file name pattern {pattern!r}: fields are written {{name}} with a "
                         "name of letters, digits and _")
    for i, (kind, name, start, end) in enumerate(parts):
        if kind != "field":
            continue
        after = parts[i + 1] if i + 1 < len(parts) else None
        before = parts[i - 1] if i else None
        if after and after[0] in _WILD:
            what = f"is followed directly by {_WILD[after[0]]}, so where it ends"
            fix = pattern[:after[2]] + pattern[after[3]:]
        elif after and after[0] == "field":
            what = "is followed directly by another field, so where one ends and the next starts"
            fix = pattern[:end] + "-" + pattern[end:]
        elif before and before[0] == "*":
            what = "directly follows '*', so where it starts"
            fix = pattern[:before[2]] + pattern[before[3]:]
        else:
            continue
        raise ValueError(
            f"file name pattern {pattern!r}: the field {{{name}}} {what} would be a guess (a "
            f"field takes as few characters as possible); separate it with literal text, e.g. "
            f"{fix!r}")
    regex = "".join(f"(?P<{rx}>[^/]+?)" if kind == "field" else rx for kind, rx, _, _ in parts)
    return _compile(regex, pattern), names


# ---- finding files ------------------------------------------------------------------------

def _has_magic(s: str) -> bool:
    return any(ch in s for ch in "*?[")


def _names_files(component: str) -> bool:
    """Whether the last part of a pattern asks for files by their extension (``*.txt``):
    then a folder it matches is reported rather than passed over."""
    return re.search(r"\.[^.*?\[\]]+$", component) is not None


class _Found:
    """What a search turned up: regular files, and entries that are not readable files."""

    def __init__(self) -> None:
        self.files: List[Tuple[str, os.stat_result]] = []
        self.bad: List[Tuple[str, str]] = []

    def entry(self, path: str, folders_too: bool) -> None:
        try:
            st = _stat(path)
        except _Bad as b:
            self.bad.append((path, b.reason))
            return
        if stat.S_ISREG(st.st_mode):
            self.files.append((path, st))
        elif not stat.S_ISDIR(st.st_mode) or folders_too:
            self.bad.append((path, _kind_of(st.st_mode)))


def _join(folder: str, name: str) -> str:
    return name if folder == "." else os.path.join(folder, name)


def _scan(folder: str, found: _Found) -> List[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError as e:
        found.bad.append((folder, f"a folder that cannot be listed ({e.strerror or e}); the "
                          "files in it were not searched"))
        return []


def _glob_walk(base: str, parts: Sequence[str], found: _Found) -> None:
    """Adds what ``parts`` (pattern components) match under ``base``. ``**`` matches any
    number of folders but never enters a symbolic link to a folder (a link to '.' would
    repeat the tree forever); as in the shell, wildcards skip names starting with '.'
    unless the pattern's part starts with '.'."""
    rules = []
    for p in parts:
        if p == "**":
            if not rules or rules[-1] is not None:  # '**/**' is '**'
                rules.append(None)
        else:
            rx = "".join(t[1] for t in _glob_tokens(p))
            rules.append((_compile(rx, p), p.startswith(".")))
    folders_too = _names_files(parts[-1]) and parts[-1] != "**"

    def visible(name: str, dotted: bool) -> bool:
        return dotted or not name.startswith(".")

    def walk(folder: str, i: int) -> None:
        rule = rules[i]
        last = i == len(rules) - 1
        if rule is None:  # '**'
            if not last:
                walk(folder, i + 1)
            for e in sorted(_scan(folder, found), key=lambda e: e.name):
                if not visible(e.name, False):
                    continue
                path = _join(folder, e.name)
                if e.is_dir(follow_symlinks=False):
                    walk(path, i)
                elif last:
                    found.entry(path, False)
            return
        rx, dotted = rule
        for e in sorted(_scan(folder, found), key=lambda e: e.name):
            if not visible(e.name, dotted) or not rx.fullmatch(e.name):
                continue
            path = _join(folder, e.name)
            if last:
                found.entry(path, folders_too)
            elif e.is_dir():  # a named level (not '**') may be a link: no loop is possible
                walk(path, i + 1)

    walk(base, 0)


def find_entries(paths: Union[PathArg, Sequence[PathArg]], root: Optional[PathArg] = None
          ) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str, str]], List[Tuple[str, str]],
                     str]:
    """What ``paths`` name: the files to read as (path to open, name relative to the search
    root with '/' separators), sorted by name; the entries that are not readable files as
    (path, name, reason); the files reached a second time as (name, reason); the root.

    A glob pattern (``**`` descends into folders) is relative to its leading folders
    without wildcards; a folder means every ``*.txt`` under it (``folder/**/*.txt``); a
    list of files is relative to their common folder; ``root`` overrides the search root.
    A file reached by two paths (a link, or listed twice) is kept under the first name."""
    found = _Found()
    if isinstance(paths, (str, os.PathLike)):
        p = os.fspath(paths)
        if _has_magic(p):
            parts = PurePath(p).parts
            fixed: List[str] = []
            for part in parts:
                if _has_magic(part):
                    break
                fixed.append(part)
            base = str(PurePath(*fixed)) if fixed else "."
            if os.path.isdir(base):
                _glob_walk(base, parts[len(fixed):], found)
            if not found.files and not found.bad:
                raise LoadError(f"no files match {p!r}", p)
        elif os.path.isdir(p):
            base = p
            _glob_walk(base, ("**", "*.txt"), found)
            if not found.files and not found.bad:
                raise LoadError(f"{p}: the folder holds no .txt files", p)
        elif os.path.lexists(p):
            base = os.path.dirname(p) or "."
            found.entry(p, True)
        else:
            raise LoadError(f"{p}: no such file or folder", p)
    else:
        if isinstance(paths, (bytes, bytearray)):
            raise TypeError("paths must be a str, a path or a list of them, not bytes")
        given = [os.fspath(f) for f in paths]
        if not given:
            raise LoadError("no files given")
        for f in given:
            found.entry(f, True)
        base = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in given])
    if root is not None:
        base = os.fspath(root)
    abs_base = os.path.abspath(base)

    def rel(f: str) -> str:
        return PurePath(os.path.relpath(os.path.abspath(f), abs_base)).as_posix()

    files = sorted(((f, rel(f), st) for f, st in found.files), key=lambda t: t[1])
    bad = sorted(((f, rel(f), why) for f, why in found.bad), key=lambda t: t[1])
    out: List[Tuple[str, str]] = []
    twice: List[Tuple[str, str]] = []
    first: Dict[Tuple[int, int], str] = {}
    for f, name, st in files:
        key = (st.st_dev, st.st_ino)
        if key in first:
            twice.append((name, "listed twice" if first[key] == name
                          else f"same file as {first[key]}"))
            continue
        first[key] = name
        out.append((f, name))
    return out, bad, twice, base


def bad_entries_error(bad: List[Tuple[str, str, str]]) -> LoadError:
    path, _, why = bad[0]
    more = f" (and {len(bad) - 1} more such entries)" if len(bad) > 1 else ""
    return LoadError(f"{path}: {why}{more}; {_SKIP_HINT}", path)


def _find_files(paths: Union[PathArg, Sequence[PathArg]], root: Optional[PathArg] = None
                ) -> Tuple[List[Tuple[str, str]], str]:
    """The readable files of :func:`find_entries` and the search root; an entry that is not a
    readable file raises :class:`LoadError`."""
    files, bad, _, base = find_entries(paths, root)
    if bad:
        raise bad_entries_error(bad)
    return files, base


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
                    errors: str, encoding: str) -> _Source:
    if isinstance(table, pd.DataFrame):
        df, label = table.reset_index(drop=True), "the metadata table"
    else:
        path = os.fspath(table)
        label = f"sidecar {path}"
        # the key column is read as written: a file may be called "NA.txt"
        df = _parse_csv(_decode_file(path, errors, encoding), path, key, None)
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


def _user_stacklevel() -> int:
    """The stacklevel that points a warning at the first caller outside natocyber."""
    level, f = 1, sys._getframe(1)
    while f is not None and f.f_globals.get("__name__", "").startswith("natocyber."):
        level += 1
        f = f.f_back
    return level


def warn_skipped(skipped: List[Tuple[str, str]], listed: bool = True) -> None:
    """Warns of skipped files: the first three when the whole list is kept elsewhere
    (``corpus.skipped``), else all of them."""
    shown = skipped[:3] if listed else skipped
    more = f"; and {len(skipped) - 3} more" if len(skipped) > len(shown) else ""
    where = ("; the list is in corpus.skipped (df.attrs['skipped'] of read_files)"
             if listed else "")
    text = "; ".join(f"{name} ({why})" for name, why in shown)
    warnings.warn(f"{len(skipped)} file(s) skipped: {text}{more}{where}", SkippedFilesWarning,
                  stacklevel=_user_stacklevel())


def read_files(paths: Union[PathArg, Sequence[PathArg]], meta: Any = None, *,
               key: str = "file", missing: str = "error", errors: str = "strict",
               encoding: str = "utf-8", boilerplate: Boilerplate = None,
               root: Optional[PathArg] = None) -> pd.DataFrame:
    """Text files as a DataFrame: ``file``, the metadata columns, ``text``.

    Parameters
    ----------
    paths:
        A glob pattern (``"statements/**/*.txt"``; ``**`` descends into folders), a folder
        (every ``*.txt`` under it, i.e. ``folder/**/*.txt``) or a list of files. Files are
        read in the order of their ``file`` name. As in the shell, ``*``, ``?``, ``[...]``
        and ``**`` skip names starting with ``.`` (such as ``.ipynb_checkpoints``) unless
        the pattern spells the dot. ``**`` never enters a symbolic link to a folder (a link
        to ``.`` would repeat the tree without end); a file reached twice (through a link,
        a hard link, or listed twice) is read once, under its first name, and the other
        name is listed as skipped ("same file as ...").
    meta:
        Where the metadata comes from (besides ``file``, the path relative to the pattern's
        leading folder, with ``/`` separators), one of these or a list of them:

        - a file name pattern with ``{fields}``: ``"{year}-{source}-*.txt"`` gives ``year``
          and ``source`` from ``2024-NATO-statement.txt``. A field matches as few characters
          as possible (never ``/``), so it ends at the first occurrence of the text that
          follows it: ``"{president}-{year}.txt"`` reads "John-Quincy-Adams-1825.txt" as
          president "John"; put the field whose values hold the separator last. A field
          must be followed by literal text or end the pattern, and may not follow ``*``
          (``"{year}-{president}*.txt"`` is refused: write ``"{year}-{president}.txt"``).
          ``*``, ``?`` and ``[...]`` are wildcards; a pattern with ``/`` is matched against
          the relative path, otherwise against the file's name.
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
        What to do with a file that cannot be read as text:

        - ``"strict"`` (default): raise :class:`LoadError` naming the file and why: bytes
          that do not decode (with the byte offset, line and column), a broken symbolic
          link, a named pipe, socket or device (never opened), a folder matched by a pattern
          that ends in an extension (a folder ``x.txt/`` for ``*.txt``; ``*`` passes
          folders over), a folder in a list of files, a missing file in a list, a file
          larger than :data:`MAX_FILE_BYTES`, a file that cannot be opened, a folder that
          cannot be listed;
        - ``"replace"``: bytes that do not decode become U+FFFD (other problems raise);
        - ``"skip"``: leave such files out; they are listed with the reason in
          ``df.attrs["skipped"]`` (``Corpus.skipped``) and a :class:`SkippedFilesWarning`
          says how many.
    encoding:
        ``"utf-8"`` (default): UTF-8, except that a file starting with a UTF-16 or UTF-32
        byte-order mark is decoded as such (the mark is dropped); a UTF-16 or UTF-32 file
        without a mark is refused with the encoding to pass. Any other encoding Python
        knows (``"utf-16-le"``, ``"cp1252"``, ...) is used as given for every file.
    boilerplate:
        True to remove boilerplate lines (:data:`BOILERPLATE_PATTERNS`), or your own list of
        regular expressions (see :func:`strip_boilerplate`). Default: keep every line.
    root:
        The folder ``file`` names are relative to (default: the pattern's leading folder, the
        folder given, or the common folder of a list of files).

    Returns
    -------
    The DataFrame; ``df.attrs["skipped"]`` lists the files left out, as
    ``{"file": name, "reason": why}`` dicts (``pd.DataFrame(df.attrs["skipped"])`` makes a
    table of them). It is a list, not a DataFrame, so that ``pd.concat`` of two results
    still works.

    Example
    -------
    >>> df = read_files("statements/**/*.txt", meta="{year}-{source}-*.txt",
    ...                 boilerplate=True)                               # doctest: +SKIP
    >>> df.columns.tolist()                                             # doctest: +SKIP
    ['file', 'year', 'source', 'text']
    >>> df = read_files("statements/", errors="skip")                  # doctest: +SKIP
    >>> pd.DataFrame(df.attrs["skipped"])                               # doctest: +SKIP
                file                                      reason
    0  2024/feed.txt  a named pipe (FIFO), not a regular file
    """
    check_choice("missing", missing, _MISSING)
    check_choice("errors", errors, _ERRORS)
    _check_encoding(encoding)
    rx = _boilerplate_regex(boilerplate)
    sources_spec = _meta_sources(meta)
    for spec in sources_spec:  # a bad pattern is a mistake in the call: say so before reading
        if isinstance(spec, str) and "{" in spec and spec not in _FRONT_MATTER:
            _name_regex(spec)
    want_fm = any(isinstance(spec, str) and spec in _FRONT_MATTER for spec in sources_spec)
    files, bad, skipped, _ = find_entries(paths, root)
    if bad and errors != "skip":
        raise bad_entries_error(bad)
    skipped += [(name, why) for _, name, why in bad]
    names: List[str] = []
    texts: List[str] = []
    parsed: List[Optional[Dict[str, Optional[str]]]] = []
    for path, rel in files:
        try:
            text = _decode(_read_bytes(path), path, errors, encoding)
        except _Bad as b:
            if errors != "skip":
                raise b.error(path) from None
            skipped.append((rel, b.reason))
            continue
        if want_fm:
            fm, text = parse_front_matter(text, path)
            parsed.append(fm)
        if rx is not None:
            text = _strip(text, rx)
        names.append(rel)
        texts.append(text)
    skipped.sort()
    if not names:
        shown = "; ".join(f"{n} ({why})" for n, why in skipped[:3])
        raise LoadError(f"no file could be read: {len(skipped)} skipped: {shown}")
    sources: List[_Source] = []
    for spec in sources_spec:
        if isinstance(spec, str) and spec in _FRONT_MATTER:
            sources.append(_front_matter_source(parsed))
        elif isinstance(spec, str) and "{" in spec:
            sources.append(_pattern_source(spec, names))
        elif isinstance(spec, (str, os.PathLike)):
            p = os.fspath(spec)
            if not os.path.isfile(p):
                what = "a folder, not a file" if os.path.isdir(p) else "no such file"
                raise LoadError(f"meta={p!r}: {what}; meta takes a sidecar CSV file, a "
                                "file name pattern with {fields} or 'front-matter'", p)
            sources.append(_sidecar_source(p, names, key, errors, encoding))
        elif isinstance(spec, pd.DataFrame):
            sources.append(_sidecar_source(spec, names, key, errors, encoding))
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
    out.attrs["skipped"] = [{"file": name, "reason": why} for name, why in skipped]
    if skipped:
        warn_skipped(skipped)
    return out


_DOCUMENT = re.compile(r"\bdocument (\d+)\b")


def named_build(build: Any, where: Any) -> Any:
    """``build()``; an error that speaks of "document i" also says where document i came
    from (``where(i)``: a file name, a row), as the index alone does not tell the user."""
    try:
        return build()
    except (ValueError, OverflowError, MemoryError, IndexError) as e:
        m = _DOCUMENT.search(str(e))
        if not m:
            raise
        msg = str(e)
        try:
            named = type(e)(f"{msg[:m.end()]} ({where(int(m.group(1)))}){msg[m.end():]}")
        except Exception:  # an exception type that needs other arguments, or no such row
            raise e from None
        raise named from None


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


try:  # what pandas reads as missing by default
    from pandas._libs.parsers import STR_NA_VALUES as _PANDAS_NA
except ImportError:  # pragma: no cover - a pandas that moved it
    _PANDAS_NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
                  "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a",
                  "nan", "null"}
_HEADER_OPTIONS = ("sep", "delimiter", "quotechar", "escapechar", "doublequote", "skiprows",
                   "comment", "skipinitialspace", "lineterminator", "dialect")


def _parse_csv(content: str, path: str, literal: str,
               options: Optional[Dict[str, Any]]) -> pd.DataFrame:
    """CSV text as a DataFrame. Column ``literal`` (the texts, a sidecar's file names) is
    read as written: "NA", "null", "None" are words, an empty cell is "". The other columns
    get pandas' missing values, unless ``options`` set ``na_values``, ``keep_default_na``
    or ``na_filter`` themselves. A header naming a column twice is refused (pandas would
    rename the second copy)."""
    opts = dict(options or {})
    opts.setdefault("dtype", {literal: object})  # "2024" stays a text
    try:
        if "header" not in opts and "names" not in opts:
            head = pd.read_csv(io.StringIO(content), header=None, nrows=1, dtype=object,
                               keep_default_na=False,
                               **{k: opts[k] for k in _HEADER_OPTIONS if k in opts})
            seen: Dict[str, int] = {}
            for i, name in enumerate(head.iloc[0].tolist() if len(head) else []):
                if name in seen and name != "":
                    raise LoadError(f"{path}: the header names the column {name!r} twice "
                                    f"(columns {seen[name] + 1} and {i + 1}); rename one (pandas "
                                    f"would read the second as {name + '.1'!r})", path)
                seen.setdefault(name, i)
        if not any(k in opts for k in ("na_values", "keep_default_na", "na_filter")):
            columns = pd.read_csv(io.StringIO(content), **dict(opts, nrows=0)).columns
            opts["keep_default_na"] = False
            opts["na_values"] = {c: sorted(_PANDAS_NA) for c in columns if c != literal}
        return pd.read_csv(io.StringIO(content), **opts)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
        if isinstance(e, LoadError):
            raise
        raise LoadError(f"{path}: cannot read it as CSV ({e})", path) from None


def read_csv(path: PathArg, text: str = "text", *, errors: str = "strict",
             encoding: str = "utf-8", boilerplate: Boilerplate = None,
             read_options: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
    """A CSV file (``.csv`` or ``.csv.gz``) as a DataFrame, decoded as :func:`read_files`
    decodes (UTF-8 checked, UTF-16/32 with a byte-order mark, ``encoding=`` for others).

    The text column is read as written: a cell "NA", "null", "None" or "N/A" is that text,
    and an empty cell an empty text (CSV cannot tell an empty string from a missing one).
    Other columns get pandas' missing values ("NA" is missing). ``read_options`` go to
    ``pandas.read_csv``; if they set ``na_values``, ``keep_default_na`` or ``na_filter``,
    they decide for every column. A header that names a column twice is refused.

    >>> import io, tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("text,year\\nWe condemn it.,2024\\nNA,NA\\n")
    >>> read_csv(p).to_dict("records")
    [{'text': 'We condemn it.', 'year': 2024.0}, {'text': 'NA', 'year': nan}]
    """
    check_choice("errors", errors, _TABLE_ERRORS)
    _check_encoding(encoding)
    rx = _boilerplate_regex(boilerplate)
    p = os.fspath(path)
    df = _parse_csv(_decode_file(p, errors, encoding), p, text, read_options)
    if text in df.columns:
        df[text] = df[text].astype(object).where(df[text].notna(), "")
    # data rows start on line 2 of the file (after the header)
    return _table_texts(df, text, p, rx, "data row")


class _DuplicateKey(Exception):
    pass


def _object_without_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    obj: Dict[str, Any] = {}
    for k, v in pairs:
        if k in obj:
            raise _DuplicateKey(k)
        obj[k] = v
    return obj


def read_jsonl(path: PathArg, text: str = "text", *, errors: str = "strict",
               encoding: str = "utf-8", boilerplate: Boilerplate = None) -> pd.DataFrame:
    """A JSON Lines file (``.jsonl``, ``.ndjson``, or either ``.gz``): one JSON object per
    line, blank lines skipped, decoded as :func:`read_files` decodes. Errors name the file
    and line; an object with the same key twice is refused (JSON readers would silently
    keep one of the values).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.jsonl")
    >>> _ = open(p, "w").write('{"text": "We condemn it.", "year": 2024}\\n')
    >>> read_jsonl(p).to_dict("records")
    [{'text': 'We condemn it.', 'year': 2024}]
    """
    check_choice("errors", errors, _TABLE_ERRORS)
    _check_encoding(encoding)
    rx = _boilerplate_regex(boilerplate)
    p = os.fspath(path)
    content = _decode_file(p, errors, encoding)
    records = []
    for i, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_object_without_duplicates)
        except json.JSONDecodeError as e:
            raise LoadError(f"{p}, line {i}: not valid JSON ({e.msg} at column {e.colno})", p,
                            None, i) from None
        except _DuplicateKey as e:
            raise LoadError(f"{p}, line {i}: the key {e.args[0]!r} appears twice in one "
                            "object; keep one of them", p, None, i) from None
        except RecursionError:
            raise LoadError(f"{p}, line {i}: JSON nested too deeply", p, None, i) from None
        except ValueError as e:  # a number of thousands of digits
            raise LoadError(f"{p}, line {i}: cannot read a value ({str(e).split(':')[0]})", p,
                            None, i) from None
        if not isinstance(obj, dict):
            raise LoadError(f"{p}, line {i}: expected a JSON object, got "
                            f"{type(obj).__name__}", p, None, i)
        if text not in obj:
            raise LoadError(f"{p}, line {i}: no {text!r} field (pass text=...)", p, None, i)
        if not isinstance(obj[text], str):
            raise LoadError(f"{p}, line {i}: {text!r} is {type(obj[text]).__name__}, not a "
                            "string", p, None, i)
        for key, value in obj.items():
            # a text may hold a lone surrogate ("\ud800" escapes); a metadata value may not,
            # since pandas keeps text columns as Arrow strings
            bad = lone_surrogate(value) if key != text and isinstance(value, str) else None
            if bad:
                raise LoadError(f"{p}, line {i}: field {key!r}: {bad[1]}", p, None, i)
        records.append(obj)
    if not records:
        return _table_texts(pd.DataFrame({text: []}), text, p, rx)
    columns = list(dict.fromkeys(k for r in records for k in r))
    texts = pd.Series([r.pop(text) for r in records], dtype=object)
    df = pd.DataFrame.from_records(records, columns=[c for c in columns if c != text])
    df.insert(columns.index(text), text, texts)
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
    if not os.path.isdir(p):
        try:
            st = _stat(p)
        except _Bad as b:
            raise b.error(p) from None
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(f"{p}: {_kind_of(st.st_mode)}", p)
    cols = None if columns is None else list(dict.fromkeys([text, *columns]))
    try:
        table = pq.read_table(p, columns=cols)
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, KeyError, ...
        raise LoadError(f"{p}: cannot read it as Parquet ({e})", p) from None
    return _table_texts(table.to_pandas(), text, p, rx)
