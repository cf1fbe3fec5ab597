"""Stable fingerprints of values: the same value gives the same bytes in every process.

The build cache keys a rendered document by its template and everything the template sees,
and a document's version id is a hash of what it shows; both need a serialisation that does
not depend on memory addresses, dictionary order or the process (``repr`` and ``pickle`` of
frozen dataclasses are not guaranteed to be either). Dataclasses are written with their class
name and fields in declaration order; mappings sorted by key; every value tagged by type, so
``1``, ``"1"`` and ``True`` never collide.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import PurePath
from typing import Any


def stable(value: Any, *, skip: Iterable[str] = ()) -> Any:
    """``value`` as plain JSON data, tagged by type; fields named in ``skip`` are left out of
    the outermost dataclass (a version id that is computed from the rest)."""
    if is_dataclass(value) and not isinstance(value, type):
        left_out = set(skip)
        return {
            "@": type(value).__qualname__,
            **{
                f.name: stable(getattr(value, f.name))
                for f in fields(value)
                if f.name not in left_out
            },
        }
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return {"@enum": f"{type(value).__qualname__}.{value.name}"}
    if isinstance(value, str):  # also Markup: the same characters render the same
        return ["s", str(value)]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["f", value.hex()]
    if isinstance(value, dt.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, bytes):
        return ["b", hashlib.sha256(value).hexdigest()]
    if isinstance(value, PurePath):
        return ["p", value.as_posix()]
    if isinstance(value, Mapping):
        items = sorted(((str(k), stable(v)) for k, v in value.items()), key=lambda kv: kv[0])
        return {"@map": items}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"@set": sorted((stable(v) for v in value), key=_dump)}
    raise TypeError(f"cannot fingerprint a {type(value).__qualname__}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(*parts: Any) -> str:
    """SHA-256 (hex) of the stable serialisation of ``parts``."""
    return hashlib.sha256(_dump([stable(p) for p in parts]).encode("utf-8")).hexdigest()


def content_digest(value: Any, *, skip: Iterable[str] = ()) -> str:
    """SHA-256 (hex) of one dataclass without the fields in ``skip``."""
    return hashlib.sha256(_dump(stable(value, skip=skip)).encode("utf-8")).hexdigest()
