"""The generated JSON Schemas: in sync with the Cerberus schemas, and true to the content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema as js
import pytest

from convenantgen.cli import main
from convenantgen.read import jsonschema as gen
from convenantgen.read.schemas import KINDS, _to_plain
from convenantgen.read.sources import load_file

ROOT = Path(__file__).resolve().parents[1]
CONTENT_FILES = sorted((ROOT / "content").glob("*/*.yaml"))


def _validator(kind: str) -> js.Draft202012Validator:
    schema = json.loads((ROOT / "schema" / "json" / f"{kind}.schema.json").read_text("utf-8"))
    return js.Draft202012Validator(schema)


def _errors(kind: str, data: dict) -> list[str]:
    return sorted(e.message for e in _validator(kind).iter_errors(data))


def test_committed_files_are_exactly_what_generation_produces(tmp_path):
    written = gen.write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{k}.schema.json" for k in KINDS)
    for kind in KINDS:
        committed = ROOT / "schema" / "json" / f"{kind}.schema.json"
        assert committed.read_text("utf-8") == (tmp_path / committed.name).read_text("utf-8"), (
            f"{committed} is out of date; run: convenantgen schema --write"
        )


def test_write_is_idempotent_and_check_reports_stale_files(tmp_path, capsys):
    assert main(["schema", "--write", "--out", str(tmp_path)]) == 0
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 0
    assert gen.write_all(tmp_path) == []  # nothing changed the second time
    (tmp_path / "measures.schema.json").write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "measures.schema.json is out of date; run: convenantgen schema --write" in err


@pytest.mark.parametrize("kind", KINDS)
def test_generated_schema_is_valid_draft_2020_12(kind):
    schema = gen.generate(kind)
    js.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["kind"]["enum"] == [kind]


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_content_file_validates_against_its_json_schema(path):
    source, problems = load_file(path)
    assert problems == []
    kind = source.data["kind"]
    first = path.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schema/json/{kind}.schema.json"
    assert _errors(kind, _to_plain(source.data)) == []


def test_translation_of_rules():
    measures = gen.generate("measures")
    target = measures["properties"]["measures"]["items"]["properties"]["targets"]["items"]
    unit = measures["properties"]["indicators"]["items"]["properties"]["unit"]
    assert unit["enum"] == ["percent", "count", "fte", "hours", "grade", "euro", "factor"]
    assert unit["description"].startswith("percent, count, fte")
    assert target["required"] == ["id", "text"]
    assert target["properties"]["comparator"]["enum"] == ["<", "<=", ">", ">=", "="]
    school_year = target["properties"]["results"]["items"]["properties"]["school_year"]
    assert school_year["pattern"] == "^(?:[0-9]{4}-[0-9]{4})$"
    convenant = gen.generate("convenant")
    assert convenant["dependentRequired"] == {"sections": ["parties", "signing"]}
    assert convenant["properties"]["term"]["$ref"] == "#/$defs/period"
    period = convenant["$defs"]["period"]
    assert period["required"] == ["end"]
    assert period["properties"]["end"]["description"] == "Last day, inclusive (YYYY-MM-DD)."


def test_json_schema_rejects_what_check_rejects():
    ok = {"kind": "accessions", "accessions": []}
    assert _errors("accessions", ok) == []
    assert _errors("accessions", {**ok, "acessions": []}) == [
        "Additional properties are not allowed ('acessions' was unexpected)"
    ]
    request = {
        "id": "Toetreding 1",
        "party": "p",
        "document": "d",
        "requested": "2025-5-1",
        "effective": "2025-08-01",
        "status": "done",
    }
    assert _errors("accessions", {"kind": "accessions", "accessions": [request]}) == [
        "'2025-5-1' does not match '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'",
        "'Toetreding 1' does not match '^[a-z0-9][a-z0-9-]*$'",
        "'done' is not one of ['requested', 'consented', 'sent', 'published', 'in-effect']",
    ]
    assert _errors("convenant", {"kind": "convenant", "id": "c", "title": "T"}) == [
        "'term' is a required property"
    ]
