"""Stage 2, validate: Cerberus schemas from ``schema/`` and errors as readable diagnostics.

Schemas are YAML files with Cerberus rules; ``schema/common.yaml`` holds shared rule sets that
the others refer to by name. Cerberus' own messages print Python types and stop at nothing
helpful, so each error is translated here into a sentence with the key path, the value and,
where it helps, "Did you mean ...?".
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from cerberus import Validator
from cerberus import errors as cerrors
from cerberus.schema import RulesSetRegistry, SchemaRegistry
from ruamel.yaml import YAML

from ..errors import Diagnostic, Severity, Where, did_you_mean
from ..model.dates import parse_iso_date
from ..model.publication import TOOI_RE, WOO_GROUNDS
from ..model.themes import THEMES
from ..resources import schema_dir
from .sources import one_line

KINDS = ("dossier", "parties", "convenant", "addendum", "measures", "accessions", "lifecycle")
# Schemas besides the document kinds: the project settings (convenantgen.yml).
SCHEMA_NAMES = (*KINDS, "project")
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")  # always fullmatch: "$" would accept a final "\n"
MAX_NUMBER = 10**15
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "list": "a list",
    "dict": "a mapping of keys",
}


def describe_value(value: Any) -> str:
    """A value as the user wrote it, with its YAML kind, never a Python type name."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, str):
        return f"'{value}' (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return "a value of another kind"


class CovenantValidator(Validator):
    """Cerberus validator with the project's own ``check_with`` rules."""

    known_codes: frozenset[str] = frozenset()

    def _validate_empty(self, empty, field, value):
        """{'type': 'boolean'}"""
        # Text of only spaces is as empty as no text: a party named " " signs nothing.
        super()._validate_empty(empty, field, value)
        if not empty and isinstance(value, str) and value and not value.strip():
            self._error(field, cerrors.EMPTY_NOT_ALLOWED)

    def _check_with_identifier(self, field: str, value: Any) -> None:
        if isinstance(value, str) and not ID_RE.fullmatch(value):
            self._error(
                field,
                f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
                "starting with a letter or digit",
            )

    def _check_with_isodate(self, field: str, value: Any) -> None:
        if isinstance(value, str):
            _, reason = parse_iso_date(value)
            if reason:
                self._error(field, reason)

    def _check_with_tooi(self, field: str, value: Any) -> None:
        if isinstance(value, str) and not TOOI_RE.fullmatch(value):
            self._error(
                field,
                f"'{value}' is not a TOOI organisation identifier: use the URI from "
                "identifier.overheid.nl, e.g. https://identifier.overheid.nl/tooi/id/gemeente/gm0034",
            )

    def _check_with_woo_ground(self, field: str, value: Any) -> None:
        if isinstance(value, str) and value not in WOO_GROUNDS:
            hint = did_you_mean(value, WOO_GROUNDS)
            self._error(
                field,
                f"'{value}' is not a Woo ground: write the article as 5.1.LID.LETTER "
                f"(e.g. 5.1.2.e), 5.1.5 or 5.2.1.{hint}",
            )

    def _check_with_woo_theme(self, field: str, value: Any) -> None:
        if isinstance(value, str) and value not in THEMES:
            hint = did_you_mean(value, THEMES)
            self._error(
                field, f"'{value}' is not a theme of the TOOI list of official publications.{hint}"
            )

    def _check_with_text(self, field: str, value: Any) -> None:
        if isinstance(value, str) and _CONTROL_RE.search(value):
            self._error(field, "contains control characters; remove them")

    def _check_with_check_code(self, field: str, value: Any) -> None:
        if isinstance(value, str) and value not in self.known_codes:
            hint = did_you_mean(value, self.known_codes)
            self._error(field, f"'{value}' is not a check code.{hint}")


@dataclass(frozen=True)
class SchemaSet:
    """All schemas by document kind, with the registries they refer to."""

    schemas: Mapping[str, dict]
    rules: Mapping[str, dict]
    named: Mapping[str, dict]

    # One validator per kind, reused: building one expands the whole schema (a third of the
    # validation time of a small file), and validate() resets its state.
    _validators: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def validator(self, kind: str, known_codes: frozenset[str]) -> CovenantValidator:
        validator = self._validators.get(kind)
        if validator is None:
            validator = self._validators[kind] = CovenantValidator(
                self.schemas[kind],
                schema_registry=SchemaRegistry(dict(self.named)),
                rules_set_registry=RulesSetRegistry(dict(self.rules)),
            )
        # Cerberus builds child validators from the class, so the codes live on the class.
        CovenantValidator.known_codes = known_codes
        return validator

    def resolve(self, rules: Any) -> dict:
        """Rules with registry references replaced (for navigation and JSON Schema)."""
        if isinstance(rules, str):
            return dict(self.rules[rules])
        return dict(rules)

    def sub_schema(self, rules: Mapping) -> Mapping | None:
        schema = rules.get("schema")
        if isinstance(schema, str):
            return self.named[schema]
        return schema


def _to_plain(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {str(k): _to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_to_plain(v) for v in data]
    return data


def read_schema_file(path: Path) -> Any:
    """One of the engine's own schema files as plain data. libyaml (through PyYAML) reads them
    in a tenth of ruamel's time, which every command pays at start; they are plain YAML that
    both read alike (tested), so ruamel only stands in where libyaml is missing."""
    text = path.read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        return yaml.load(text, Loader=loader)  # noqa: S506 - the safe loader
    return _to_plain(YAML(typ="safe").load(text))


@cache
def schema_fingerprint(directory: Path | None = None) -> str:
    """SHA-256 over the schema files' names and bytes (they live outside the package in a
    source checkout, so the engine's fingerprint does not cover them)."""
    directory = directory or schema_dir()
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@cache
def load_schemas(directory: Path | None = None) -> SchemaSet:
    """Read ``schema/*.yaml``; a broken schema is a programming error and raises."""
    directory = directory or schema_dir()
    common = read_schema_file(directory / "common.yaml")
    schemas = {kind: read_schema_file(directory / f"{kind}.yaml") for kind in SCHEMA_NAMES}
    return SchemaSet(schemas, common["rules"], common["schemas"])


def validate(data: Mapping, kind: str, file: Path, known_codes: frozenset[str]) -> list[Diagnostic]:
    """Validate one document against the schema for ``kind``; every error becomes a Diagnostic."""
    schema_set = load_schemas()
    validator = schema_set.validator(kind, known_codes)
    plain = _to_plain(data)
    # No normalization: the schemas use none (no defaults, coercion, renames), and Cerberus'
    # normalization raises TypeError when a list stands where a registry schema expects a
    # mapping ("signing: [Almere]"); validation itself reports that as a type error.
    validator.validate(plain, normalize=False)
    out: list[Diagnostic] = []
    for error in _leaf_errors(validator._errors):
        out.append(_translate(error, schema_set, kind, file))
    return out + _non_finite(plain, (), file)


def _non_finite(data: Any, path: tuple, file: Path) -> list[Diagnostic]:
    """``.nan``, ``.inf`` and numbers beyond 10^15 are no number a covenant can mean.

    Cerberus accepts them as numbers, and a NaN compares false with every bound, so a target
    of ``.nan`` percent would pass every range check.
    """
    if isinstance(data, float) and not math.isfinite(data):
        shown = ".nan" if math.isnan(data) else ("-.inf" if data < 0 else ".inf")
        field = _path_text(path) or "document"
        message = f"{field} must be a finite number, got {shown}"
        return [
            Diagnostic(Severity.ERROR, "schema-type", one_line(message), Where(file, path), field)
        ]
    if isinstance(data, (int, float)) and not isinstance(data, bool) and abs(data) > MAX_NUMBER:
        # Far beyond any amount in a covenant, and an int this large cannot become a float.
        field = _path_text(path) or "document"
        message = f"{field} is too large: numbers may be at most 10^15 (a million billion)"
        return [
            Diagnostic(Severity.ERROR, "schema-value", one_line(message), Where(file, path), field)
        ]
    items: Any = ()
    if isinstance(data, Mapping):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    out: list[Diagnostic] = []
    for key, value in items:
        out += _non_finite(value, (*path, key), file)
    return out


def _leaf_errors(errs) -> list:
    leaves = []
    for error in errs:
        if error.is_group_error and error.child_errors:
            leaves.extend(_leaf_errors(error.child_errors))
        elif not error.is_group_error:
            leaves.append(error)
    return leaves


def _schema_keys(schema_set: SchemaSet, kind: str, path: tuple) -> list[str]:
    """Keys allowed in the mapping at ``path`` (list indices skipped)."""
    level: Mapping | None = schema_set.schemas[kind]
    for key in path:
        if level is None:
            return []
        if isinstance(key, int):
            continue
        rules = schema_set.resolve(level.get(key, {}))
        sub = schema_set.sub_schema(rules)
        if rules.get("type") == "list" and isinstance(sub, Mapping):
            sub = schema_set.sub_schema(schema_set.resolve(sub)) if "type" in sub else sub
        level = sub if isinstance(sub, Mapping) else None
    return sorted(level) if isinstance(level, Mapping) else []


def _path_text(path: tuple) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def _translate(error, schema_set: SchemaSet, kind: str, file: Path) -> Diagnostic:
    path = tuple(error.document_path)
    field = _path_text(path) or "document"
    code = error.code
    value = error.value
    where = Where(file, path)
    diag_code = "schema"
    if code == cerrors.UNKNOWN_FIELD.code:
        key = path[-1]
        allowed = _schema_keys(schema_set, kind, path[:-1])
        hint = did_you_mean(str(key), allowed)
        if not hint and allowed:
            hint = " Allowed keys: " + ", ".join(allowed) + "."
        message = f"unknown key '{key}' in {_path_text(path[:-1]) or 'document'}.{hint}"
        diag_code = "schema-unknown-key"
    elif code == cerrors.REQUIRED_FIELD.code:
        message = f"missing required key '{path[-1]}'"
        where = Where(file, path[:-1])
        diag_code = "schema-required"
    elif code == cerrors.BAD_TYPE.code:
        wanted = error.constraint if isinstance(error.constraint, str) else error.constraint[0]
        message = f"{field} must be {_TYPE_WORDS.get(wanted, wanted)}, got {describe_value(value)}"
        if wanted == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            message += f"; put it in quotes: '{value}'"
        diag_code = "schema-type"
    elif code == cerrors.EMPTY_NOT_ALLOWED.code:
        message = f"{field} must not be empty"
    elif code == cerrors.NOT_NULLABLE.code:
        message = f"{field} has no value; fill it in or remove the key"
        diag_code = "schema-type"
    elif code == cerrors.UNALLOWED_VALUE.code:
        options = [str(o) for o in error.constraint]
        hint = did_you_mean(str(value), options)
        message = f"{field}: '{value}' is not one of {', '.join(options)}.{hint}"
        diag_code = "schema-value"
    elif code == cerrors.MIN_VALUE.code:
        message = f"{field} is {value}; it must be at least {error.constraint}"
        diag_code = "schema-value"
    elif code == cerrors.MAX_VALUE.code:
        message = f"{field} is {value}; it may be at most {error.constraint}"
        diag_code = "schema-value"
    elif code == cerrors.MIN_LENGTH.code:
        if isinstance(value, str):
            message = f"{field} must be at least {error.constraint} characters long"
        else:
            message = f"{field} must have at least {error.constraint} item(s)"
    elif code == cerrors.MAX_LENGTH.code:
        message = f"{field} may have at most {error.constraint} item(s)"
    elif code == cerrors.REGEX_MISMATCH.code:
        message = f"{field}: '{value}' does not have the expected form ({error.constraint})"
        diag_code = "schema-value"
    elif code == cerrors.CUSTOM.code:
        info = error.info[0] if error.info else "is not valid"
        message = f"{field}: {info}"
        if "is not a valid id" in info:
            diag_code = "schema-id"
        elif "date" in info or "does not exist" in info:
            diag_code = "date-invalid"
        else:
            diag_code = "schema-value"
    else:  # pragma: no cover - a rule we do not use yet
        message = f"{field} is not valid ({error.rule})"
    return Diagnostic(Severity.ERROR, diag_code, one_line(message), where, subject=field)
