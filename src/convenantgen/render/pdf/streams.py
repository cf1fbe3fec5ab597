"""Stream ends a PDF/A checker cannot misread.

A stream's data is followed by an end-of-line marker and ``endstream``; its ``/Length`` counts
the data without that marker. pypdf writes the marker as LF, so a stream whose data happens to
end in the byte CR reads ``... CR LF endstream``: a checker that takes CR LF as the marker
counts one byte less than ``/Length`` says and rejects the file (PDF/A-2b, "a stream /Length
does not match its raw content length"). Which streams end so is chance (the last byte of a
Flate stream is the low byte of its content's checksum, so one in 256), and a change of text
anywhere can make a valid PDF fail.

:func:`unambiguous_stream_ends` makes such a stream write CR LF as its marker, so the data
before it is exactly ``/Length`` bytes whichever way the marker is read. The content is the
same, the bytes are deterministic.
"""

from __future__ import annotations

from typing import IO, Any

from pypdf import PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NumberObject,
)

_CR = b"\r"


def _write_crlf(obj: DictionaryObject, data: bytes, stream: IO[Any]) -> None:
    """Write a stream as pypdf's StreamObject.write_to_stream does, but with CR LF as the
    marker before ``endstream``."""
    obj[NameObject("/Length")] = NumberObject(len(data))
    DictionaryObject.write_to_stream(obj, stream)
    del obj["/Length"]
    stream.write(b"\nstream\n")
    stream.write(data)
    stream.write(b"\r\nendstream")


class _EncodedEndingInCR(EncodedStreamObject):
    def write_to_stream(self, stream: IO[Any]) -> None:
        _write_crlf(self, self._data, stream)


class _DecodedEndingInCR(DecodedStreamObject):
    def write_to_stream(self, stream: IO[Any]) -> None:
        _write_crlf(self, self._data, stream)


def unambiguous_stream_ends(writer: PdfWriter) -> int:
    """Make each stream of ``writer`` whose data ends in CR end with a CR LF marker; how many."""
    changed = 0
    for obj in writer._objects:  # pypdf has no public list of a writer's objects
        if not isinstance(obj, (EncodedStreamObject, DecodedStreamObject)):
            continue
        if not obj._data.endswith(_CR) or isinstance(obj, (_EncodedEndingInCR, _DecodedEndingInCR)):
            continue
        encoded = isinstance(obj, EncodedStreamObject)
        obj.__class__ = _EncodedEndingInCR if encoded else _DecodedEndingInCR
        changed += 1
    return changed
