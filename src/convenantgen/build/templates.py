"""Checking templates before use: each project template against its typed context.

Before anything is rendered, each project template is parsed and its expressions are followed
through the typed context (frozen dataclasses): a variable or attribute that does not exist is
a diagnostic naming it and the nearest names that do (``templates/agreement.docx: error
[template-variable] ...``), so a typo never becomes a blank line in a signed document.
``convenantgen templates`` lists the templates with the variables their context offers.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
import types
import typing
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes

from ..context.agreement import AccessionContext, AgreementContext, ConsentContext
from ..context.in_force import ConsolidatedContext
from ..context.site import SITE_TEMPLATES
from ..errors import (
    ConvenantgenError,
    Diagnostic,
    Report,
    Severity,
    Where,
    close_matches,
    did_you_mean,
)
from ..read.paths import Skipped, shown, walk
from ..read.project import Project
from ..read.sources import Locator, load_file
from ..read.templates import Templates
from ..render.docx.template import doctype_message, doctype_parts
from ..site.pages import markdown_env
from ..text.wording import VARIABLES, WORDING_FILE, check_entries, text_env


@dataclass(frozen=True)
class TemplateSpec:
    """A template the engine renders: its file name, what it is for, and its variables."""

    name: str
    purpose: str
    variables: Mapping[str, Any]  # top-level name -> type


def _specs() -> dict[str, TemplateSpec]:

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
# Checking templates


def check_templates(project: Project | None) -> Report:
    """Every project template checked against its context; the defaults are trusted (tested)."""
    report = Report()
    templates = Templates.of(project)
    if templates.project_dir is None or not templates.project_dir.is_dir():
        return report
    known = specs()
    root = Path(os.path.realpath(templates.root or templates.project_dir))
    for name in sorted(known):
        if (templates.project_dir / name).is_dir():
            report.extend(
                [
                    _diag(
                        templates.project_dir / name,
                        "file-skipped",
                        f"'{name}' is not read: it is a folder, not a template file",
                    )
                ]
            )
    for item in walk(templates.project_dir, root):
        if isinstance(item, Skipped):
            # A template that is a folder, a broken link or a link out of the project would
            # otherwise be skipped and the default used, the build exiting 0.
            name = shown(item.path, templates.project_dir)
            report.extend(
                [_diag(item.path, "file-skipped", f"'{name}' is not read: it {item.reason}")]
            )
            continue
        path = item
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
        declared = doctype_parts(path.read_bytes())
        if declared:
            return [_diag(path, "template-corrupt", doctype_message(declared))]
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
        return check_source(path, source, spec.variables, lines=True, env=markdown_env())
    return check_source(path, source, spec.variables, lines=not spec.name.endswith(".docx"))


def _check_wording_file(path: Path) -> list:

    source, problems = load_file(path)
    if source is None:
        return problems
    locator = Locator()
    locator.add(source)
    return [locator.resolve(d) for d in check_entries(source.data, path)]


def docx_source(path: Path) -> str:
    """The Jinja source docxtpl renders from a .docx: body, headers and footers."""

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
