"""Reference lists in the web app: the RMI pages declare their status, every list is kept with its kind
and day, the reference page shows each list's age, and import_refdata imports a folder once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from staff_data import staff

from oretrace.refdata import ListKind
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import AuditStatusList, Facility, ReferenceFile
from oretrace.web.campaigns.refdata import list_in_force
from published_lists import EU_XML, OFAC_SDN_XML, RJC_CSV

pytestmark = pytest.mark.django_db

# RMI's Conformant page saved as CSV names facilities of the demo reference list, with no status column.
CONFORMANT_PAGE = (
    b"Metal,Smelter ID,Standard Smelter Name,Country\r\nTin,CID900007,Demo Tin Smelter 07,Japan\r\n"
)


@pytest.fixture
def bob(client):
    from fictional_template import build_cmrt

    _alice, bob, _vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    client.force_login(bob)
    return bob


def upload_status_list(client, data: bytes, name: str, **fields):
    return client.post(
        reverse("reference"),
        {"status-file": SimpleUploadedFile(name, data), "status-as_of": "2026-05-01", **fields},
        follow=True,
    ).content.decode()


def test_the_conformant_page_makes_its_facilities_conformant(client, bob):
    page = upload_status_list(client, CONFORMANT_PAGE, "conformant.csv", **{"status-kind": "rmi-conformant"})
    assert "1 facilities updated from conformant.csv." in page
    assert "every facility holds Conformant" in page
    tin = Facility.objects.get(smelter_id="CID900007")
    assert (tin.status, tin.status_text, tin.status_as_of) == (
        "conformant",
        "Conformant",
        dt.date(2026, 5, 1),
    )
    kept = ReferenceFile.objects.get(kind="rmi-conformant")
    assert (kept.filename, kept.as_of, kept.entries, kept.publisher) == (
        "conformant.csv",
        dt.date(2026, 5, 1),
        1,
        "Responsible Minerals Initiative",
    )
    assert kept.status_list == AuditStatusList.objects.get()
    assert AuditEntry.objects.filter(action="smelters.status_list_imported", actor=bob).exists()


def test_an_export_with_a_declared_status_holds_that_status(client, bob):
    upload_status_list(client, CONFORMANT_PAGE, "export.csv", **{"status-status": "Active"})
    assert Facility.objects.get(smelter_id="CID900007").status == "active"
    assert ReferenceFile.objects.get(kind="rmi-eligible").status == "Active"


def test_an_export_without_status_column_or_declared_status_changes_nothing(client, bob):
    page = upload_status_list(client, CONFORMANT_PAGE, "export.csv")
    assert "no status column" in page and "Nothing was changed." in page
    assert not AuditStatusList.objects.exists()
    assert not ReferenceFile.objects.exclude(kind="template-reference").exists()
    assert Facility.objects.get(smelter_id="CID900007").status_as_of is None


def test_a_sanctions_list_is_kept_with_the_day_it_states_and_read_again_when_in_force(client, bob):
    page = client.post(
        reverse("reference"),
        {"list-file": SimpleUploadedFile("sdn.xml", OFAC_SDN_XML), "list-kind": "ofac-sdn"},
        follow=True,
    ).content.decode()
    assert "sdn.xml: OFAC Specially Designated Nationals (SDN) list as of 2025-11-28, 2 entries." in page
    kept = ReferenceFile.objects.get(kind="ofac-sdn")
    assert kept.as_of == dt.date(2025, 11, 28)
    assert AuditEntry.objects.filter(action="refdata.list_imported", actor=bob).count() == 1
    assert list_in_force(ListKind.OFAC_SDN, dt.date(2025, 11, 27)) is None
    in_force = list_in_force(ListKind.OFAC_SDN, dt.date(2025, 12, 1))
    assert [e.name for e in in_force.entries] == ["AEROCARIBBEAN AIRLINES", "Ivan PETROV"]


def test_a_list_of_another_kind_is_refused_and_nothing_is_kept(client, bob):
    page = client.post(
        reverse("reference"),
        {"list-file": SimpleUploadedFile("eu.xml", EU_XML), "list-kind": "uk-sanctions"},
        follow=True,
    ).content.decode()
    assert "eu.xml: The XML is not the UK sanctions list" in page and "Nothing was changed." in page
    assert not ReferenceFile.objects.exclude(kind="template-reference").exists()


def test_the_reference_page_warns_about_a_list_older_than_the_maximum_age(client, bob, settings):
    settings.REFDATA_MAX_AGE_DAYS = 30
    old = timezone.localdate() - dt.timedelta(days=31)
    client.post(
        reverse("reference"),
        {"list-file": SimpleUploadedFile("rjc.csv", RJC_CSV), "list-kind": "rjc-members", "list-as_of": old},
    )
    client.post(
        reverse("reference"),
        {"list-file": SimpleUploadedFile("sdn.xml", OFAC_SDN_XML), "list-kind": "ofac-sdn"},
    )
    page = client.get(reverse("reference")).content.decode()
    assert "RJC certified members" in page and "31 days old: older than 30 days, download a new one" in page
    sdn_age = (timezone.localdate() - dt.date(2025, 11, 28)).days
    assert f"{sdn_age} days old: older than 30 days" in page


def test_import_refdata_imports_each_new_file_of_a_folder_once(bob, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ofac-sdn.xml").write_bytes(OFAC_SDN_XML)
    (inbox / "page.csv").write_bytes(CONFORMANT_PAGE)
    (inbox / "page.csv.json").write_text(json.dumps({"kind": "rmi-active", "as_of": "2026-04-01"}))
    call_command("import_refdata", str(inbox))
    out = capsys.readouterr().out
    assert "ofac-sdn.xml: OFAC Specially Designated Nationals (SDN) list as of 2025-11-28, 2 entries." in out
    assert "page.csv: RMI Active smelters and refiners as of 2026-04-01, 1 entry, 1 facility updated." in out
    assert Facility.objects.get(smelter_id="CID900007").status == "active"
    assert AuditEntry.objects.filter(actor_label="import_refdata").count() == 2

    call_command("import_refdata", str(inbox))
    assert f"No new list in {inbox}." in capsys.readouterr().out
    assert ReferenceFile.objects.exclude(kind="template-reference").count() == 2


def test_import_refdata_names_a_file_it_cannot_import_and_imports_the_others(bob, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "rjc-members.csv").write_bytes(RJC_CSV)
    (tmp_path / "eu-sanctions.xml").write_bytes(OFAC_SDN_XML)
    with pytest.raises(CommandError, match="2 file"):
        call_command("import_refdata", str(tmp_path))
    err = capsys.readouterr().err
    assert "notes.txt: Neither a sidecar notes.txt.json nor the file's name says which list it is." in err
    assert "eu-sanctions.xml: The XML is not the EU consolidated sanctions list" in err
    assert list(ReferenceFile.objects.exclude(kind="template-reference").values_list("kind", flat=True)) == [
        "rjc-members"
    ]


def test_import_refdata_refuses_a_missing_folder(bob, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_refdata", str(tmp_path / "absent"))


def test_a_template_reference_list_is_kept_with_its_release_date_and_shown_with_its_age(client, bob):
    kept = ReferenceFile.objects.get(kind="template-reference")  # the fixture loaded the demo's blank CMRT
    assert (kept.filename, kept.entries > 0, kept.notes[0].startswith("Release: CMRT")) == (
        "blank.xlsx",
        True,
        True,
    )
    page = client.get(reverse("reference")).content.decode()
    assert "Smelter reference list of an RMI template" in page and "blank.xlsx" in page


def test_a_second_import_refdata_on_the_same_folder_leaves_at_once(bob, tmp_path, capsys):
    import fcntl

    (tmp_path / "ofac-sdn.xml").write_bytes(OFAC_SDN_XML)
    with (tmp_path / ".import_refdata.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        call_command("import_refdata", str(tmp_path))
    assert "Another import_refdata is importing from" in capsys.readouterr().out
    assert not ReferenceFile.objects.filter(kind="ofac-sdn").exists()
    call_command("import_refdata", str(tmp_path))
    assert ReferenceFile.objects.filter(kind="ofac-sdn").count() == 1
