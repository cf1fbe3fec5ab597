"""The attack suite: careless and hostile use of the command line, each case judged alike.

Every attack runs the real ``convenantgen`` executable in a sandbox folder holding a fresh
project (from ``convenantgen init``) with a previous build in ``build/`` and a folder of
bystander files beside it. A case passes when:

- the exit code is the expected one and the expected words are in the output;
- no Python traceback is printed, and an error is one line (``convenantgen: error: ...``);
- nothing outside the output folder is created, changed or deleted (except what the case
  itself is meant to write, such as a new dossier), and the temporary folder is left empty;
- the previous output is intact unless the case is a successful build;
- no LibreOffice process started in the sandbox is still running.

Used by ``tests/attacks/test_attacks.py`` and ``benchmarks/bad_inputs_report.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CONVENANTGEN = Path(sys.executable).with_name("convenantgen")
PREVIOUS = "vorige-build.txt"


@dataclass(frozen=True)
class Attack:
    name: str
    args: tuple[str, ...]  # after 'convenantgen'; run in the project folder
    exit: int
    says: str  # words the output must contain
    setup: Callable[[Path], None] | None = None  # gets the sandbox folder
    env: dict[str, str] = field(default_factory=dict)
    may_change: tuple[str, ...] = ()  # sandbox-relative prefixes the case may write
    replaces_out: bool = False  # a successful build replaces the previous output
    timeout: float = 180
    after: Callable[[Path], str] | None = None  # an extra judgement: "" when fine
    never_says: tuple[str, ...] = ()  # output lines that must not appear (faked diagnostics)


@dataclass
class Outcome:
    attack: Attack
    exit: int
    output: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _snapshot(root: Path, skip: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[rel] = "dir"
    return out


_TEMPLATE: dict[str, Path] = {}


def make_sandbox(root: Path) -> Path:
    """A sandbox with a project (from a cached ``init``), a previous build and bystanders."""
    if "project" not in _TEMPLATE or not _TEMPLATE["project"].is_dir():
        cache = root.parent / "attack-template"
        if not cache.exists():
            subprocess.run([str(CONVENANTGEN), "init", str(cache)], check=True, capture_output=True)
        _TEMPLATE["project"] = cache
    sandbox = root
    shutil.copytree(_TEMPLATE["project"], sandbox / "project", symlinks=True)
    build = sandbox / "project" / "build"
    build.mkdir()
    # A previous build as convenantgen leaves it: its marker and a file to recognise it by.
    from convenantgen.build.staging import MARKER, MARKER_TEXT

    (build / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (build / PREVIOUS).write_text("de vorige build\n", encoding="utf-8")
    bystanders = sandbox / "buren"
    bystanders.mkdir()
    (bystanders / "index.html").write_text("<h1>eigen webapp</h1>\n", encoding="utf-8")
    (bystanders / "manifest.json").write_text('{"app": "eigen"}\n', encoding="utf-8")
    (sandbox / "tmp").mkdir()
    return sandbox


def run(attack: Attack, sandbox: Path) -> Outcome:
    project = sandbox / "project"
    if attack.setup is not None:
        attack.setup(sandbox)
    out_dir = project / "build"
    before = _snapshot(sandbox, out_dir)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_", "HYPOTHESIS"))
    }
    env.update({"TMPDIR": str(sandbox / "tmp"), "HOME": str(sandbox / "buren"), **attack.env})
    env = {k: v for k, v in env.items() if v != ""}
    try:
        proc = subprocess.run(
            [str(CONVENANTGEN), *attack.args],
            cwd=project,
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=attack.timeout,
            stdin=subprocess.DEVNULL,
        )
        code, output = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        code = -1
        output = f"timed out after {attack.timeout:g} s: {exc.stdout or ''}{exc.stderr or ''}"
    problems = []
    if code != attack.exit:
        problems.append(f"exit {code}, expected {attack.exit}")
    if attack.says not in output:
        problems.append(f"output lacks {attack.says!r}")
    for line in attack.never_says:
        if line in output.splitlines():
            problems.append(f"the output has the line {line!r}")
    if "Traceback (most recent call last)" in output:
        problems.append("a traceback was printed")
    errors = [line for line in output.splitlines() if line.startswith("convenantgen: error:")]
    if code not in (0, 1, 2) or (code != 0 and len(errors) > 1):
        problems.append(f"not one clear error line: {errors}")
    after = _snapshot(sandbox, out_dir)
    # A build that succeeded keeps what it made in the project's cache; one that failed
    # leaves the cache alone, like everything else outside --out.
    cache = ("project/.convenantgen-cache",) if code == 0 else ()
    allowed = ("tmp", *cache, *attack.may_change)
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) != after.get(rel) and not rel.startswith(allowed):
            what = "created" if rel not in before else "deleted" if rel not in after else "changed"
            problems.append(f"{rel} {what} outside the output folder")
    leftovers = (
        sorted(p.name for p in (sandbox / "tmp").iterdir()) if (sandbox / "tmp").is_dir() else []
    )
    if leftovers:
        problems.append(f"left in the temporary folder: {leftovers}")
    staging = [p.name for p in project.iterdir() if p.name.startswith(".convenantgen-staging-")]
    if staging:
        problems.append(f"staging folders left: {staging}")
    if not attack.replaces_out and not (out_dir / PREVIOUS).is_file():
        problems.append("the previous output was not left intact")
    if attack.replaces_out and code == 0 and (out_dir / PREVIOUS).exists():
        problems.append("the build did not replace the previous output")
    running = _processes_in(sandbox)
    if running:
        problems.append(f"processes still running: {running}")
    if attack.after is not None:
        extra = attack.after(sandbox)
        if extra:
            problems.append(extra)
    return Outcome(attack, code, output, problems)


def _processes_in(sandbox: Path) -> list[int]:
    needle = str(sandbox).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
