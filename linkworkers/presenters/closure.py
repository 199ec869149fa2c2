"""The message back, following the PRSB Social Prescribing Information Standard's model:
needs and concerns, what matters, support offered and activities, outcome, SNOMED code."""

from __future__ import annotations

from dataclasses import dataclass

from linkworkers.models import MessageBack
from referrals.codes import SNOMED_DISPLAY


@dataclass(frozen=True)
class Row:
    key: str
    value: str


class MessageBackPresenter:
    title = "Social prescribing: message back to the GP and referrer"

    def __init__(self, message: MessageBack) -> None:
        self.message = message
        self.case = message.case

    def header_rows(self) -> list[Row]:
        person = self.case.referral.person
        return [
            Row("Name", person.full_name),
            Row("Date of birth", person.date_of_birth.strftime("%-d %B %Y")),
            Row("NHS number", person.nhs_number_display or "Not given"),
            Row("Referral", self.case.referral.reference),
            Row("Supported from", self.case.opened_at.strftime("%-d %B %Y")),
            Row("Closed", self.message.created_at.strftime("%-d %B %Y")),
            Row("Outcome", self.message.get_closure_outcome_display()),
            Row("Link worker", f"{self.case.link_worker}, {self.case.team}"),
            Row("SNOMED CT", self.snomed),
        ]

    @property
    def snomed(self) -> str:
        codes = self.message.snomed_codes or []
        return "; ".join(f"{c} {SNOMED_DISPLAY.get(c, '')}".strip() for c in codes) or "None"

    @property
    def activities(self) -> str:
        items = self.message.activities or []
        return "\n".join(f"{a['service']}: {a['status'].lower()}" for a in items)

    def sections(self) -> list[tuple[str, str]]:
        return [
            ("Needs and concerns", self.message.needs_and_concerns),
            ("What matters to the person", self.message.what_matters),
            ("Support offered", self.message.support_offered),
            ("Activities and services referred to", self.activities),
        ]
