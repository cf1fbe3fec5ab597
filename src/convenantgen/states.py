"""The named states of a covenant's life, as enums: meaning in code, wording in templates.

Code compares these members, never Dutch words; what a reader sees is the wording entry of the
same name (``stages.in-force`` is "in werking", see ``templates/wording.yml``), which a project
can change without changing a rule.
"""

from __future__ import annotations

from enum import StrEnum


class AgreementStage(StrEnum):
    """Where an agreement stands on a day, in the order the stages occur.

    ``REFERENCE`` comes before them all: a covenant known only by reference (no text, no
    Staatscourant citation, no records) whose stage cannot be told, never a false stage."""

    REFERENCE = "reference"
    PREPARATION = "preparation"
    FOR_SIGNATURE = "for-signature"
    SIGNED = "signed"
    PUBLISHED = "published"
    IN_FORCE = "in-force"
    ENDED = "ended"

    @property
    def rank(self) -> int:
        return list(AgreementStage).index(self)


class Deadline(StrEnum):
    """The kinds of date an agreement is held to after signing (``status``, the register)."""

    PUBLICATION = "publication"  # the Staatscourant publication within the agreement's term
    EVALUATION = "evaluation"  # a planned evaluation not yet done
    END_OF_TERM = "end-of-term"  # the end of the (extended) term while in force


class MeasureDate(StrEnum):
    """The kinds of date a measure page names as the next one (``derive.measure_next_date``)."""

    EVALUATION = "evaluation"  # the planned evaluation of the agreement that lists the measure
    END_OF_TERM = "end-of-term"  # the end of that agreement's (extended) term while in force
    TARGET_END = "target-end"  # the end of a target's period, when it is met or missed
    SCHOOL_YEAR_END = "school-year-end"  # the end of the school year a per-year target counts


class TermState(StrEnum):
    """A covenant's term on a day."""

    UNKNOWN = "unknown"  # no term is recorded
    PREPARATION = "preparation"  # before its first day
    RUNNING = "running"
    EXTENDED = "extended"  # past its end, within an extension
    ENDED = "ended"


class AccessionStatus(StrEnum):
    """The steps of an accession request, in order; the YAML's ``status`` names the last one
    reached."""

    REQUESTED = "requested"
    CONSENTED = "consented"
    SENT = "sent"
    PUBLISHED = "published"
    IN_EFFECT = "in-effect"

    @property
    def rank(self) -> int:
        return list(AccessionStatus).index(self)


class AccessibilityStatus(StrEnum):
    """The compliance status of a toegankelijkheidsverklaring (the register's A to E)."""

    A = "A"  # meets the requirements fully
    B = "B"  # meets them partly
    C = "C"  # first measures taken
    D = "D"  # no measures taken
    E = "E"  # the statement itself does not meet the model
