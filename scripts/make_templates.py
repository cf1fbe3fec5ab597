"""Generate the default Word templates in ``src/convenantgen/templates/`` with python-docx.

Run ``.venv/bin/python scripts/make_templates.py``; commit the regenerated .docx files
(``--out FOLDER`` writes them elsewhere, as the test that they are up to date does).

The templates are real Word files: a penvoerder may open and restyle them in Word (fonts,
spacing, logo in the header) as long as the ``{{ ... }}`` and ``{%p ... %}`` tags stay intact.
This script is the reproducible starting point; running it twice gives identical bytes.

Conventions, so that rendering stays predictable:

- every ``{{ ... }}`` tag is a run of its own, so Word formatting applies to the whole value;
- ``{%p ... %}`` tags sit alone in a paragraph (docxtpl removes that paragraph);
- article numbers are text from the context (``3.1.`` followed by a tab, in the "Artikellid"
  style with a hanging indent; "Artikel 3.1" in a heading): the renderer turns them into Word
  list numbering with bookmarks and cross-reference fields
  (``convenantgen.render.docx.numbering``), so a template has no numbering of its own;
- Calibri for text and Cambria for headings (Carlito and Caladea render them identically);
- lean: only the styles a template uses (with what they are based on, linked to or followed by,
  and the defaults), no ``latentStyles``, no ``stylesWithEffects.xml``, thumbnail or
  ``customXml`` (see ``convenantgen.render.docx.slim``), so a rendered document is about 40 KB
  of XML
  instead of 830 KB for Word or LibreOffice to read.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from convenantgen.render.docx.template import lean_docx  # noqa: E402

OUT = ROOT / "src" / "convenantgen" / "templates"
BODY_FONT = "Calibri"
HEADING_FONT = "Cambria"
SIGNATURE_LINE = "_" * 40


class Builder:
    """A python-docx document with the house styles and helpers that write template tags."""

    def __init__(self, title: str) -> None:
        self.doc = Document()
        self.title = title
        self._styles()
        self._page()

    # -- styles ------------------------------------------------------------------------------

    def _font(self, style, name: str, size: float, bold: bool | None = None) -> None:
        style.font.name = name
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        if bold is not None:
            style.font.bold = bold
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # Theme fonts would win over the explicit name: drop them.
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), name)
        rfonts.set(qn("w:cs"), name)

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        self._font(normal, BODY_FONT, 11)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        self._font(styles["Title"], HEADING_FONT, 16, bold=True)
        title_fmt = styles["Title"].paragraph_format
        title_fmt.space_after = Pt(18)
        # The default Title has a blue bottom border; an agreement does not.
        ppr = styles["Title"].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
        for level, size in ((1, 13), (2, 12), (3, 11.5), (4, 11)):
            style = styles[f"Heading {level}"]
            self._font(style, HEADING_FONT, size, bold=True)
            style.font.italic = False
            style.paragraph_format.space_before = Pt(12 if level < 3 else 9)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
        for name in ("Header", "Footer"):
            self._font(styles[name], BODY_FONT, 8)
        bullet = styles["List Bullet"]
        self._font(bullet, BODY_FONT, 11)
        bullet.paragraph_format.space_after = Pt(3)

        member = styles.add_style("Partijlijst", WD_STYLE_TYPE.PARAGRAPH)
        member.base_style = normal
        member.paragraph_format.space_after = Pt(0)
        member.paragraph_format.left_indent = Cm(1)

        clause = styles.add_style("Artikellid", WD_STYLE_TYPE.PARAGRAPH)
        clause.base_style = normal
        clause.paragraph_format.left_indent = Cm(1.25)
        clause.paragraph_format.first_line_indent = Cm(-1.25)
        clause.paragraph_format.tab_stops.add_tab_stop(Cm(1.25))

        sub = styles.add_style("Tussenkop", WD_STYLE_TYPE.PARAGRAPH)
        sub.base_style = normal
        sub.font.bold = True
        sub.paragraph_format.space_before = Pt(6)
        sub.paragraph_format.keep_with_next = True

        sig = styles.add_style("Ondertekening", WD_STYLE_TYPE.PARAGRAPH)
        sig.base_style = normal
        sig.paragraph_format.space_after = Pt(0)
        sig.paragraph_format.keep_with_next = True
        sig.paragraph_format.keep_together = True

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        footer = section.footer.paragraphs[0]
        footer.style = self.doc.styles["Footer"]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("{{ footer }}")
        footer.add_run(" · pagina ")
        _field(footer, "PAGE")
        footer.add_run(" van ")
        _field(footer, "NUMPAGES")

    # -- content helpers ---------------------------------------------------------------------

    def tag(self, statement: str) -> None:
        """A ``{%p ... %}`` paragraph: control flow only, removed when rendering."""
        self.doc.add_paragraph(f"{{%p {statement} %}}")

    def para(self, *runs: str, style: str | None = None, bold=False, italic=False):
        """A paragraph of runs; ``\\t`` as a run of its own is a tab."""
        p = self.doc.add_paragraph(style=style)
        for text in runs:
            if text == "\t":
                p.add_run().add_tab()
                continue
            run = p.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
        return p

    def marker(self, p, expression: str) -> None:
        """White 2 pt text on the signature line: invisible, but found in the PDF."""
        run = p.add_run(" ")
        run = p.add_run(f"{{{{ {expression} }}}}")
        run.font.size = Pt(2)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    def save(self, name: str) -> Path:
        props = self.doc.core_properties
        props.title = self.title
        props.author = "convenantgen"
        props.last_modified_by = "convenantgen"
        props.comments = "Sjabloon; gegenereerd met scripts/make_templates.py"
        props.revision = 1
        props.created = props.modified = dt.datetime(2024, 1, 1)
        props.language = "nl-NL"
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path = OUT / name
        path.write_bytes(lean_docx(buffer.getvalue()))
        return path


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def keep_block(*paragraphs) -> None:
    """A signature block never breaks across pages: every paragraph is kept together and with
    the next one, the last only together (set on the paragraph, so a changed style keeps it)."""
    for p in paragraphs:
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = True
    paragraphs[-1].paragraph_format.keep_with_next = False


def signature_block(b: Builder, var: str, *, with_marker: bool, date: str = "") -> None:
    """Organisation, representative, role, place, date and the signature line of ``var``.

    ``date``: an expression for the date once it is known; without it a line to fill in.
    """
    head = b.para(f"{{{{ {var}.organisation }}}}", style="Ondertekening", bold=True)
    b.tag(f"if {var}.on_behalf_of")
    behalf = b.para(f"{{{{ {var}.on_behalf_of }}}}", style="Ondertekening")
    b.tag("endif")
    blank = "____________________"
    when = f"{{{{ {date} or '{blank}' }}}}" if date else blank
    block = [
        head,
        behalf,
        b.para("Naam: ", f"{{{{ {var}.name }}}}", style="Ondertekening"),
        b.para("Functie: ", f"{{{{ {var}.role }}}}", style="Ondertekening"),
        b.para("Plaats: ", f"{{{{ {var}.place }}}}", style="Ondertekening"),
        b.para("Datum: ", when, style="Ondertekening"),
        b.para("", style="Ondertekening"),
        b.para("", style="Ondertekening"),
    ]
    line = b.para(SIGNATURE_LINE, style="Ondertekening")
    if with_marker:
        b.marker(line, f"{var}.marker")
    keep_block(*block, line)
    b.para("")


# ---------------------------------------------------------------------------------------------


def bullets(b: Builder, items: str, heading: str, numeral: str | None = None) -> None:
    """A heading over a bulleted list, both left out when the list is empty; ``numeral``: the
    part's numeral ("II") above the heading, when it has one."""
    b.tag(f"if {items}")
    if numeral:
        part_numeral(b, numeral)
    b.para(f"{{{{ {heading} }}}}", style="Tussenkop")
    b.tag(f"for item in {items}")
    b.para("{{ item }}", style="List Bullet")
    b.tag("endfor")
    b.tag("endif")


def clause_parts(b: Builder) -> None:
    """A clause's definitions and article text (measures included), as in the agreement."""
    b.tag("for d in clause.definitions")
    p = b.para("{{ d.label }}", "\t", style="Artikellid")
    p.add_run("{{ d.term }}").italic = True
    p.add_run(": ")
    p.add_run("{{ d.text }}")
    b.tag("endfor")
    b.tag("if clause.article")
    b.para("{{ clause.article.heading }}", style="Heading 2")
    b.tag("for part in clause.article.parts")
    b.para("{{ part.heading }}", style="Heading 3")
    b.tag("for m in part.measures")
    b.para("{{ m.heading }}", style="Heading 4")
    b.tag("for text in m.description")
    b.para("{{ text }}")
    b.tag("endfor")
    b.tag("for lst in m.lists")
    b.para("{{ lst.title }}", style="Tussenkop")
    b.tag("for item in lst.items")
    b.tag("if item.label")
    b.para("{{ item.label }}", "\t", "{{ item.text }}", style="Artikellid")
    b.tag("else")
    b.para("{{ item.text }}", style="List Bullet")
    b.tag("endif")
    b.tag("endfor")
    b.tag("endfor")
    b.tag("if m.targets")
    b.para("{{ m.result_heading }}", style="Tussenkop")
    b.tag("for target in m.targets")
    b.para("{{ target }}", style="List Bullet")
    b.tag("endfor")
    b.tag("endif")
    b.tag("endfor")
    b.tag("for text in part.paragraphs")
    b.para("{{ text }}")
    b.tag("endfor")
    b.tag("endfor")
    b.tag("endif")


def segments_para(b: Builder, var: str, *lead: str, style: str | None = None):
    """A paragraph of marked runs: deleted words struck through, inserted words underlined.

    Run-level tags (``{%r %}``) keep the loop inside the paragraph; every ``{{ }}`` stays a run
    of its own, so Word formatting applies to it."""
    p = b.para(*lead, style=style)
    p.add_run(f"{{%r for seg in {var} %}}")
    p.add_run("{%r if not loop.first %}")
    p.add_run(" ")
    p.add_run("{%r endif %}")
    p.add_run("{%r if seg.kind == 'del' %}")
    p.add_run("{{ seg.text }}").font.strike = True
    p.add_run("{%r elif seg.kind == 'ins' %}")
    p.add_run("{{ seg.text }}").font.underline = True
    p.add_run("{%r else %}")
    p.add_run("{{ seg.text }}")
    p.add_run("{%r endif %}")
    p.add_run("{%r endfor %}")
    return p


def part_numeral(b: Builder, numeral: str) -> None:
    """The numeral of a part of the text ("I"), on a line of its own, when it has one."""
    b.tag(f"if {numeral}")
    b.para(f"{{{{ {numeral} }}}}", style="Tussenkop")
    b.tag("endif")


def agreement() -> Path:
    b = Builder("Convenant of addendum")
    b.para("{{ a.title }}", style="Title")
    part_numeral(b, "a.parties_numeral")
    b.para("{{ a.parties_heading }}")
    b.tag("for block in a.parties")
    b.tag("if block.separator")
    b.para("{{ block.separator }}")
    b.tag("endif")
    b.tag("if block.intro")
    b.para("{{ block.intro }}")
    b.tag("endif")
    b.tag("for name in block.members")
    b.para("{{ name }}", style="Partijlijst")
    b.tag("endfor")
    b.tag("if block.closing")
    b.para("{{ block.closing }}")
    b.tag("endif")
    b.tag("endfor")

    bullets(b, "a.considerations", "a.considerations_heading", "a.considerations_numeral")
    part_numeral(b, "a.agreement_numeral")
    b.para("{{ a.agreement_heading }}", style="Tussenkop")

    b.tag("for section in a.sections")
    b.para("{{ section.heading }}", style="Heading 1")
    b.tag("for clause in section.clauses")
    b.tag("for text in clause.paragraphs")
    b.tag("if clause.label and loop.first")
    b.para("{{ clause.label }}", "\t", "{{ text }}", style="Artikellid")
    b.tag("else")
    b.para("{{ text }}")
    b.tag("endif")
    b.tag("endfor")
    clause_parts(b)
    b.tag("endfor")
    b.tag("endfor")

    closing = b.para("{{ a.closing }}")
    closing.paragraph_format.space_before = Pt(24)
    closing.paragraph_format.keep_with_next = True
    b.tag("for group in a.signature_groups")
    b.tag("if not loop.first")
    b.para("{{ a.separator }}", style="Ondertekening")
    b.tag("endif")
    intro = b.para("{{ group.intro }}", style="Ondertekening", italic=True)
    # Kept with the first signatory's block below it.
    intro.paragraph_format.keep_together = True
    intro.paragraph_format.keep_with_next = True
    b.tag("for s in group.signatories")
    block = [b.para("", style="Ondertekening") for _ in range(2)]
    block.append(b.para(SIGNATURE_LINE, style="Ondertekening"))
    last = b.para("{{ s.name }}", style="Ondertekening", italic=True)
    last.paragraph_format.space_after = Pt(12)
    keep_block(*block, last)
    b.tag("endfor")
    b.tag("endfor")
    return b.save("agreement.docx")


def consolidated() -> Path:
    """The text in force on a date, with the changes of that date marked."""
    b = Builder("Geldende tekst")
    b.para("{{ c.title }}", style="Title")
    b.para("{{ c.covenant }}", bold=True)
    b.para("{{ c.intro }}")
    b.para("{{ c.legend }}", italic=True)
    b.para("{{ c.term }}")
    bullets(b, "c.changes", "c.changes_heading")
    bullets(b, "c.considerations", "c.considerations_heading")
    b.para("{{ c.agreement_heading }}", style="Tussenkop")
    b.tag("for section in c.sections")
    segments_para(b, "section.heading_segments", style="Heading 1")
    b.tag("for note in section.notes")
    b.para("{{ note }}", italic=True)
    b.tag("endfor")
    b.tag("for clause in section.clauses")
    b.tag("for text in clause.paragraphs")
    b.tag("if clause.label and loop.first")
    segments_para(b, "text", "{{ clause.label }}", "\t", style="Artikellid")
    b.tag("else")
    segments_para(b, "text")
    b.tag("endif")
    b.tag("endfor")
    clause_parts(b)
    b.tag("endfor")
    b.tag("endfor")
    return b.save("consolidated.docx")


def signature_pages() -> Path:
    b = Builder("Handtekeningen")
    b.para("Handtekeningen", style="Title")
    b.para("{{ a.title }}", bold=True)
    b.para("{{ a.closing }}")
    b.tag("for group in a.signature_groups")
    # The first heading below the title: level 1 (a screen reader's outline has no jump),
    # in the size a group's intro had as a level 3 heading.
    intro = b.para("{{ group.intro }}", style="Heading 1")
    intro.runs[0].font.size = Pt(11.5)
    # With the first block below it, whatever the heading style says.
    intro.paragraph_format.keep_together = True
    intro.paragraph_format.keep_with_next = True
    b.tag("for s in group.signatories")
    signature_block(b, "s", with_marker=True, date="a.signed_date")
    b.tag("endfor")
    b.tag("endfor")
    return b.save("signature-pages.docx")


def accession_declaration() -> Path:
    b = Builder("Verklaring van instemming met de bepalingen in het convenant")
    b.para("{{ acc.declaration_title }}", style="Title")
    b.para("{{ acc.covenant_title }}", bold=True)
    b.tag("for text in acc.declaration")
    b.para("{{ text }}")
    b.tag("endfor")
    b.para("{{ acc.clause_heading }}", style="Tussenkop")
    b.para("{{ acc.clause_text }}", italic=True)
    b.para("Aldus verklaard en ondertekend,", style="Tussenkop")
    signature_block(b, "acc.party", with_marker=True)
    return b.save("accession-declaration.docx")


def accession_consent() -> Path:
    b = Builder("Verklaring van instemming tot toetreding")
    b.para("{{ acc.consent_title }}", style="Title")
    b.para("{{ acc.covenant_title }}", bold=True)
    b.para("{{ consent.statement }}")
    b.para("{{ acc.clause_heading }}", style="Tussenkop")
    b.para("{{ acc.clause_text }}", italic=True)
    b.para("Aldus verklaard en ondertekend,", style="Tussenkop")
    signature_block(b, "consent.signatory", with_marker=True)
    return b.save("accession-consent.docx")


def accession_letter() -> Path:
    b = Builder("Begeleidende brief bij een toetreding")
    # Sender block: the organisation and its address from convenantgen.yml, then the contact.
    b.tag("for line in acc.sender")
    b.tag("if loop.first")
    b.para("{{ line }}", style="Partijlijst", bold=True)
    b.tag("else")
    b.para("{{ line }}", style="Partijlijst")
    b.tag("endif")
    b.tag("endfor")
    b.tag("if acc.contact_name")
    b.para("Contactpersoon: ", "{{ acc.contact_name }}", style="Partijlijst")
    b.tag("endif")
    b.tag("if acc.contact_phone")
    b.para("Telefoon: ", "{{ acc.contact_phone }}", style="Partijlijst")
    b.tag("endif")
    b.tag("if acc.contact_email")
    b.para("E-mail: ", "{{ acc.contact_email }}", style="Partijlijst")
    b.tag("endif")
    b.para("")
    b.tag("for line in acc.address")
    b.para("{{ line }}", style="Partijlijst")
    b.tag("endfor")
    b.para("")
    b.para("Datum: ", "{{ acc.letter_date or '____________________' }}", style="Partijlijst")
    b.para("Ons kenmerk: ", "{{ acc.reference }}", style="Partijlijst")
    b.para("Betreft: ", "{{ acc.letter_subject }}", bold=True)
    b.para("Geachte heer, mevrouw,")
    b.tag("for text in acc.letter")
    b.para("{{ text }}")
    b.tag("endfor")
    b.tag("if acc.penvoerder")
    block = [
        b.para("Met vriendelijke groet,"),
        b.para("", style="Ondertekening"),
        b.para("", style="Ondertekening"),
        b.para(SIGNATURE_LINE, style="Ondertekening"),
        b.para("{{ acc.penvoerder.name }}", style="Ondertekening"),
        b.para("{{ acc.penvoerder.role }}", style="Ondertekening"),
        b.para("penvoerder, ", "{{ acc.penvoerder.organisation }}", style="Ondertekening"),
    ]
    keep_block(*block)
    b.tag("else")
    b.para("Met vriendelijke groet,")
    b.tag("endif")
    b.para("Bijlagen:", style="Tussenkop")
    b.tag("for item in acc.enclosures")
    b.para("{{ item }}", style="List Bullet")
    b.tag("endfor")
    return b.save("accession-letter.docx")


def staatscourant_notice() -> Path:
    b = Builder("Mededeling in de Staatscourant")
    # The publishing authority above the title, as the Staatscourant prints it.
    b.tag("if acc.notice_authority")
    b.para("{{ acc.notice_authority }}", bold=True)
    b.tag("endif")
    b.para("{{ acc.notice_title }}", style="Title")
    b.tag("for text in acc.notice")
    b.para("{{ text }}")
    b.tag("endfor")
    b.tag("if acc.penvoerder")
    block = [
        b.para("Datum: ", "{{ acc.notice_date or '____________________' }}"),
        b.para("{{ acc.notice_authority or acc.penvoerder.organisation }},", style="Ondertekening"),
        b.para("", style="Ondertekening"),
        b.para("", style="Ondertekening"),
        b.para(SIGNATURE_LINE, style="Ondertekening"),
        b.para("{{ acc.penvoerder.name }}", style="Ondertekening"),
        b.para("{{ acc.penvoerder.role }}", style="Ondertekening"),
    ]
    keep_block(*block)
    b.tag("else")
    b.para("Datum: ", "{{ acc.notice_date or '____________________' }}")
    b.tag("endif")
    return b.save("staatscourant-notice.docx")


def main(argv: list[str] | None = None) -> int:
    global OUT
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--out"] and len(args) == 2:
        OUT = Path(args[1]).resolve()
    elif args:
        print("usage: make_templates.py [--out FOLDER]", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    for make in (
        agreement,
        signature_pages,
        consolidated,
        accession_declaration,
        accession_consent,
        accession_letter,
        staatscourant_notice,
    ):
        print(make())
    return 0


if __name__ == "__main__":
    sys.exit(main())
