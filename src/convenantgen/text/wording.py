"""Wording: every sentence the engine writes, as Jinja text in YAML a project can override.

The defaults are ``templates/wording.yml`` in the package. A project replaces single entries in
its own ``templates/wording.yml`` or under ``wording:`` in ``convenantgen.yml``; an agreement
replaces its formulas under ``formulas:`` in its YAML. Each entry is a small template rendered
in a sandbox with ``StrictUndefined`` and without escaping: the result is plain text, which
every renderer escapes for its own format (XML, Markdown, HTML).

:data:`VARIABLES` is the contract between the context layer and the wording: which values each
entry may use. :func:`check_wording` holds a project's entries against it before anything is
rendered, so a typo is a diagnostic with file and line, never a blank in a signed document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import TemplateError
from ruamel.yaml import YAML

from ..errors import Diagnostic, Severity, TemplateFailed, Where, did_you_mean
from ..resources import templates_dir
from ..states import AccessibilityStatus, AccessionStatus, AgreementStage, Deadline, TermState
from .sandbox import Sandbox

WORDING_FILE = "wording.yml"

_ACCESSION = (
    "party",
    "covenant",
    "effective",
    "requested",
    "clause",
    "of_agreement",
    "kind",
    "penvoerder",
    "consents",
    "agreement",
)

# One signer in the parties block: the_role is the role with its article ("de voorzitter").
_REPRESENTATIVE = ("role", "the_role", "person", "authority")

# Every diff sentence that states a change has the values before and after.
_CHANGE = ("old", "new")

# The kinds of party a registry may use; their Dutch names are the wording's `kinds` section.
PARTY_KINDS = (
    "minister",
    "bestuursorgaan",
    "provincie",
    "gemeente",
    "waterschap",
    "vereniging",
    "stichting",
    "cooperatie",
    "onderneming",
    "brancheorganisatie",
    "schoolbestuur",
    "lerarenopleiding",
    "samenwerkingsverband",
    "other",
)

# section -> key -> the variables the entry may use.
VARIABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "agreement": {
        "parties_heading": (),
        "separator": (),
        "considerations_heading": (),
        "agreement_heading": (),
        "closing": ("copies", "place", "date"),
        "addendum_title": ("covenant",),
        "party_closing": ("designation", "first", "last", "capacity"),
        "represented": ("by", "person", "people", "also_for"),
        "representative": _REPRESENTATIVE,
        "representative_role_first": _REPRESENTATIVE,
        "representative_name_first": _REPRESENTATIVE,
        "and_signers": ("first", "last"),
        "the_role": ("role", "article"),
        "party_designation": ("designation",),
        "party_designation_short": ("designation",),
        "party_designation_full": ("designation",),
        "party_member": ("name", "signers", "designation"),
        "listed_capacity": ("capacity", "first", "last"),
        "part_numeral": ("numeral",),
        "collective_closing": ("designation", "first", "last"),
        "numbered_member": ("number", "member"),
        "listed_member": ("member",),
        "mandate_signature": ("party",),
        "group_signature": ("group", "by"),
        "party_signature": ("party", "by"),
        "on_behalf": ("designation",),
        "section_heading": ("number", "title"),
        "article_heading": ("number", "title"),
        "measure_heading": ("letter", "title"),
        "worked_heading": (),
        "strengthen_heading": (),
        "result_heading": (),
        "amended_covenant": (),
        "amended_addendum": (),
        "instruction_add": ("number", "amended"),
        "instruction_replace": ("number", "amended"),
        "finance_item": ("label", "period", "value", "per", "parts"),
        "finance_part": ("label", "value"),
        "finance_total": ("label", "value", "per"),
        "finance_per": ("unit",),
        "finance_approximate": ("value",),
        "obligation": ("owner", "action", "deadline", "yearly", "per"),
        "footer": ("version", "title", "date", "reference"),
        "footer_title": ("dossier", "addendum", "accession"),
        "blank": (),
    },
    "consolidated": {
        "heading": (),
        "title": ("date",),
        "footer_title": ("dossier",),
        "intro": ("covenant", "date", "until"),
        "legend": (),
        "term": ("period",),
        "changes_heading": ("date",),
        "change_replace": ("label", "added", "end"),
        "change_add_to": ("label", "added", "end"),
        "change_insert_after": ("label", "added", "end"),
        "change_remove": ("label", "added", "end"),
        "change_extend": ("label", "added", "end"),
        "changed_note": ("action", "date", "effective"),
        "choice": ("covenant",),
        "base_version": ("date",),
        "unavailable": ("covenant", "citation"),
        "no_instructions": ("covenant",),
    },
    # The names of the states of a covenant's life (convenantgen.states), as readers see them.
    "stages": {stage.value: () for stage in AgreementStage},
    "term_states": {state.value: () for state in TermState},
    "deadlines": {kind.value: () for kind in Deadline},
    "accession_states": {state.value: () for state in AccessionStatus},
    "accessibility_states": {state.value: () for state in AccessibilityStatus},
    # The Dutch display name of each party kind (schema/parties.yaml).
    "kinds": {kind: () for kind in PARTY_KINDS},
    "accession": {
        "of_agreement": ("kind",),
        "default_clause": (),
        "send_to": (),
        "clause_heading": ("clause", "of_agreement"),
        "declaration_title": (),
        "declaration": (*_ACCESSION, "joining"),
        "consent_title": (),
        "consent": (*_ACCESSION, "consenting"),
        "letter_subject": _ACCESSION,
        "letter": _ACCESSION,
        "enclosure_declaration": _ACCESSION,
        "enclosure_consent": (*_ACCESSION, "consenting"),
        "notice_title": _ACCESSION,
        "notice": _ACCESSION,
    },
    # `convenantgen status`: how far signing is.
    "status": {"signed": ("signed", "total")},
    # How a reference ({art:ID}, {maatregel:ID}) reads in a text.
    "references": {"article": ("number",), "measure": ("letter",)},
    # Titles of generated files and their parts.
    "documents": {
        "signatures_title": ("agreement",),
        "keywords": ("dossier", "reference", "themes"),
    },
    # The public site's navigation labels (its addresses are model/site-paths.yml).
    "site": {
        "home": (),
        "measures": (),
        "organisations": (),
        "other_downloads": (),
        "unknown_term": (),
        "per_school_year": (),
    },
    # The site's results charts (SVG title, description, target legend, illustrative label).
    "charts": {
        "title": ("indicator",),
        "point": ("year", "result", "met", "illustrative"),
        "description": ("points", "has_target", "target"),
        "target": ("target",),
        "illustrative": (),
    },
    # The sentences of `convenantgen diff`, one per change (old/new: the values before and after).
    "diff": {
        "heading": ("rev1", "rev2"),
        "no_changes": (),
        "worktree": (),
        "unreadable": ("rev", "errors"),
        "dossier_added": ("title",),
        "dossier_removed": ("title",),
        "title_changed": _CHANGE,
        "start_changed": (*_CHANGE, "later"),
        "end_changed": (*_CHANGE, "later"),
        "party_joined": ("party", "date"),
        "party_renamed": _CHANGE,
        "party_left": ("party", "date"),
        "party_removed": ("party",),
        "representative_changed": ("party", *_CHANGE),
        "penvoerder_changed": _CHANGE,
        "document": ("kind", "title"),
        "article": ("number", "document"),
        "consideration": ("number", "document"),
        "added": ("label",),
        "removed": ("label",),
        "text_changed": ("label",),
        "measure": ("letter",),
        "measure_added": ("measure", "title"),
        "measure_removed": ("measure", "title"),
        "measure_retitled": ("measure", *_CHANGE),
        "measure_part_changed": ("measure", "part"),
        "target": ("measure", "target"),
        "target_added": ("measure", "text"),
        "target_removed": ("measure", "text"),
        "target_value": ("label", "change"),
        "target_period": ("label", *_CHANGE),
        "target_result": ("label", "year", *_CHANGE),
        "no_value": (),
        "accession_requested": ("party", "date"),
        "accession_step": ("party", *_CHANGE),
        "accession_withdrawn": ("party",),
    },
}
# Signing packages (one per signing act), their signature fields and the visible stamp of a
# digital signature (authoring/stamp.py).
VARIABLES["signing"] = {
    "stamp": ("signer", "time"),
    "agreement_package": ("title", "dossier"),
    "accession_package": ("party", "covenant", "effective", "requested", "dossier"),
    "field": ("party", "role", "name"),
    "unnamed": ("party", "role"),
}
# The role named for a party of each kind that has no named representative.
VARIABLES["signatory_roles"] = {kind: () for kind in PARTY_KINDS}

# Entries that are a list of paragraphs rather than one text.
PARAGRAPHS = frozenset({"accession.declaration", "accession.letter", "accession.notice"})
# The agreement entries a document may replace under `formulas:`.
FORMULAS = tuple(VARIABLES["agreement"])


# The articles a name or role may start with, as at the start of a sentence.
_ARTICLES = ("De ", "Het ")


def lower_article(name: str) -> str:
    """'De Minister ...' -> 'de Minister ...': a name that starts with an article, used inside a
    sentence, takes the article in lower case ("van de Minister", "namens het college")."""
    for article in _ARTICLES:
        if name.startswith(article):
            return article.lower() + name[len(article) :]
    return name


def has_article(text: str) -> bool:
    """Whether a name or role starts with an article of its own, in either case."""
    return (text[:1].upper() + text[1:]).startswith(_ARTICLES)


def capitalised(text: str) -> str:
    """The text with its first letter in upper case: a block of the document starts with a
    capital even when the name in it is written as it stands inside a sentence."""
    return text[:1].upper() + text[1:]


def text_env() -> Sandbox:
    """The environment of wording templates: sandboxed and limited, strict, plain text.

    The filter ``mid`` writes a name as it stands inside a sentence (``{{ party | mid }}``).
    """
    env = Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters["mid"] = lambda value: lower_article(str(value))
    return env


_ENV = text_env()


@cache
def _compile(source: str):
    return _ENV.from_string(source)


@dataclass(frozen=True)
class Wording:
    """The entries in force: defaults with the project's replacements applied."""

    entries: Mapping[str, Any] = field(default_factory=dict)  # "section.key" -> text | list

    @classmethod
    def default(cls) -> Wording:
        return cls(default_entries())

    def with_entries(self, replacements: Mapping[str, Any]) -> Wording:
        return Wording({**self.entries, **replacements})

    def formulas(self, own: tuple[tuple[str, str], ...]) -> Wording:
        """This wording with an agreement's own formulas applied."""
        if not own:
            return self
        return self.with_entries({f"agreement.{k}": v for k, v in own})

    def text(self, key: str, **values: Any) -> str:
        """One entry rendered to text, white space as written."""
        source = self.entries[key]
        if isinstance(source, list):
            return "\n\n".join(self.paragraphs(key, **values))
        return _render(key, str(source), values).strip()

    def kind_name(self, kind: str) -> str:
        """The Dutch name of a party kind ("cooperatie" -> "coöperatie")."""
        key = f"kinds.{kind}"
        return self.text(key) if key in self.entries else kind

    def paragraphs(self, key: str, **values: Any) -> tuple[str, ...]:
        """A list entry rendered to its paragraphs; empty ones are left out."""
        source = self.entries[key]
        items = source if isinstance(source, list) else [source]
        rendered = (_render(key, str(item), values).strip() for item in items)
        return tuple(p for p in rendered if p)


def _render(key: str, source: str, values: Mapping[str, Any]) -> str:
    try:
        return _compile(source).render(values)
    except TemplateError as exc:
        # check_wording holds every entry against VARIABLES first; this is the last guard.
        raise TemplateFailed(f"wording entry '{key}' cannot be rendered: {exc}") from None
    except RecursionError:
        raise TemplateFailed(f"wording entry '{key}' is nested too deeply to read") from None


@cache
def default_entries() -> dict[str, Any]:

    data = YAML(typ="safe").load((templates_dir() / WORDING_FILE).read_text("utf-8"))
    return flatten(data)


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """{section: {key: value}} -> {"section.key": value}."""
    out: dict[str, Any] = {}
    for section, entries in (data or {}).items():
        if isinstance(entries, Mapping):
            for key, value in entries.items():
                out[f"{section}.{key}"] = list(value) if isinstance(value, list) else value
    return out


# The spreadsheet CSV of the open data: yes/no and a header per column, as the defaults list
# them (site/opendata.py names the columns; a project renames headers, it adds none).
VARIABLES["spreadsheet"] = {
    key.removeprefix("spreadsheet."): ()
    for key in default_entries()
    if key.startswith("spreadsheet.")
}

# ---------------------------------------------------------------------------------------------
# Checking a project's wording


def check_entries(
    data: Mapping[str, Any], file: Path, path: tuple = (), *, section: str | None = None
) -> list[Diagnostic]:
    """Diagnostics for a wording mapping ({section: {key: text}}, or {key: text} when
    ``section`` is given, as under ``formulas:``). ``path`` is where the mapping sits in
    ``file`` (for line numbers)."""
    out: list[Diagnostic] = []
    sections = {section: data} if section else data
    for sec, entries in (sections or {}).items():
        where_sec = path if section else (*path, sec)
        if sec not in VARIABLES:
            out.append(
                _problem(
                    "template-unknown",
                    f"'{sec}' is not a section of the wording; the sections are "
                    f"{', '.join(VARIABLES)}.{did_you_mean(sec, VARIABLES)}",
                    Where(file, where_sec),
                )
            )
            continue
        if not isinstance(entries, Mapping):
            continue
        for key, value in entries.items():
            where = Where(file, (*where_sec, key))
            known = VARIABLES[sec]
            if key not in known:
                out.append(
                    _problem(
                        "template-unknown",
                        f"'{key}' is not an entry of the {sec} wording.{did_you_mean(key, known)}",
                        where,
                    )
                )
                continue
            items = value if isinstance(value, list) else [value]
            for n, item in enumerate(items):
                at = Where(file, (*where_sec, key, n)) if isinstance(value, list) else where
                out += check_source(f"{sec}.{key}", str(item), known[key], at)
    return out


def check_source(name: str, source: str, variables: tuple[str, ...], where: Where) -> list:
    """Syntax and variables of one entry."""
    try:
        ast = _ENV.parse(source)
        _ENV.compile(ast)
    except TemplateSyntaxError as exc:
        return [_problem("template-syntax", f"{name}: broken Jinja: {exc.message}", where)]
    unknown = sorted(meta.find_undeclared_variables(ast) - set(variables))
    out = []
    for var in unknown:
        offer = ", ".join(variables) or "none"
        hint = did_you_mean(var, variables)
        out.append(
            _problem(
                "template-variable",
                f"{name} uses '{var}', which it does not have (available: {offer}).{hint}",
                where,
            )
        )
    return out


def _problem(code: str, message: str, where: Where) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, where)
