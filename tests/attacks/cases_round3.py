"""The attacks of issue 23, by class: files from outside the project, invisible and look-alike
characters, files skipped without a word, tracebacks, a damaged or shared cache, messages and
hostile git histories for ``diff`` (see harness.py for how each case is judged)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

from .cases import DOSSIER, _both, _edit, _git, _write
from .harness import CONVENANTGEN, Attack

BUILD = ("build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01")
PARTY = "name: Stichting Voorbeeldbestuur"


def _link(rel: str, target: str):
    """``rel`` (sandbox-relative) made a symbolic link to ``target`` (as written)."""

    def setup(sandbox: Path) -> None:
        path = sandbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    return setup


def _rename(rel: str, new_name: str):
    def setup(sandbox: Path) -> None:
        path = sandbox / rel
        path.rename(path.with_name(new_name))

    return setup


def _content_loop(sandbox: Path) -> None:
    content = sandbox / "project" / "content"
    content.rename(sandbox / "project" / "inhoud-weg")
    content.symlink_to("content")


def _outside_dossier(sandbox: Path) -> None:
    """A whole dossier kept beside the project and linked into content/."""
    source = sandbox / DOSSIER
    other = sandbox / "buren" / "extern"
    other.mkdir()
    for path in source.iterdir():
        (other / path.name).write_bytes(path.read_bytes())
    (sandbox / "project" / "content" / "extern").symlink_to(other)


def _docx_with_entity(sandbox: Path) -> None:
    from convenantgen.resources import templates_dir

    with zipfile.ZipFile(templates_dir() / "agreement.docx") as source:
        parts = {n: source.read(n) for n in source.namelist()}
    xml = parts["word/document.xml"].decode()
    head, rest = xml.split("?>", 1)
    entity = '<!DOCTYPE w:document [<!ENTITY geheim SYSTEM "file:///etc/hostname">]>'
    parts["word/document.xml"] = (
        head + "?>" + entity + rest.replace("{{ a.title }}", "{{ a.title }}&geheim;", 1)
    ).encode()
    with zipfile.ZipFile(sandbox / "project/templates/agreement.docx", "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


# -- hostile git histories for diff -------------------------------------------------------------


def _hostile_commit(listing_of_zz: bytes, extra_blobs: dict[bytes, bytes] | None = None):
    """A commit whose content/zz tree is ``listing_of_zz`` (``git mktree -z`` input: entries
    end in NUL, so a name may hold a newline; markers replaced by the blob ids of
    ``extra_blobs``), tagged ``boos``."""

    def setup(sandbox: Path) -> None:
        repo = sandbox / "project"
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "start")
        listing = listing_of_zz
        for marker, data in (extra_blobs or {}).items():
            blob = _git(repo, "hash-object", "-w", "--stdin", stdin=data).strip()
            listing = listing.replace(marker, blob)
        inner = _git(repo, "mktree", "-z", stdin=listing).strip()
        content_tree = _git(repo, "rev-parse", "HEAD:content").strip()
        content = _git(repo, "ls-tree", content_tree) + b"040000 tree " + inner + b"\tzz\n"
        new_content = _git(repo, "mktree", stdin=content).strip()
        root = _git(repo, "ls-tree", "HEAD").replace(content_tree, new_content)
        top = _git(repo, "mktree", stdin=root).strip()
        commit = _git(repo, "commit-tree", top.decode(), "-p", "HEAD", "-m", "boos").strip()
        _git(repo, "tag", "boos", commit.decode())

    return setup


def _tree_named(name: bytes):
    """content/zz/<name>/ a tree holding x.yaml: git ls-tree -r lists zz/<name>/x.yaml."""

    def setup(sandbox: Path) -> None:
        repo = sandbox / "project"
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "start")
        blob = _git(repo, "hash-object", "-w", "--stdin", stdin=b"kind: dossier\n").strip()
        leaf = _git(repo, "mktree", stdin=b"100644 blob " + blob + b"\tx.yaml\n").strip()
        mid = _git(repo, "mktree", stdin=b"040000 tree " + leaf + b"\t" + name + b"\n").strip()
        content_tree = _git(repo, "rev-parse", "HEAD:content").strip()
        content = _git(repo, "ls-tree", content_tree) + b"040000 tree " + mid + b"\tzz\n"
        new_content = _git(repo, "mktree", stdin=content).strip()
        root = _git(repo, "ls-tree", "HEAD").replace(content_tree, new_content)
        top = _git(repo, "mktree", stdin=root).strip()
        commit = _git(repo, "commit-tree", top.decode(), "-p", "HEAD", "-m", "boos").strip()
        _git(repo, "tag", "boos", commit.decode())

    return setup


FAKE_LINE = "content/voorbeeld/dossier.yaml:1:1: error [nep] vervalst"

# -- the cache ------------------------------------------------------------------------------------

_BACKGROUND: dict[str, subprocess.Popen] = {}


def _env(sandbox: Path, tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(TMPDIR=str(sandbox / tmp), HOME=str(sandbox / "buren"))
    return env


def _second_build_alongside(sandbox: Path) -> None:
    """A second build of the same project, into ../uit-2, running while the attack's build
    runs: both share one cache."""
    (sandbox / "tmp2").mkdir()
    _BACKGROUND[str(sandbox)] = subprocess.Popen(
        [str(CONVENANTGEN), *BUILD, "--out", "../uit-2"],
        cwd=sandbox / "project",
        env=_env(sandbox, "tmp2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "vorige-build.txt"
    }


def _both_builds_equal(sandbox: Path) -> str:
    proc = _BACKGROUND.pop(str(sandbox))
    try:
        output, _ = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "the second build did not end"
    if proc.returncode != 0 or b"Traceback" in output:
        return f"the second build failed ({proc.returncode}): {output[-2000:]!r}"
    first, second = _files(sandbox / "project/build"), _files(sandbox / "uit-2")
    if not first or first != second:
        differ = sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))
        return f"the two builds differ: {differ[:5]}"
    return ""


def _killed_while_writing(sandbox: Path) -> None:
    """Builds killed (SIGKILL) at ever later moments, until one finishes: some die while they
    write cache entries or move them into the cache."""
    (sandbox / "tmp3").mkdir()
    env = _env(sandbox, "tmp3")
    for delay in [x / 10 for x in range(3, 80, 3)]:
        proc = subprocess.Popen(
            [str(CONVENANTGEN), *BUILD, "--out", "../uit-3"],
            cwd=sandbox / "project",
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def _same_as_without_cache(sandbox: Path) -> str:
    """The build after the damage equals one made without any cache."""
    fresh = sandbox / "zonder-cache"
    proc = subprocess.run(
        [str(CONVENANTGEN), *BUILD, "--no-cache", "--out", str(fresh)],
        cwd=sandbox / "project",
        capture_output=True,
        timeout=180,
        check=False,
    )
    if proc.returncode != 0:
        return f"the build without cache failed: {proc.stderr[-1000:]!r}"
    built, clean = _files(sandbox / "project/build"), _files(fresh)
    if built != clean:
        differ = sorted(k for k in set(built) | set(clean) if built.get(k) != clean.get(k))
        return f"the build after the damage differs from one without cache: {differ[:5]}"
    return ""


def _cache_v1_a_file(sandbox: Path) -> None:
    folder = sandbox / "project/.convenantgen-cache"
    folder.mkdir()
    (folder / "v1").write_text("kapot\n", "utf-8")


def _cache_entries_blocked(sandbox: Path) -> None:
    """Files where the cache's folders should be, the compiled-templates folder a file."""
    v1 = sandbox / "project/.convenantgen-cache/v1"
    (v1 / "jinja").mkdir(parents=True)
    (v1 / "jinja/files").write_text("kapot\n", "utf-8")
    (v1 / "docx").write_text("kapot\n", "utf-8")
    (v1 / "site").write_text("kapot\n", "utf-8")


def _buren_untouched(sandbox: Path) -> str:
    target = sandbox / "buren" / "cachemap"
    return f"{target} was written through" if any(target.iterdir()) else ""


ROUND3: list[Attack] = [
    # -- files from outside the project published ---------------------------------------------
    Attack(
        "outside-override-symlink-to-file",
        BUILD,
        1,
        "'overrides/eigen.html' is a symbolic link to",
        setup=_link("project/overrides/eigen.html", "../../buren/index.html"),
    ),
    Attack(
        "outside-override-symlink-to-etc",
        BUILD,
        1,
        "'overrides/etc' is a symbolic link to '/etc', outside the project",
        setup=_link("project/overrides/etc", "/etc"),
    ),
    Attack(
        "outside-override-replaces-logo",
        BUILD,
        1,
        "'overrides/assets/images/favicon.png' is a symbolic link to",
        setup=_link("project/overrides/assets/images/favicon.png", "/etc/hostname"),
    ),
    Attack(
        "outside-override-broken-symlink",
        BUILD,
        1,
        "which does not exist",
        setup=_link("project/overrides/main.html", "../../buren/weg.html"),
    ),
    Attack(
        "outside-logo-relative",
        BUILD,
        1,
        "[project-path] site.logo '../../../../etc/passwd' leaves the overrides folder",
        setup=_edit(
            "project/convenantgen.yml",
            "# logo: assets/logo.svg",
            "logo: ../../../../etc/passwd",
        ),
    ),
    Attack(
        "outside-logo-absolute",
        ("check",),
        1,
        "[project-path] site.logo '/etc/passwd' leaves the overrides folder",
        setup=_edit("project/convenantgen.yml", "# logo: assets/logo.svg", "logo: /etc/passwd"),
    ),
    Attack(
        "outside-logo-missing",
        ("check",),
        1,
        "site.logo 'assets/logo.svg' is not a file in overrides/",
        setup=_edit("project/convenantgen.yml", "# logo: assets/logo.svg", "logo: assets/logo.svg"),
    ),
    Attack(
        "outside-logo-through-symlink",
        ("check",),
        1,
        "site.logo 'assets/logo.svg' is a symbolic link to",
        setup=_both(
            _edit("project/convenantgen.yml", "# logo: assets/logo.svg", "logo: assets/logo.svg"),
            _link("project/overrides/assets/logo.svg", "/etc/hostname"),
        ),
    ),
    Attack(
        "outside-site-template-symlink",
        BUILD,
        1,
        "'site/home.md' is not read: it is a symbolic link to",
        setup=_link("project/templates/site/home.md", "../../../buren/index.html"),
    ),
    Attack(
        "outside-word-template-symlink",
        ("build", "--no-pdf"),
        1,
        "'agreement.docx' is not read: it is a symbolic link to",
        setup=_link("project/templates/agreement.docx", "/etc/hostname"),
    ),
    Attack(
        "outside-dossier-file-symlink",
        ("check",),
        1,
        "geheim.yaml:1:1: error [file-outside] file is a symbolic link to a place outside",
        setup=_link(str(DOSSIER / "geheim.yaml"), "/etc/passwd"),
    ),
    Attack(
        "outside-dossier-folder-symlink",
        ("check",),
        1,
        "[file-skipped] 'extern' is not read: it is a symbolic link to",
        setup=_outside_dossier,
    ),
    Attack(
        "outside-content-path-absolute",
        ("check",),
        1,
        "[project-path] paths.content '/etc' leaves the project folder",
        setup=_edit("project/convenantgen.yml", "content: content,", "content: /etc,"),
    ),
    Attack(
        "outside-content-folder-symlink-loop",
        ("check",),
        1,
        "paths.content 'content' is a symbolic link loop",
        setup=_content_loop,
        may_change=("project/content", "project/inhoud-weg"),
    ),
    Attack(
        "outside-content-folder-symlink-loop-build",
        BUILD,
        1,
        "is a symbolic link loop",
        setup=_content_loop,
        may_change=("project/content", "project/inhoud-weg"),
    ),
    # -- invisible and look-alike characters ---------------------------------------------------
    Attack(
        "unicode-cyrillic-letter-in-party-name",
        ("check",),
        0,
        "warning [text-mixed-script] 'Stichting Vооrbeeldbestuur': the word 'Vооrbeeldbestuur' "
        "mixes the scripts Cyrillic and Latin; U+043E CYRILLIC SMALL LETTER O looks like 'o'",
        setup=_edit(DOSSIER / "partijen.yaml", PARTY, "name: Stichting Vооrbeeldbestuur"),
    ),
    Attack(
        "unicode-right-to-left-override-in-party-name",
        ("build", "--no-pdf"),
        1,
        "error [text-bidi] 'Stichting \\u202edleebrooV' holds U+202E RIGHT-TO-LEFT OVERRIDE",
        setup=_edit(DOSSIER / "partijen.yaml", PARTY, 'name: "Stichting \\u202edleebrooV"'),
    ),
    Attack(
        "unicode-zero-width-space-as-name",
        ("check",),
        1,
        "error [text-invisible] '\\u200b' has no visible character",
        setup=_edit(DOSSIER / "partijen.yaml", PARTY, 'name: "\\u200b"'),
    ),
    Attack(
        "unicode-zero-width-space-inside-name",
        ("check",),
        0,
        "warning [text-hidden-character]",
        setup=_edit(DOSSIER / "partijen.yaml", PARTY, 'name: "Stichting Voor\\u200bbeeld"'),
    ),
    Attack(
        "unicode-control-characters-in-short-title",
        BUILD,
        1,
        "error [text-control] 'Kort\\u001b[31m\\u0007\\u0000' holds the control character "
        "U+001B ESCAPE",
        setup=_edit(
            DOSSIER / "dossier.yaml",
            "# short_title: a short name",
            'short_title: "Kort\\e[31m\\a\\0"\n#',
        ),
    ),
    Attack(
        "unicode-decomposed-accent-in-name",
        ("check",),
        1,
        "error [text-nfc] 'Stichting Cre\u0301che' is not in Unicode form NFC",
        setup=_edit(DOSSIER / "partijen.yaml", PARTY, 'name: "Stichting Cre\\u0301che"'),
    ),
    Attack(
        "unicode-bidi-isolate-in-clause-text",
        ("check",),
        1,
        "[text-bidi]",
        setup=_edit(DOSSIER / "dossier.yaml", 'title: "Voorbeeldconvenant"', 'title: "A\\u2067B"'),
    ),
    # -- files skipped without a word ----------------------------------------------------------
    Attack(
        "skipped-upper-case-extension",
        ("check",),
        1,
        "[file-skipped] 'maatregelen.YAML' is not read: it has an upper-case extension",
        setup=_rename(str(DOSSIER / "maatregelen.yaml"), "maatregelen.YAML"),
        may_change=(str(DOSSIER),),
    ),
    Attack(
        "skipped-trailing-space-in-name",
        ("check",),
        1,
        "[file-skipped] 'maatregelen.yaml ' is not read: it ends in a space or dot",
        setup=_rename(str(DOSSIER / "maatregelen.yaml"), "maatregelen.yaml "),
        may_change=(str(DOSSIER),),
    ),
    Attack(
        "skipped-broken-symlink-in-dossier",
        ("check",),
        1,
        "[file-skipped] 'extra.yaml' is not read: it is a symbolic link to 'weg.yaml', which "
        "does not exist",
        setup=_link(str(DOSSIER / "extra.yaml"), "weg.yaml"),
    ),
    Attack(
        "skipped-folder-named-like-yaml",
        ("check",),
        1,
        "[file-skipped] 'extra.yaml' is not read: it is a folder",
        setup=lambda s: (s / DOSSIER / "extra.yaml").mkdir(),
    ),
    Attack(
        "skipped-newline-in-file-name",
        ("check",),
        1,
        "is not read: it has a line break or control character in its name",
        setup=_write(str(DOSSIER / ("x\n" + FAKE_LINE.replace("/", "_") + ".yaml")), "kind: x\n"),
        never_says=(FAKE_LINE.replace("/", "_") + ".yaml:1:1: error [file-skipped]",),
    ),
    Attack(
        "skipped-template-that-is-a-folder",
        ("build", "--no-pdf"),
        1,
        "[file-skipped] 'agreement.docx' is not read: it is a folder, not a template file",
        setup=lambda s: (s / "project/templates/agreement.docx").mkdir(),
    ),
    Attack(
        "skipped-template-broken-symlink",
        ("build", "--no-pdf"),
        1,
        "'site/home.md' is not read: it is a symbolic link to 'weg.md', which does not exist",
        setup=_link("project/templates/site/home.md", "weg.md"),
    ),
    # -- tracebacks ----------------------------------------------------------------------------
    Attack(
        "traceback-docx-external-entity",
        ("build", "--no-pdf"),
        1,
        "templates/agreement.docx: error [template-corrupt] word/document.xml declares a DOCTYPE",
        setup=_docx_with_entity,
    ),
    Attack(
        "traceback-recursive-macro-in-wording",
        ("build", "--no-pdf"),
        1,
        "wording entry 'agreement.parties_heading' cannot be rendered: the template calls "
        "itself without end",
        setup=_write(
            "project/templates/wording.yml",
            'agreement:\n  parties_heading: "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"\n',
        ),
    ),
    Attack(
        "traceback-huge-range-in-site-template",
        ("build", "--no-pdf"),
        1,
        "the site template 'site/home.md' failed: Range too big",
        setup=_write(
            "project/templates/site/home.md",
            "{{ front_matter('x') }}{% for i in range(10**12) %}x{% endfor %}\n",
        ),
    ),
    Attack(
        "traceback-division-by-zero-in-site-template",
        ("build", "--no-pdf"),
        1,
        "the site template 'site/home.md' failed: ZeroDivisionError",
        setup=_write("project/templates/site/home.md", "{{ front_matter('x') }}{{ 1 // 0 }}\n"),
    ),
    Attack(
        "traceback-title-not-utf8-in-new",
        ("new", "dossier", "nieuw", "--title", "Titel \udcff\udcfe"),
        2,
        "--title 'Titel ??' is not valid UTF-8 text",
    ),
    Attack(
        "traceback-title-not-utf8-in-init",
        ("init", "../nieuw", "--title", "\udcff"),
        2,
        "--title '?' is not valid UTF-8 text",
    ),
    # -- messages ------------------------------------------------------------------------------
    Attack(
        "message-init-through-symlink",
        ("init", "../verwijzing"),
        2,
        "'../verwijzing' is a symbolic link; name the folder itself",
        setup=_link("verwijzing", "buren/nieuw"),
    ),
    Attack(
        "message-init-below-a-file",
        ("init", "convenantgen.yml/nieuw"),
        2,
        "convenantgen.yml' is not a folder",
    ),
    # -- a damaged or shared cache -------------------------------------------------------------
    Attack(
        "cache-folder-is-a-plain-file",
        BUILD,
        0,
        "",
        setup=_write("project/.convenantgen-cache", "geen map\n"),
        replaces_out=True,
        after=_same_as_without_cache,
    ),
    Attack(
        "cache-folder-is-a-symlink-outside",
        BUILD,
        0,
        "",
        setup=_both(
            lambda s: (s / "buren" / "cachemap").mkdir(),
            _link("project/.convenantgen-cache", "../buren/cachemap"),
        ),
        replaces_out=True,
        after=_buren_untouched,
    ),
    Attack(
        "cache-layout-folder-is-a-file",
        BUILD,
        0,
        "",
        setup=_cache_v1_a_file,
        replaces_out=True,
        after=_same_as_without_cache,
    ),
    Attack(
        "cache-folders-blocked-by-files",
        BUILD,
        0,
        "",
        setup=_cache_entries_blocked,
        replaces_out=True,
        after=_same_as_without_cache,
    ),
    Attack(
        "cache-two-concurrent-builds",
        BUILD,
        0,
        "",
        setup=_second_build_alongside,
        replaces_out=True,
        may_change=("uit-2", "tmp2", "project/.convenantgen-staging-"),
        after=_both_builds_equal,
        timeout=240,
    ),
    Attack(
        "cache-killed-during-write",
        BUILD,
        0,
        "",
        setup=_killed_while_writing,
        replaces_out=True,
        may_change=("uit-3", "tmp3", "project/.convenantgen-staging-"),
        after=_same_as_without_cache,
        timeout=240,
    ),
    # -- hostile git histories for diff ----------------------------------------------------------
    Attack(
        "diff-tree-folder-named-dotdot",
        ("diff", "boos"),
        1,
        "would leave the folder it is compared in",
        setup=_tree_named(b".."),
        may_change=("project/.git",),
    ),
    Attack(
        "diff-tree-folder-named-dot",
        ("diff", "boos"),
        1,
        "would leave the folder it is compared in",
        setup=_tree_named(b"."),
        may_change=("project/.git",),
    ),
    Attack(
        "diff-tree-entry-with-backslashes",
        ("diff", "boos"),
        1,
        "would leave the folder it is compared in",
        setup=_hostile_commit(b"100644 blob {b}\t..\\..\\..\\x.yaml\0", {b"{b}": b"kind: x\n"}),
        may_change=("project/.git",),
    ),
    Attack(
        "diff-tree-entry-with-newline",
        ("diff", "boos"),
        0,
        "Wijzigingen van boos naar werkmap",
        setup=_hostile_commit(
            b"100644 blob {b}\tdossier.yaml\0100644 blob {b}\tx\n"
            + FAKE_LINE.replace("/", "_").encode()  # a tree entry's name holds no slash
            + b".yaml\0",
            {b"{b}": b"kind: dossier\nid: zz\ntitle: Z\n"},
        ),
        may_change=("project/.git",),
        never_says=(FAKE_LINE.replace("/", "_") + ".yaml",),
    ),
    Attack(
        "diff-tree-huge-blob",
        ("diff", "boos"),
        1,
        "more than a dossier file may be",
        setup=_hostile_commit(
            b"100644 blob {b}\tgroot.yaml\0", {b"{b}": b"# " + b"x" * (3 * 1024 * 1024) + b"\n"}
        ),
        may_change=("project/.git",),
    ),
]
