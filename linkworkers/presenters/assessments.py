"""Assessments side by side: each life domain across every assessment of the case."""

from __future__ import annotations

from dataclasses import dataclass

from linkworkers import codes
from linkworkers.models import Assessment, AssessmentDomain


@dataclass(frozen=True)
class Cell:
    heading: str  # the assessment's date, repeated for narrow screens
    need: str
    strengths: str


@dataclass(frozen=True)
class DomainRow:
    label: str
    cells: list[Cell]
    change: str
    change_colour: str


def _change(first: AssessmentDomain | None, last: AssessmentDomain | None) -> tuple[str, str]:
    """From the first assessment to the latest, in words (need going down is good)."""
    if first is None or last is None or first is last:
        return "", ""
    if last.need_level < first.need_level:
        return "Less need", "green"
    if last.need_level > first.need_level:
        return "More need", "orange"
    return "No change", "grey"


class AssessmentComparison:
    def __init__(self, assessments: list[Assessment]) -> None:
        self.assessments = assessments

    @property
    def headings(self) -> list[str]:
        return [a.assessed_on.strftime("%-d %b %Y") for a in self.assessments]

    def rows(self) -> list[DomainRow]:
        by_assessment = [{d.domain: d for d in a.domains.all()} for a in self.assessments]
        rows = []
        for domain, label in codes.LifeDomain.choices:
            found = [by_domain.get(domain) for by_domain in by_assessment]
            cells = [
                Cell(heading, d.get_need_level_display(), d.strengths)
                if d
                else Cell(heading, "Not assessed", "")
                for heading, d in zip(self.headings, found, strict=True)
            ]
            change, colour = _change(found[0], found[-1]) if found else ("", "")
            rows.append(DomainRow(label, cells, change, colour))
        return rows
