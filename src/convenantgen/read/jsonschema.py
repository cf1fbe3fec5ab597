"""JSON Schema (draft 2020-12) generated from the Cerberus schemas, for editors.

Each dossier file starts with a ``# yaml-language-server: $schema=...`` line pointing at
``schema/json/<kind>.schema.json``, so that VS Code (with the YAML extension) and other
editors complete keys, show the ``meta.description`` of each key on hover and underline
unknown keys while typing. The Cerberus
schemas in ``schema/*.yaml`` stay the single source: this module translates them, resolving the
named rule sets and schemas of ``schema/common.yaml`` (named schemas become ``$defs``).

The translation is deliberately conservative: every file that passes ``convenantgen check``
also passes the JSON Schema. Rules that need the whole dossier (references, dates that exist,
sums of targets) stay with ``check``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConvenantgenError
from ..resources import schema_dir
from .schemas import KINDS, SchemaSet, load_schemas

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "list": "array",
    "dict": "object",
}

# Patterns for the project's ``check_with`` rules. Dates: the form only; whether the day exists
# (2025-02-31) is left to ``check``, which explains it in words.
_CHECK_WITH = {
    "identifier": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
    "isodate": {"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"},
    "check_code": {"pattern": "^[a-z][a-z0-9-]*$"},
    "text": {},
}

_CHECK_WITH_HINTS = {
    "identifier": "Lower-case letters, digits and hyphens.",
    "isodate": "Date as YYYY-MM-DD.",
    "check_code": "A check code; list them with 'convenantgen checks'.",
}


class _Translator:
    def __init__(self, schema_set: SchemaSet) -> None:
        self.schema_set = schema_set
        self.defs: dict[str, dict] = {}

    def document(self, kind: str) -> dict:
        body = self.mapping(self.schema_set.schemas[kind])
        out: dict[str, Any] = {
            "$schema": DRAFT,
            "$id": f"https://convenantgen.invalid/schema/{kind}.schema.json",
            "title": f"convenantgen: {kind} file",
            "description": (
                f"A YAML file with 'kind: {kind}' in a dossier folder. Generated from "
                f"schema/{kind}.yaml by 'convenantgen schema --write'; do not edit."
            ),
        }
        out.update(body)
        if self.defs:
            out["$defs"] = {name: self.defs[name] for name in sorted(self.defs)}
        return out

    def mapping(self, schema: Mapping) -> dict:
        """A Cerberus mapping schema (key -> rules) as a closed JSON object."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        dependent: dict[str, list[str]] = {}
        for key, rules in schema.items():
            rules = self.schema_set.resolve(rules)
            properties[key] = self.rules(rules)
            if rules.get("required"):
                required.append(key)
            deps = rules.get("dependencies")
            if deps:
                dependent[key] = [deps] if isinstance(deps, str) else list(deps)
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        if dependent:
            out["dependentRequired"] = dependent
        out["additionalProperties"] = False
        return out

    def named(self, name: str) -> dict:
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.mapping(self.schema_set.named[name])
        return {"$ref": f"#/$defs/{name}"}

    def rules(self, rules: Mapping) -> dict:
        out: dict[str, Any] = {}
        description = (rules.get("meta") or {}).get("description")
        hint = _CHECK_WITH_HINTS.get(rules.get("check_with", ""))
        if description:
            out["description"] = description
        elif hint:
            out["description"] = hint
        kind = rules.get("type")
        sub = rules.get("schema")
        if kind == "dict" and isinstance(sub, str):
            out.update(self.named(sub))
            return out
        if kind:
            out["type"] = _TYPES[kind]
        if kind == "dict":
            if isinstance(sub, Mapping):
                out.update({k: v for k, v in self.mapping(sub).items() if k != "type"})
            if "keysrules" in rules:
                out["propertyNames"] = self._plain(self.schema_set.resolve(rules["keysrules"]))
            if "valuesrules" in rules:
                out["additionalProperties"] = self.rules(
                    self.schema_set.resolve(rules["valuesrules"])
                )
        elif kind == "list":
            if sub is not None:
                out["items"] = self.rules(self.schema_set.resolve(sub))
            if "minlength" in rules:
                out["minItems"] = rules["minlength"]
            if "maxlength" in rules:
                out["maxItems"] = rules["maxlength"]
        else:
            out.update(self._plain(rules, with_description=False))
        return out

    def _plain(self, rules: Mapping, with_description: bool = True) -> dict:
        """Rules of a scalar: type, enum, pattern, lengths and bounds."""
        out: dict[str, Any] = {}
        if with_description and (rules.get("meta") or {}).get("description"):
            out["description"] = rules["meta"]["description"]
        if rules.get("type") and with_description:
            out["type"] = _TYPES[rules["type"]]
        if "allowed" in rules:
            out["enum"] = list(rules["allowed"])
        if "regex" in rules:
            # Cerberus matches the whole value; JSON Schema patterns search, so anchor them.
            out["pattern"] = f"^(?:{rules['regex']})$"
        elif rules.get("check_with") in _CHECK_WITH:
            out.update(_CHECK_WITH[rules["check_with"]])
        if rules.get("empty") is False:
            out["minLength"] = 1
        if "minlength" in rules:
            out["minLength"] = rules["minlength"]
        if "maxlength" in rules:
            out["maxLength"] = rules["maxlength"]
        if "min" in rules:
            out["minimum"] = rules["min"]
        if "max" in rules:
            out["maximum"] = rules["max"]
        return out


def generate(kind: str, schema_set: SchemaSet | None = None) -> dict:
    """The JSON Schema for one document kind."""
    return _Translator(schema_set or load_schemas()).document(kind)


def render(kind: str, schema_set: SchemaSet | None = None) -> str:
    """The JSON Schema as the text that is committed (stable, UTF-8, final newline)."""
    return json.dumps(generate(kind, schema_set), ensure_ascii=False, indent=2) + "\n"


def default_dir() -> Path:
    return schema_dir() / "json"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def stale(directory: Path | None = None) -> list[Path]:
    """Generated files that are missing or differ from what the schemas produce now."""
    directory = directory or default_dir()
    out = []
    for kind in KINDS:
        path = directory / file_name(kind)
        try:
            current = path.read_text("utf-8")
        except OSError:
            current = None
        if current != render(kind):
            out.append(path)
    return out


def write_all(directory: Path | None = None) -> list[Path]:
    """(Re)generate every kind's JSON Schema atomically; returns the files that changed."""
    directory = directory or default_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConvenantgenError(f"cannot create '{directory}': {exc.strerror}") from exc
    changed = []
    for kind in KINDS:
        path = directory / file_name(kind)
        text = render(kind)
        try:
            if path.is_file() and path.read_text("utf-8") == text:
                continue
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except OSError as exc:
            raise ConvenantgenError(f"cannot write '{path}': {exc.strerror}") from exc
        changed.append(path)
    return changed


# ---------------------------------------------------------------------------------------------
# command line: convenantgen schema --write | --check
