"""Configs validated at the edge: a safe YAML reader and pydantic schemas with key-path errors.

Every YAML file a user gives govlab (locality configs, scenarios, sweeps) is read by
:func:`read_yaml` and checked by a pydantic model (:func:`validate`), so that a bad file stops with
one :class:`govlab.errors.ConfigError` naming the file and the user's dotted key path
(``members.committees.county.size``) and saying what was expected, before any work starts.

:func:`read_yaml` refuses, with the file, line and key path:

* duplicate keys in a mapping (YAML says keys are unique; PyYAML keeps the last one in silence);
* anchors and aliases (``&a`` / ``*a``): no shipped file needs them, and refusing them stops
  "billion laughs" alias bombs before anything is expanded;
* nesting deeper than :data:`MAX_DEPTH` levels (10,000 brackets would overflow Python's stack);
* files larger than :data:`MAX_BYTES`.

Bytes are decoded as the reports are: UTF-8 (with or without a BOM), UTF-16 with a BOM, else the
corpus reader's detection (GB18030, Big5); undecodable bytes are an error naming the file.

Numbers are checked by :func:`number`: finite (no ``.nan``/``.inf``), whole where a count is
expected, and inside documented bounds (:data:`BOUNDS`), so that a typo such as ``1e8`` members
is refused instead of hanging synthesis.
"""
from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from govlab.errors import ConfigError

#: Deepest nesting of mappings and lists accepted in a YAML file (the shipped files use 6).
MAX_DEPTH = 64
#: Largest YAML file accepted (the largest shipped config is about 20 kB).
MAX_BYTES = 4_000_000

#: Upper bounds on counts, with the reason for each. They keep a typo (an extra zero, ``1e8``)
#: from building a locality or a grid that would not fit in memory or would never finish.
BOUNDS: dict[str, tuple[float, str]] = {
    "population": (200_000_000, "the most populous Chinese province has about 127 million residents"),
    "units": (1_000_000, "China has about 600,000 villages and communities in all"),
    "committee_size": (5_000, "the National Committee of the CPPCC has about 2,200 members; local committees are smaller"),
    "small_count": (1_000, "a locality has far fewer special committees, sectors, departments or groups"),
    "platforms": (1_000_000, "at most one platform per village or community, about 600,000 in China"),
    "events": (10_000, "more than about 27 events a day at one platform is not a consultation"),
    "replicates": (10_000, "10,000 replicates put the Monte Carlo error below 1% of a run's spread; "
                   "use a sweep with chunks for more"),
    "years": (100, "the model simulates consultation years of a term-based system, not centuries"),
    "grid_values": (10_000, "values of one swept parameter"),
    "grid_points": (1_000_000, "grid points of a sweep (each runs `replicates` times)"),
    "runs": (100_000_000, "runs of a sweep"),
    "chunk_size": (100_000, "runs per chunk, held in memory while a chunk runs"),
    "count": (1_000_000, "a count parameter of the consultation-year model"),
}


def bound(name: str) -> int:
    """The upper bound called ``name`` in :data:`BOUNDS`.

    Examples
    --------
    >>> bound("replicates")
    10000
    """
    return int(BOUNDS[name][0])


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` hint for a mistyped name, or ``""``.

    Examples
    --------
    >>> did_you_mean("gansu-extention", ["gansu-extension", "shangyou-620"])
    " (did you mean 'gansu-extension'?)"
    >>> did_you_mean("zzz", ["gansu-extension"])
    ''
    """
    m = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {m[0]!r}?)" if m else ""


# --------------------------------------------------------------------------- YAML
def _safe_loader(source: str):
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader refusing duplicate keys, anchors/aliases and deep nesting, tracking key paths."""

        def __init__(self, stream):
            super().__init__(stream)
            self._path: list = []
            self._paths: dict[int, str] = {}
            self._depth = 0

        def _here(self, node=None) -> str:
            out = ""
            parts = self._path if len(self._path) <= 12 else self._path[:10] + ["…"]
            for p in parts:
                out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
            return out or "<top>"

        def _fail(self, msg: str, node) -> None:
            line = f" (line {node.start_mark.line + 1})" if node is not None and node.start_mark else ""
            raise ConfigError(msg + line, source=source, key=self._here())

        def compose_node(self, parent, index):
            pushed = parent is not None and index is not None
            if pushed:
                self._path.append(index if isinstance(index, int) else getattr(index, "value", index))
            self._depth += 1
            try:
                ev = self.peek_event()
                line = ev.start_mark.line + 1
                if isinstance(ev, yaml.AliasEvent):
                    raise ConfigError(f"YAML aliases (*{ev.anchor}) are not accepted in config files "
                                      f"(line {line}); write the value out", source=source, key=self._here())
                if getattr(ev, "anchor", None):
                    raise ConfigError(f"YAML anchors (&{ev.anchor}) are not accepted in config files "
                                      f"(line {line}); write the value out", source=source, key=self._here())
                if self._depth > MAX_DEPTH:
                    raise ConfigError(f"nested more than {MAX_DEPTH} levels deep (line {line})", source=source,
                                      key=self._here())
                node = super().compose_node(parent, index)
                self._paths[id(node)] = self._here()
                return node
            finally:
                self._depth -= 1
                if pushed:
                    self._path.pop()

        def compose_sequence_node(self, anchor):
            # as PyYAML's, with the item index passed down (PyYAML passes None) for key paths
            start_event = self.get_event()
            node = yaml.SequenceNode("tag:yaml.org,2002:seq", [], start_event.start_mark, None,
                                     flow_style=start_event.flow_style)
            index = 0
            while not self.check_event(yaml.SequenceEndEvent):
                node.value.append(self.compose_node(node, index))
                index += 1
            end_event = self.get_event()
            node.end_mark = end_event.end_mark
            return node

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (ConfigError, yaml.YAMLError):
                raise
            except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise anything on bad values: 2019-02-30, !!int abc, "!!int"
                where = self._paths.get(id(node), "<top>")
                value = node.value if isinstance(node.value, str) else type(node).__name__
                raise ConfigError(f"cannot read the value {value!r} (line {node.start_mark.line + 1}): {exc}",
                                  source=source, key=where) from None

        def construct_mapping(self, node, deep=False):
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    where = self._paths.get(id(node), "<top>")
                    raise ConfigError(f"a mapping key must be a plain value, not {type(key).__name__} "
                                      f"(line {key_node.start_mark.line + 1})", source=source,
                                      key=where) from None
                if key in seen:
                    where = self._paths.get(id(node), "<top>")
                    path = f"{where}.{key}" if where != "<top>" else str(key)
                    raise ConfigError(f"duplicate key (line {key_node.start_mark.line + 1}; first at line "
                                      f"{seen[key]})", source=source, key=path)
                seen[key] = key_node.start_mark.line + 1
            return super().construct_mapping(node, deep=deep)

    return Loader


def decode_config(data: bytes, source: str) -> str:
    """Decode a config file's bytes as reports are decoded (UTF-8, UTF-16 BOM, GB18030, Big5).

    Raises
    ------
    ConfigError
        Naming the file when no supported encoding gives text.

    Examples
    --------
    >>> decode_config("name: 上犹".encode("gb18030"), "x.yaml")
    'name: 上犹'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from govlab.corpus.read import decode_bytes
    from govlab.errors import InputError

    try:
        text, _encoding = decode_bytes(data, source=source)
    except InputError as exc:
        raise ConfigError(f"cannot decode the file as text (tried UTF-8, UTF-16, GB18030, Big5): "
                          f"{str(exc).removeprefix(source + ': ')}", source=source) from None
    return text


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text safely (see the module docstring for what is refused).

    Examples
    --------
    >>> parse_yaml("a: {b: 1}")
    {'a': {'b': 1}}
    >>> parse_yaml("a: 1\\na: 2", "x.yaml")
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: x.yaml: a: duplicate key (line 2; first at line 1)
    """
    import yaml

    loader = None
    try:
        loader = _safe_loader(source)(text)
        loader.name = source
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        msg = " ".join(str(exc).split()).replace('"<unicode string>"', repr(source))
        raise ConfigError(f"not valid YAML: {msg}", source=source) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting first
        raise ConfigError(f"nested too deeply (more than {MAX_DEPTH} levels)", source=source) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml(path: str | os.PathLike, *, empty_ok: bool = False) -> Any:
    """Read a YAML config file safely: size limit, encoding detection, no duplicate keys or aliases.

    Parameters
    ----------
    path : path
        The file.
    empty_ok : bool
        Return ``None`` for an empty file instead of raising.

    Raises
    ------
    ConfigError
        Naming the file (and key path and line where there is one).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = p.write_text("years: 3\\n")
    >>> read_yaml(p)
    {'years': 3}
    """
    p = Path(path)
    source = str(path)
    if not p.exists():
        raise ConfigError("file not found", source=source)
    if not p.is_file():
        raise ConfigError("not a regular file", source=source)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", source=source) from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"larger than {MAX_BYTES:,} bytes; a config file is a few kB", source=source)
    if not data.strip():
        if empty_ok:
            return None
        raise ConfigError("the file is empty", source=source)
    out = parse_yaml(decode_config(data, source), source)
    if out is None and not empty_ok:
        raise ConfigError("the file holds no values (only comments or an empty document)", source=source)
    return out


# --------------------------------------------------------------------------- numbers
def _describe(v: Any) -> str:
    return repr(v)


def number(lo: float | None = None, hi: float | None = None, *, integer: bool = False, lo_open: bool = False,
           why: str | None = None):
    """An annotated pydantic type for a finite number in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``).

    ``integer`` asks for a whole number (``3`` or ``3.0``, returned as ``int``); booleans, text,
    NaN and infinities are refused. ``why`` names a :data:`BOUNDS` entry when ``hi`` comes from
    there (the error then gives its reason).

    Examples
    --------
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(number(0, 10, integer=True)).validate_python(3.0)
    3
    """
    if why is not None and hi is None:
        hi = BOUNDS[why][0]

    def check(v: Any):
        kind = "a whole number" if integer else "a number"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise PydanticCustomError("number", "expected {kind}, got {got}", {"kind": kind, "got": _describe(v)})
        if isinstance(v, float) and not math.isfinite(v):
            raise PydanticCustomError("finite", "expected a finite {kind}, got {got}",
                                      {"kind": kind.removeprefix("a "), "got": _describe(v)})
        if integer and isinstance(v, float):
            if v != int(v):
                raise PydanticCustomError("whole", "expected a whole number, got {got}", {"got": _describe(v)})
            v = int(v)
        if lo is not None and (v < lo or (lo_open and v == lo)):
            raise PydanticCustomError("low", "expected {kind} {op} {lo}, got {got}",
                                      {"kind": kind, "op": ">" if lo_open else ">=", "lo": _num(lo), "got": _describe(v)})
        if hi is not None and v > hi:
            reason = f" ({BOUNDS[why][1]})" if why else ""
            raise PydanticCustomError("high", "expected {kind} <= {hi}{reason}, got {got}",
                                      {"kind": kind, "hi": _num(hi), "reason": reason, "got": _describe(v)})
        return int(v) if integer else float(v)

    return Annotated[float | int, PlainValidator(check)]


def _num(x) -> str:
    if isinstance(x, int) or (float(x).is_integer() and abs(x) >= 10_000):
        return f"{int(x):,}"
    return repr(float(x))


def choice(options: Iterable[str]):
    """An annotated pydantic type for one of ``options`` (a text), with a "did you mean" hint.

    Examples
    --------
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(choice(["a", "b"])).validate_python("a")
    'a'
    """
    options = tuple(options)

    def check(v: Any):
        if not isinstance(v, str) or v not in options:
            hint = did_you_mean(v, options) if isinstance(v, str) else ""
            raise PydanticCustomError("choice", "expected one of {options}, got {got}{hint}",
                                      {"options": list(options), "got": _describe(v), "hint": hint})
        return v

    return Annotated[str, PlainValidator(check)]


def text():
    """An annotated pydantic type for a text (numbers and booleans are refused, not converted)."""
    def check(v: Any):
        if not isinstance(v, str):
            raise PydanticCustomError("text", "expected text, got {got}", {"got": _describe(v)})
        return v

    return Annotated[str, PlainValidator(check)]


def flag():
    """An annotated pydantic type for ``true``/``false`` (``1``, ``"yes"`` text, ... are refused)."""
    def check(v: Any):
        if not isinstance(v, bool):
            raise PydanticCustomError("flag", "expected true or false, got {got}", {"got": _describe(v)})
        return v

    return Annotated[bool, PlainValidator(check)]


def mapping_of(value_type, keys: Iterable[str] | None = None, *, min_items: int = 0):
    """An annotated pydantic type for a mapping text -> ``value_type``; ``keys`` limits the keys,
    ``min_items`` asks for at least that many entries."""
    from pydantic import TypeAdapter

    keys = tuple(keys) if keys is not None else None
    inner = TypeAdapter(value_type)

    def check(v: Any):
        if not isinstance(v, Mapping):
            raise PydanticCustomError("mapping", "expected a mapping, got {got}", {"got": _describe(v)})
        if len(v) < min_items:
            raise PydanticCustomError("few", "expected at least {n} entr{ies}{among}, got {got}",
                                      {"n": min_items, "ies": "y" if min_items == 1 else "ies", "got": len(v),
                                       "among": f" among {list(keys)}" if keys else ""})
        out = {}
        for k, x in v.items():
            if keys is not None and k not in keys:
                raise PydanticCustomError("unknown_key", "unknown key{hint}; expected one of {expected}",
                                          {"key": k, "hint": did_you_mean(k, keys), "expected": list(keys)})
            try:
                out[str(k)] = inner.validate_python(x)
            except ValidationError as exc:
                e = exc.errors(include_url=False)[0]
                raise PydanticCustomError("nested", "{msg}", {"key": (k, *_loc_of(e)), "msg": _message(e)}) from None
        return out

    return Annotated[dict, PlainValidator(check)]


class Strict(BaseModel):
    """Base of govlab's config models: unknown keys refused with a "did you mean" hint."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any):
        if not isinstance(data, Mapping):
            raise PydanticCustomError("mapping", "expected a mapping, got {got}", {"got": _describe(data)})
        allowed = list(cls.model_fields)
        for k in data:
            if k not in cls.model_fields:
                raise PydanticCustomError("unknown_key", "unknown key{hint}; expected one of {expected}",
                                          {"key": k, "hint": did_you_mean(k, allowed), "expected": sorted(allowed)})
        return data


def _loc_of(error: dict) -> list:
    """The location of a pydantic error, with the offending key our validators put in ``ctx``."""
    loc = [p for p in error["loc"] if p != "[key]"]
    extra = (error.get("ctx") or {}).get("key")
    if extra is not None:
        loc += list(extra) if isinstance(extra, tuple) else [extra]
    return loc


def _message(error: dict) -> str:
    """A pydantic error's message in govlab's words."""
    if error["type"] == "missing":
        return "required key is missing"
    if error["type"] == "extra_forbidden":  # pragma: no cover - Strict reports these itself
        return "unknown key"
    return error["msg"]


def _key_path(loc: Iterable) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validate(model: type[BaseModel], data: Any, *, source: str | None = None, prefix: str = "") -> dict:
    """Validate ``data`` with a :class:`Strict` model and return it as plain data, in input key order.

    Raises
    ------
    ConfigError
        The first problem, naming ``source`` and the dotted key path (``prefix`` first), and how
        many more there are.

    Examples
    --------
    >>> class Run(Strict):
    ...     years: number(1, 100, integer=True) = 5
    >>> validate(Run, {"years": 3.0})
    {'years': 3}
    >>> validate(Run, {"yaers": 3}, source="run.yaml")
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: run.yaml: yaers: unknown key (did you mean 'years'?); expected one of ['years']
    """
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        e = errors[0]
        loc = _loc_of(e)
        msg = _message(e)
        key = _key_path(([prefix] if prefix else []) + loc)
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise ConfigError(msg + more, source=source, key=key or "<top>") from None
    return _in_order(obj.model_dump(exclude_unset=True), data)


def _in_order(dumped: Any, raw: Any) -> Any:
    """``dumped`` with mapping keys in the order of ``raw`` (the user's file order)."""
    if isinstance(dumped, dict) and isinstance(raw, Mapping):
        out = {}
        for k in raw:  # mapping_of turns keys into text (a YAML key 2020 becomes "2020")
            key = k if k in dumped else str(k)
            if key in dumped:
                out[key] = _in_order(dumped[key], raw[k])
        return out
    if isinstance(dumped, list) and isinstance(raw, list) and len(dumped) == len(raw):
        return [_in_order(d, r) for d, r in zip(dumped, raw)]
    return dumped
