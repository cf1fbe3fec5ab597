"""The non-education starting point of ``convenantgen new dossier --kind sector``.

A covenant of a minister (represented by an official under mandate) with sector parties in a
numbered list under one designation ("verder te noemen: partijen"), a financial arrangement
per kalenderjaar and obligations with owner and deadline, for one calendar year. The files
pass ``convenantgen check --strict`` unchanged; every name in them is a placeholder.
"""

from __future__ import annotations

import datetime as dt
import json


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def next_calendar_year(today: dt.date) -> dt.date:
    return dt.date(today.year + 1, 1, 1)


def sector_dossier_files(
    base: dict[str, str], title: str, start: dt.date, end: dt.date
) -> dict[str, str]:
    """The files of a new sector dossier, from the education files ``base`` of the same name:
    its dossier.yaml without pillars, and its own parties and covenant (no measures)."""
    deadline = min(end, start + dt.timedelta(days=90))
    head, _, tail = base["dossier.yaml"].partition("pillars:\n")
    # Keep the commented checks/acknowledgements that follow the pillars.
    tail = tail[tail.index("# checks:") :] if "# checks:" in tail else ""
    return {
        "dossier.yaml": head.replace(
            "'convenantgen new dossier'", "'convenantgen new dossier --kind sector'"
        )
        + tail,
        "partijen.yaml": """\
# yaml-language-server: $schema=../../schema/json/parties.schema.json
# The party registry: a minister represented by an official under mandate, and the sector
# parties in a numbered list. Names are placeholders (illustrative: true).
kind: parties
groups:
  - id: minister
    signing: each
  - id: sectorpartijen
    heading: "de sectorpartijen:"
    numbered: true
    signing: each

parties:
  - id: minister-voorbeeld
    name: De Minister van Voorbeeldzaken
    # kinds: minister, bestuursorgaan, provincie, gemeente, waterschap, vereniging, stichting,
    # cooperatie, onderneming, brancheorganisatie, schoolbestuur, lerarenopleiding,
    # samenwerkingsverband, other
    kind: minister
    group: minister
    capacity: handelend als bestuursorgaan en vertegenwoordiger van de Staat der Nederlanden
    # The official signs under mandate; the minister stays the party.
    mandate:
      official: {name: A. Ambtenaar, role: directeur-generaal Voorbeeld}
    penvoerder: true
    illustrative: true
  - id: brancheorganisatie
    name: De vereniging Voorbeeldbranche
    kind: brancheorganisatie
    group: sectorpartijen
    # Several people sign for one party: each gets a signature block and field.
    representatives:
      - {name: B. Voorzitter, title: mevrouw, role: voorzitter}
      - {name: C. Vice, title: de heer, role: vicevoorzitter}
    illustrative: true
""",
        # The head of the education covenant (schema line, id, title, term), then our own.
        "convenant.yaml": base["convenant.yaml"].partition("parties: [")[0]
        + f"""\
parties: [minister, sectorpartijen]
# One designation for all parties: "verder te noemen: partijen;".
party_list: {{designation: partijen}}
formulas:
  parties_heading: "De ondergetekenden:"
  considerations_heading: "In aanmerking nemende:"

considerations:
  - text: dat partijen de kosten van de gezamenlijke aanpak eerlijk willen verdelen;

sections:
  - id: financiering
    title: Financiering
    clauses:
      - id: bijdragen
        text: "De kosten worden per kalenderjaar als volgt gedragen:"
        finance:
          per: kalenderjaar
          total: 1000000
          items:
            - {{label: de minister, value: 500000}}
            - {{label: de sectorpartijen, value: 500000}}
  - id: uitvoering
    title: Uitvoering
    clauses:
      - id: verplichtingen
        text: Partijen nemen de volgende verplichtingen op zich.
        obligations:
          - id: overzicht
            owner: minister-voorbeeld
            action: zendt de sectorpartijen een financieel overzicht
            deadline: {deadline.isoformat()}
"""
        # The term article and signing of the education covenant; three people sign here.
        + base["convenant.yaml"][
            base["convenant.yaml"].index("  - id: looptijd-artikel") :
        ].replace("  copies: 1", "  copies: 3"),
    }
