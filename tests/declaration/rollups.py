"""Small roll-ups for the derivation tests, written out supplier by supplier so each rule's input is visible."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from oretrace.declaration import CompanyBlock, DeclarationSettings
from oretrace.rollup.model import Rollup, SmelterSummary, SupplierSummary, UnidentifiedName

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
IN_SCOPE = {"Q1": "Yes", "Q2": "Yes"}


def supplier(name: str, answers: dict | None = None, **per_metal: dict) -> SupplierSummary:
    """A readable supplier file. ``answers`` apply to every metal; keyword arguments to one metal each."""
    merged = {metal: {**(answers or {}), **per_metal.get(metal, {})} for metal in METALS}
    return SupplierSummary(
        file_name=f"{name.lower().replace(' ', '-')}.xlsx",
        sha256="0" * 64,
        company_name=name,
        kind="CMRT",
        version="6.5",
        scope="A",
        effective_date=dt.date(2026, 2, 1),
        answers=merged,
    )


def unreadable(file_name: str) -> SupplierSummary:
    return SupplierSummary(
        file_name=file_name,
        sha256=None,
        company_name=None,
        kind=None,
        version=None,
        scope=None,
        effective_date=None,
        read_error="corrupt-file",
        read_error_message="The file is damaged.",
    )


def smelter(
    metal: str,
    cid: str,
    name: str,
    country: str = "China",
    *,
    suppliers: tuple[str, ...] = ("Alpha Parts",),
    covered: bool = False,
    cahra: bool = False,
    recycled: tuple[str, ...] = (),
) -> SmelterSummary:
    return SmelterSummary(
        metal=metal,
        smelter_id=cid,
        name=name,
        country=country,
        audit_status="Conformant",
        status_as_of=dt.date(2026, 1, 15),
        covered_country=covered,
        cahra=cahra or covered,
        suppliers=suppliers,
        methods=("cid",),
        recycled_answers=recycled,
    )


def unidentified(metal: str, name: str, country: str | None = "China", suppliers=("Alpha Parts",)):
    return UnidentifiedName(metal, name, country, tuple(suppliers), "no-match")


def rollup(suppliers=(), smelters=(), names=()) -> Rollup:
    return Rollup(
        generated_at=dt.datetime(2026, 3, 2, 9, 30),
        reference_release="CMRT 6.5",
        status_lists=(),
        suppliers=tuple(suppliers),
        findings=(),
        smelters=tuple(smelters),
        unidentified=tuple(names),
    )


def settings(**changes) -> DeclarationSettings:
    values = dict(
        company=CompanyBlock(
            name="Norland Instruments, Inc.",
            contact_name="Jane Doe",
            contact_email="jane.doe@norland.example",
            contact_phone="+1 503 555 0100",
            authorizer_name="John Roe",
            authorizer_email="john.roe@norland.example",
            authorizer_title="General Counsel",
            effective_date=dt.date(2026, 5, 1),
        ),
        company_questions={
            "A": "Yes",
            "B": "Yes",
            "C": "Yes",
            "D": "Yes",
            "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
            "F": "Yes",
            "G": "Yes",
            "H": "Yes, with the SEC",
        },
        policy_url="https://norland.example/conflict-minerals",
    )
    values.update(changes)
    return DeclarationSettings(**values)


def kind_supplier(name: str, kind: str, version: str, answers: dict[str, dict]) -> SupplierSummary:
    """A readable EMRT, CRT or AMRT: ``answers`` per mineral, in that template's own question numbers."""
    return replace(
        supplier(name), kind=kind, version=version, answers={m: dict(a) for m, a in answers.items()}
    )
