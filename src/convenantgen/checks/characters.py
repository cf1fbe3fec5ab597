"""The one Unicode policy for the text of a project's files, names and titles above all.

Names and titles end up in signing documents, where a reader cannot see what a character is.
Every string of every YAML file is held against these rules (as it was loaded, so each finding
has its file, line and column):

- ``text-control``: a control character (ESC, BEL, NUL, DEL, C1; tab and line break aside in
  long texts) is refused everywhere: it means nothing on paper and breaks HTML and terminals;
- ``text-bidi``: a bidirectional override, embedding or isolate (U+202A–U+202E,
  U+2066–U+2069) is refused everywhere: it shows text in another order than it is stored;
- ``text-nfc``: a name or title must be in Unicode normalisation form C, so one name is one
  sequence of code points (``é`` composed, not ``e`` + a combining accent);
- ``text-invisible``: a name or title with no visible character (a zero-width space) is
  refused;
- ``text-hidden-character``: a zero-width or other invisible format character inside a name
  or title is warned about;
- ``text-mixed-script``: a word of a name or title that mixes scripts with look-alike letters
  (a Cyrillic ``о`` inside a Latin name) is warned about, with Unicode's confusables data
  (the ``confusable-homoglyphs`` library).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from confusable_homoglyphs import categories, confusables

from ..errors import Diagnostic, Where, one_line
from .registry import CHECKS

# The keys whose values are names or titles: what a signatory reads as who and what.
NAME_KEYS = frozenset({"name", "short_name", "title", "short_title", "label", "total_label"})
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n")
# Joiners are part of some scripts' spelling; every other format character hides something.
_JOINERS = frozenset("\u200c\u200d")


def _strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    stack = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            yield here, node
        elif isinstance(node, Mapping):
            stack.extend(((*here, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))))


def _finding(code: str, message: str, file: Path, path: tuple, text: str) -> Diagnostic:
    return Diagnostic(CHECKS[code].severity, code, message, Where(file, path), one_line(text))


# Unicode gives control characters no name; these are the ones people meet.
_CONTROL_NAMES = {0: "NULL", 7: "BELL", 8: "BACKSPACE", 13: "CARRIAGE RETURN", 27: "ESCAPE"}


def _named(char: str) -> str:
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "CONTROL CHARACTER")
    return f"U+{ord(char):04X} {name}"


def check_characters(data: Any, file: Path) -> list[Diagnostic]:
    """Every finding of the policy in one loaded YAML document."""
    out: list[Diagnostic] = []
    for path, text in _strings(data):
        key = next((k for k in reversed(path) if isinstance(k, str)), "")
        shown = one_line(text[:60])
        control = next(
            (c for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS),
            None,
        )
        if control is not None:
            out.append(
                _finding(
                    "text-control",
                    f"'{shown}' holds the control character {_named(control)}; remove it",
                    file,
                    path,
                    text,
                )
            )
        bidi = next((c for c in text if c in BIDI_CONTROLS), None)
        if bidi is not None:
            out.append(
                _finding(
                    "text-bidi",
                    f"'{shown}' holds {_named(bidi)}, which shows the text in another order "
                    "than it is written; remove it",
                    file,
                    path,
                    text,
                )
            )
        if key in NAME_KEYS:
            out += _name_findings(text, shown, file, path)
    return out


def _name_findings(text: str, shown: str, file: Path, path: tuple) -> list[Diagnostic]:
    out = []
    if not any(_visible(c) for c in text):
        return [
            _finding(
                "text-invisible",
                f"'{shown}' has no visible character; write the name or title",
                file,
                path,
                text,
            )
        ]
    normal = unicodedata.normalize("NFC", text)
    if normal != text:
        mark = next((c for c in text if unicodedata.combining(c)), None)
        if mark is not None:
            why = (
                f"a letter and its accent are written as two characters ({_named(mark)} after "
                "its letter); write the letter as one character"
            )
        else:
            odd = next(c for c in text if unicodedata.normalize("NFC", c) != c)
            why = (
                f"{_named(odd)} is a variant that Unicode writes as "
                f"'{unicodedata.normalize('NFC', odd)}'; write that character instead"
            )
        out.append(
            _finding("text-nfc", f"'{shown}' is not in Unicode form NFC: {why}", file, path, text)
        )
    hidden = next(
        (c for c in text if unicodedata.category(c) == "Cf" and c not in _JOINERS | BIDI_CONTROLS),
        None,
    )
    if hidden is not None:
        out.append(
            _finding(
                "text-hidden-character",
                f"'{shown}' holds the invisible character {_named(hidden)}; remove it",
                file,
                path,
                text,
            )
        )
    for word in normal.split():
        mixed = _look_alike(word)
        if mixed:
            out.append(_finding("text-mixed-script", f"'{shown}': {mixed}", file, path, text))
            break
    return out


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS"


def _look_alike(word: str) -> str:
    """Why ``word`` mixes scripts with a look-alike letter, or ``""``."""
    if not confusables.is_mixed_script(word):
        return ""
    scripts = sorted({categories.alias(c) for c in word if c.isalpha()} - {"COMMON"})
    found = confusables.is_confusable(word, greedy=False, preferred_aliases=["latin"])
    if not found:
        return ""
    char = found[0]["character"]
    like = found[0]["homoglyphs"][0]["c"] if found[0]["homoglyphs"] else "?"
    return (
        f"the word '{one_line(word)}' mixes the scripts "
        f"{' and '.join(x.title() for x in scripts)}; "
        f"{_named(char)} looks like '{like}'. Write it in one script"
    )
