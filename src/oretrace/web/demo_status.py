"""The demo's status over time: a fictional tantalum smelter that suppliers name in both years, a sample
RMI Conformant list of it dated before last year's inquiry closed, and a sample RMI notice suspending it
dated between the two years, so the compare view, the queue and the report show a status change.

Every status here is about a facility made up for the demo, named as fictional, with an ID RMI has never
given (RMI's CIDs run to six digits from CID000001; CID99xxxx is far beyond them); the sample lists name
it alone and their files are named as samples. No real refiner is given a status it does not hold.
"""

from __future__ import annotations

import datetime as dt

from oretrace.refdata import ListKind
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Facility

FICTIONAL_CID = "CID990001"
FICTIONAL_NAME = "Fictional Tantalum Smelter (oretrace demo)"
FICTIONAL_METAL = "Tantalum"
FICTIONAL_COUNTRY = "Brazil"
FICTIONAL_RELEASE = "oretrace demo: a fictional facility, on no RMI list"
FICTIONAL_ID_PROGRAMME = "the oretrace demo (a made-up ID)"
FICTIONAL_SOURCE = "made up for the oretrace demo: a fictional facility, on no RMI list"
CONFORMANT_FILE = "SAMPLE_rmi-conformant_fictional-facility_oretrace-demo.csv"
NOTICE_FILE = "SAMPLE_rmi-notice_suspension_fictional-facility_oretrace-demo.csv"


def add_fictional_facility() -> Facility:
    """The fictional smelter, held beside the reference list so suppliers' files can name it by its ID."""
    facility, _ = Facility.objects.get_or_create(
        smelter_id=FICTIONAL_CID,
        defaults={
            "metal": FICTIONAL_METAL,
            "name": FICTIONAL_NAME,
            "country": FICTIONAL_COUNTRY,
            "release": FICTIONAL_RELEASE,
            # Not RMI's: every page, export and the report must say it is on no RMI list, while the
            # sample status lists (which match facilities by ID) still give it its statuses.
            "listed_by_rmi": False,
            "id_programme": FICTIONAL_ID_PROGRAMME,
            "source": FICTIONAL_SOURCE,
        },
    )
    return facility


def names_fictional_facility(supplier) -> bool:
    """Every sixth supplier names the fictional smelter, the same ones in both years."""
    return supplier.pk % 6 == 0


def smelter_row() -> dict[str, str]:
    """The fictional smelter as a Smelter List row (columns of RMI's CMRT), named by its ID."""
    return {
        "A": FICTIONAL_CID,
        "B": FICTIONAL_METAL,
        "C": "Smelter not listed",
        "D": FICTIONAL_NAME,
        "E": FICTIONAL_COUNTRY,
    }


def import_sample_conformant(admin, as_of: dt.date) -> None:
    """A sample RMI Conformant list naming the fictional smelter alone, as an admin imports one."""
    rows = (
        "Metal,Smelter ID,Standard Smelter Name,Country,Last Audit Date,Audit Cycle\r\n"
        f"{FICTIONAL_METAL},{FICTIONAL_CID},{FICTIONAL_NAME},{FICTIONAL_COUNTRY},"
        f"{as_of - dt.timedelta(days=120):%Y-%m-%d},3 years\r\n"
    )
    reference.apply_status_list(rows.encode(), CONFORMANT_FILE, as_of, admin, kind=ListKind.RMI_CONFORMANT)


def import_sample_notice(admin, as_of: dt.date) -> None:
    """A sample RMI notice suspending the fictional smelter: the change the queue and compare view show."""
    rows = f"Metal,Facility ID,Facility Name,Country\r\n{FICTIONAL_METAL},{FICTIONAL_CID},{FICTIONAL_NAME},{FICTIONAL_COUNTRY}\r\n"
    reference.apply_status_list(rows.encode(), NOTICE_FILE, as_of, admin, kind=ListKind.RMI_SUSPENDED)
