"""PDF streams whose compressed data ends in CR (issue 20): pypdf writes "CR LF endstream",
which a PDF/A checker reads as a CR LF marker and a /Length one byte too long (PDF/A-2b
"a stream /Length does not match its raw content length"). Such a stream is written with CR LF
as its marker, so exactly /Length bytes stand before it either way; the content stays the same
and the same PDF gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from convenantgen.render.pdf.convert import PdfMetadata, normalize_pdf
from convenantgen.render.pdf.streams import unambiguous_stream_ends


def _content_ending_in_cr() -> bytes:
    """A page's drawing operators whose Flate compression (level 9) ends in CR."""
    # The data ends with the Adler-32 checksum, whose last byte follows the sum of the bytes:
    # a comment of two characters after the operators reaches every value.
    for a in range(33, 127):
        for b in range(33, 127):
            content = f"BT /F1 12 Tf 72 720 Td (regel) Tj ET\n%{chr(a)}{chr(b)}".encode()
            if zlib.compress(content, 9).endswith(b"\r"):
                return content
    raise AssertionError("no such content found")


def _pdf(content: bytes) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream = stream.flate_encode(level=9)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _misread(data: bytes) -> int:
    """How many streams a checker that takes CR LF before "endstream" as the marker finds
    shorter than their /Length."""
    bad = 0
    for m in re.finditer(rb"/Length (\d+)\n>>\nstream\n", data):
        end = data.index(b"endstream", m.end())
        marker = 2 if data[end - 2 : end] == b"\r\n" else 1
        bad += end - marker - m.end() != int(m.group(1))
    return bad


def test_a_stream_ending_in_cr_is_compressed_again_with_the_same_content():
    content = _content_ending_in_cr()
    before = _pdf(content)
    assert _misread(before) == 1  # the case a PDF/A checker rejects

    meta = PdfMetadata(title="Proef", author="P", subject="", keywords="")
    after = normalize_pdf(before, meta)
    assert _misread(after) == 0
    assert PdfReader(io.BytesIO(after)).pages[0].get_contents().get_data() == content
    assert normalize_pdf(before, meta) == after  # reproducible


def test_other_streams_are_left_as_they_are():
    data = _pdf(b"BT ET")
    assert _misread(data) == 0
    assert unambiguous_stream_ends(PdfWriter(clone_from=PdfReader(io.BytesIO(data)))) == 0
