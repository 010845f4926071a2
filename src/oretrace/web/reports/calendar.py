"""The filing calendar of a campaign's reporting year, as the dashboard shows it: the core's deadlines
(oretrace.reports.deadlines) with the campaigns' due dates and the organisation's EU settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import ngettext

from oretrace.reports.deadlines import Deadline, filing_calendar
from oretrace.web.campaigns.models import Campaign
from oretrace.web.suppliers.models import Organisation


@dataclass(frozen=True)
class CalendarRow:
    deadline: Deadline
    days: int | None  # days remaining; negative once past, None when no day is fixed

    @property
    def passed(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def remaining(self) -> str:
        """The days remaining as the calendar shows them: "12 days", "today", "passed 3 days ago"."""
        if self.days is None:
            return "–"
        if self.days == 0:
            return "today"
        count = ngettext("%(n)d day", "%(n)d days", abs(self.days)) % {"n": abs(self.days)}
        return count if self.days > 0 else f"passed {count} ago"


def campaign_calendar(campaign: Campaign, today: dt.date | None = None) -> list[CalendarRow]:
    """The deadlines of the campaign's reporting year: the due dates of that year's campaigns, Form SD,
    and the EU annual report when the organisation is a Union importer."""
    today = today or timezone.localdate()
    org = Organisation.current()
    campaigns = Campaign.objects.filter(reporting_year=campaign.reporting_year).order_by("due_date", "pk")
    deadlines = filing_calendar(
        campaign.reporting_year.year,
        [(c.name, c.due_date) for c in campaigns if c.due_date],
        eu_importer=org.eu_importer,
        eu_last_published=org.eu_report_published,
    )
    return [CalendarRow(d, d.days_remaining(today)) for d in deadlines]
