"""The engine's schema files read alike with libyaml and with ruamel.yaml.

``schemas.read_schema_file`` prefers libyaml (PyYAML's C loader) for speed; YAML 1.1 and 1.2
differ on words like ``yes`` and ``off``, so every schema file is held to ruamel's reading.
"""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from convenantgen.read.schemas import _to_plain, read_schema_file
from convenantgen.resources import schema_dir


@pytest.mark.parametrize("path", sorted(schema_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_schema_file_reads_as_ruamel_reads_it(path):
    expected = _to_plain(YAML(typ="safe").load(path.read_text("utf-8")))
    assert read_schema_file(path) == expected
    assert expected  # a schema file with content, not an empty document
