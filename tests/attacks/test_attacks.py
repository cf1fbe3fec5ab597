"""The attack suite (``tests/attacks/cases.py``), each case in a sandbox of its own."""

from __future__ import annotations

import pytest

from .cases import ATTACKS as EARLIER
from .cases_round3 import ROUND3
from .harness import make_sandbox, run

ATTACKS = EARLIER + ROUND3


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
        # issue 23
        "outside-override",
        "outside-logo",
        "outside-content-folder-symlink-loop",
        "unicode-cyrillic",
        "unicode-right-to-left",
        "unicode-zero-width-space-as-name",
        "unicode-control-characters",
        "skipped-upper-case",
        "skipped-trailing-space",
        "skipped-newline",
        "skipped-template-that-is-a-folder",
        "skipped-template-broken-symlink",
        "traceback-docx-external-entity",
        "traceback-recursive-macro",
        "traceback-huge-range",
        "traceback-title-not-utf8-in-new",
        "traceback-title-not-utf8-in-init",
        "cache-folder-is-a-plain-file",
        "cache-two-concurrent-builds",
        "cache-killed-during-write",
        "message-init-through-symlink",
        "outside-override-symlink-to-etc",
        "diff-tree-folder-named-dotdot",
    ):
        assert word in names, word
