"""A visible signature stamp that keeps the signing package PDF/A, and signing with it.

pyHanko's default stamp draws its text in Courier, one of the 14 standard fonts, which it does
not embed: PDF/A-2 (ISO 19005-2, 6.2.11.4) wants every font embedded, so a package signed with
the default appearance is no longer PDF/A (``pdfa.py`` says "font /Courier is not embedded").
:func:`stamp_style` gives the signer a stamp whose text is set in an embedded (subset) TrueType
font, without a background image, with the wording of ``templates/wording.yml``
(``signing.stamp``). The package itself leaves /Producer out of its Info dictionary
(``package.py``) so that pyHanko's update of Info and XMP keeps them the same.

:func:`sign_field` signs one field of a package as PAdES (``ETSI.CAdES.detached``) with that
stamp, in an incremental update: what the tests and a signer using pyHanko from Python do.
"""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from ..errors import ConvenantgenError
from ..text.wording import Wording
from .signatures import capture_logs

# Fonts the stamp may use, the first one found (Debian's fonts-dejavu-core, fonts-liberation).
STAMP_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
)
FONT_SIZE = 7
TIME_FORMAT = "%Y-%m-%d %H:%M %Z"


class StampError(ConvenantgenError):
    """No font to embed in the stamp."""


def stamp_font(font: Path | None = None) -> Path:
    """``font``, or the first of :data:`STAMP_FONTS` on this machine."""
    candidates = (font,) if font is not None else STAMP_FONTS
    for path in candidates:
        if path.is_file():
            return path
    raise StampError(
        "no TrueType font for the signature stamp: "
        + ("'" + str(font) + "' does not exist" if font else "install fonts-dejavu-core")
    )


def stamp_style(font: Path | None = None, wording: Wording | None = None) -> TextStampStyle:
    """A stamp in an embedded font, no background, the text of ``signing.stamp``."""
    wording = wording or Wording.default()
    # pyHanko fills in %(signer)s and %(ts)s when it draws the stamp.
    text = wording.text("signing.stamp", signer="%(signer)s", time="%(ts)s")
    return TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(stamp_font(font))), font_size=FONT_SIZE
        ),
        timestamp_format=TIME_FORMAT,
        background=None,
        border_width=0,
    )


def sign_field(
    data: bytes,
    field: str,
    signer: signers.Signer,
    *,
    timestamper=None,
    style: TextStampStyle | None = None,
) -> bytes:
    """``data`` with ``field`` signed by ``signer`` (PAdES, SHA-256) in an incremental update,
    a signature timestamp from ``timestamper`` when given, the stamp ``style`` (default:
    :func:`stamp_style`)."""
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style or stamp_style()
    )
    out = io.BytesIO()
    with capture_logs([]):  # fontTools reports each table it does not subset
        pdf_signer.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
            existing_fields_only=True,
            output=out,
        )
    return out.getvalue()
