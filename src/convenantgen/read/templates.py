"""Templates: the engine's defaults, a project's overrides, and checking them before use.

Every output is rendered from a template with a name: the Word documents (``agreement.docx``,
``signature-pages.docx``, ``consolidated.docx``, the four accession documents), the wording
(``wording.yml``) and the public site's pages (``site/*.md``, Jinja Markdown). A project's
``templates/NAME`` replaces the engine's default of that name, as a theme's templates do in
Pelican and MkDocs.

Before anything is rendered, each project template is parsed and its expressions are followed
through the typed context (frozen dataclasses): a variable or attribute that does not exist is
a diagnostic naming it and the nearest names that do (``templates/agreement.docx: error
[template-variable] ...``), so a typo never becomes a blank line in a signed document.

``convenantgen templates`` lists the templates with the variables their context offers;
``convenantgen templates copy NAME`` copies a default into the project for editing.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import sys
import types
import typing
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from ..errors import (
    ConvenantgenError,
    Diagnostic,
    Report,
    Severity,
    UsageError,
    Where,
    close_matches,
    did_you_mean,
)
from ..resources import templates_dir
from ..text.wording import VARIABLES, WORDING_FILE, check_entries, text_env
from .project import Project


@dataclass(frozen=True)
class TemplateSpec:
    """A template the engine renders: its file name, what it is for, and its variables."""

    name: str
    purpose: str
    variables: Mapping[str, Any]  # top-level name -> type


def _specs() -> dict[str, TemplateSpec]:
    from ..context.agreement import AccessionContext, AgreementContext, ConsentContext
    from ..context.in_force import ConsolidatedContext
    from ..context.site import SITE_TEMPLATES

    agreement = {"a": AgreementContext, "footer": str}
    accession = {"acc": AccessionContext, "footer": str}
    out = [
        TemplateSpec("agreement.docx", "the text of a covenant or addendum", agreement),
        TemplateSpec("signature-pages.docx", "the signature pages of an agreement", agreement),
        TemplateSpec(
            "consolidated.docx",
            "the text in force from a date of change, the changes marked",
            {"c": ConsolidatedContext, "footer": str},
        ),
        TemplateSpec("accession-declaration.docx", "the joining party's declaration", accession),
        TemplateSpec(
            "accession-consent.docx",
            "one current party's consent to an accession",
            {**accession, "consent": ConsentContext},
        ),
        TemplateSpec("accession-letter.docx", "the cover letter to the ministry", accession),
        TemplateSpec(
            "staatscourant-notice.docx",
            "the notice of an accession for the Staatscourant",
            accession,
        ),
        TemplateSpec(WORDING_FILE, "formulas, headings and accession texts", {}),
    ]
    out += [
        TemplateSpec(name, purpose, variables)
        for name, (purpose, variables) in SITE_TEMPLATES.items()
    ]
    return {spec.name: spec for spec in out}


def specs() -> dict[str, TemplateSpec]:
    return _specs()


# ---------------------------------------------------------------------------------------------
# Finding templates


@dataclass(frozen=True)
class Templates:
    """Where each template comes from: the project's folder first, the engine's defaults after."""

    project_dir: Path | None = None

    @classmethod
    def of(cls, project: Project | None) -> Templates:
        return cls(project.templates_dir if project is not None else None)

    def own(self, name: str) -> Path | None:
        """The project's own version of ``name``, if it has one."""
        if self.project_dir is None:
            return None
        path = self.project_dir / name
        return path if path.is_file() else None

    def path(self, name: str) -> Path:
        return self.own(name) or default_path(name)

    def wording(self, project: Project | None):
        """The wording in force: defaults, then templates/wording.yml, then convenantgen.yml."""
        from ruamel.yaml import YAML

        from ..text.wording import Wording, flatten

        words = Wording.default()
        own = self.own(WORDING_FILE)
        if own is not None:
            words = words.with_entries(flatten(YAML(typ="safe").load(own.read_text("utf-8"))))
        if project is not None and project.settings.wording:
            words = words.with_entries(flatten(project.settings.wording))
        return words


def default_path(name: str) -> Path:
    return templates_dir() / name


# ---------------------------------------------------------------------------------------------
# Checking templates


def check_templates(project: Project | None) -> Report:
    """Every project template checked against its context; the defaults are trusted (tested)."""
    report = Report()
    templates = Templates.of(project)
    if templates.project_dir is None or not templates.project_dir.is_dir():
        return report
    known = specs()
    for path in sorted(p for p in templates.project_dir.rglob("*") if p.is_file()):
        name = path.relative_to(templates.project_dir).as_posix()
        if (
            name.endswith((".md", ".txt"))
            and name.count("/") == 0
            and name.upper().startswith("README")
        ):
            continue  # the folder's own explanation
        spec = known.get(name)
        if spec is None:
            report.extend(
                [
                    _diag(
                        path,
                        "template-unknown",
                        f"'{name}' is not a template of convenantgen, so it is never used."
                        f"{did_you_mean(name, known)} List them with 'convenantgen templates'",
                    )
                ]
            )
            continue
        report.extend(check_template(path, spec, project))
    return report


def check_template(path: Path, spec: TemplateSpec, project: Project | None = None) -> list:
    if spec.name == WORDING_FILE:
        return _check_wording_file(path)
    if spec.name.endswith(".docx"):
        try:
            source = docx_source(path)
            unbalanced = unbalanced_tags(path)
        except ConvenantgenError as exc:
            return [_diag(path, "template-corrupt", str(exc))]
        if unbalanced:
            # docxtpl would join such a tag with everything up to the next closing one and
            # silently drop that text: refuse it.
            return [_diag(path, "template-syntax", message) for message in unbalanced]
    else:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return [_diag(path, "template-corrupt", f"cannot read the template: {exc}")]
    if spec.name.endswith(".md"):
        from ..site.pages import markdown_env

        return check_source(path, source, spec.variables, lines=True, env=markdown_env())
    return check_source(path, source, spec.variables, lines=not spec.name.endswith(".docx"))


def _check_wording_file(path: Path) -> list:
    from .sources import Locator, load_file

    source, problems = load_file(path)
    if source is None:
        return problems
    locator = Locator()
    locator.add(source)
    return [locator.resolve(d) for d in check_entries(source.data, path)]


def docx_source(path: Path) -> str:
    """The Jinja source docxtpl renders from a .docx: body, headers and footers."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    try:
        doc = Document(str(path))
        tpl = DocxTemplate(str(path))
        xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
        for rel in doc.part.rels.values():
            if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ConvenantgenError(f"not a readable Word document ({exc})") from None
    except Exception as exc:  # lxml and python-docx raise many kinds on a damaged file
        raise ConvenantgenError(f"not a readable Word document ({type(exc).__name__})") from None
    return xml


_PARAGRAPH_RE = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT_RE = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_TAG_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}


def unbalanced_tags(path: Path) -> list[str]:
    """Tags that do not open and close within one paragraph of a Word template."""
    with zipfile.ZipFile(path) as docx:
        names = [
            n
            for n in docx.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
        parts = [docx.read(n).decode("utf-8", "replace") for n in sorted(names)]
    out = []
    for xml in parts:
        for paragraph in _PARAGRAPH_RE.findall(xml):
            text = html.unescape("".join(_TEXT_RE.findall(paragraph)))
            open_tag = None
            for token in _TAG_RE.findall(text):
                if token in _CLOSER:
                    if open_tag is None:
                        open_tag = token
                elif open_tag is not None and token == _CLOSER[open_tag]:
                    open_tag = None
                elif open_tag is None:
                    out.append(f"'{token}' without an opening tag in \"{text[:80]}\"")
                    break
            if open_tag is not None:
                out.append(
                    f"'{open_tag}' is not closed with '{_CLOSER[open_tag]}' in the same "
                    f'paragraph: "{text[:80]}"'
                )
    return out


_ENV = text_env()
_GLOBALS = frozenset(
    {
        "loop",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
    }
)


def check_source(
    path: Path, source: str, variables: Mapping[str, Any], *, lines: bool, env=None
) -> list:
    """Syntax, filters and every variable path of one template."""
    env = env or _ENV
    try:
        ast = env.parse(source)
        env.compile(ast)
    except TemplateSyntaxError as exc:
        line = exc.lineno if lines else 0
        snippet = "" if lines else _snippet(source, exc.lineno)
        return [_diag(path, "template-syntax", f"broken Jinja: {exc.message}{snippet}", line)]
    except Exception as exc:  # an unknown filter or test is found when compiling
        return [_diag(path, "template-syntax", f"broken Jinja: {exc}")]
    checker = _Checker(path, lines, hidden=frozenset(env.globals) | {"loop"})
    checker.walk(ast, {**{name: Any for name in env.globals}, **variables})
    return checker.found


def _snippet(source: str, lineno: int) -> str:
    """The text of the Word paragraph around a syntax error (XML tags removed)."""
    import re

    line = source.splitlines()[lineno - 1] if 0 < lineno <= len(source.splitlines()) else ""
    text = " ".join(re.sub(r"<[^>]+>", " ", line).split())
    return f' (near "{text[:80]}")' if text else ""


class _Checker:
    """Follows names and attributes through the context's types."""

    def __init__(self, path: Path, lines: bool, hidden: frozenset[str] = frozenset()) -> None:
        self.hidden = hidden  # Jinja's own globals: not worth listing as "available"
        self.path = path
        self.lines = lines
        self.found: list[Diagnostic] = []
        self._seen: set[tuple[str, int]] = set()

    def report(self, node: nodes.Node, message: str) -> None:
        line = node.lineno if self.lines else 0
        if (message, line) in self._seen:
            return
        self._seen.add((message, line))
        self.found.append(_diag(self.path, "template-variable", message, line))

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.type_of(node.iter, scope)
            inner = dict(scope)
            element = _element(self.type_of(node.iter, scope))
            for name in _targets(node.target):
                inner[name] = element if isinstance(node.target, nodes.Name) else Any
            inner["loop"] = Any
            if node.test is not None:
                self.type_of(node.test, inner)
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.type_of(node.node, scope)
            for name in _targets(node.target):
                scope[name] = Any
            if isinstance(node, nodes.AssignBlock):
                for child in node.body:
                    self.walk(child, scope)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in getattr(node, "args", []):
                inner[arg.name] = Any
            if isinstance(node, nodes.Macro):
                scope[node.name] = Any
            for child in node.body:
                self.walk(child, inner)
            return
        if isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.type_of(value, scope)
                for name in _targets(target):
                    inner[name] = Any
            for child in node.body:
                self.walk(child, inner)
            return
        if isinstance(node, nodes.Expr):
            self.type_of(node, scope)
            return
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.type_of(child, scope)
            else:
                self.walk(child, scope)

    def type_of(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in _GLOBALS:
                return Any
            offered = ", ".join(sorted(k for k in scope if k not in self.hidden))
            self.report(
                node,
                f"'{node.name}' is not a variable of this template (available: {offered})."
                f"{did_you_mean(node.name, scope)}",
            )
            return Any
        if isinstance(node, nodes.Getattr):
            owner = self.type_of(node.node, scope)
            return self.attribute(node, owner, node.attr, _expr_text(node.node))
        if isinstance(node, nodes.Getitem):
            owner = self.type_of(node.node, scope)
            self.type_of(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, owner, node.arg.value, _expr_text(node.node))
            return _element(owner)
        if isinstance(node, nodes.Const):
            return type(node.value)
        for child in node.iter_child_nodes():
            self.type_of(child, scope)
        if isinstance(node, nodes.Filter | nodes.Test | nodes.Call):
            return Any
        if isinstance(node, nodes.CondExpr):
            return Any
        return Any

    def attribute(self, node: nodes.Node, owner: Any, attr: str, owner_text: str) -> Any:
        cls = _unwrap(owner)
        if not (isinstance(cls, type) and is_dataclass(cls)):
            return Any
        offered = attributes(cls)
        if attr in offered:
            return offered[attr]
        near = close_matches(attr, offered, n=3)
        hint = f" Did you mean {', '.join(repr(n) for n in near)}?" if near else ""
        self.report(
            node,
            f"'{owner_text}' has no '{attr}'.{hint} It offers: {', '.join(sorted(offered))}",
        )
        return Any


def _expr_text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_expr_text(node.node)}[…]"
    return "value"


def _targets(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Tuple):
        return [n for item in node.items for n in _targets(item)]
    return []


def _unwrap(tp: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return tp


def _element(tp: Any) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (tuple, list) and typing.get_args(tp):
        return typing.get_args(tp)[0]
    return Any


def attributes(cls: type) -> dict[str, Any]:
    """Fields and properties of a context dataclass, with their types."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    out = {f.name: hints.get(f.name, Any) for f in fields(cls)}
    for name, value in vars(cls).items():
        if isinstance(value, property) and not name.startswith("_"):
            ret = typing.get_type_hints(value.fget, vars(sys.modules[cls.__module__])).get(
                "return", Any
            )
            out[name] = ret
    return out


def _diag(path: Path, code: str, message: str, line: int = 0) -> Diagnostic:
    """A finding in a template; a Word template has no useful line (XML inside a zip)."""
    return Diagnostic(
        Severity.ERROR,
        code,
        message,
        Where(path, (), line or None, 1 if line else None),
        line=line,
        col=1 if line else 0,
    )


# ---------------------------------------------------------------------------------------------
# Listing variables


def variable_paths(variables: Mapping[str, Any]) -> Iterator[str]:
    """Every dotted path a template can use: ``a.title``, ``a.parties[].intro``, ..."""

    def walk(prefix: str, tp: Any, seen: tuple) -> Iterator[str]:
        cls = _unwrap(tp)
        element = _element(tp)
        if element is not Any and typing.get_origin(_unwrap(tp)) in (tuple, list):
            yield from walk(f"{prefix}[]", element, seen)
            return
        if isinstance(cls, type) and is_dataclass(cls) and cls not in seen:
            for name, sub in attributes(cls).items():
                yield from walk(f"{prefix}.{name}", sub, (*seen, cls))
            return
        yield f"{prefix}  ({_type_name(cls)})"

    for name, tp in variables.items():
        yield from walk(name, tp, ())


def _type_name(tp: Any) -> str:
    if tp is str:
        return "text"
    if tp in (int, float):
        return "number"
    if tp is bool:
        return "yes/no"
    if tp is dt.date:
        return "date"
    return getattr(tp, "__name__", "value")


def wording_paths() -> Iterator[str]:
    for section, entries in VARIABLES.items():
        for key, names in entries.items():
            yield f"{section}.{key}: {', '.join(names) or '(no variables)'}"


# ---------------------------------------------------------------------------------------------
# Command line: ``convenantgen templates`` and ``convenantgen templates copy NAME``


def cmd_templates(args) -> int:
    from ..cli import project_of

    project = project_of(args)
    templates = Templates.of(project)
    known = specs()
    words = list(args.words)
    if words[:1] == ["copy"]:
        if len(words) != 2:
            raise UsageError(
                "usage: convenantgen templates copy NAME (see: convenantgen templates)"
            )
        return _copy(templates, known, words[1], force=args.force)
    if len(words) > 1:
        raise UsageError("usage: convenantgen templates [NAME] | templates copy NAME")
    for name in words or sorted(known):
        if name not in known:
            raise UsageError(f"'{name}' is not a template.{did_you_mean(name, known)}")
        spec = known[name]
        own = templates.own(name)
        print(f"{name}  ({f'project: {own}' if own else 'default'})")
        print(f"  {spec.purpose}")
        paths = wording_paths() if name == WORDING_FILE else variable_paths(spec.variables)
        for line in paths:
            print(f"    {line}")
    return 0


def _copy(templates: Templates, known, name: str, *, force: bool) -> int:
    if name not in known:
        raise UsageError(f"'{name}' is not a template.{did_you_mean(name, known)}")
    if templates.project_dir is None:
        raise UsageError(
            "templates are copied into a project; create one with 'convenantgen init DIR'"
        )
    target = templates.project_dir / name
    if target.exists() and not force:
        raise UsageError(f"'{target}' already exists; --force replaces it with the default")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(default_path(name), tmp)
    tmp.replace(target)
    print(f"copied the default {name} to {target}; edit it there")
    return 0


def add_parser(sub) -> None:
    templates = sub.add_parser(
        "templates",
        help="list the templates and their variables; 'templates copy NAME' copies a default "
        "into the project for editing",
    )
    templates.add_argument(
        "words", nargs="*", metavar="[copy] NAME", help="a template name, or copy NAME"
    )
    templates.add_argument(
        "--force", action="store_true", help="with copy: replace the project's own"
    )
    templates.set_defaults(func=cmd_templates)
