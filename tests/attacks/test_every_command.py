"""Every command of the command line, run on broken input: a message, never a traceback.

The broken inputs are of three kinds, each given to every command that reads it: project
settings that are not YAML, a content folder that is a symbolic link loop, and (for the
commands that take a file or folder) a file that is not what it should be. Each run is judged
by the attack harness (one error line, no traceback, nothing outside the output touched).
"""

from __future__ import annotations

import pytest

from convenantgen.cli import COMMANDS

from .cases import _git
from .cases_round3 import _content_loop
from .harness import Attack, make_sandbox, run

BROKEN_SETTINGS = "site: [niet gesloten\n\tpaths: {\n"

# The arguments that make each command read the project (and stop before serving or writing).
ARGUMENTS = {
    "check": ("check",),
    "checks": ("checks", "--onbekend"),
    "build": ("build", "--no-pdf"),
    "cache": ("cache", "info"),
    "schema": ("schema", "--check", "--out", "convenantgen.yml"),
    "new": ("new", "dossier", "nieuw"),
    "diff": ("diff", "HEAD"),
    "serve": ("serve", "--dev-addr", "127.0.0.1:47391"),
    "signatures": ("signatures", "build/vorige-build.txt"),
    "seal": (
        "seal",
        "build/vorige-build.txt",
        "--tsa",
        "http://127.0.0.1:9/",
        "--trust",
        "README.md",
    ),
    "status": ("status",),
    "init": ("init", "content"),
    "templates": ("templates",),
    "import": ("import", "build/vorige-build.txt", "--dossier", "nieuw"),
    "publication": ("publication", "verify", "build/vorige-build.txt"),
}
# What each says when it does not read the broken settings or content (its own input is
# broken instead), and its exit code.
OWN_INPUT = {
    "checks": (2, "unrecognized arguments: --onbekend"),
    "schema": (1, "is out of date; run: convenantgen schema --write"),
    "signatures": (1, "'build/vorige-build.txt' is not a"),
    "seal": (1, "convenantgen: error:"),
    "init": (2, "'content' "),
    "publication": (1, "is not well-formed XML"),
}


def _broken_settings(sandbox):
    (sandbox / "project" / "convenantgen.yml").write_text(BROKEN_SETTINGS, "utf-8")


def _in_git(setup):
    """``diff`` needs a repository: the project committed first, then broken."""

    def both(sandbox):
        repo = sandbox / "project"
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "start")
        setup(sandbox)

    return both


def test_every_command_is_covered():
    assert set(ARGUMENTS) == set(COMMANDS)


def _case(name, args, kind, setup, says):
    code, words = OWN_INPUT.get(name, (1, says))
    return Attack(
        f"{name}-{kind}",
        args,
        code,
        words,
        setup=_in_git(setup) if name == "diff" else setup,
        may_change=("project/.git",) if name == "diff" else (),
        timeout=120,
    )


CASES = [
    _case(name, args, "broken-settings", _broken_settings, "[yaml-syntax]")
    for name, args in ARGUMENTS.items()
] + [
    _case(name, args, "content-symlink-loop", _content_loop, "is a symbolic link loop")
    for name, args in ARGUMENTS.items()
]


@pytest.mark.parametrize("attack", CASES, ids=[a.name for a in CASES])
def test_command_on_broken_input_has_no_traceback(attack, tmp_path):
    outcome = run(attack, make_sandbox(tmp_path / "sandbox"))
    assert outcome.ok, "\n".join([*outcome.problems, "--- output:", outcome.output[-3000:]])
    assert "Traceback" not in outcome.output
