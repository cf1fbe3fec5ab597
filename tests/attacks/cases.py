"""The attacks: one class of misuse each, several cases per class (see harness.py)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import zipfile
from pathlib import Path

from .harness import Attack

DOSSIER = Path("project/content/voorbeeld")


def _edit(rel: str | Path, old: str, new: str):
    def setup(sandbox: Path) -> None:
        path = sandbox / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")

    return setup


def _both(*setups):
    def setup(sandbox: Path) -> None:
        for step in setups:
            step(sandbox)

    return setup


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-c", "user.name=A", "-c", "user.email=a@example.invalid", *args],
        cwd=repo,
        input=stdin,
        capture_output=True,
        check=True,
    ).stdout


def _repo_with_tree_entry(name: bytes, mode: bytes = b"100644"):
    """A commit whose tree holds content/<name> (git mktree accepts '..')."""

    def setup(sandbox: Path) -> None:
        repo = sandbox / "project"
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "start")
        blob = _git(repo, "hash-object", "-w", "--stdin", stdin=b"kind: dossier\n").strip()
        inner = _git(repo, "mktree", stdin=mode + b" blob " + blob + b"\t" + name + b"\n").strip()
        content_tree = _git(repo, "rev-parse", "HEAD:content").strip()
        listing = _git(repo, "ls-tree", content_tree) + b"040000 tree " + inner + b"\tzz\n"
        new_content = _git(repo, "mktree", stdin=listing).strip()
        root = _git(repo, "ls-tree", "HEAD").replace(content_tree, new_content)
        top = _git(repo, "mktree", stdin=root).strip()
        commit = _git(repo, "commit-tree", top.decode(), "-p", "HEAD", "-m", "boos").strip()
        _git(repo, "tag", "boos", commit.decode())

    return setup


def _docx_edit(name: str, old: str, new: str):
    def setup(sandbox: Path) -> None:
        from convenantgen.resources import templates_dir

        target = sandbox / "project" / "templates" / name
        with zipfile.ZipFile(templates_dir() / name) as source:
            parts = {n: source.read(n) for n in source.namelist()}
        xml = parts["word/document.xml"].decode()
        assert old in xml
        parts["word/document.xml"] = xml.replace(old, new, 1).encode()
        with zipfile.ZipFile(target, "w") as out:
            for n, data in parts.items():
                out.writestr(n, data)

    return setup


def _write(rel: str, text: str):
    def setup(sandbox: Path) -> None:
        path = sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    return setup


def _fake_soffice(body: str):
    def setup(sandbox: Path) -> None:
        path = sandbox / "buren" / "soffice"
        path.write_text("#!/bin/sh\n" + body, "utf-8")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)

    return setup


def _chain_of_periods(n: int):
    """An addendum per period, each following the previous one: a chain of n periods."""

    def setup(sandbox: Path) -> None:
        lines = []
        for i in range(n):
            follows = "looptijd" if i == 0 else f"p{i - 1}"
            lines.append(
                f"kind: addendum\nid: a{i}\namends: convenant\nin_force: {{id: p{i}, "
                f"start: 2026-08-01, end: 2027-07-31, follows: {follows}}}\n"
                "parties: [schoolbesturen]\nsigning: {place: Ergens}\n"
                f"sections: [{{id: s{i}, title: T, clauses: [{{id: c{i}, text: Tekst.}}]}}]\n"
            )
        folder = sandbox / DOSSIER
        for i, text in enumerate(lines):
            (folder / f"a{i}.yaml").write_text(text, "utf-8")

    return setup


def _no_html_with(*attributes: str):
    """No element of any page carries one of ``attributes`` (shown as text is fine)."""
    patterns = [re.compile(r"<[a-zA-Z][^<>]*\s" + re.escape(a)) for a in attributes]

    def judge(sandbox: Path) -> str:
        site = sandbox / "project" / "build" / "site"
        for page in site.rglob("*.html"):
            text = page.read_text("utf-8")
            for pattern in patterns:
                found = pattern.search(text)
                if found:
                    return f"{page.relative_to(site)} has an element with {found.group(0)!r}"
        return ""

    return judge


def _csv_cells_inert(sandbox: Path) -> str:
    folder = sandbox / "project" / "build" / "site" / "open-data"
    for path in folder.glob("*.csv"):
        for line in path.read_text("utf-8").splitlines():
            for cell in line.split(","):
                if cell.strip('"').startswith(("=", "+", "@")):
                    return f"{path.name} has a formula cell: {cell}"
    return ""


def _not_created(rel: str):
    def judge(sandbox: Path) -> str:
        return f"{rel} was created: code ran" if (sandbox / rel).exists() else ""

    return judge


def _kill_a_build(sandbox: Path) -> None:
    """Start a build with a slow LibreOffice and SIGKILL it: staging and processes stay."""
    slow = sandbox / "buren" / "slow-soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n", "utf-8")
    slow.chmod(0o755)
    from .harness import CONVENANTGEN

    env = dict(os.environ, CONVENANTGEN_SOFFICE=str(slow), TMPDIR=str(sandbox / "tmp"))
    proc = subprocess.Popen(
        [str(CONVENANTGEN), "build", "--quiet"],
        cwd=sandbox / "project",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    project = sandbox / "project"
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        staging = [
            p for p in project.glob(".convenantgen-staging-*") if (p / "work" / "pdf").exists()
        ]
        if staging and any(staging[0].rglob("*.docx")):
            break
        time.sleep(0.2)
    time.sleep(1)
    proc.kill()
    proc.wait()


HOSTILE_LABEL = "Behoud [x](#){: tabindex=1 autofocus onfocus=alert(9) }"

ATTACKS: list[Attack] = [
    # -- writing outside the project --------------------------------------------------------
    Attack(
        "diff-tree-entry-dotdot",
        ("diff", "boos"),
        1,
        "would leave the folder it is compared in",
        setup=_repo_with_tree_entry(b".."),
        may_change=("project/.git",),
    ),
    Attack(
        "diff-tree-entry-symlink",
        ("diff", "boos"),
        0,
        "Wijzigingen van boos naar werkmap",
        setup=_repo_with_tree_entry(b"wachtwoorden.yaml", b"120000"),
        may_change=("project/.git",),
    ),
    Attack("out-is-root", ("build", "--no-pdf", "--out", "/"), 2, "choose an --out"),
    Attack("out-is-project", ("build", "--no-pdf", "--out", "."), 2, "choose an --out outside it"),
    Attack("out-is-content", ("build", "--no-pdf", "--out", "content"), 2, "choose an --out"),
    Attack("out-holds-project", ("build", "--no-pdf", "--out", ".."), 2, "choose an --out"),
    Attack(
        "out-is-a-web-app",
        ("build", "--no-pdf", "--out", "../buren"),
        2,
        "is no convenantgen build",
    ),
    Attack(
        "out-is-a-file",
        ("build", "--no-pdf", "--out", "README.md"),
        2,
        "is not a folder",
    ),
    Attack(
        "out-marker-is-a-symlink",
        ("build", "--no-pdf", "--out", "../buren"),
        2,
        "is no convenantgen build",
        setup=lambda s: (s / "buren" / ".convenantgen-output").symlink_to(
            s / "project" / "build" / ".convenantgen-output"
        ),
    ),
    # -- script injection on the public site ------------------------------------------------
    Attack(
        "site-attr-list-in-pillar",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_edit(DOSSIER / "dossier.yaml", "label: Behoud", f"label: '{HOSTILE_LABEL}'"),
        replaces_out=True,
        after=_no_html_with("onfocus=", "autofocus", 'tabindex="1"'),
    ),
    Attack(
        "site-javascript-link-in-title",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_edit(
            DOSSIER / "maatregelen.yaml",
            "title: Eerste maatregel",
            "title: '[klik](javascript:alert(2)) <img src=x onerror=alert(3)>'",
        ),
        replaces_out=True,
        after=_no_html_with('href="javascript:', "onerror="),
    ),
    Attack(
        "site-script-in-party-name",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_edit(
            DOSSIER / "partijen.yaml",
            "name: Stichting Voorbeeldbestuur",
            "name: 'Stichting <script>alert(1)</script> {{ 7*7 }}'",
        ),
        replaces_out=True,
        after=lambda s: (
            "a script element was made"
            if any(
                "<script>alert(1)" in p.read_text("utf-8")
                for p in (s / "project/build/site").rglob("*.html")
            )
            else ""
        ),
    ),
    Attack(
        "csv-formula-in-party-name",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_edit(
            DOSSIER / "partijen.yaml",
            "name: Stichting Voorbeeldbestuur",
            'name: \'=HYPERLINK("http://x.invalid","klik")\'',
        ),
        replaces_out=True,
        after=_csv_cells_inert,
    ),
    # -- code from the working folder or a template -----------------------------------------
    Attack(
        "markdown-module-in-working-folder",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_write(
            "project/markdown.py",
            "import pathlib\npathlib.Path(__file__).with_name('GEHACKT').write_text('x')\n",
        ),
        replaces_out=True,
        after=_not_created("project/GEHACKT"),
    ),
    Attack(
        "template-reaches-python-internals",
        ("build", "--no-pdf", "--quiet"),
        1,
        "convenantgen: error:",
        setup=_write(
            "project/templates/site/home.md",
            "{{ front_matter('x') }}\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        ),
    ),
    # -- tracebacks instead of messages ------------------------------------------------------
    Attack(
        "lone-surrogate-in-title",
        ("check",),
        1,
        "[yaml-character] text contains a lone surrogate escape",
        setup=_edit(DOSSIER / "dossier.yaml", 'title: "Voorbeeldconvenant"', 'title: "X\\ud800"'),
    ),
    Attack(
        "lone-surrogate-in-id",
        ("check",),
        1,
        "[yaml-character]",
        setup=_edit(DOSSIER / "maatregelen.yaml", "id: eerste-maatregel\n", 'id: "e\\udc80"\n'),
    ),
    Attack(
        "out-parent-read-only",
        ("build", "--no-pdf", "--out", "/proc/convenantgen-out"),
        1,
        "convenantgen: error:",
    ),
    Attack(
        "out-name-too-long",
        ("build", "--no-pdf", "--out", "x" * 300),
        1,
        "File name too long",
    ),
    Attack(
        "ascii-terminal",
        ("check",),
        1,
        "is not a valid id",
        env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
        setup=_edit(DOSSIER / "maatregelen.yaml", "id: eerste-maatregel\n", "id: één-☂\n"),
    ),
    Attack(
        "corrupt-word-template",
        ("build", "--no-pdf"),
        1,
        "[template-corrupt]",
        setup=_write("project/templates/agreement.docx", "geen zip"),
    ),
    Attack(
        "unknown-variable-in-word-template",
        ("build", "--no-pdf"),
        1,
        "'a' has no 'titel'",
        setup=_docx_edit("agreement.docx", "{{ a.title }}", "{{ a.titel }}"),
    ),
    Attack(
        "new-dossier-on-29-february",
        ("new", "dossier", "schrikkel", "--start", "2024-02-29"),
        0,
        "created",
        may_change=("project/content/schrikkel",),
        after=lambda s: (
            ""
            if "end: 2025-02-28" in (s / "project/content/schrikkel/convenant.yaml").read_text()
            else "the term does not end on 28 February 2025"
        ),
    ),
    Attack(
        "reference-date-before-1970",
        ("build", "--no-pdf", "--reference-date", "1900-01-01"),
        2,
        "is outside 1970-01-01 – 2106-02-06",
    ),
    Attack(
        "reference-date-after-2106",
        ("build", "--no-pdf", "--reference-date", "2199-12-31"),
        2,
        "is outside 1970-01-01 – 2106-02-06",
    ),
    Attack(
        "dossier-named-site",
        ("check",),
        1,
        "[output-name] dossier id 'site' is a folder of the public site",
        setup=_both(
            _edit(DOSSIER / "dossier.yaml", "id: voorbeeld", "id: site"),
            lambda s: (s / DOSSIER).rename(s / "project/content/site"),
        ),
        may_change=("project/content",),
    ),
    Attack(
        "measure-named-index",
        ("check",),
        1,
        "[output-name] measure id 'index'",
        setup=_both(
            _edit(DOSSIER / "maatregelen.yaml", "id: eerste-maatregel\n", "id: index\n"),
            _edit(DOSSIER / "convenant.yaml", "measures: [eerste-maatregel]", "measures: [index]"),
        ),
    ),
    Attack(
        "agreements-x-and-handtekeningen-x",
        ("check",),
        1,
        "would both write voorbeeld-handtekeningen-convenant.docx",
        setup=_write(
            "project/content/voorbeeld/extra.yaml",
            "kind: addendum\nid: handtekeningen-convenant\namends: convenant\n"
            "in_force: {start: 2026-08-01, end: 2027-07-31}\n"
            "parties: [schoolbesturen]\nsigning: {place: Ergens}\n"
            "sections: [{id: s, title: T, clauses: [{id: c, text: Tekst.}]}]\n",
        ),
    ),
    # -- silent loss -------------------------------------------------------------------------
    Attack(
        "malformed-tag-in-signature-pages",
        ("build", "--no-pdf"),
        1,
        "'{{' is not closed with '}}' in the same paragraph",
        setup=_docx_edit("signature-pages.docx", "{{ a.closing }}", "{{ a.closing }"),
    ),
    # -- hangs and runaway cost --------------------------------------------------------------
    Attack(
        "libreoffice-that-keeps-printing",
        ("build", "--no-site"),
        1,
        "made no progress",
        setup=_fake_soffice("while true; do echo bezig; done\n"),
        env={"CONVENANTGEN_SOFFICE": "../buren/soffice", "CONVENANTGEN_PDF_TIMEOUT": "3"},
        timeout=120,
    ),
    Attack(
        "libreoffice-silent-hang",
        ("build", "--no-site"),
        1,
        "made no progress",
        setup=_fake_soffice("sleep 600\n"),
        env={"CONVENANTGEN_SOFFICE": "../buren/soffice", "CONVENANTGEN_PDF_TIMEOUT": "3"},
        timeout=120,
    ),
    Attack(
        "template-loop-without-end",
        ("build", "--no-pdf"),
        1,
        "more than 20,000,000 characters",
        setup=_write(
            "project/templates/site/home.md",
            "{{ front_matter('x') }}{% for i in range(100000) %}{% for j in range(100000) %}"
            "xxxxxxxxxx{% endfor %}{% endfor %}\n",
        ),
        timeout=60,
    ),
    Attack(
        "template-huge-repeat",
        ("build", "--no-pdf"),
        1,
        "is not allowed",
        setup=_write(
            "project/templates/site/home.md", "{{ front_matter('x') }}{{ 'x' * 10**9 }}\n"
        ),
        timeout=60,
    ),
    Attack(
        "three-thousand-chained-periods",
        ("check",),
        1,
        "in 1 dossier(s)",
        setup=_chain_of_periods(3000),
        timeout=90,
        may_change=("project/content",),
    ),
    # -- leftovers ---------------------------------------------------------------------------
    Attack(
        "killed-build-is-cleaned-up-by-the-next",
        ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"),
        0,
        "",
        setup=_kill_a_build,
        replaces_out=True,
        timeout=120,
        may_change=("project/.convenantgen-staging-",),
    ),
    Attack(
        "failed-site-build-leaves-nothing",
        ("build", "--no-pdf"),
        1,
        "convenantgen: error:",
        setup=_write(
            "project/templates/site/parties.md", "{{ front_matter('x') }}{{ d.groups[5].title }}\n"
        ),
    ),
]
