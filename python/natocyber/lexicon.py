"""Stance-marker lexicons: categories of token patterns, loaded from dicts or files,
validated completely before use, and compiled in C into one automaton per tokenizer.

The pattern language is documented in ``docs/patterns.md``; the built-in lexicon in
``docs/lexicon.md``.
"""
from __future__ import annotations

import bisect
import json
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Union)

import pandas as pd
import yaml

from . import _core
from .loaders import file_problem
from .tokenizer import Tokenizer, default_tokenizer, lone_surrogate

__all__ = ["Lexicon", "Marker", "LexiconError", "PatternError", "check_pattern",
           "DEFAULT_NEGATORS", "DEFAULT_CANCELLERS", "DEFAULT_HYPOTHETICALS",
           "DEFAULT_SCOPE_BREAKS", "MAX_GAP", "MAX_EXPANSIONS", "MAX_NESTING"]

#: Largest N in a gap ``~N``.
MAX_GAP = 8
#: Largest lexicon file read (the built-in one is about 30 KB, LIWC-size dictionaries about 1 MB).
MAX_FILE_BYTES = 64 * 2**20
#: Most values a quanteda dictionary may hold (YAML aliases can multiply a small file).
MAX_QUANTEDA_VALUES = 200_000
#: Largest number of token sequences one pattern may expand to.
MAX_EXPANSIONS = 1024
#: Deepest nesting of mappings and lists in a lexicon file (the built-in file uses 5 levels);
#: a file nested deeper is refused with the line where the limit is passed.
MAX_NESTING = 100

#: Cues that negate a following marker within the negation window.
DEFAULT_NEGATORS: Tuple[str, ...] = (
    "not", "*n't", "(no|never|without|neither|nor|cannot)",
    "(stop|stops|stopped|stopping) short of",
    "(refrain|refrains|refrained|refraining) from",
    "(fail|fails|failed|failing) to",
    "(decline|declines|declined|declining) to",
)
#: Phrases in which a negator does not negate: a negator inside one of them is ignored.
DEFAULT_CANCELLERS: Tuple[str, ...] = (
    "(not|never|*n't) hesitate",
    "not (only|just|least|merely|limited to|to mention)",
    "(no|without) (a|any)? doubt",
    "in no uncertain terms",
    "(not|never) go (unanswered|unpunished|unchallenged)",
    "(not|*n't|cannot|never) (rule|ruled|ruling) out",
    "(not|*n't|cannot) exclude",
    "without (delay|exception|reservation|hesitation|prejudice)",
    "not the first time",
    "no less than",
)
#: Cues that make a following marker hypothetical within the hypothetical window.
DEFAULT_HYPOTHETICALS: Tuple[str, ...] = (
    "(could|might|would|if|unless|whether)",
    "in case", "in the event (of|that)",
    "(in|under) (certain|some|specific|exceptional|such) circumstances",
)
#: Words that end the scope of a negator or hypothetical cue (a new clause starts).
DEFAULT_SCOPE_BREAKS: Tuple[str, ...] = (
    "(but|although|though|whereas|while|because)",
)

_ROLE = {"marker": 0, "negators": 1, "cancellers": 2, "hypotheticals": 3, "scope_breaks": 4}
_CONTEXT_KEYS = ("negators", "cancellers", "hypotheticals", "scope_breaks")
_MARKER_KEYS = ("id", "pattern", "level", "probability", "scale", "note")
_TOP_KEYS = ("name", "version", "description", "stem", "context", "categories")
LEVEL_MAX = 8


class LexiconError(ValueError):
    """A lexicon that cannot be built: a bad file, a bad structure or a bad pattern.

    The message names the file and line (or the marker) at fault."""


# How a pattern is shown above its caret: one character for one, on one line. Controls and
# line breaks become spaces; a lone surrogate, which cannot be printed, becomes U+FFFD.
_SHOWN = {**{c: " " for c in (*range(32), 0x7F, 0x85, 0x2028, 0x2029)},
          **{c: "\ufffd" for c in range(0xD800, 0xE000)}}


class PatternError(LexiconError):
    """A malformed pattern. The message shows the pattern with a caret under the position.

    Attributes: ``pattern``, ``position`` (code-point index), ``reason``, and where known
    ``marker``, ``category``, ``source`` (file name) and ``line``.

    >>> try:
    ...     Lexicon({"deterrence": ["strongly ~12 condemn"]})
    ... except PatternError as e:
    ...     print(e)
    pattern of marker 'strongly ~12 condemn' in category 'deterrence': gap larger than the limit of ~8 tokens
      strongly ~12 condemn
               ^
    """

    def __init__(self, pattern: str, position: int, reason: str, *, marker: Optional[str] = None,
                 category: Optional[str] = None, source: Optional[str] = None,
                 line: Optional[int] = None, what: str = "pattern") -> None:
        self.pattern, self.position, self.reason = pattern, position, reason
        self.marker, self.category, self.source, self.line = marker, category, source, line
        where = what
        if marker is not None:
            where += f" of marker {marker!r}"
        if category is not None:
            where += f" in category {category!r}"
        loc = _location(source, line)
        if loc:
            where += f" ({loc})"
        shown = pattern.translate(_SHOWN)
        super().__init__(f"{where}: {reason}\n  {shown}\n  {' ' * position}^")

    def __reduce__(self):
        return (_pattern_error, (self.pattern, self.position, self.reason, self.marker,
                                 self.category, self.source, self.line))


def _pattern_error(pattern, position, reason, marker, category, source, line):
    return PatternError(pattern, position, reason, marker=marker, category=category,
                        source=source, line=line)


def _location(source: Optional[str], line: Optional[int]) -> str:
    if source and line:
        return f"{source}, line {line}"
    return source or (f"line {line}" if line else "")


def check_pattern(pattern: str) -> None:
    """Raises :class:`PatternError` if ``pattern`` is not valid syntax.

    >>> check_pattern("(coordinated|collective) response*")
    >>> check_pattern("strongly ~3")
    Traceback (most recent call last):
    ...
    natocyber.lexicon.PatternError: pattern: a pattern cannot end with a gap
      strongly ~3
               ^
    """
    if isinstance(pattern, str):
        bad = lone_surrogate(pattern)  # the core reads UTF-8, which cannot encode one
        if bad is not None:
            raise PatternError(pattern, *bad)
    try:
        _core.check_pattern(pattern)
    except ValueError as e:
        if _is_core_pattern_error(e):
            raise PatternError(pattern, e.args[2], e.args[3]) from None
        raise


def _is_core_pattern_error(e: ValueError) -> bool:
    return len(e.args) == 4 and e.args[0] == "pattern"


@dataclass(frozen=True)
class Marker:
    """One stance marker: its ``category``, ``id``, ``pattern`` and optional ladder ``level``
    (0-8), ``probability`` range (low, high), ``scale`` and ``note``."""

    category: str
    id: str
    pattern: str
    level: Optional[int] = None
    probability: Optional[Tuple[float, float]] = None
    scale: Optional[str] = None
    note: Optional[str] = None


# ---- loading files with line numbers ---------------------------------------------------------

class _LineStr(str):
    line: Optional[int] = None


class _LineDict(dict):
    line: Optional[int] = None


class _LineList(list):
    line: Optional[int] = None


class _FileProblem(Exception):
    """Raised while a file is read: the line at fault and what is wrong there. Not a
    ValueError, so that the YAML constructors let it through unchanged."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line, self.message = line, message


def _too_deep() -> str:
    return (f"nesting deeper than {MAX_NESTING} levels of mappings and lists (the limit for "
            "lexicon files)")


def _string_value(s: str, line: int) -> _LineStr:
    bad = lone_surrogate(s)
    if bad is not None:
        raise _FileProblem(line, f"{bad[1]} (a string here has an escape such as \\ud800 "
                                 "without its other half)")
    out = _LineStr(s)
    out.line = line
    return out


def _unreadable(line: int, value: str, error: ValueError, integer: bool) -> _FileProblem:
    shown = repr(value) if len(value) <= 40 else f"{value[:20]!r}... ({len(value):,} characters)"
    # int() refuses more than sys.get_int_max_str_digits() digits; no lexicon needs them
    return _FileProblem(line, f"cannot read {shown}: "
                              f"{'too many digits for an integer' if integer else error}")


_MERGE = "tag:yaml.org,2002:merge"


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings, sequences and strings remember their line. It
    refuses what plain YAML lets through or fails on without a line: duplicate keys
    (plain YAML keeps the last silently), nesting deeper than MAX_NESTING (in the text or
    through aliases; plain YAML recurses until Python's limit), lone surrogates and values
    Python cannot convert (a 5,000-digit integer)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._merged: Dict[int, int] = {}  # id(mapping node) -> pairs that came from merges

    def compose_node(self, parent: Any, index: Any) -> Any:
        # the parser below this is iterative; composing is where nesting recurses
        if not self.check_event(yaml.MappingStartEvent, yaml.SequenceStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _FileProblem(self.peek_event().start_mark.line + 1, _too_deep())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            return self.constructed_objects[node]
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.CollectionNode):
            try:
                return super().construct_object(node, deep)
            except ValueError as e:  # 5,001 digits, 2020-02-30
                raise _unreadable(line, node.value, e, node.tag == "tag:yaml.org,2002:int") \
                    from None
        # aliases can nest a graph deeper than its text
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _FileProblem(line, _too_deep())
            return super().construct_object(node, deep)
        finally:
            self._depth -= 1

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        explicit = sum(1 for k, _ in node.value if k.tag != _MERGE)
        super().flatten_mapping(node)
        # merged pairs come first; a node merged elsewhere was flattened before
        self._merged.setdefault(id(node), len(node.value) - explicit)


def _yaml_map(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    merged = loader._merged[id(node)]
    d = _LineDict()
    d.line = node.start_mark.line + 1
    first: Dict[Any, int] = {}
    for i, (knode, vnode) in enumerate(node.value):
        k = loader.construct_object(knode, deep=True)
        if isinstance(k, list) or isinstance(k, dict):
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar",
                                                    knode.start_mark)
        # keys written here override merged ones (<<: *base); a key written twice is an error
        if i >= merged:
            kline = knode.start_mark.line + 1
            if k in first:
                raise _FileProblem(kline, f"duplicate key {k!r} (first on line {first[k]})")
            first[k] = kline
        d[k] = loader.construct_object(vnode, deep=True)
    return d


def _yaml_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    out = _LineList(loader.construct_object(v, deep=True) for v in node.value)
    out.line = node.start_mark.line + 1
    return out


def _yaml_str(loader: _LineLoader, node: yaml.ScalarNode) -> _LineStr:
    return _string_value(loader.construct_scalar(node), node.start_mark.line + 1)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _yaml_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _yaml_str)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# the constants Python's json module accepts besides the standard ones
_JSON_WORDS = {"true": True, "false": False, "null": None, "NaN": math.nan,
               "Infinity": math.inf, "-Infinity": -math.inf}


class _JsonReader:
    """JSON with the line of every object, array and string, like the YAML loader, and the
    same refusals: duplicate keys (json.loads keeps the last), nesting deeper than
    MAX_NESTING (json.loads recurses until Python's limit), lone surrogates and numbers
    Python cannot convert. Strings are decoded by the json module's own scanner."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.breaks, pos) + 1

    def invalid(self, pos: int, message: str) -> _FileProblem:
        line = self.line(pos)
        column = pos - (self.breaks[line - 2] if line > 1 else -1)
        return _FileProblem(line, f"not valid JSON: {message} (column {column})")

    def skip(self, pos: int) -> int:
        return _JSON_SPACE.match(self.text, pos).end()

    def read(self) -> Any:
        value, pos = self.value(self.skip(0), 1)
        pos = self.skip(pos)
        if pos < len(self.text):
            raise self.invalid(pos, "extra data after the value")
        return value

    def value(self, pos: int, depth: int) -> Tuple[Any, int]:
        c = self.text[pos:pos + 1]
        if c == '"':
            return self.string(pos)
        if c in ("{", "["):
            if depth > MAX_NESTING:
                raise _FileProblem(self.line(pos), _too_deep())
            return self.object(pos, depth) if c == "{" else self.array(pos, depth)
        m = _JSON_NUMBER.match(self.text, pos)
        if m is not None:
            try:
                v = float(m.group()) if m.group(1) or m.group(2) else int(m.group())
            except ValueError as e:
                raise _unreadable(self.line(pos), m.group(), e, True) from None
            return v, m.end()
        for word, v in _JSON_WORDS.items():
            if self.text.startswith(word, pos):
                return v, pos + len(word)
        raise self.invalid(pos, "expecting a value")

    def string(self, pos: int) -> Tuple[_LineStr, int]:
        try:
            s, end = json.decoder.scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as e:
            raise self.invalid(e.pos, e.msg) from None
        return _string_value(s, self.line(pos)), end

    def items(self, pos: int, close: str, item: Callable[[int], int]) -> int:
        """Reads the comma-separated items of the object or array opening at ``pos`` with
        ``item`` (which reads one and returns where it ends); returns the end of ``close``."""
        pos = self.skip(pos + 1)
        if self.text.startswith(close, pos):
            return pos + 1
        while True:
            pos = self.skip(item(pos))
            if self.text.startswith(close, pos):
                return pos + 1
            if not self.text.startswith(",", pos):
                raise self.invalid(pos, f"expecting ',' or '{close}'")
            pos = self.skip(pos + 1)

    def object(self, pos: int, depth: int) -> Tuple[_LineDict, int]:
        out = _LineDict()
        out.line = self.line(pos)
        first: Dict[str, int] = {}

        def member(pos: int) -> int:
            if not self.text.startswith('"', pos):
                raise self.invalid(pos, "expecting a key in double quotes")
            key, end = self.string(pos)
            if key in first:
                raise _FileProblem(key.line, f"duplicate key {key!r} (first on line "
                                             f"{first[key]})")
            first[key] = key.line
            pos = self.skip(end)
            if not self.text.startswith(":", pos):
                raise self.invalid(pos, "expecting ':' after a key")
            out[key], end = self.value(self.skip(pos + 1), depth + 1)
            return end

        return out, self.items(pos, "}", member)

    def array(self, pos: int, depth: int) -> Tuple[_LineList, int]:
        out = _LineList()
        out.line = self.line(pos)

        def element(pos: int) -> int:
            value, end = self.value(pos, depth + 1)
            out.append(value)
            return end

        return out, self.items(pos, "]", element)


def _line(obj: Any) -> Optional[int]:
    return getattr(obj, "line", None)


def _kind(obj: Any) -> str:
    """What a value is, in the words of the file formats (never _LineList)."""
    if isinstance(obj, Mapping):
        return "a mapping"
    if isinstance(obj, list):
        return "a list"
    if isinstance(obj, str):
        return "a string"
    return type(obj).__name__


def _read_text(path: Union[str, os.PathLike]) -> str:
    # a missing file stays FileNotFoundError; one that is there but not a regular file is
    # never opened (a named pipe would wait for a writer)
    why = file_problem(os.fspath(path)) if os.path.exists(path) else None
    if why:
        raise LexiconError(f"{os.fspath(path)}: {why}")
    size = os.path.getsize(path) if os.path.exists(path) else 0
    if size > MAX_FILE_BYTES:
        raise LexiconError(f"{os.fspath(path)}: {size:,} bytes; a lexicon file may hold at most "
                           f"{MAX_FILE_BYTES:,} (is it a lexicon?)")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except UnicodeDecodeError as e:
        raise LexiconError(f"{os.fspath(path)}: not UTF-8 text ({e.reason} at byte {e.start})") \
            from None


def _parse_text(text: str, source: str, fmt: str) -> Any:
    try:
        if fmt == "json":
            return _JsonReader(text).read()
        return yaml.load(text, Loader=_LineLoader)
    except _FileProblem as e:
        raise LexiconError(f"{source}, line {e.line}: {e.message}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        where = f"{source}, line {mark.line + 1}" if mark is not None else source
        raise LexiconError(f"{where}: not valid YAML: {problem}") from None


def _format_of(path: Union[str, os.PathLike], fmt: Optional[str]) -> str:
    if fmt is not None:
        if fmt not in ("yaml", "json"):
            raise ValueError(f"format must be 'yaml' or 'json', not {fmt!r}")
        return fmt
    return "json" if os.fspath(path).lower().endswith(".json") else "yaml"


# ---- building from a specification -------------------------------------------------------------

class _Spec:
    """Collects markers while a specification is read; raises with file and line."""

    def __init__(self, source: Optional[str]) -> None:
        self.source = source
        self.markers: List[Marker] = []
        self.lines: List[Optional[int]] = []
        self.descriptions: Dict[str, Optional[str]] = {}
        self.ids: Dict[str, Tuple[str, Optional[int]]] = {}  # id -> (category, line)

    def fail(self, msg: str, obj: Any = None, line: Optional[int] = None) -> None:
        loc = _location(self.source, line if line is not None else _line(obj))
        raise LexiconError(f"{loc}: {msg}" if loc else msg)

    def text(self, value: str, what: str, line: Optional[int]) -> None:
        """Refuses a label with a lone surrogate: tables of results (and the files written
        from them) cannot hold one."""
        bad = lone_surrogate(value)
        if bad is not None:
            self.fail(f"{what} {value!r}: {bad[1]} (position {bad[0]})", line=line)

    def category(self, name: Any, description: Any = None, line: Optional[int] = None) -> str:
        if not isinstance(name, str) or not name.strip():
            self.fail(f"a category name must be a non-empty string, not {name!r}", name, line)
        if description is not None and not isinstance(description, str):
            self.fail(f"the description of category {name!r} must be a string", description,
                      line)
        self.text(name, "category name", line)
        if description is not None:
            self.text(description, f"the description of category {name!r}", line)
        self.descriptions[str(name)] = None if description is None else str(description)
        return str(name)

    def marker(self, category: str, item: Any, index: int, parent_line: Optional[int]) -> None:
        line = _line(item) or parent_line
        if isinstance(item, str):
            entry = {"id": item, "pattern": item}
        elif isinstance(item, Marker):
            entry = {k: getattr(item, k) for k in _MARKER_KEYS}
        elif isinstance(item, Mapping):
            entry = dict(item)
        else:
            self.fail(f"marker {index} of category {category!r} must be a pattern string or a "
                      f"mapping with 'pattern', not {_kind(item)}", line=line)
        unknown = sorted(str(k) for k in entry if k not in _MARKER_KEYS)
        if unknown:
            self.fail(f"marker {index} of category {category!r} has unknown key(s) "
                      f"{', '.join(map(repr, unknown))}; allowed: {', '.join(_MARKER_KEYS)}",
                      line=line)
        pattern = entry.get("pattern")
        if not isinstance(pattern, str):
            self.fail(f"marker {index} of category {category!r} needs a 'pattern' string",
                      line=line)
        mid = entry.get("id", pattern)
        if mid is None:
            mid = pattern
        if not pattern.strip():
            raise PatternError(pattern, 0, "empty pattern",
                               marker=mid if isinstance(mid, str) else None, category=category,
                               source=self.source, line=line)
        if not isinstance(mid, str) or not mid.strip():
            self.fail(f"marker {index} of category {category!r}: id must be a non-empty string",
                      line=line)
        if mid != pattern:  # else a lone surrogate is a PatternError, with a caret
            self.text(mid, f"marker {index} of category {category!r}: id", line)
        if mid in self.ids:
            other, other_line = self.ids[mid]
            first = f" (first on line {other_line})" if other_line else ""
            if other == category:
                self.fail(f"marker id {mid!r} appears twice in category {category!r}{first}",
                          line=line)
            self.fail(f"marker id {mid!r} of category {category!r} is already the id of a "
                      f"marker in category {other!r}{first}; marker ids must be unique across "
                      "the lexicon", line=line)
        level = entry.get("level")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)
                                  or not 0 <= level <= LEVEL_MAX):
            self.fail(f"marker {mid!r}: level must be an integer from 0 to {LEVEL_MAX}, "
                      f"not {level!r}", line=line)
        prob = entry.get("probability")
        if prob is not None:
            prob = self._probability(mid, prob, line)
        for key in ("scale", "note"):
            v = entry.get(key)
            if v is not None and not isinstance(v, str):
                self.fail(f"marker {mid!r}: {key} must be a string", line=line)
            if v is not None:
                self.text(v, f"marker {mid!r}: {key}", line)
        self.ids[mid] = (category, line)
        self.markers.append(Marker(category, str(mid), str(pattern), level, prob,
                                   None if entry.get("scale") is None else str(entry["scale"]),
                                   None if entry.get("note") is None else str(entry["note"])))
        self.lines.append(line)

    def _probability(self, mid: str, prob: Any, line: Optional[int]) -> Tuple[float, float]:
        ok = (isinstance(prob, (list, tuple)) and len(prob) == 2
              and all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in prob))
        if ok:
            lo, hi = float(prob[0]), float(prob[1])
            ok = 0.0 <= lo <= hi <= 1.0 and not (math.isnan(lo) or math.isnan(hi))
        if not ok:
            self.fail(f"marker {mid!r}: probability must be [low, high] with "
                      f"0 <= low <= high <= 1, not {prob!r}", line=line)
        return (lo, hi)

    def category_markers(self, name: Any, items: Any, line: Optional[int]) -> None:
        cat = name if isinstance(name, str) and name in self.descriptions else self.category(
            name, None, line)
        if isinstance(items, str) or not isinstance(items, Sequence):
            self.fail(f"category {cat!r} must hold a list of markers, not "
                      f"{_kind(items)}", items, line)
        if len(items) == 0:
            self.fail(f"category {cat!r} has no markers", items, line)
        for i, item in enumerate(items):
            self.marker(cat, item, i, _line(items) or line)


def _from_spec(spec: Any, source: Optional[str]) -> Tuple[_Spec, dict]:
    """Reads a lexicon specification (the file format as Python data, or the simple
    {category: [patterns]} form). Returns the collected markers and the top-level options."""
    s = _Spec(source)
    if isinstance(spec, Lexicon):
        spec = spec.to_dict()
    if not isinstance(spec, Mapping):
        if isinstance(spec, Iterable) and not isinstance(spec, (str, bytes)):
            items = list(spec)
            bad = [m for m in items if not isinstance(m, Marker)]
            if bad:
                s.fail(f"a lexicon from a list needs Marker objects, not {_kind(bad[0])}")
            for i, m in enumerate(items):
                if m.category not in s.descriptions:
                    s.category(m.category)
                s.marker(m.category, m, i, None)
            return s, {}
        s.fail(f"a lexicon specification must be a mapping, not {_kind(spec)}", spec)
    top: dict = {}
    if "categories" in spec and isinstance(spec["categories"], Mapping):
        unknown = sorted(str(k) for k in spec if k not in _TOP_KEYS)
        if unknown:
            s.fail(f"unknown top-level key(s) {', '.join(map(repr, unknown))}; allowed: "
                   f"{', '.join(_TOP_KEYS)}", spec)
        top = {k: spec[k] for k in _TOP_KEYS if k in spec and k != "categories"}
        cats = spec["categories"]
    else:
        cats = spec
    if len(cats) == 0:
        s.fail("the lexicon has no categories", cats)
    for name, body in cats.items():
        line = _line(body) or _line(cats)
        if isinstance(body, Mapping):
            unknown = sorted(str(k) for k in body if k not in ("description", "markers"))
            if unknown:
                s.fail(f"category {name!r} has unknown key(s) {', '.join(map(repr, unknown))}; "
                       "allowed: description, markers", body)
            s.category(name, body.get("description"), line)
            if "markers" not in body:
                s.fail(f"category {name!r} has no 'markers' list", body)
            s.category_markers(name, body["markers"], line)
        else:
            s.category(name, None, line)
            s.category_markers(name, body, line)
    return s, top


def _cue_list(name: str, value: Any, source: Optional[str]) -> Tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise LexiconError(f"{_location(source, _line(value)) + ': ' if source else ''}{name} "
                           "must be a list of patterns")
    out = tuple(value)
    bad = [v for v in out if not isinstance(v, str)]
    if bad:
        raise LexiconError(f"{name}: {bad[0]!r} is not a pattern string")
    return out


class Lexicon:
    """Categories of stance-marker patterns, compiled into one automaton.

    Parameters
    ----------
    spec:
        ``{category: [pattern, ...]}``; list items may also be mappings with ``pattern``
        and optionally ``id``, ``level`` (0-8), ``probability`` ([low, high]), ``scale``,
        ``note``. The full file format (a mapping with ``categories``, see
        ``docs/lexicon.md``), a list of :class:`Marker` objects, or another Lexicon are
        accepted too. A plain pattern string is its own marker id. Marker ids are unique
        across the whole lexicon, not only within a category: the same id (or plain
        pattern) in two categories raises :class:`LexiconError`.
    name, version, description:
        Labels shown in ``repr`` and saved with :meth:`to_dict`.
    stem:
        A Snowball language (``"english"``): literal pattern words then match every form
        with the same stem ("condemn" matches "condemned"); globs still match forms.
    negators, cancellers, hypotheticals, scope_breaks:
        Pattern lists of the context cues that set the ``negated`` and ``hypothetical``
        flags (defaults: :data:`DEFAULT_NEGATORS` and friends; see ``docs/patterns.md``).

    Everything is validated, and the patterns compiled once with the default tokenizer,
    before the constructor returns: a bad pattern (also one holding a lone surrogate such as
    ``"\\ud800"``) raises :class:`PatternError` with the position, a bad structure or label
    :class:`LexiconError`, both ValueErrors, and nothing is half-built. The object is
    immutable, can be used from several threads and pickles by its specification.

    Example
    -------
    >>> lex = Lexicon({"deterrence": ["time and ~3 manner of our choosing", "all capabilities"]})
    >>> lex
    <natocyber.Lexicon: 2 markers in 1 category (deterrence)>
    >>> lex.table()[["category", "marker"]].values.tolist()[0]
    ['deterrence', 'time and ~3 manner of our choosing']
    >>> Lexicon({"response": ["sanctions"], "deterrence": ["sanctions"]})
    Traceback (most recent call last):
    ...
    natocyber.lexicon.LexiconError: marker id 'sanctions' of category 'deterrence' is already the id of a marker in category 'response'; marker ids must be unique across the lexicon
    """

    def __init__(self, spec: Any, *, name: Optional[str] = None, version: Optional[str] = None,
                 description: Optional[str] = None, stem: Optional[str] = None,
                 negators: Optional[Iterable[str]] = None,
                 cancellers: Optional[Iterable[str]] = None,
                 hypotheticals: Optional[Iterable[str]] = None,
                 scope_breaks: Optional[Iterable[str]] = None,
                 _source: Optional[str] = None) -> None:
        collected, top = _from_spec(spec, _source)
        if isinstance(spec, Lexicon):
            top = {"name": spec.name, "version": spec.version, "description": spec.description,
                   "stem": spec.stem, "context": spec.context}
        ctx = top.get("context") or {}
        if not isinstance(ctx, Mapping):
            collected.fail("context must be a mapping of cue lists", ctx)
        unknown = sorted(str(k) for k in ctx if k not in _CONTEXT_KEYS)
        if unknown:
            collected.fail(f"unknown context key(s) {', '.join(map(repr, unknown))}; allowed: "
                           f"{', '.join(_CONTEXT_KEYS)}", ctx)
        given = {"negators": negators, "cancellers": cancellers, "hypotheticals": hypotheticals,
                 "scope_breaks": scope_breaks}
        defaults = {"negators": DEFAULT_NEGATORS, "cancellers": DEFAULT_CANCELLERS,
                    "hypotheticals": DEFAULT_HYPOTHETICALS, "scope_breaks": DEFAULT_SCOPE_BREAKS}
        context = {}
        for key in _CONTEXT_KEYS:
            v = given[key] if given[key] is not None else ctx.get(key, defaults[key])
            context[key] = _cue_list(key, v, _source)
        meta = {"name": name if name is not None else top.get("name"),
                "version": version if version is not None else top.get("version"),
                "description": description if description is not None else top.get("description"),
                "stem": stem if stem is not None else top.get("stem")}
        for key, v in meta.items():
            if v is not None and not isinstance(v, (str, int, float)):
                collected.fail(f"{key} must be a string, not {_kind(v)}")
            if isinstance(v, str):
                collected.text(v, key, _line(v))
        if meta["stem"] is not None and meta["stem"] not in _core.stem_languages():
            raise LexiconError(f"unknown stemming language {meta['stem']!r}; available: "
                               f"{', '.join(sorted(_core.stem_languages()))}")
        self._markers: Tuple[Marker, ...] = tuple(collected.markers)
        self._lines = tuple(collected.lines)
        self._descriptions = dict(collected.descriptions)
        self._categories = tuple(collected.descriptions)
        self._context = context
        self._source = _source
        self.name = None if meta["name"] is None else str(meta["name"])
        self.version = None if meta["version"] is None else str(meta["version"])
        self.description = None if meta["description"] is None else str(meta["description"])
        self.stem = meta["stem"]
        self._cache: Dict[Tokenizer, Any] = {}
        self._compile(default_tokenizer())  # validates every pattern now

    # ---- constructors ---------------------------------------------------------------------

    @classmethod
    def default(cls) -> "Lexicon":
        """The built-in stance lexicon (``natocyber-stance``; see ``docs/lexicon.md``).

        >>> lex = Lexicon.default()
        >>> lex.categories[:3]
        ['attribution', 'solidarity', 'concern']
        """
        global _DEFAULT
        if _DEFAULT is None:
            path = resources.files("natocyber").joinpath("data/stance_lexicon.yaml")
            text = path.read_text("utf-8")
            _DEFAULT = cls._from_text(text, "stance_lexicon.yaml", "yaml")
        return _DEFAULT

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike], format: Optional[str] = None,
                  **options: Any) -> "Lexicon":
        """A lexicon from a YAML or JSON file (by extension, or ``format="yaml"|"json"``) in
        the file format of ``docs/lexicon.md`` or the simple ``{category: [patterns]}``
        form. ``options`` are constructor options.

        Errors are :class:`LexiconError` naming the file and line. Besides the checks of the
        constructor, a file may not write a key twice in one mapping (a YAML merge ``<<:``
        followed by keys of its own is fine: those override), nest mappings and lists more
        than :data:`MAX_NESTING` (100) levels deep, hold a lone surrogate (an escape such as
        ``"\\ud800"`` without its other half) or a number Python cannot read.

        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = os.path.join(d, "mine.yaml")
        ...     _ = open(p, "w").write("deterrence:\\n  - all capabilities\\n")
        ...     len(Lexicon.from_file(p))
        1
        """
        fmt = _format_of(path, format)
        return cls._from_text(_read_text(path), os.fspath(path), fmt, **options)

    @classmethod
    def _from_text(cls, text: str, source: str, fmt: str, **options: Any) -> "Lexicon":
        data = _parse_text(text, source, fmt)
        if data is None:
            raise LexiconError(f"{source}: the file is empty")
        return cls(data, _source=source, **options)

    @classmethod
    def from_quanteda(cls, path: Union[str, os.PathLike], **options: Any) -> "Lexicon":
        """A lexicon from a quanteda-style YAML dictionary: ``category: [values]``, nested
        keys joined with ``.`` (quanteda's separator), values being glob patterns such as
        ``"terror*"`` or phrases such as ``"united nations"``.

        quanteda's globs are translated: ``word*`` and ``*word`` keep their meaning; a ``*``
        inside a word or a ``?`` (one character) has no equivalent and raises an error
        naming the line. Characters special to natocyber patterns are escaped. Each value
        becomes a marker whose id is the value as written; a value that several keys list
        (quanteda counts it under each) gets the id ``key/value`` under each of them, since
        ids are unique across the lexicon. A value listed twice under one key is an error
        naming both lines.

        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = os.path.join(d, "dict.yml")
        ...     _ = open(p, "w").write("threat:\\n  retaliat*: [retaliate, retaliation]\\n")
        ...     Lexicon.from_quanteda(p).categories
        ['threat.retaliat*']
        """
        source = os.fspath(path)
        data = _parse_text(_read_text(path), source, "yaml")
        if not isinstance(data, Mapping) or not data:
            raise LexiconError(f"{source}: a quanteda dictionary must be a non-empty mapping of "
                               "keys to lists of values")
        cats: Dict[str, Any] = _LineDict()
        # how many keys hold each value; the walk stops at MAX_QUANTEDA_VALUES, so that a
        # mapping shared through YAML aliases cannot multiply it without end
        keys_of: Dict[str, int] = {}
        total = 0

        def walk(prefix: str, node: Any, line: Optional[int]) -> None:
            nonlocal total
            for key, value in node.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                vline = _line(value) or line
                if isinstance(value, Mapping):
                    if not value:  # would be dropped without a word
                        raise LexiconError(f"{_location(source, vline)}: key {name!r} holds an "
                                           "empty mapping")
                    walk(name, value, vline)
                    continue
                values = [value] if isinstance(value, str) else value
                if not isinstance(values, Sequence) or not values:
                    raise LexiconError(f"{_location(source, vline)}: key {name!r} must hold a "
                                       "list of values")
                items = _LineList()
                items.line = vline
                here: Dict[str, Optional[int]] = {}
                for v in values:
                    if not isinstance(v, str):
                        raise LexiconError(f"{_location(source, _line(values) or vline)}: value "
                                           f"{v!r} of {name!r} is not a string")
                    vl = _line(v) or vline
                    if v in here:
                        raise LexiconError(f"{_location(source, vl)}: value {v!r} appears twice "
                                           f"under {name!r} (line {here[v]})")
                    here[v] = vl
                    total += 1
                    if total > MAX_QUANTEDA_VALUES:
                        raise LexiconError(f"{source}: the dictionary holds more than "
                                           f"{MAX_QUANTEDA_VALUES:,} values (through YAML "
                                           "aliases?)")
                    keys_of[v] = keys_of.get(v, 0) + 1
                    item = _LineDict(id=v, pattern=_from_quanteda_value(v, source, vl))
                    item.line = vl
                    items.append(item)
                cats[name] = items

        walk("", data, _line(data))
        # quanteda counts a value under every key that lists it; marker ids are unique, so
        # such a value is told apart by its key
        for name, items in cats.items():
            for item in items:
                if keys_of[item["id"]] > 1:
                    item["id"] = f"{name}/{item['id']}"
        return cls(cats, _source=source, **options)

    # ---- facts ------------------------------------------------------------------------------

    @property
    def categories(self) -> List[str]:
        """Category names, in the order they were given."""
        return list(self._categories)

    @property
    def entries(self) -> Tuple[Marker, ...]:
        """The markers, in order."""
        return self._markers

    @property
    def context(self) -> Dict[str, Tuple[str, ...]]:
        """The context cue lists: negators, cancellers, hypotheticals, scope_breaks."""
        return dict(self._context)

    def describe_category(self, category: str) -> Optional[str]:
        """The description of a category (None if it has none)."""
        self._check_categories([category])
        return self._descriptions[category]

    def __len__(self) -> int:
        return len(self._markers)

    def __iter__(self) -> Iterator[Marker]:
        return iter(self._markers)

    def __repr__(self) -> str:
        label = " ".join(str(x) for x in (self.name, self.version) if x)
        cats = self._categories
        shown = ", ".join(cats[:4]) + (", ..." if len(cats) > 4 else "")
        n = len(cats)
        return (f"<natocyber.Lexicon{' ' + label if label else ''}: {len(self)} marker"
                f"{'s' if len(self) != 1 else ''} in {n} categor{'ies' if n != 1 else 'y'} "
                f"({shown})>")

    def table(self) -> pd.DataFrame:
        """One row per marker: ``category``, ``marker``, ``pattern``, ``level`` (nullable
        integer), ``probability_low``, ``probability_high``, ``scale``, ``note``.

        >>> Lexicon.default().table().columns.tolist()[:4]
        ['category', 'marker', 'pattern', 'level']
        """
        m = self._markers
        return pd.DataFrame({
            "category": [x.category for x in m],
            "marker": [x.id for x in m],
            "pattern": [x.pattern for x in m],
            "level": pd.array([x.level for x in m], dtype="Int64"),
            "probability_low": [x.probability[0] if x.probability else float("nan") for x in m],
            "probability_high": [x.probability[1] if x.probability else float("nan") for x in m],
            "scale": [x.scale for x in m],
            "note": [x.note for x in m],
        })

    # ---- derived lexicons ---------------------------------------------------------------------

    def _check_categories(self, cats: Sequence[str]) -> None:
        unknown = [c for c in cats if c not in self._descriptions]
        if unknown:
            raise LexiconError(
                f"unknown categor{'ies' if len(unknown) > 1 else 'y'} "
                f"{', '.join(map(repr, unknown))}; this lexicon has: "
                f"{', '.join(self._categories)}")

    def select(self, categories: Union[str, Iterable[str]]) -> "Lexicon":
        """A lexicon with only the given categories (in this lexicon's order).

        >>> Lexicon.default().select(["condemnation", "deterrence"]).categories
        ['condemnation', 'deterrence']
        >>> Lexicon.default().select("condemnaton")
        Traceback (most recent call last):
        ...
        natocyber.lexicon.LexiconError: unknown category 'condemnaton'; this lexicon has: attribution, solidarity, concern, disapproval, condemnation, demand, norms, response, deterrence, estimative, hedge, booster
        """
        cats = [categories] if isinstance(categories, str) else list(categories)
        bad = [c for c in cats if not isinstance(c, str)]
        if bad:
            raise TypeError(f"category names must be str, not {type(bad[0]).__name__}")
        if not cats:
            raise LexiconError("select() needs at least one category")
        self._check_categories(cats)
        keep = set(cats)
        spec = self.to_dict()
        spec["categories"] = {c: v for c, v in spec["categories"].items() if c in keep}
        return Lexicon(spec)

    def drop(self, categories: Union[str, Iterable[str]]) -> "Lexicon":
        """A lexicon without the given categories."""
        cats = [categories] if isinstance(categories, str) else list(categories)
        self._check_categories(cats)
        rest = [c for c in self._categories if c not in set(cats)]
        if not rest:
            raise LexiconError("drop() would leave no categories")
        return self.select(rest)

    def to_dict(self) -> dict:
        """The specification in the file format (what :meth:`from_file` reads, as data)."""
        cats: Dict[str, Any] = {}
        for c in self._categories:
            cats[c] = {"markers": []}
            if self._descriptions[c] is not None:
                cats[c] = {"description": self._descriptions[c], "markers": []}
        for m in self._markers:
            d: Dict[str, Any] = {"id": m.id, "pattern": m.pattern}
            if m.level is not None:
                d["level"] = m.level
            if m.probability is not None:
                d["probability"] = list(m.probability)
            if m.scale is not None:
                d["scale"] = m.scale
            if m.note is not None:
                d["note"] = m.note
            cats[m.category]["markers"].append(d)
        out: Dict[str, Any] = {}
        for k in ("name", "version", "description", "stem"):
            if getattr(self, k) is not None:
                out[k] = getattr(self, k)
        out["context"] = {k: list(v) for k, v in self._context.items()}
        out["categories"] = cats
        return out

    def __reduce__(self):
        return (_rebuild, (self.to_dict(), self._source))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicon) and other.to_dict() == self.to_dict()

    def __hash__(self) -> int:
        return hash((self.name, self.version, len(self._markers), self._markers[0]))

    # ---- compiling ------------------------------------------------------------------------------

    def _specs(self) -> Tuple[List[str], List[int], List[int], List[Tuple[str, int]]]:
        """Patterns, categories and roles for the C compiler, and for each pattern where it
        came from: ("marker", index) or (cue list name, index)."""
        cat_index = {c: i for i, c in enumerate(self._categories)}
        pats = [m.pattern for m in self._markers]
        cats = [cat_index[m.category] for m in self._markers]
        roles = [0] * len(pats)
        origin = [("marker", i) for i in range(len(pats))]
        for key in _CONTEXT_KEYS:
            for i, p in enumerate(self._context[key]):
                pats.append(p)
                cats.append(0)
                roles.append(_ROLE[key])
                origin.append((key, i))
        return pats, cats, roles, origin

    def _compile(self, tokenizer: Tokenizer) -> Any:
        """The automaton for corpora made with ``tokenizer`` (cached per tokenizer)."""
        core = self._cache.get(tokenizer)
        if core is not None:
            return core
        pats, cats, roles, origin = self._specs()
        for index, p in enumerate(pats):
            bad = lone_surrogate(p)  # the core reads UTF-8, which cannot encode one
            if bad is not None:
                raise self._pattern_error(pats[index], origin[index], *bad)
        try:
            core = _core._Lexicon(pats, cats, roles, normalize=_word_normalizer(tokenizer),
                                  stem=self.stem)
        except ValueError as e:
            if not _is_core_pattern_error(e):
                raise
            _, index, pos, reason = e.args
            raise self._pattern_error(pats[index], origin[index], pos, reason) from None
        self._cache[tokenizer] = core
        return core

    def _pattern_error(self, pattern: str, origin: Tuple[str, int], pos: int,
                       reason: str) -> PatternError:
        """The error for a pattern of a marker or cue list, naming the marker and line."""
        kind, i = origin
        if kind == "marker":
            m = self._markers[i]
            return PatternError(m.pattern, pos, reason, marker=m.id, category=m.category,
                                source=self._source, line=self._lines[i])
        return PatternError(pattern, pos, reason, what=f"{kind[:-1]} cue {i}",
                            source=self._source)

    def info(self, tokenizer: Optional[Tokenizer] = None) -> dict:
        """Sizes of the compiled automaton: patterns (markers and cues), symbols, terms,
        states, edges and paths (the linear expansions of all patterns)."""
        return dict(self._compile(tokenizer or default_tokenizer()).info())


_DEFAULT: Optional[Lexicon] = None


def _rebuild(spec: dict, source: Optional[str]) -> Lexicon:
    return Lexicon(spec, _source=source)


def resolve_lexicon(lexicon: Any, categories: Union[None, str, Iterable[str]] = None
                    ) -> Lexicon:
    """The lexicon a call asked for: the built-in one for None, a :class:`Lexicon` as it
    is, anything else as a specification; with ``categories``, only those."""
    if lexicon is None:
        lexicon = Lexicon.default()
    elif not isinstance(lexicon, Lexicon):
        if isinstance(lexicon, (str, bytes)):
            raise TypeError("lexicon must be a natocyber.Lexicon (for a pattern use kwic(), or "
                            "Lexicon({'mine': [pattern]}))")
        lexicon = Lexicon(lexicon)
    if categories is not None:
        lexicon = lexicon.select(categories)
    return lexicon


def automaton(lexicon: Lexicon, tokenizer: Tokenizer) -> Any:
    """The C automaton of ``lexicon`` for corpora made with ``tokenizer`` (compiled once per
    tokenizer), which the token store matches."""
    return lexicon._compile(tokenizer)


_SPECIAL = set("()|~?\\")


def _from_quanteda_value(value: str, source: str, line: Optional[int]) -> str:
    words = value.split()
    if not words:
        raise LexiconError(f"{_location(source, line)}: empty dictionary value")
    out = []
    for w in words:
        prefix = w.endswith("*")
        suffix = w.startswith("*")
        core = w[1 if suffix else 0: len(w) - 1 if prefix else len(w)]
        if prefix and suffix:
            raise LexiconError(
                f"{_location(source, line)}: value {value!r}: '*' at both ends of {w!r} has no "
                "equivalent (natocyber globs match a prefix, word*, or a suffix, *word)")
        if not core or "*" in core or "?" in core:
            raise LexiconError(
                f"{_location(source, line)}: value {value!r}: the wildcard in {w!r} has no "
                "equivalent (natocyber globs match a prefix, word*, or a suffix, *word)")
        esc = "".join("\\" + ch if ch in _SPECIAL else ch for ch in core)
        out.append(("*" if suffix else "") + esc + ("*" if prefix else ""))
    return " ".join(out)


def _word_normalizer(tokenizer: Tokenizer):
    """The function the compiler calls on each pattern word: the word's forms under
    ``tokenizer``, so that patterns normalize exactly like the text."""
    opts = tokenizer.options
    plain = tokenizer
    if opts.get("stem"):  # a glob's prefix must not be stemmed
        plain = Tokenizer.from_options({**opts, "stem": None})
    with_numbers = None
    if opts.get("drop_numbers"):
        with_numbers = Tokenizer.from_options({**opts, "drop_numbers": False})

    def normalize(word: str, glob: int) -> list:
        tok = plain if glob else tokenizer
        forms = tok.tokenize(word)
        if word.endswith(".") and (not forms or not forms[-1].endswith(".")):
            # The abbreviation table is case-sensitive ("Gen." is one, "gen." is not) while
            # patterns are written in lower case: try the capitalized and upper-case word.
            for variant in (word[:1].upper() + word[1:], word.upper()):
                alt = tok.tokenize(variant)
                if alt and alt[-1].endswith("."):
                    return alt
        if not forms and with_numbers is not None:
            # a number in a pattern over a corpus without numbers: it can never match
            forms = with_numbers.tokenize(word)
        return forms

    return normalize
