"""Run the bad-input corpus (``tests/bad_inputs/``) and report how cleanly it is rejected.

Each case is a folder holding only the files that differ from the valid base dossier in
``tests/bad_inputs/_base/`` (a file named ``_remove`` lists base files to delete), plus
``expected.txt``: the exact diagnostic lines ``check`` must print, one per line, paths
relative to the case folder. A line starting with ``re:`` is a regular expression that must
match the whole output line; blank lines and ``#`` comments are ignored. Cases whose input is
too large or binary to commit are written at run time by a generator below.

The dossier of a case is written to ``WORK/<case>/content/<case>/`` and checked with
``convenantgen check .`` from inside that folder. The directive ``# check: parent`` in
``expected.txt`` runs it from ``WORK/<case>/content/`` instead (a content folder holding this
one dossier), for defects that only show at that level; paths are then relative to it.

Each bad case is then built, the same way, with ``convenantgen build . --out OUT --no-pdf``
where ``OUT`` (``WORK/<case>/out``) already holds a previous build of the valid base
dossier: the build must exit 1, print the expected diagnostics, and leave every file under
``WORK/<case>/`` byte-for-byte and mtime-for-mtime as it was, with no file added.

Folders named ``ok-*`` hold tricky but *valid* input (``&``, ``<``, quotes, emoji,
``<script>``, Jinja syntax): ``check`` must accept them without any finding.

Usage::

    python benchmarks/bad_inputs_report.py [CASE ...]

prints ``N bad inputs, N rejected cleanly, 0 tracebacks, 0 outputs touched`` and exits 1
when any bad input is not rejected cleanly (or a valid one is not accepted); details of
every failure go to stderr. "Rejected cleanly" means: check and build exit 1, no Python
traceback, check prints exactly ``expected.txt`` (build prints those lines too), and no file
of the case (its dossier and the previous build) was created, changed or removed. The test
suite imports this module (``tests/test_bad_inputs.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "bad_inputs"
BASE = CORPUS / "_base"
CONTROL_FILES = {"expected.txt", "_remove"}
LINE_RE = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|warning|acknowledged) \[[a-z0-9-]+\] .+$")


# ---------------------------------------------------------------------------------------------
# Inputs that are written at run time instead of committed


def _fifty_megabytes(folder: Path) -> None:
    chunk = b"# padding line for a file far larger than any dossier file may be\n"
    with (folder / "maatregelen.yaml").open("wb") as out:
        out.write(b"kind: measures\n")
        block = chunk * 16_384  # 1 MiB
        for _ in range(50):
            out.write(block)


def _latin1_bytes(folder: Path) -> None:
    text = (BASE / "partijen.yaml").read_text("utf-8")
    (folder / "partijen.yaml").write_bytes(
        text.replace("Stichting Beta", "Stichting B\u00e9ta").encode("latin-1")
    )


def _utf16_file(folder: Path) -> None:
    text = (BASE / "dossier.yaml").read_text("utf-8")
    (folder / "dossier.yaml").write_bytes(text.encode("utf-16"))


def _nul_byte(folder: Path) -> None:
    text = (BASE / "dossier.yaml").read_text("utf-8")
    (folder / "dossier.yaml").write_bytes(
        text.replace("Proefconvenant", "Proef\x00convenant").encode()
    )


def _symlink_outside(folder: Path) -> None:
    (folder / "extra.yaml").symlink_to("/etc/passwd")


def _deep_nesting(folder: Path) -> None:
    depth = 10_000  # ten times Python's recursion limit
    (folder / "extra.yaml").write_text("kind: measures\nmeasures: " + "[" * depth + "]" * depth)


def _long_string_aliases(folder: Path) -> None:
    """Few values, but one 300 kB string repeated by 40 aliases: 12 million characters."""
    text = (BASE / "maatregelen.yaml").read_text("utf-8")
    long = "begeleiding " * 27_000
    items = f"      - &lang {long}\n" + "      - *lang\n" * 40
    (folder / "maatregelen.yaml").write_text(
        text.replace("      - Starters krijgen begeleiding op maat.\n", items)
    )


GENERATORS: dict[str, Callable[[Path], None]] = {
    "alias-bomb-long-string": _long_string_aliases,
    "file-50-megabytes": _fifty_megabytes,
    "non-utf8-latin1": _latin1_bytes,
    "non-utf8-utf16": _utf16_file,
    "nul-byte": _nul_byte,
    "symlink-to-etc-passwd": _symlink_outside,
    "deep-nesting": _deep_nesting,
}


# ---------------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path

    @property
    def valid(self) -> bool:
        return self.name.startswith("ok-")

    @property
    def from_parent(self) -> bool:
        lines = (self.folder / "expected.txt").read_text("utf-8").splitlines()
        return "# check: parent" in lines

    def expected(self) -> list[str]:
        lines = (self.folder / "expected.txt").read_text("utf-8").splitlines()
        return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


def cases() -> list[Case]:
    return [
        Case(p.name, p)
        for p in sorted(CORPUS.iterdir())
        if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "expected.txt").is_file()
    ]


def materialize(case: Case, workdir: Path) -> Path:
    """Write the case's dossier (base + overlay, generated) to ``workdir/<case>/content/<case>``."""
    dest = workdir / case.name / "content" / case.name
    dest.mkdir(parents=True, exist_ok=True)
    for src in BASE.iterdir():
        if src.is_file():
            shutil.copyfile(src, dest / src.name)
    remove = case.folder / "_remove"
    if remove.is_file():
        for name in remove.read_text("utf-8").split():
            (dest / name).unlink()
    for src in case.folder.iterdir():
        if src.is_file() and src.name not in CONTROL_FILES:
            shutil.copyfile(src, dest / src.name)
    if case.name in GENERATORS:
        GENERATORS[case.name](dest)
    return dest


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below ``folder`` with the SHA-256 of its bytes and its mtime (ns)."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            out[str(path.relative_to(folder))] = ("link-or-dir", path.lstat().st_mtime_ns)
            continue
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out[str(path.relative_to(folder))] = (digest.hexdigest(), path.stat().st_mtime_ns)
    return out


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    traceback: str = ""

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_in_process(folder: Path, argv: list[str] | None = None) -> Outcome:
    """``convenantgen check .`` (or ``argv``) inside ``folder`` via ``cli.main``; catches all."""
    from convenantgen import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv or ["check", "."])
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - a traceback is exactly what we look for
            return Outcome(None, out.getvalue(), err.getvalue(), traceback.format_exc())
    return Outcome(code, out.getvalue(), err.getvalue())


def run_cli(folder: Path, argv: list[str] | None = None) -> Outcome:
    """The installed ``convenantgen`` executable, as a user runs it."""
    exe = Path(sys.executable).with_name("convenantgen")
    proc = subprocess.run(
        [str(exe), *(argv or ["check", "."])],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def match_lines(expected: list[str], actual: list[str]) -> bool:
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual, strict=True):
        if want.startswith("re:"):
            if not re.fullmatch(want[3:].strip(), got):
                return False
        elif want != got:
            return False
    return True


@dataclass
class Verdict:
    case: Case
    outcome: Outcome
    touched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def judge(case: Case, outcome: Outcome, before: dict, after: dict) -> Verdict:
    verdict = Verdict(case, outcome)
    verdict.touched = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    text = outcome.stdout + outcome.stderr
    if outcome.traceback or "Traceback (most recent call last)" in text:
        verdict.problems.append("traceback:\n" + (outcome.traceback or text))
    want_code = 0 if case.valid else 1
    if outcome.exit_code != want_code:
        verdict.problems.append(f"exit code {outcome.exit_code}, expected {want_code}")
    malformed = [ln for ln in outcome.lines if not LINE_RE.match(ln)]
    if malformed:
        verdict.problems.append("lines not in file:line:col form: " + repr(malformed))
    if not match_lines(case.expected(), outcome.lines):
        verdict.problems.append(
            "output differs from expected.txt\n  expected:\n    "
            + "\n    ".join(case.expected())
            + "\n  got:\n    "
            + "\n    ".join(outcome.lines)
        )
    if verdict.touched:
        verdict.problems.append("files created, changed or removed: " + ", ".join(verdict.touched))
    return verdict


def run_case(case: Case, workdir: Path, runner: Callable[[Path], Outcome] = run_in_process):
    """Materialize ``case`` under ``workdir``, check it with ``runner`` and judge the result."""
    content = materialize(case, workdir).parent
    before = snapshot(content)
    outcome = runner(content if case.from_parent else content / case.name)
    return judge(case, outcome, before, snapshot(content))


def previous_build(workdir: Path) -> Path:
    """A build of the valid base dossier in ``workdir/_previous/out`` (made once)."""
    out = workdir / "_previous" / "out"
    if not out.is_dir():
        base = workdir / "_previous" / "proef"
        shutil.copytree(BASE, base)
        argv = ["build", ".", "--out", str(out), "--no-pdf", "--no-site", "--quiet"]
        outcome = run_in_process(base, argv)
        if outcome.exit_code != 0 or not any(out.rglob("*.docx")):
            raise RuntimeError("the base dossier does not build:\n" + outcome.stderr)
    return out


def build_case(case: Case, workdir: Path, runner: Callable[..., Outcome] = run_in_process):
    """Build a bad case over a previous build; judge that it fails and touches nothing."""
    content = materialize(case, workdir).parent
    root = content.parent
    out = root / "out"
    shutil.copytree(previous_build(workdir), out, copy_function=shutil.copy2)
    before = snapshot(root)
    outcome = runner(
        content if case.from_parent else content / case.name,
        ["build", ".", "--out", str(out), "--no-pdf"],
    )
    verdict = Verdict(case, outcome)
    after = snapshot(root)
    verdict.touched = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if outcome.traceback or "Traceback (most recent call last)" in outcome.stderr:
        verdict.problems.append("build traceback:\n" + (outcome.traceback or outcome.stderr))
    if outcome.exit_code != 1:
        verdict.problems.append(f"build exit code {outcome.exit_code}, expected 1")
    shown = set((outcome.stdout + outcome.stderr).splitlines())
    missing = [ln for ln in case.expected() if not ln.startswith("re:") and ln not in shown]
    if missing:
        verdict.problems.append("build does not print: " + "; ".join(missing))
    if verdict.touched:
        verdict.problems.append("build touched: " + ", ".join(verdict.touched[:10]))
    return verdict


def _attacks():
    """The attack suite of tests/attacks (same harness as its tests)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from attacks.cases import ATTACKS
    from attacks.cases_round3 import ROUND3
    from attacks.harness import make_sandbox, run

    return ATTACKS + ROUND3, make_sandbox, run


def run_attacks(names: list[str], tmp: Path) -> tuple[str, bool]:
    """The attack summary line, and whether every selected attack was handled cleanly."""
    attacks, make_sandbox, run = _attacks()
    selected = [a for a in attacks if not names or a.name in names]
    outcomes = []
    for i, attack in enumerate(selected):
        outcome = run(attack, make_sandbox(tmp / f"attack-{i}"))
        if not outcome.ok:
            print(f"--- attack {attack.name}: " + "\n".join(outcome.problems), file=sys.stderr)
        outcomes.append(outcome)
    tracebacks = sum("Traceback (most recent call last)" in o.output for o in outcomes)
    touched = sum(1 for o in outcomes for p in o.problems if "outside the output folder" in p)
    line = (
        f"{len(outcomes)} attacks, {sum(o.ok for o in outcomes)} handled cleanly, "
        f"{tracebacks} tracebacks, {touched} files touched outside --out"
    )
    return line, all(o.ok for o in outcomes)


def main(argv: list[str] | None = None) -> int:
    """Run every case and attack (or only the ones named in ``argv``) and print the summaries:
    a line for the bad-input corpus and a line for the attack suite."""
    names = list(sys.argv[1:] if argv is None else argv)
    attack_names = {a.name for a in _attacks()[0]}
    case_names = [n for n in names if n not in attack_names]
    only_attacks = [n for n in names if n in attack_names]
    selected = [c for c in cases() if not names or c.name in case_names]
    unknown = sorted(set(case_names) - {c.name for c in selected})
    if unknown:
        print(f"no such case: {', '.join(unknown)}", file=sys.stderr)
        return 2
    verdicts: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix="bad-inputs-") as tmp:
        for case in selected:
            verdict = run_case(case, Path(tmp) / "check")
            if not case.valid:
                built = build_case(case, Path(tmp) / "build")
                verdict.problems += built.problems
                verdict.touched += built.touched
                verdict.outcome.traceback += built.outcome.traceback
                verdict.outcome.stderr += built.outcome.stderr
            verdicts.append(verdict)
    bad = [v for v in verdicts if not v.case.valid]
    valid = [v for v in verdicts if v.case.valid]
    for v in verdicts:
        if not v.clean:
            print(f"--- {v.case.name}: " + "\n".join(v.problems), file=sys.stderr)
    tracebacks = sum(1 for v in verdicts if v.outcome.traceback or "Traceback" in v.outcome.stderr)
    touched = sum(len(v.touched) for v in verdicts)
    print(
        f"{len(bad)} bad inputs, {sum(v.clean for v in bad)} rejected cleanly, "
        f"{tracebacks} tracebacks, {touched} outputs touched"
    )
    failed_valid = [v.case.name for v in valid if not v.clean]
    if failed_valid:
        print(f"valid inputs not accepted cleanly: {', '.join(failed_valid)}", file=sys.stderr)
    attacks_ok = True
    if not names or only_attacks:
        with tempfile.TemporaryDirectory(prefix="attacks-") as tmp:
            line, attacks_ok = run_attacks(only_attacks, Path(tmp))
        print(line)
    return 0 if all(v.clean for v in verdicts) and attacks_ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
