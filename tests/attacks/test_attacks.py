"""The attack suite (``tests/attacks/cases.py``), each case in a sandbox of its own."""

from __future__ import annotations

import pytest

from .cases import ATTACKS
from .harness import make_sandbox, run


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_handled_cleanly(attack, tmp_path):
    outcome = run(attack, make_sandbox(tmp_path / "sandbox"))
    assert outcome.ok, "\n".join([*outcome.problems, "--- output:", outcome.output[-3000:]])


def test_every_class_of_the_issue_has_cases():
    names = " ".join(a.name for a in ATTACKS)
    for word in (
        "diff-tree",
        "site-",
        "out-",
        "markdown-module",
        "surrogate",
        "template-loop",
        "libreoffice",
        "killed-build",
        "malformed-tag",
        "chained-periods",
        "csv-formula",
    ):
        assert word in names, word
