"""A customer's three part numbers: the declaration comes from the suppliers of those parts only, and the
CMRT written into the blank template of the version asked for reads back with our reader, product list
included."""

from __future__ import annotations

import datetime as dt

from builders import build_cmrt6
from declaration.rollups import IN_SCOPE, rollup, settings, smelter, supplier
from oretrace.customers import customer_product_scope, read_part_list
from oretrace.declaration import derive_declaration
from oretrace.rmi import read_template
from oretrace.rmi.writer import write_declaration
from samples import TEMPLATES, shared_file

ANSWERS = {**IN_SCOPE, "Q3": "No", "Q4": "No", "Q5": "No", "Q7": "Yes"}
PART_LIST = (
    b"Customer part number,Supplier part number,Description\n"
    b"BC-100,P-A,Capacitor 10uF\n"
    b"BC-200,P-B,\n"
    b"BC-300,,Connector\n"
)
# Our parts and their suppliers (the web reads these from the supplier-part links).
SUPPLIERS_OF = {
    "P-A": ("Alpha Parts",),
    "P-B": ("Alpha Parts",),
    "BC-300": ("Beta Boards",),
    "P-Z": ("Gamma",),
}


def _data():
    # Gamma supplies none of the customer's parts: its gold and its covered-country smelter must not count.
    return rollup(
        [
            supplier("Alpha Parts", ANSWERS, Gold={"Q1": "No"}),
            supplier("Beta Boards", ANSWERS, Gold={"Q1": "No"}),
            supplier("Gamma", {**ANSWERS, "Q3": "Yes"}),
        ],
        [
            smelter("Tin", "CID000292", "Alpha", suppliers=("Alpha Parts",)),
            smelter("Gold", "CID000015", "Gamma Gold", "Congo", suppliers=("Gamma",), covered=True),
        ],
    )


def _derivation():
    parts = read_part_list(PART_LIST, "bigco.csv").parts
    scope = customer_product_scope(parts, SUPPLIERS_OF, names={"P-B": "Resistor"})
    return derive_declaration(_data(), settings(), products=scope, today=dt.date(2026, 5, 1))


def test_it_derives_only_from_the_suppliers_of_the_customers_parts():
    derived = _derivation()
    assert derived.suppliers == ("Alpha Parts", "Beta Boards")
    assert derived.answer("Gold", "Q1").answer == "No"  # only Gamma uses gold
    assert derived.answer("Tin", "Q3").answer == "No"  # Gamma's Yes is not theirs to give
    assert derived.answer("Tin", "Q6").answer == "100%"  # both suppliers of the parts answered
    assert [(s.metal, s.smelter_id) for s in derived.declaration.smelters] == [("Tin", "CID000292")]


def test_the_product_list_carries_the_customers_numbers_and_names_our_parts():
    products = _derivation().declaration.products
    assert [(p.number, p.name, p.comments) for p in products] == [
        ("BC-100", "Capacitor 10uF", "Our part number P-A"),
        ("BC-200", "Resistor", "Our part number P-B"),
        ("BC-300", "Connector", None),
    ]


def _read_back(blank: bytes):
    derived = _derivation()
    written = read_template(write_declaration(blank, derived.declaration))
    answers = {
        metal: {q: a.value for q, a in questions.items() if a.value is not None}
        for metal, questions in written.answers.items()
    }
    assert answers == derived.declaration.answers
    assert written.scope == "B"
    assert [(s.metal, s.smelter_id) for s in written.smelters] == [("Tin", "CID000292")]
    assert [(p.number, p.name, p.comments) for p in written.products] == [
        ("BC-100", "Capacitor 10uF", "Our part number P-A"),
        ("BC-200", "Resistor", "Our part number P-B"),
        ("BC-300", "Connector", None),
    ]
    return written


def test_a_synthetic_cmrt_6_4_reads_back_exactly(tmp_path):
    assert _read_back(build_cmrt6(tmp_path / "blank.xlsx").read_bytes()).version == "6.4"


def test_the_version_the_customer_asked_for_reads_back_exactly():
    for version in ("6.01", "6.22", "6.31", "6.4", "6.5"):
        blank = shared_file(TEMPLATES / f"RMI_CMRT_{version}.xlsx").read_bytes()
        assert _read_back(blank).version == version
