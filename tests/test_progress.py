"""The progress display: a live line on a terminal, nothing at all otherwise."""

from __future__ import annotations

import io

from convenantgen.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream)
    progress.step("pdf", 1, 3, "almere-addendum-2024")
    progress.finish("3 file(s) written")
    assert stream.getvalue() == ""


def test_rewrites_one_line_on_a_terminal():
    stream = _Terminal()
    progress = Progress(stream)
    progress.step("pdf", 1, 2, "een-lang-document")
    progress.step("pdf", 2, 2, "kort")
    progress.finish("2 file(s) written")
    out = stream.getvalue()
    assert out.startswith("\r[pdf] 1/2 een-lang-document")
    # The shorter second line is padded so no characters of the first remain visible.
    assert "\r[pdf] 2/2 kort" + " " * (len("een-lang-document") - len("kort")) in out
    assert out.rstrip().endswith("s)") and "2 file(s) written (" in out
