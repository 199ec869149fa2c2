"""Outcomes' section of the link worker's daily digest (registered in ``apps.py``):
how many wellbeing measures are due for follow-up. A count only, as every digest line."""

from __future__ import annotations

import datetime

from outcomes.services.measures import follow_ups_due_count
from socialrx.core.digest import DigestLine
from socialrx.core.models import User

FOLLOW_UPS_LABEL = "Wellbeing measures due for follow-up"


def follow_ups_due_lines(user: User, today: datetime.date) -> list[DigestLine]:
    count = follow_ups_due_count(link_worker=user, today=today)
    return [DigestLine(label=FOLLOW_UPS_LABEL, count=count)] if count else []
