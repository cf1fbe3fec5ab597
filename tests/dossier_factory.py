"""A small, complete dossier built inline for rule tests, plus helpers to break it.

Each test starts from ``base_files()``, changes one thing with ``replace`` and writes the
dossier into a temporary folder. Expected diagnostics are asserted word for word, with the
line computed from where the changed text sits, so the fixture can grow without renumbering.
"""

from __future__ import annotations

from pathlib import Path

DOSSIER = """\
kind: dossier
id: proef
title: Proefconvenant lerarentekort
pillars:
  - {id: behoud, label: Behoud}
  - {id: instroom, label: Instroom}
"""

PARTIES = """\
kind: parties
groups:
  - id: besturen
    heading: de schoolbesturen
    designation: de schoolbesturen
    signing: each
parties:
  - id: bestuur-a
    name: Stichting Alfa
    kind: schoolbestuur
    group: besturen
    representative: {name: A. Jansen, title: mevrouw, role: voorzitter college van bestuur}
    joined: 2024-08-01
    penvoerder: true
  - id: bestuur-b
    name: Stichting Beta & Co
    kind: schoolbestuur
    group: besturen
    representative: {name: B. de Vries, title: de heer, role: bestuurder}
    joined: 2024-08-01
  - id: bestuur-c
    name: Stichting Gamma
    kind: schoolbestuur
    group: besturen
    representative: {name: C. Smit, role: bestuurder}
    joined: 2025-08-01
"""

CONVENANT = """\
kind: convenant
id: basis
title: Proefconvenant lerarentekort
citation: {year: 2024, number: "12345"}
term:
  id: looptijd
  start: 2024-08-01
  end: 2025-07-31
parties: [besturen]
considerations:
  - text: Partijen willen samen het lerarentekort verkleinen;
sections:
  - id: begrippen
    title: Begripsbepalingen
    clauses:
      - id: begrip-lijst
        text: In dit convenant wordt verstaan onder een starter een leraar in de eerste twee jaar.
  - id: maatregelen
    title: Maatregelen
    clauses:
      - id: maatregelen-lijst
        article:
          title: Maatregelen en resultaten
          parts:
            - id: maatregelen-deel
              measures: [begeleiding]
  - id: toetreding
    title: Toetreding
    clauses:
      - id: toetreding-regel
        text: Een schoolbestuur kan toetreden voor de start van een schooljaar.
      - id: toetreding-verwijzing
        text: Het verzoek volgt {art:toetreding-regel}.
accession:
  clause: toetreding-regel
  kinds: [schoolbestuur]
  before_school_year: true
publication:
  within_days: 30
signing:
  place: Utrecht
  date: 2024-06-01
  copies: 2
"""

ADDENDUM = """\
kind: addendum
id: addendum-1
amends: basis
parties: [besturen]
sections:
  - id: verlenging-artikel
    title: Verlenging
    clauses:
      - id: verlenging-regel
        text: De looptijd wordt verlengd tot en met {date:verlenging.end}.
in_force:
  id: addendum-looptijd
  start: 2025-08-01
  end: 2026-07-31
  follows: looptijd
extension:
  id: verlenging
  extends: looptijd
  end: 2026-07-31
signing:
  place: Utrecht
  copies: 3
"""

MEASURES = """\
kind: measures
indicators:
  - {id: uitval, label: Uitval starters, unit: percent}
  - {id: starters, label: Begeleide starters, unit: count, counted: starters}
  - {id: cijfer, label: Tevredenheid, unit: grade}
  - {id: formatie, label: Formatie pool, unit: fte}
  - {id: formatie-leraren, label: Formatie leraren, unit: fte}
  - {id: formatie-assistenten, label: Formatie assistenten, unit: fte}
measures:
  - id: begeleiding
    title: Begeleiding van starters
    pillars: [behoud]
    description:
      - Starters krijgen begeleiding.
    targets:
      - id: doel-uitval
        indicator: uitval
        comparator: "<"
        value: 10
        text: De uitval is kleiner dan {value}.
      - id: doel-starters
        indicator: starters
        comparator: ">="
        value: 40
        text: Begeleiden van {value}.
      - id: doel-cijfer
        indicator: cijfer
        comparator: ">="
        value: 7
        direction: increase
        baseline: {value: 6.5}
        text: Tevredenheid minimaal {value}.
      - id: doel-formatie
        indicator: formatie
        comparator: "="
        value: 24
        components: [doel-leraren, doel-assistenten]
        text: Een pool van {value}.
      - id: doel-leraren
        indicator: formatie-leraren
        comparator: "="
        value: 16
        text: Daarvan {value} leraren.
      - id: doel-assistenten
        indicator: formatie-assistenten
        comparator: "="
        value: 8
        text: En {value} assistenten.
"""

ACCESSIONS = """\
kind: accessions
accessions:
  - id: toetreding-gamma
    party: bestuur-c
    document: basis
    requested: 2025-05-01
    effective: 2025-08-01
"""


def base_files() -> dict[str, str]:
    return {
        "dossier.yaml": DOSSIER,
        "partijen.yaml": PARTIES,
        "convenant.yaml": CONVENANT,
        "addendum.yaml": ADDENDUM,
        "maatregelen.yaml": MEASURES,
        "toetredingen.yaml": ACCESSIONS,
    }


def replace(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    """Replace exactly one occurrence of ``old``; failing loudly keeps tests honest."""
    text = files[name]
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    return {**files, name: text.replace(old, new)}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")
